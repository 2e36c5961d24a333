//! Incidents: what a crisis cell speaks about to the whole community (an outage, a price
//! rise, a strike), and the escalation desks inside the company.

use super::Text;
use serde::{Deserialize, Serialize};

/// A problem that touches many customers at once and calls for a public statement: while it
/// lasts, new customers about it read the brand's pinned statement before they write.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub id: String,
    pub label: Text,
    pub start_min: f64,
    /// Until the end of the scenario when absent.
    #[serde(default)]
    pub end_min: Option<f64>,
    /// Request kinds about the incident (ids): their customers read the pinned statement.
    pub about: Vec<String>,
    /// Of those, the questions a statement answers before they are asked ("is it down?"):
    /// a good statement spares some of them.
    #[serde(default)]
    pub questions: Vec<String>,
    /// The trade's norm for the first statement, in minutes after the start (scoring).
    #[serde(default = "default_statement_within")]
    pub statement_within_min: f64,
}

fn default_statement_within() -> f64 {
    15.0
}

/// Where inside the company a post is escalated.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Desk {
    /// The crisis cell: a safety issue, an influencer, a post that could set off a bad buzz.
    CrisisCell,
    /// The press office: journalists.
    PressOffice,
    /// Legal: a threat of legal action, defamation.
    Legal,
}

impl Desk {
    pub const ALL: [Desk; 3] = [Desk::CrisisCell, Desk::PressOffice, Desk::Legal];

    /// Where a post goes, as a sentence says it: "à la cellule de crise", "to the press office".
    pub fn towards(self, lang: super::Lang) -> &'static str {
        match (self, lang) {
            (Desk::CrisisCell, super::Lang::Fr) => "à la cellule de crise",
            (Desk::CrisisCell, super::Lang::En) => "to the crisis cell",
            (Desk::PressOffice, super::Lang::Fr) => "au service de presse",
            (Desk::PressOffice, super::Lang::En) => "to the press office",
            (Desk::Legal, super::Lang::Fr) => "au service juridique",
            (Desk::Legal, super::Lang::En) => "to the legal department",
        }
    }
}
