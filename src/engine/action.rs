//! The trainee's actions and the typed errors of impossible ones.

use super::scenario::{Channel, Lang};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Answer a customer's conversation, in public or in private messages.
    Reply {
        customer: u32,
        private: bool,
        text: String,
    },
    /// Hand the case to a back-office service with the details collected.
    Transfer {
        customer: u32,
        service: String,
        details: Vec<String>,
    },
    /// Moderation: hide a customer's post.
    Hide {
        message: u32,
    },
    Like {
        message: u32,
    },
}

/// Why an action was refused. The state is left exactly as it was.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionError {
    SessionOver,
    UnknownConversation(u32),
    EmptyText,
    TooLong {
        channel: Channel,
        private: bool,
        limit: u32,
        length: usize,
    },
    NoPrivateConversation(u32),
    UnknownService(String),
    UnknownDetail(String),
    DetailNotCollected {
        detail: String,
    },
    MissingDetails {
        service: String,
        missing: Vec<String>,
    },
    AlreadyTransferred(u32),
    CaseClosed(u32),
    UnknownMessage(u32),
    NotACustomerMessage(u32),
    AlreadyHidden(u32),
    AlreadyLiked(u32),
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
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        match self {
            ActionError::SessionOver => {
                if fr {
                    "La session est terminée.".into()
                } else {
                    "The session is over.".into()
                }
            }
            ActionError::UnknownConversation(id) => {
                if fr {
                    format!("Aucune conversation n° {id}.")
                } else {
                    format!("No conversation #{id}.")
                }
            }
            ActionError::EmptyText => {
                if fr {
                    "La réponse est vide.".into()
                } else {
                    "The reply is empty.".into()
                }
            }
            ActionError::TooLong {
                channel,
                private,
                limit,
                length,
            } => {
                let place = match (channel, private, fr) {
                    (Channel::Twitter, false, true) => "un tweet",
                    (Channel::Twitter, true, true) => "un message privé Twitter",
                    (Channel::Facebook, false, true) => "un commentaire Facebook",
                    (Channel::Facebook, true, true) => "un message Messenger",
                    (Channel::Twitter, false, false) => "a tweet",
                    (Channel::Twitter, true, false) => "a Twitter direct message",
                    (Channel::Facebook, false, false) => "a Facebook comment",
                    (Channel::Facebook, true, false) => "a Messenger message",
                };
                if fr {
                    format!(
                        "{length} caractères : {place} en permet {limit}. Raccourcissez ou scindez la réponse."
                    )
                } else {
                    format!(
                        "{length} characters: {place} allows {limit}. Shorten or split the reply."
                    )
                }
            }
            ActionError::NoPrivateConversation(id) => {
                if fr {
                    format!(
                        "Le client n° {id} ne vous a pas encore écrit en privé : invitez-le d'abord à passer en message privé."
                    )
                } else {
                    format!(
                        "Customer #{id} has not written to you privately yet: invite them to private messages first."
                    )
                }
            }
            ActionError::UnknownService(service) => {
                if fr {
                    format!("Aucun service « {service} ».")
                } else {
                    format!("No service \"{service}\".")
                }
            }
            ActionError::UnknownDetail(detail) => {
                if fr {
                    format!("Aucune information « {detail} » dans ce scénario.")
                } else {
                    format!("No detail \"{detail}\" in this scenario.")
                }
            }
            ActionError::DetailNotCollected { detail } => {
                if fr {
                    format!(
                        "Le client ne vous a pas donné « {detail} » : demandez-le en message privé."
                    )
                } else {
                    format!(
                        "The customer has not given you \"{detail}\": ask for it in private messages."
                    )
                }
            }
            ActionError::MissingDetails { service, missing } => {
                if fr {
                    format!(
                        "Le service « {service} » a besoin de : {}. Recueillez-les avant de transférer.",
                        missing.join(", ")
                    )
                } else {
                    format!(
                        "Service \"{service}\" needs: {}. Collect them before transferring.",
                        missing.join(", ")
                    )
                }
            }
            ActionError::AlreadyTransferred(id) => {
                if fr {
                    format!("Le dossier du client n° {id} est déjà chez un service.")
                } else {
                    format!("Customer #{id}'s case is already with a service.")
                }
            }
            ActionError::CaseClosed(id) => {
                if fr {
                    format!("Le dossier du client n° {id} est clos.")
                } else {
                    format!("Customer #{id}'s case is closed.")
                }
            }
            ActionError::UnknownMessage(id) => {
                if fr {
                    format!("Aucun message n° {id}.")
                } else {
                    format!("No message #{id}.")
                }
            }
            ActionError::NotACustomerMessage(id) => {
                if fr {
                    format!("Le message n° {id} est celui de la marque.")
                } else {
                    format!("Message #{id} is the brand's own.")
                }
            }
            ActionError::AlreadyHidden(id) => {
                if fr {
                    format!("Le message n° {id} est déjà masqué.")
                } else {
                    format!("Message #{id} is already hidden.")
                }
            }
            ActionError::AlreadyLiked(id) => {
                if fr {
                    format!("Le message n° {id} est déjà aimé.")
                } else {
                    format!("Message #{id} is already liked.")
                }
            }
        }
    }
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ActionError {}
