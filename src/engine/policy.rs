//! Scripted trainees that play the brand's side in headless runs: `ignore`, `naive`, `expert`
//! and `slow`. They work as a team of advisers who notice a customer's post after a reaction
//! delay and spend a handling time on each action.

use super::action::Action;
use super::scenario::{Account, Lang, Text, minutes_to_ms, seconds_to_ms};
use super::sim::{Simulation, Stage};
use super::transcript::PostAct;
use crate::engine::ids::CustomerId;
use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    Ignore,
    Naive,
    Expert,
    Slow,
    /// The expert's replies at a person's pace: reading, typing, clicking (`HumanPace`).
    Human,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 5] = [
        PolicyKind::Ignore,
        PolicyKind::Naive,
        PolicyKind::Expert,
        PolicyKind::Slow,
        PolicyKind::Human,
    ];

    pub fn parse(name: &str) -> Option<PolicyKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Ignore => "ignore",
            PolicyKind::Naive => "naive",
            PolicyKind::Expert => "expert",
            PolicyKind::Slow => "slow",
            PolicyKind::Human => "human",
        }
    }
}

/// How a scripted team works.
#[derive(Clone, Debug)]
pub struct PolicyConfig {
    pub kind: PolicyKind,
    /// From a customer's post to the moment an adviser picks it up.
    pub reaction_ms: u64,
    /// Time an adviser spends on each action (the human-pace team works it out instead).
    pub handling_ms: u64,
    pub advisers: u32,
    /// How long a person reads, types and clicks: the human-pace team only.
    pub pace: Option<HumanPace>,
    /// Whether the team speaks to the whole community in an incident (`engine::speech`):
    /// the expert does, unless told not to (to measure what statements change).
    pub statements: bool,
}

impl PolicyConfig {
    pub fn new(kind: PolicyKind, advisers: u32) -> PolicyConfig {
        let pace = (kind == PolicyKind::Human).then(HumanPace::bundled);
        let (reaction_ms, handling_ms) = match kind {
            PolicyKind::Ignore => (0, 0),
            PolicyKind::Naive => (60_000, 15_000),
            PolicyKind::Expert => (120_000, 45_000),
            PolicyKind::Slow => (90 * 60_000, 45_000),
            PolicyKind::Human => (pace.map_or(0, |p| seconds_to_ms(p.notice_s)), 0),
        };
        PolicyConfig {
            kind,
            reaction_ms,
            handling_ms,
            advisers: advisers.max(1),
            pace,
            statements: kind == PolicyKind::Expert,
        }
    }
}

/// A person's pace at the desk (assets/policies/human_pace.ron, where the figures are sourced).
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HumanPace {
    /// Words read a minute: the customer's new messages, before acting.
    pub reading_wpm: f64,
    /// Words typed a minute: each reply.
    pub typing_wpm: f64,
    /// Clicks and checks for each action (choose the conversation, the service, the details).
    pub per_action_s: f64,
    /// From a post appearing to a free adviser turning to it.
    pub notice_s: f64,
}

const HUMAN_PACE: &str = include_str!("../../assets/policies/human_pace.ron");

impl HumanPace {
    pub fn bundled() -> HumanPace {
        // The file is part of the binary and checked by a test: failing here is a build defect.
        ron::from_str(HUMAN_PACE).expect("assets/policies/human_pace.ron is valid")
    }

