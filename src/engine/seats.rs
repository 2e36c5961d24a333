//! The seats of a team session (a crisis cell): who may act, and in which role. A solo
//! session has none; a team session lists them in its header, and every action names its seat.

use super::action::Action;
use super::ids::{CustomerId, SeatId};
use super::scenario::Lang;
use serde::{Deserialize, Serialize};

/// The most seats one session may have.
pub const MAX_SEATS: usize = 64;
/// The longest seat name, in characters.
pub const MAX_SEAT_NAME_CHARS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    /// How the team and the debrief call the seat ("Léa", "front 1").
    pub name: String,
    /// What the seat may do; a seat with no role may do everything but assign others' cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<SeatRole>,
}

/// A crisis cell's positions, as the care desks staff them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatRole {
    /// The public page: public replies and moderation.
    Front,
    /// Private messages and the hand-over to the back office (transfers).
    Private,
    /// Assigns conversations to seats and watches the team's load; writes to no customer.
    Lead,
}

/// What an action is, for the roles' rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    PublicReply,
    PrivateReply,
    Transfer,
    Moderation,
    Claim,
    /// Handing over or releasing a conversation the seat holds.
    HandOverOwn,
    /// Handing over or releasing a conversation another seat holds, or one nobody holds.
    Assign,
    /// Publishing a statement to the whole community.
    Statement,
    /// Alerting a desk inside the company about a post.
    Escalate,
    /// Firing an inject or posting as a customer: the facilitator's, no seat's.
    Direct,
}

impl Move {
    pub fn of(action: &Action) -> Move {
        match action {
            Action::Reply { private: false, .. } => Move::PublicReply,
            Action::Reply { private: true, .. } => Move::PrivateReply,
            Action::Transfer { .. } => Move::Transfer,
            Action::Hide { .. } | Action::Like { .. } => Move::Moderation,
            Action::Claim { .. } => Move::Claim,
            Action::Release { .. } | Action::HandOver { .. } => Move::HandOverOwn,
            Action::Publish { .. } => Move::Statement,
            Action::Escalate { .. } => Move::Escalate,
            Action::Inject { .. } | Action::PostAs { .. } => Move::Direct,
        }
    }

    /// The move in the trainee's words, for refusals.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Move::PublicReply, Lang::Fr) => "répondre en public",
            (Move::PublicReply, Lang::En) => "reply in public",
            (Move::PrivateReply, Lang::Fr) => "répondre en message privé",
            (Move::PrivateReply, Lang::En) => "reply in private messages",
            (Move::Transfer, Lang::Fr) => "transférer un dossier",
            (Move::Transfer, Lang::En) => "transfer a case",
            (Move::Moderation, Lang::Fr) => "modérer la page",
            (Move::Moderation, Lang::En) => "moderate the page",
            (Move::Claim, Lang::Fr) => "prendre une conversation",
            (Move::Claim, Lang::En) => "take a conversation",
            (Move::HandOverOwn, Lang::Fr) => "passer la main",
            (Move::HandOverOwn, Lang::En) => "hand a conversation over",
            (Move::Assign, Lang::Fr) => "attribuer la conversation d'un autre poste",
            (Move::Assign, Lang::En) => "assign another seat's conversation",
            (Move::Statement, Lang::Fr) => "publier une déclaration",
            (Move::Statement, Lang::En) => "publish a statement",
            (Move::Escalate, Lang::Fr) => "alerter un service interne",
            (Move::Escalate, Lang::En) => "alert a desk inside the company",
            (Move::Direct, Lang::Fr) => "diriger l'exercice",
            (Move::Direct, Lang::En) => "direct the exercise",
        }
    }
}

impl SeatRole {
    pub fn allows(self, how: Move) -> bool {
        match self {
            SeatRole::Front => matches!(
                how,
                Move::PublicReply
                    | Move::Moderation
                    | Move::Claim
                    | Move::HandOverOwn
                    | Move::Escalate
            ),
            SeatRole::Private => matches!(
                how,
                Move::PrivateReply
                    | Move::Transfer
                    | Move::Claim
                    | Move::HandOverOwn
                    | Move::Escalate
            ),
            // The lead speaks for the cell: statements are theirs.
            SeatRole::Lead => matches!(
                how,
                Move::Moderation
                    | Move::HandOverOwn
                    | Move::Assign
                    | Move::Statement
                    | Move::Escalate
            ),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SeatRole::Front, Lang::Fr) => "front (public)",
            (SeatRole::Front, Lang::En) => "front (public)",
            (SeatRole::Private, Lang::Fr) => "messages privés et back-office",
            (SeatRole::Private, Lang::En) => "private messages and back office",
            (SeatRole::Lead, Lang::Fr) => "pilote de la cellule",
            (SeatRole::Lead, Lang::En) => "cell lead",
        }
    }
}

