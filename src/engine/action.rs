//! The trainee's actions and the typed errors of impossible ones.

use super::direction::DirectionError;
use super::ids::{CustomerId, MessageId, SeatId};
use super::scenario::{Account, Channel, Desk, Lang};
use super::seats::TeamError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Answer a customer's conversation, in public or in private messages.
    Reply {
        customer: CustomerId,
        private: bool,
        text: String,
    },
    /// Hand the case to a back-office service with the details collected.
    Transfer {
        customer: CustomerId,
        service: String,
        details: Vec<String>,
    },
    /// Moderation: hide a customer's post.
    Hide {
        message: MessageId,
    },
    Like {
        message: MessageId,
    },
    /// A team session: take a conversation, so that the other seats see it is being answered.
    Claim {
        customer: CustomerId,
    },
    /// Give a conversation back to the team's queue.
    Release {
        customer: CustomerId,
    },
    /// Hand a conversation to another seat (a lead assigns any conversation this way).
    HandOver {
        customer: CustomerId,
        to: SeatId,
    },
    /// Publish a statement to the whole community on a channel, pinned at the top of the
    /// brand's page: a holding statement, an update, a resolution notice.
    Publish {
        channel: Channel,
        text: String,
    },
    /// Alert a desk inside the company about a customer's post (a journalist, a legal
    /// threat, a safety issue).
    Escalate {
        customer: CustomerId,
        to: Desk,
    },
    /// The facilitator fires one of the scenario's injects (`injects:`).
    Inject {
        inject: String,
    },
    /// The facilitator posts now as a new customer of a persona, with the text typed live;
    /// without a kind, the persona's is drawn by weight.
    PostAs {
        persona: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        channel: Channel,
        account: Account,
        text: String,
    },
}

impl Action {
    /// Whether the facilitator makes this move, never a seat.
    pub fn is_direction(&self) -> bool {
        matches!(self, Action::Inject { .. } | Action::PostAs { .. })
    }
}

/// Why an action was refused. The state is left exactly as it was.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionError {
    SessionOver,
    UnknownConversation(CustomerId),
    EmptyText,
    TooLong {
        channel: Channel,
        private: bool,
        limit: u32,
        length: usize,
    },
    NoPrivateConversation(CustomerId),
    UnknownService(String),
    UnknownDetail(String),
    DetailNotCollected {
        detail: String,
    },
    MissingDetails {
        service: String,
        missing: Vec<String>,
    },
    AlreadyTransferred(CustomerId),
    CaseClosed(CustomerId),
    UnknownMessage(MessageId),
    NotACustomerMessage(MessageId),
    AlreadyHidden(MessageId),
    AlreadyLiked(MessageId),
    AlreadyEscalated {
        customer: CustomerId,
        to: Desk,
    },
    /// A team session's rules: seats, holding a conversation, roles.
    Team(TeamError),
    /// The facilitator's moves.
    Direction(DirectionError),
}

