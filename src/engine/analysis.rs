//! How the engine reads the trainee's replies: a trait, and a plain first analyser.
//!
//! The engine only needs a few facts about a reply to make customers react (was it an
//! acknowledgement, an apology, a DM invitation...). Issue 3 replaces [`BasicAnalyser`]
//! with a thorough one behind the same trait.

use super::scenario::Lang;
use serde::{Deserialize, Serialize};

pub struct ReplyContext<'a> {
    pub text: &'a str,
    pub lang: Lang,
    pub public: bool,
    /// The customer's latest message, if any.
    pub customer_message: Option<&'a str>,
    /// The brand's customer-care handles, to spot a redirection from the corporate account.
    pub care_handles: &'a [&'a str],
}

/// What the engine needs to know about one reply. Serialised into the transcript.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyFlags {
    pub greeting: bool,
    pub thanks: bool,
    pub apology: bool,
    /// Shows someone is on it: "je m'en occupe", "je transmets", "un conseiller revient vers vous".
    pub next_step: bool,
    pub dm_invitation: bool,
    /// Says why the conversation must go private (personal data, security).
    pub explains_private: bool,
    pub asks_personal_data: bool,
    pub tutoiement: bool,
    pub vouvoiement: bool,
    pub signed: bool,
    pub humour: bool,
    pub blame: bool,
    pub mentions_care: bool,
}

impl ReplyFlags {
    /// Anything that shows the customer they are taken in charge.
    pub fn acknowledges(&self) -> bool {
        self.thanks || self.apology || self.next_step || self.dm_invitation
    }
}

pub trait ReplyAnalyser: Send + Sync {
    fn analyse(&self, context: &ReplyContext) -> ReplyFlags;

    /// A hash of the reply with names, handles and numbers masked: two replies with the same
    /// fingerprint are copies of one template.
    fn fingerprint(&self, text: &str) -> u64 {
        template_fingerprint(text)
    }
}

/// Keyword rules in French and English. Enough for the engine; not a scorer.
#[derive(Default)]
pub struct BasicAnalyser;

const GREETINGS: &[&str] = &[
    "bonjour",
    "bonsoir",
    "salut",
    "hello",
    "good morning",
    "good evening",
    "hi ",
];
const THANKS: &[&str] = &["merci", "thank"];
const APOLOGIES: &[&str] = &[
    "désolé", "desole", "excus", "pardon", "navré", "navre", "sorry", "apolog", "regrett",
];
const NEXT_STEPS: &[&str] = &[
    "je m'en occupe",
    "je m’en occupe",
    "on s'en occupe",
    "nous nous en occupons",
    "je regarde",
    "je vérifie",
    "je transmets",
    "nous transmettons",
    "je transfère",
    "un conseiller",
    "pris en charge",
    "prenons en charge",
    "je prends en charge",
    "revient vers vous",
    "reviendra vers vous",
    "reviens vers vous",
    "recontacter",
    "on it",
    "looking into",
    "look into",
    "i'll check",
    "we'll check",
    "pass this on",
    "passing this",
    "forward",
    "an adviser",
    "an advisor",
    "get back to you",
    "will contact you",
    "taking care",
];
const DM_INVITATIONS: &[&str] = &[
    "message privé",
    "messages privés",
    "en privé",
    "en mp",
    "par mp",
    "un mp",
    "messenger",
    "message direct",
    "en dm",
    "par dm",
    "un dm",
    "private message",
    "direct message",
    "via dm",
    "in dm",
    "a dm",
    "inbox",
    "boîte de réception",
];
const PRIVATE_REASONS: &[&str] = &[
    "confidenti",
    "données personnelles",
    "donnees personnelles",
    "vos données",
    "sécurité",
    "securite",
    "protéger",
    "personal data",
    "personal details",
    "privacy",
    "securely",
    "your security",
    "protect",
];
const PERSONAL_DATA: &[&str] = &[
    "numéro de contrat",
    "numero de contrat",
    "numéro client",
    "n° client",
    "numéro de client",
    "référence client",
    "numéro de ligne",
    "numéro de téléphone",
    "numéro de dossier",
    "numéro de commande",
    "numéro de carte",
    "iban",
    " rib",
    "date de naissance",
    "adresse",
    "mot de passe",
    "coordonnées",
    "identifiant",
    "contract number",
    "customer number",
    "account number",
    "phone number",
    "order number",
    "card number",
    "date of birth",
    "password",
    "address",
    "booking reference",
    "your details",
];
const REQUEST_MARKERS: &[&str] = &[
    "?",
    "pourriez",
    "pouvez",
    "merci de",
    "indiquer",
    "communiquer",
    "envoyer",
    "transmettre",
    "préciser",
    "donner",
    "could you",
    "can you",
    "please",
    "send",
    "share",
    "provide",
];
const HUMOUR: &[&str] = &[
    ";)", ";-)", "😉", "😄", "😂", "😜", "😁", "haha", "hihi", "lol", ":p", ":-p",
];
const BLAME: &[&str] = &[
    "calmez-vous",
    "calmez vous",
    "comme déjà indiqué",
    "comme deja indique",
    "vous auriez dû",
    "vous auriez du",
    "c'est de votre faute",
    "calm down",
    "as already stated",
    "you should have",
    "your fault",
];