impl Seat {
    /// Whether the seat may make this move.
    pub fn allows(&self, how: Move) -> bool {
        match self.role {
            Some(role) => role.allows(how),
            None => !matches!(how, Move::Assign | Move::Direct),
        }
    }
}

/// Why a team session refuses a seat's move. The state is left exactly as it was.
#[derive(Clone, Debug, PartialEq)]
pub enum TeamError {
    /// A team session's action that names no seat.
    SeatRequired,
    /// A seat's move in a session that has no seats.
    NotATeamSession,
    UnknownSeat(SeatId),
    /// The conversation is another seat's: "X is replying".
    HeldBy {
        customer: CustomerId,
        seat: String,
    },
    AlreadyYours(CustomerId),
    /// A lead hands a conversation to the seat that holds it.
    AlreadyTheirs {
        customer: CustomerId,
        seat: String,
    },
    /// Releasing a conversation nobody holds.
    NotHeld(CustomerId),
    /// Releasing or handing over a conversation the seat does not hold, without the right
    /// to assign it.
    NotYours(CustomerId),
    HandOverToSelf(CustomerId),
    /// The receiving seat's role holds no conversation (a lead).
    CannotHold {
        seat: String,
    },
    RoleForbids {
        seat: String,
        role: SeatRole,
        how: Move,
    },
}

impl TeamError {
    pub fn code(&self) -> &'static str {
        match self {
            TeamError::SeatRequired => "seat_required",
            TeamError::NotATeamSession => "not_a_team_session",
            TeamError::UnknownSeat(_) => "unknown_seat",
            TeamError::HeldBy { .. } => "held_by_another_seat",
            TeamError::AlreadyYours(_) => "already_yours",
            TeamError::AlreadyTheirs { .. } => "already_theirs",
            TeamError::NotHeld(_) => "not_held",
            TeamError::NotYours(_) => "not_yours",
            TeamError::HandOverToSelf(_) => "hand_over_to_self",
            TeamError::CannotHold { .. } => "cannot_hold",
            TeamError::RoleForbids { .. } => "role_forbids",
        }
    }

    /// The refusal in French and in English.
    pub(super) fn messages(&self) -> (String, String) {
        match self {
            TeamError::SeatRequired => (
                "Cette session est en équipe : l'action doit venir d'un poste.".into(),
                "This is a team session: the action must come from a seat.".into(),
            ),
            TeamError::NotATeamSession => (
                "Cette session n'a pas de postes entre qui partager les conversations.".into(),
                "This session has no seats to share conversations between.".into(),
            ),
            TeamError::UnknownSeat(id) => {
                (format!("Aucun poste n° {id}."), format!("No seat #{id}."))
            }
            TeamError::HeldBy { customer, seat } => (
                format!(
                    "{seat} répond déjà au client n° {customer} : laissez-lui la conversation ou demandez-lui de vous la passer."
                ),
                format!(
                    "{seat} is already answering customer #{customer}: leave them the conversation or ask them to hand it over."
                ),
            ),
            TeamError::AlreadyYours(id) | TeamError::HandOverToSelf(id) => (
                format!("La conversation du client n° {id} est déjà la vôtre."),
                format!("Customer #{id}'s conversation is already yours."),
            ),
            TeamError::AlreadyTheirs { customer, seat } => (
                format!("{seat} a déjà la conversation du client n° {customer}."),
                format!("{seat} already holds customer #{customer}'s conversation."),
            ),
            TeamError::NotHeld(id) => (
                format!("Personne n'a la conversation du client n° {id}."),
                format!("Nobody holds customer #{id}'s conversation."),
            ),
            TeamError::NotYours(id) => (
                format!(
                    "La conversation du client n° {id} n'est pas la vôtre : seul le pilote attribue celles des autres."
                ),
                format!(
                    "Customer #{id}'s conversation is not yours: only the lead assigns other seats' conversations."
                ),
            ),
            TeamError::CannotHold { seat } => (
                format!(
                    "{seat} pilote la cellule et ne répond à aucun client : passez la conversation à un autre poste."
                ),
                format!(
                    "{seat} leads the cell and answers no customer: hand the conversation to another seat."
                ),
            ),
            TeamError::RoleForbids { seat, role, how } => (
                format!(
                    "{seat} tient le poste « {} », qui ne peut pas {}.",
                    role.label(Lang::Fr),
                    how.label(Lang::Fr)
                ),
                format!(
                    "{seat} holds the \"{}\" seat, which cannot {}.",
                    role.label(Lang::En),
                    how.label(Lang::En)
                ),
            ),
        }
    }
}

