//! Observer notes: the facilitator and the observers write them during an exercise, stamped
//! with the simulated time, maybe tied to a seat or a conversation, maybe marked 👍 or 👎.
//! They are inputs of the exercise (written down, kept across a restart) but not of the
//! simulation: a note changes nothing the team plays.

use crate::engine::Simulation;
use crate::engine::ids::{CustomerId, SeatId};
use serde::{Deserialize, Serialize};

/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// The longest author's name, in characters.
pub const MAX_AUTHOR_CHARS: usize = 60;
/// Notes one exercise keeps at most.
pub const MAX_NOTES: usize = 5_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// 👍 what went well.
    Up,
    /// 👎 what to work on.
    Down,
}

/// Who wrote a note, as their code says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Facilitator,
    Observer,
}

/// A note as written in the console.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// The writer's name as they typed it ("Claire, DRH"); empty: their role's.
    #[serde(default)]
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<SeatId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    pub text: String,
}

/// A note as kept: numbered, stamped with the simulated time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub n: u32,
    pub t_ms: u64,
    pub author: Author,
    pub by: String,
    pub seat: Option<SeatId>,
    pub customer: Option<CustomerId>,
    pub mark: Option<Mark>,
    pub text: String,
}

/// Why a note is refused: (code, French, English).
pub type Refusal = (&'static str, String, String);

/// Checks a draft against the exercise and stamps it; nothing is kept on a refusal.
pub fn stamp(
    draft: &Draft,
    author: Author,
    seats: usize,
    sim: &Simulation,
    kept: usize,
) -> Result<Note, Refusal> {
    let text = draft.text.trim();
    if text.is_empty() {
        return Err((
            "empty_note",
            "La note est vide.".into(),
            "The note is empty.".into(),
        ));
    }
    let length = text.chars().count();
    if length > MAX_NOTE_CHARS {
        return Err((
            "note_too_long",
            format!("{length} caractères : une note en a au plus {MAX_NOTE_CHARS}."),
            format!("{length} characters: a note has at most {MAX_NOTE_CHARS}."),
        ));
    }
    let by = draft.by.trim();
    if by.chars().count() > MAX_AUTHOR_CHARS {
        return Err((
            "author_too_long",
            format!("Le nom de l'auteur a au plus {MAX_AUTHOR_CHARS} caractères."),
            format!("The author's name has at most {MAX_AUTHOR_CHARS} characters."),
        ));
    }
    if let Some(seat) = draft.seat
        && seat.index() >= seats
    {
        return Err((
            "unknown_seat",
            format!("L'exercice n'a pas de poste n° {seat}."),
            format!("The exercise has no seat #{seat}."),
        ));
    }
    if let Some(customer) = draft.customer
        && sim.customer(customer).is_none()
    {
        return Err((
            "unknown_conversation",
            format!("Aucune conversation n° {customer}."),
            format!("No conversation #{customer}."),
        ));
    }
    if kept >= MAX_NOTES {
        return Err((
            "too_many_notes",
            format!("L'exercice a déjà {MAX_NOTES} notes."),
            format!("The exercise has {MAX_NOTES} notes already."),
        ));
    }
    Ok(Note {
        n: kept as u32 + 1,
        t_ms: sim.now_ms(),
        author,
        by: by.to_string(),
        seat: draft.seat,
        customer: draft.customer,
        mark: draft.mark,
        text: text.to_string(),
    })
}