impl ReplyAnalyser for BasicAnalyser {
    fn analyse(&self, context: &ReplyContext) -> ReplyFlags {
        let lower = context.text.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        let words: Vec<&str> = lower
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .collect();
        let has_word = |list: &[&str]| {
            words.iter().any(|w| {
                list.contains(w) || list.iter().any(|l| l.ends_with('\'') && w.starts_with(l))
            })
        };
        ReplyFlags {
            greeting: has(GREETINGS) || lower.starts_with("hi"),
            thanks: has(THANKS),
            apology: has(APOLOGIES),
            next_step: has(NEXT_STEPS),
            dm_invitation: has(DM_INVITATIONS) || has_word(&["mp", "dm", "pm"]),
            explains_private: has(PRIVATE_REASONS),
            asks_personal_data: has(PERSONAL_DATA) && has(REQUEST_MARKERS),
            tutoiement: has_word(&["tu", "toi", "ton", "ta", "tes", "te", "t'"]),
            vouvoiement: has_word(&["vous", "votre", "vos"]),
            signed: is_signed(context.text),
            humour: has(HUMOUR),
            blame: has(BLAME),
            mentions_care: context
                .care_handles
                .iter()
                .any(|handle| !handle.is_empty() && lower.contains(&handle.to_lowercase())),
        }
    }
}

/// A first name or initials at the end: "^Julie", "- JM", "/Tanguy".
fn is_signed(text: &str) -> bool {
    let trimmed = text.trim_end();
    let tail: String = {
        let chars: Vec<char> = trimmed.chars().collect();
        chars[chars.len().saturating_sub(24)..].iter().collect()
    };
    for marker in ['^', '/', '-', '–'] {
        if let Some(position) = tail.rfind(marker) {
            let name = tail[position + marker.len_utf8()..].trim();
            let first = name.chars().next();
            if !name.is_empty()
                && name.chars().count() <= 16
                && first.is_some_and(|c| c.is_uppercase())
                && name
                    .chars()
                    .all(|c| c.is_alphabetic() || c == ' ' || c == '.')
            {
                return true;
            }
        }
    }
    false
}

/// FNV-1a over the reply lowercased, with handles, numbers and the signature masked.
pub fn template_fingerprint(text: &str) -> u64 {
    let mut body = text.trim_end();
    if let Some(position) = body.rfind(['^', '/'])
        && body.len() - position <= 24
    {
        body = &body[..position];
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |byte: u8| {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    };
    let mut in_handle = false;
    let mut last_space = true;
    for c in body.chars() {
        if in_handle {
            if c.is_alphanumeric() || c == '_' {
                continue;
            }
            in_handle = false;
        }
        let masked = if c == '@' {
            in_handle = true;
            '@'
        } else if c.is_ascii_digit() {
            '0'
        } else if c.is_whitespace() {
            ' '
        } else {
            c
        };
        if masked == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        for lower in masked.to_lowercase() {
            let mut buffer = [0u8; 4];
            for byte in lower.encode_utf8(&mut buffer).bytes() {
                feed(byte);
            }
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(text: &str) -> ReplyFlags {
        BasicAnalyser.analyse(&ReplyContext {
            text,
            lang: Lang::Fr,
            public: true,
            customer_message: None,
            care_handles: &["@Telvia_Client"],
        })
    }

    #[test]
    fn spots_the_three_step_moves() {
        let reply = flags(
            "Bonjour @kevin, merci pour votre message et désolé pour l'attente. Pour protéger vos \
             données personnelles, pouvez-vous nous écrire en message privé ? ^Julie",
        );
        assert!(reply.greeting && reply.thanks && reply.apology && reply.dm_invitation);
        assert!(reply.explains_private && reply.vouvoiement && reply.signed);
        assert!(!reply.tutoiement && !reply.asks_personal_data && !reply.blame);
        let private =
            flags("Pourriez-vous m'indiquer votre numéro de contrat ? Je transmets ensuite. - JM");
        assert!(private.asks_personal_data && private.next_step && private.signed);
        let familiar = flags("salut ! t'inquiète, envoie-moi un mp ;)");
        assert!(
            familiar.tutoiement && familiar.dm_invitation && familiar.humour && !familiar.signed
        );
        assert!(flags("Calmez-vous monsieur.").blame);
        assert!(flags("Écrivez à @telvia_client, ils s'en occupent").mentions_care);
        assert!(flags("Hi, sorry for the wait, please send us a DM. ^Sam").dm_invitation);
    }

    #[test]
    fn fingerprint_masks_names_handles_numbers_and_signature() {
        let a = template_fingerprint(
            "Bonjour @kevin93, merci de nous écrire en MP. Dossier 1234 ^Julie",
        );
        let b = template_fingerprint(
            "Bonjour  @Marie_L, merci de nous écrire en MP. Dossier 9876 ^Tom",
        );
        let c = template_fingerprint(
            "Bonjour @kevin93, merci de nous écrire en privé. Dossier 1234 ^Julie",
        );
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