/// Why a list of seats cannot make a session.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SeatsError {
    #[error("{0} seats, at most {MAX_SEATS}")]
    TooMany(usize),
    #[error("seat {index}: its name is empty")]
    EmptyName { index: usize },
    #[error("seat {index}: its name has {chars} characters, at most {MAX_SEAT_NAME_CHARS}")]
    NameTooLong { index: usize, chars: usize },
    #[error("seat {index}: its name has a control character")]
    ControlInName { index: usize },
    #[error("seats {first} and {second} are both named {name:?}")]
    SameName {
        first: usize,
        second: usize,
        name: String,
    },
}

/// Checks the seats a session is given (an exercise, a header read back): bounded, named,
/// each name once.
pub fn validate(seats: &[Seat]) -> Result<(), SeatsError> {
    if seats.len() > MAX_SEATS {
        return Err(SeatsError::TooMany(seats.len()));
    }
    for (index, seat) in seats.iter().enumerate() {
        let chars = seat.name.chars().count();
        if seat.name.trim().is_empty() {
            return Err(SeatsError::EmptyName { index });
        }
        if chars > MAX_SEAT_NAME_CHARS {
            return Err(SeatsError::NameTooLong { index, chars });
        }
        if seat.name.chars().any(char::is_control) {
            return Err(SeatsError::ControlInName { index });
        }
        if let Some(first) = seats[..index].iter().position(|s| s.name == seat.name) {
            return Err(SeatsError::SameName {
                first,
                second: index,
                name: seat.name.clone(),
            });
        }
    }
    Ok(())
}

/// `count` seats named "1", "2"... with no role: a team sharing one queue.
pub fn numbered(count: usize) -> Vec<Seat> {
    (1..=count)
        .map(|n| Seat {
            name: n.to_string(),
            role: None,
        })
        .collect()
}

/// The seat's id for its index in the list.
pub fn id_of(index: usize) -> SeatId {
    SeatId(index as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_allows_its_moves_only() {
        use Move::*;
        let all = [
            PublicReply,
            PrivateReply,
            Transfer,
            Moderation,
            Claim,
            HandOverOwn,
            Assign,
        ];
        let allowed =
            |role: SeatRole| -> Vec<Move> { all.into_iter().filter(|m| role.allows(*m)).collect() };
        assert_eq!(
            allowed(SeatRole::Front),
            [PublicReply, Moderation, Claim, HandOverOwn]
        );
        assert_eq!(
            allowed(SeatRole::Private),
            [PrivateReply, Transfer, Claim, HandOverOwn]
        );
        assert_eq!(allowed(SeatRole::Lead), [Moderation, HandOverOwn, Assign]);
        let free = Seat {
            name: "x".into(),
            role: None,
        };
        assert!(
            all.iter()
                .filter(|m| **m != Assign)
                .all(|m| free.allows(*m))
        );
        assert!(!free.allows(Assign));
    }

    #[test]
    fn bad_seat_lists_are_refused_naming_the_seat() {
        assert_eq!(validate(&numbered(3)), Ok(()));
        assert_eq!(
            validate(&numbered(MAX_SEATS + 1)),
            Err(SeatsError::TooMany(MAX_SEATS + 1))
        );
        let mut seats = numbered(3);
        seats[2].name = "1".into();
        assert_eq!(
            validate(&seats),
            Err(SeatsError::SameName {
                first: 0,
                second: 2,
                name: "1".into()
            })
        );
        seats[2].name = " ".into();
        assert_eq!(validate(&seats), Err(SeatsError::EmptyName { index: 2 }));
        seats[2].name = "a\u{7}".into();
        assert_eq!(
            validate(&seats),
            Err(SeatsError::ControlInName { index: 2 })
        );
        seats[2].name = "é".repeat(MAX_SEAT_NAME_CHARS + 1);
        assert_eq!(
            validate(&seats),
            Err(SeatsError::NameTooLong {
                index: 2,
                chars: MAX_SEAT_NAME_CHARS + 1
            })
        );
    }
}