    /// How long a person is busy with one case: reading what the customer wrote since the
    /// brand last answered, then each action with its typing.
    pub fn busy_ms(&self, sim: &Simulation, id: CustomerId, actions: &[Action]) -> u64 {
        let to_read: usize = sim
            .customer(id)
            .map(|c| {
                c.messages
                    .iter()
                    .rev()
                    .filter_map(|m| sim.message(*m))
                    .take_while(|m| m.customer.is_some())
                    .map(|m| words(&m.text))
                    .sum()
            })
            .unwrap_or(0);
        let typed: usize = actions
            .iter()
            .map(|a| match a {
                Action::Reply { text, .. } => words(text),
                _ => 0,
            })
            .sum();
        let minutes = to_read as f64 / self.reading_wpm + typed as f64 / self.typing_wpm;
        seconds_to_ms(minutes * 60.0 + self.per_action_s * actions.len() as f64)
    }
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The phrases the scripted trainees use (assets/policies/replies.ron).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phrases {
    signatures: Vec<String>,
    greeting: Vec<Text>,
    thanks: Vec<Text>,
    sorry_wait: Vec<Text>,
    dm_invitation: Vec<Text>,
    explain_private: Vec<Text>,
    ask_details: Vec<Text>,
    transfer_done: Vec<Text>,
    redirect: Vec<Text>,
    answer: Vec<Text>,
    humour: Vec<Text>,
    reassure: Vec<Text>,
    hid_data: Vec<Text>,
    press: Vec<Text>,
    naive_public: Text,
    naive_ask: Text,
    naive_done: Text,
}

const PHRASES: &str = include_str!("../../assets/policies/replies.ron");

impl Phrases {
    pub fn bundled() -> Phrases {
        // The file is part of the binary and checked by a test: failing here is a build defect.
        ron::from_str(PHRASES).expect("assets/policies/replies.ron is valid")
    }
}

/// A blind choice's weight for one case and one service (FNV-1a over the session's seed, the
/// case and the service's id): the lightest service is picked, whatever the list's order.
fn blind_pick(seed: u64, case: CustomerId, service: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = seed
        .to_le_bytes()
        .into_iter()
        .chain(case.0.to_le_bytes())
        .chain(service.bytes());
    for byte in bytes {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Decides what a scripted trainee does for one customer.
pub struct ScriptedTrainee {
    config: PolicyConfig,
    phrases: Phrases,
    /// Per request kind, how many replies were composed: decoded in mixed radix over the
    /// phrase lists, so that no combination repeats before all have been used.
    turns: Vec<u64>,
    /// The combination of the reply being composed.
    combo: u64,
}

impl ScriptedTrainee {
    pub fn new(config: PolicyConfig) -> ScriptedTrainee {
        ScriptedTrainee {
            config,
            phrases: Phrases::bundled(),
            turns: Vec::new(),
            combo: 0,
        }
    }

    pub fn config(&self) -> &PolicyConfig {
        &self.config
    }

    pub fn decide(&mut self, sim: &Simulation, id: CustomerId) -> Vec<Action> {
        match self.config.kind {
            PolicyKind::Ignore => Vec::new(),
            PolicyKind::Naive => self.naive(sim, id),
            PolicyKind::Expert | PolicyKind::Slow | PolicyKind::Human => self.expert(sim, id),
        }
    }

    fn naive(&mut self, sim: &Simulation, id: CustomerId) -> Vec<Action> {
        let Some(c) = sim.customer(id) else {
            return Vec::new();
        };
        if c.stage.is_closed() || !awaits_brand(sim, id) {
            return Vec::new();
        }
        let lang = c.lang;
        let p = &self.phrases;
        if !c.dm_open {
            return vec![Action::Reply {
                customer: id,
                private: false,
                text: p.naive_public.get(lang).into(),
            }];
        }
        if matches!(c.stage, Stage::Transferred { .. }) {
            return vec![Action::Reply {
                customer: id,
                private: true,
                text: p.naive_done.get(lang).into(),
            }];
        }
        // The naive team does not read the request: each case goes to a service it picks
        // without looking, with whatever the customer gave. The pick depends on the case and
        // the service's id, not on the order services are listed in, so the naive baseline is
        // the same however a scenario lists them. Without services there is nothing to
        // transfer to.
        let scenario = sim.scenario();
        let Some((index, service)) = scenario
            .services
            .iter()
            .enumerate()
            .min_by_key(|(_, s)| blind_pick(sim.config().seed, id, &s.id))
        else {
            return vec![Action::Reply {
                customer: id,
                private: true,
                text: p.naive_ask.get(lang).into(),
            }];
        };
        let given = sim.detail_ids(c.provided);
        let required = sim.service_required(index);
        if c.provided & required == required && c.provided != 0 {
            return vec![
                Action::Transfer {
                    customer: id,
                    service: service.id.clone(),
                    details: given,
                },
                Action::Reply {
                    customer: id,
                    private: true,
                    text: p.naive_done.get(lang).into(),
                },
            ];
        }
        vec![Action::Reply {
            customer: id,
            private: true,
            text: p.naive_ask.get(lang).into(),
        }]
    }

    fn expert(&mut self, sim: &Simulation, id: CustomerId) -> Vec<Action> {
        let Some(c) = sim.customer(id) else {
            return Vec::new();
        };
        let scenario = sim.scenario();
        let lang = c.lang;
        let last = sim.latest_customer_message(id);
        let mut actions = Vec::new();
        if let Some(m) = last
            && m.act == Some(PostAct::ThanksPublic)
            && !m.liked
        {
            actions.push(Action::Like { message: m.id });
        }
        if c.stage.is_closed() || !awaits_brand(sim, id) {
            return actions;
        }
        if self.turns.len() <= c.kind {
            self.turns.resize(c.kind + 1, 0);
        }
        self.combo = self.turns[c.kind];
        self.turns[c.kind] += 1;
        let kind = &scenario.kinds[c.kind];
        let topic = match &kind.topic {
            Some(topic) => topic.get(lang).to_string(),
            None => kind.label.get(lang).to_lowercase(),
        };
        let handle = c.handle.clone();
        let care = scenario.brand.care.on(c.channel).to_string();
        // The channel's norm, not the customer's own expectation, which an adviser cannot see.
        let norm_ms = minutes_to_ms(scenario.channels.get(c.channel).response_norm_min);
        // Past the norm, or the customer had to chase: both call for an apology.
        let waited_long = c
            .waiting_since
            .is_some_and(|since| sim.now_ms() > since + norm_ms)
            || last.is_some_and(|m| m.act == Some(PostAct::Followup));
        let needed = sim.needed_details(c);
        let service = sim.correct_service(c);
        let required = service.map_or(0, |s| sim.service_required(s)) | needed;
        let furious = sim.anger(id).unwrap_or(0.0) >= scenario.model.furious_from;
        let case = Case {
            topic,
            handle,
            care,
            waited_long,
            service,
            required,
            furious,
        };
        if c.escalated_to.is_none()
            && let Some(to) = sim.escalation_desk(c)
        {
            actions.push(Action::Escalate { customer: id, to });
        }
        self.expert_answer(sim, id, &case, actions)
    }

    /// The expert's answer to a conversation that awaits the brand, by the case's stage.
    fn expert_answer(
        &mut self,
        sim: &Simulation,
        id: CustomerId,
        case: &Case,
        mut actions: Vec<Action>,
    ) -> Vec<Action> {
        let Some(c) = sim.customer(id) else {
            return actions;
        };
        let scenario = sim.scenario();
        let lang = c.lang;
        let kind = &scenario.kinds[c.kind];
        let (handle, care, waited_long) = (&case.handle, &case.care, case.waited_long);
        let (service, required) = (case.service, case.required);
        // Details in public, asked for or not, are hidden before anything else is said.
        if let Some(m) = c
            .messages
            .iter()
            .filter_map(|m| sim.message(*m))
            .find(|m| m.personal_data && !m.hidden)
        {
            actions.push(Action::Hide { message: m.id });
            let body = self.pick(&self.phrases.hid_data, 0, lang);
            actions.push(self.public_reply(sim, id, handle, care, waited_long, &[body]));
            return actions;
        }
        if matches!(c.stage, Stage::Transferred { .. }) {
            let body = self.pick(&self.phrases.reassure, 0, lang);
            actions.push(self.reply_where_talk_is(sim, id, handle, care, false, &body));
            return actions;
        }
        if c.account == Account::Corporate && (service.is_some() || kind.personal_data) {
            let body = self
                .pick(&self.phrases.redirect, 0, lang)
                .replace("{care}", care);
            actions.push(self.public_reply(sim, id, handle, care, waited_long, &[body]));
            return actions;
        }
        if let (true, Some(contact)) = (kind.press, &scenario.brand.press_contact) {
            let body = self
                .pick(&self.phrases.press, 0, lang)
                .replace("{press}", contact);
            actions.push(self.public_reply(sim, id, handle, care, waited_long, &[body]));
            return actions;
        }
        if service.is_none() {
            let list = if kind.teasing && !case.furious {
                &self.phrases.humour
            } else {
                &self.phrases.answer
            };
            let body = self.pick(list, 0, lang);
            actions.push(self.public_reply(sim, id, handle, care, waited_long, &[body]));
            return actions;
        }
        if !c.dm_open {
            let refused = c.preempted
                || c.messages
                    .iter()
                    .filter_map(|m| sim.message(*m))
                    .any(|m| m.act == Some(PostAct::DmRefuse));
            let list = if refused {
                &self.phrases.explain_private
            } else {
                &self.phrases.dm_invitation
            };
            let body = self.pick(list, 0, lang).replace("{topic}", &case.topic);
            actions.push(self.public_reply(sim, id, handle, care, waited_long, &[body]));
            return actions;
        }
        let service = service.unwrap_or(0);
        if c.provided & required != required {
            let labels: Vec<&str> = scenario
                .details
                .iter()
                .enumerate()
                .filter(|(i, _)| required & (1 << i) != 0 && c.provided & (1 << i) == 0)
                .map(|(_, d)| d.label.get(lang))
                .collect();
            let body = self
                .pick(&self.phrases.ask_details, 0, lang)
                .replace("{details}", &join_labels(&labels, lang));
            actions.push(self.private_reply(&body));
            return self.finish_private(actions, id);
        }
        let details = sim.detail_ids(required);
        let service_spec = &scenario.services[service];
        actions.push(Action::Transfer {
            customer: id,
            service: service_spec.id.clone(),
            details,
        });
        let body = self
            .pick(&self.phrases.transfer_done, 0, lang)
            .replace("{service}", service_spec.name.get(lang));
        actions.push(self.private_reply(&body));
        self.finish_private(actions, id)
    }

    fn finish_private(&self, mut actions: Vec<Action>, id: CustomerId) -> Vec<Action> {
        for action in &mut actions {
            if let Action::Reply { customer, .. } = action {
                *customer = id;
            }
        }
        actions
    }

    /// One phrase of a list: the list's digit of the combination number. `place` is the
    /// product of the lengths of the lists picked before it in the same reply.
    fn pick(&self, list: &[Text], place: u64, lang: Lang) -> String {
        if list.is_empty() {
            return String::new();
        }
        let index = ((self.combo / place.max(1)) % list.len() as u64) as usize;
        list[index].get(lang).to_string()
    }

    fn signature(&self) -> &str {
        let list = &self.phrases.signatures;
        &list[(self.combo as usize / 7) % list.len()]
    }

    fn private_reply(&self, body: &str) -> Action {
        Action::Reply {
            // The addressee is set by `finish_private` or `reply_where_talk_is`.
            customer: CustomerId::default(),
            private: true,
            text: format!("{body} {}", self.signature()),
        }
    }

    fn reply_where_talk_is(
        &self,
        sim: &Simulation,
        id: CustomerId,
        handle: &str,
        care: &str,
        waited_long: bool,
        body: &str,
    ) -> Action {
        let dm = sim.customer(id).is_some_and(|c| c.dm_open);
        if dm {
            let mut action = self.private_reply(body);
            if let Action::Reply { customer, .. } = &mut action {
                *customer = id;
            }
            action
        } else {
            self.public_reply(sim, id, handle, care, waited_long, &[body.to_string()])
        }
    }

    /// Greeting, thanks, apology if late, the body, the signature; optional parts are dropped
    /// until the reply fits the channel's public limit.
    fn public_reply(
        &self,
        sim: &Simulation,
        id: CustomerId,
        handle: &str,
        care: &str,
        waited_long: bool,
        body: &[String],
    ) -> Action {
        let c = sim
            .customer(id)
            .expect("the caller checked the customer exists");
        let lang = c.lang;
        let limit = sim.scenario().channels.char_limit(c.channel, false) as usize;
        let greeting = self
            .pick(&self.phrases.greeting, 3, lang)
            .replace("{handle}", handle)
            .replace("{care}", care);
        let thanks = self.pick(
            &self.phrases.thanks,
            3 * self.phrases.greeting.len() as u64,
            lang,
        );
        let place = 3 * (self.phrases.greeting.len() * self.phrases.thanks.len()) as u64;
        let sorry = if waited_long {
            self.pick(&self.phrases.sorry_wait, place, lang)
        } else {
            String::new()
        };
        let body = body.join(" ");
        let signature = self.signature();
        let candidates = [
            vec![
                greeting.as_str(),
                thanks.as_str(),
                sorry.as_str(),
                body.as_str(),
                signature,
            ],
            vec![greeting.as_str(), sorry.as_str(), body.as_str(), signature],
            vec![handle, sorry.as_str(), body.as_str(), signature],
            vec![handle, body.as_str(), signature],
        ];
        let text = candidates
            .iter()
            .map(|parts| join_after_greeting(parts))
            .find(|t| t.chars().count() <= limit)
            .unwrap_or_else(|| {
                let full = format!("{handle} {body}");
                let keep = limit.saturating_sub(signature.chars().count() + 2);
                let cut: String = full.chars().take(keep).collect();
                format!("{cut}… {signature}")
            });
        Action::Reply {
            customer: id,
            private: false,
            text,
        }
    }
}

/// The parts of a reply in one line: a part that follows a comma ("Bonjour @lea,") goes on
/// the sentence in lower case ("Bonjour @lea, merci de votre question"), one that follows the
/// end of a sentence ("@lea bonjour !") starts a new one ("… ! Merci pour votre message.").
fn join_after_greeting(parts: &[&str]) -> String {
    let mut text = String::new();
    for part in parts.iter().filter(|p| !p.is_empty()) {
        let after_comma = text.ends_with(',');
        let after_sentence = text.ends_with(['.', '!', '?']);
        if !text.is_empty() {
            text.push(' ');
        }
        let mut chars = part.chars();
        match chars.next() {
            Some(first) if after_comma && first.is_uppercase() => {
                text.extend(first.to_lowercase());
                text.push_str(chars.as_str());
            }
            Some(first) if after_sentence && first.is_lowercase() => {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
            _ => text.push_str(part),
        }
    }
    text
}

fn join_labels(labels: &[&str], lang: Lang) -> String {
    let (and, prefix) = if lang == Lang::Fr {
        (" et ", "votre ")
    } else {
        (" and ", "")
    };
    match labels {
        [] => String::new(),
        [one] => format!("{prefix}{one}"),
        [init @ .., last] => {
            let head: Vec<String> = init.iter().map(|l| format!("{prefix}{l}")).collect();
            format!("{}{and}{prefix}{last}", head.join(", "))
        }
    }
}

/// Whether the customer's latest message came after the brand's latest reply.
fn awaits_brand(sim: &Simulation, id: CustomerId) -> bool {
    let Some(c) = sim.customer(id) else {
        return false;
    };
    match c
        .messages
        .iter()
        .rev()
        .filter_map(|m| sim.message(*m))
        .next()
    {
        Some(m) => m.customer.is_some() && m.act.is_some_and(|a| a.needs_answer()),
        None => false,
    }
}

/// What the expert reads of a case before answering.
struct Case {
    /// The request as named after "your": its `topic`, else its label in lower case.
    topic: String,
    handle: String,
    /// The care account on the customer's channel.
    care: String,
    /// Past the channel's norm, or the customer had to chase.
    waited_long: bool,
    service: Option<usize>,
    /// The details the service and the request need, as a bit set.
    required: u64,
    furious: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_phrases_parse_and_policies_have_names() {
        let phrases = Phrases::bundled();
        assert!(!phrases.signatures.is_empty() && !phrases.dm_invitation.is_empty());
        for kind in PolicyKind::ALL {
            assert_eq!(PolicyKind::parse(kind.name()), Some(kind));
        }
        assert_eq!(
            join_labels(&["numéro de contrat", "numéro de ligne"], Lang::Fr),
            "votre numéro de contrat et votre numéro de ligne"
        );
        assert_eq!(
            join_labels(&["contract number"], Lang::En),
            "contract number"
        );
    }

    #[test]
    fn a_reply_goes_on_in_the_case_the_greeting_leaves_it_in() {
        assert_eq!(
            join_after_greeting(&["Bonjour @lea,", "", "Merci de votre question.", "^Julie"]),
            "Bonjour @lea, merci de votre question. ^Julie"
        );
        assert_eq!(
            join_after_greeting(&[
                "Bonjour @lea,",
                "merci.",
                "Pour votre forfait, écrivez-nous."
            ]),
            "Bonjour @lea, merci. Pour votre forfait, écrivez-nous."
        );
        // After a greeting that ends its sentence, the reply starts a new one.
        assert_eq!(
            join_after_greeting(&["@lea bonjour !", "merci pour votre message.", "^Julie"]),
            "@lea bonjour ! Merci pour votre message. ^Julie"
        );
    }
}
