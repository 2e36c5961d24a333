//! The facilitator's moves in a live exercise (injects, posts typed live) and why one is
//! refused. They are engine actions like the advisers', made by no seat.

/// Times one repeatable inject may be fired in a session at most.
pub const MAX_FIRINGS: u32 = 50;

/// Why a facilitator's move is refused. The state is left exactly as it was.
#[derive(Clone, Debug, PartialEq)]
pub enum DirectionError {
    /// A seat tried to inject or to post as a customer: only the facilitator does.
    FacilitatorOnly,
    UnknownInject(String),
    /// A one-time inject fired already, or a repeatable one fired `MAX_FIRINGS` times.
    Spent(String),
    UnknownPersona(String),
    UnknownKind(String),
    KindNotForPersona {
        kind: String,
        persona: String,
    },
    /// No kind was named and none of weight above 0 is open to the persona.
    NoKindForPersona(String),
}

impl DirectionError {
    pub fn code(&self) -> &'static str {
        match self {
            DirectionError::FacilitatorOnly => "facilitator_only",
            DirectionError::UnknownInject(_) => "unknown_inject",
            DirectionError::Spent(_) => "inject_spent",
            DirectionError::UnknownPersona(_) => "unknown_persona",
            DirectionError::UnknownKind(_) => "unknown_kind",
            DirectionError::KindNotForPersona { .. } => "kind_not_for_persona",
            DirectionError::NoKindForPersona(_) => "no_kind_for_persona",
        }
    }

    /// The refusal in French and in English.
    pub(super) fn messages(&self) -> (String, String) {
        match self {
            DirectionError::FacilitatorOnly => (
                "Seul l'animateur déclenche un événement ou écrit à la place d'un client.".into(),
                "Only the facilitator fires an inject or posts as a customer.".into(),
            ),
            DirectionError::UnknownInject(id) => (
                format!("Le scénario n'a pas d'événement « {id} »."),
                format!("The scenario has no inject \"{id}\"."),
            ),
            DirectionError::Spent(id) => (
                format!("L'événement « {id} » a déjà été déclenché."),
                format!("Inject \"{id}\" has been fired already."),
            ),
            DirectionError::UnknownPersona(id) => (
                format!("Le scénario n'a pas de profil « {id} »."),
                format!("The scenario has no persona \"{id}\"."),
            ),
            DirectionError::UnknownKind(id) => (
                format!("Le scénario n'a pas de demande « {id} »."),
                format!("The scenario has no request kind \"{id}\"."),
            ),
            DirectionError::KindNotForPersona { kind, persona } => (
                format!("La demande « {kind} » n'est pas ouverte au profil « {persona} »."),
                format!("Request kind \"{kind}\" is not open to persona \"{persona}\"."),
            ),
            DirectionError::NoKindForPersona(persona) => (
                format!("Choisissez la demande : aucune n'est tirée pour le profil « {persona} »."),
                format!("Choose the request kind: none is drawn for persona \"{persona}\"."),
            ),
        }
    }
}