impl ActionError {
    /// A stable code, for interfaces and tests.
    pub fn code(&self) -> &'static str {
        match self {
            ActionError::SessionOver => "session_over",
            ActionError::UnknownConversation(_) => "unknown_conversation",
            ActionError::EmptyText => "empty_text",
            ActionError::TooLong { .. } => "too_long",
            ActionError::NoPrivateConversation(_) => "no_private_conversation",
            ActionError::UnknownService(_) => "unknown_service",
            ActionError::UnknownDetail(_) => "unknown_detail",
            ActionError::DetailNotCollected { .. } => "detail_not_collected",
            ActionError::MissingDetails { .. } => "missing_details",
            ActionError::AlreadyTransferred(_) => "already_transferred",
            ActionError::CaseClosed(_) => "case_closed",
            ActionError::UnknownMessage(_) => "unknown_message",
            ActionError::NotACustomerMessage(_) => "not_a_customer_message",
            ActionError::AlreadyHidden(_) => "already_hidden",
            ActionError::AlreadyLiked(_) => "already_liked",
            ActionError::AlreadyEscalated { .. } => "already_escalated",
            ActionError::Team(error) => error.code(),
            ActionError::Direction(error) => error.code(),
        }
    }

    /// The refusal in the trainee's words.
    pub fn message(&self, lang: Lang) -> String {
        let (fr, en) = self.messages();
        if lang == Lang::Fr { fr } else { en }
    }

    /// The refusal in French and in English.
    fn messages(&self) -> (String, String) {
        match self {
            ActionError::SessionOver => (
                "La session est terminée.".into(),
                "The session is over.".into(),
            ),
            ActionError::UnknownConversation(id) => (
                format!("Aucune conversation n° {id}."),
                format!("No conversation #{id}."),
            ),
            ActionError::EmptyText => ("La réponse est vide.".into(), "The reply is empty.".into()),
            ActionError::TooLong {
                channel,
                private,
                limit,
                length,
            } => too_long(*channel, *private, *limit, *length),
            ActionError::NoPrivateConversation(id) => (
                format!(
                    "Le client n° {id} ne vous a pas encore écrit en privé : invitez-le d'abord à passer en message privé."
                ),
                format!(
                    "Customer #{id} has not written to you privately yet: invite them to private messages first."
                ),
            ),
            ActionError::UnknownService(service) => (
                format!("Aucun service « {service} »."),
                format!("No service \"{service}\"."),
            ),
            ActionError::UnknownDetail(detail) => (
                format!("Aucune information « {detail} » dans ce scénario."),
                format!("No detail \"{detail}\" in this scenario."),
            ),
            ActionError::DetailNotCollected { detail } => (
                format!(
                    "Le client ne vous a pas donné « {detail} » : demandez-le en message privé."
                ),
                format!(
                    "The customer has not given you \"{detail}\": ask for it in private messages."
                ),
            ),
            ActionError::MissingDetails { service, missing } => (
                format!(
                    "Le service « {service} » a besoin de : {}. Recueillez-les avant de transférer.",
                    missing.join(", ")
                ),
                format!(
                    "Service \"{service}\" needs: {}. Collect them before transferring.",
                    missing.join(", ")
                ),
            ),
            ActionError::AlreadyTransferred(id) => (
                format!("Le dossier du client n° {id} est déjà chez un service."),
                format!("Customer #{id}'s case is already with a service."),
            ),
            ActionError::CaseClosed(id) => (
                format!("Le dossier du client n° {id} est clos."),
                format!("Customer #{id}'s case is closed."),
            ),
            ActionError::UnknownMessage(id) => (
                format!("Aucun message n° {id}."),
                format!("No message #{id}."),
            ),
            ActionError::NotACustomerMessage(id) => (
                format!("Le message n° {id} est celui de la marque."),
                format!("Message #{id} is the brand's own."),
            ),
            ActionError::AlreadyHidden(id) => (
                format!("Le message n° {id} est déjà masqué."),
                format!("Message #{id} is already hidden."),
            ),
            ActionError::AlreadyLiked(id) => (
                format!("Le message n° {id} est déjà aimé."),
                format!("Message #{id} is already liked."),
            ),
            ActionError::AlreadyEscalated { customer, to } => (
                format!(
                    "Le message du client n° {customer} est déjà remonté {}.",
                    to.towards(Lang::Fr)
                ),
                format!(
                    "Customer #{customer}'s post is already escalated {}.",
                    to.towards(Lang::En)
                ),
            ),
            ActionError::Team(error) => error.messages(),
            ActionError::Direction(error) => error.messages(),
        }
    }
}

/// A text over its place's limit, in French and in English.
fn too_long(channel: Channel, private: bool, limit: u32, length: usize) -> (String, String) {
    let (place_fr, place_en) = match (channel, private) {
        (Channel::Twitter, false) => ("un tweet", "a tweet"),
        (Channel::Twitter, true) => ("un message privé Twitter", "a Twitter direct message"),
        (Channel::Facebook, false) => ("un commentaire Facebook", "a Facebook comment"),
        (Channel::Facebook, true) => ("un message Messenger", "a Messenger message"),
    };
    (
        format!(
            "{length} caractères : {place_fr} en permet {limit}. Raccourcissez ou scindez la réponse."
        ),
        format!("{length} characters: {place_en} allows {limit}. Shorten or split the reply."),
    )
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ActionError {}

impl From<DirectionError> for ActionError {
    fn from(error: DirectionError) -> ActionError {
        ActionError::Direction(error)
    }
}

impl From<TeamError> for ActionError {
    fn from(error: TeamError) -> ActionError {
        ActionError::Team(error)
    }
}
