//! Proactive and defensive speech: the brand's statements pinned for the whole community and
//! the updates they promise, escalations inside the company, and journalists' articles.
//!
//! A new customer about an incident under way reads the statement pinned on their channel:
//! a good one spares some "is it down?" questions and calms the others; a blaming or denying
//! one angers them. A promised update that does not come angers the open customers and the
//! statement stops reassuring. Every number is the scenario's (`model.statement`).

use super::scheduler::Pending;
use super::{MINUTE_MS, Simulation};
use crate::engine::action::ActionError;
use crate::engine::analysis::{NextUpdate, StatementFlags};
use crate::engine::ids::{CustomerId, SeatId};
use crate::engine::scenario::{Channel, Desk, minutes_to_ms};
use crate::engine::transcript::{Cause, Event, Source};
use std::sync::Arc;

/// A statement the brand published.
#[derive(Clone, Debug)]
pub struct Statement {
    pub t_ms: u64,
    pub channel: Channel,
    pub seat: Option<SeatId>,
    pub text: String,
    pub flags: StatementFlags,
    /// The incidents under way when it was published (indices in `scenario.incidents`).
    pub incidents: Vec<usize>,
    /// When its promised update is due.
    pub promised_ms: Option<u64>,
    /// Its promised update did not come.
    pub missed: bool,
}

/// What a new customer about an incident read before writing.
pub(super) struct Read {
    quality: f64,
    bad: bool,
    question: bool,
}

impl Simulation {
    /// The statements published so far, in order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The statement pinned on a channel: the latest published there.
    pub fn pinned(&self, channel: Channel) -> Option<&Statement> {
        self.statements.iter().rev().find(|s| s.channel == channel)
    }

    /// The incidents under way now (indices in `scenario.incidents`).
    pub fn incidents_now(&self) -> Vec<usize> {
        (0..self.scenario.incidents.len())
            .filter(|&i| self.under_way(i))
            .collect()
    }

    /// Whether an incident (index in `scenario.incidents`) is under way now.
    fn under_way(&self, incident: usize) -> bool {
        let (now, spec) = (self.now_ms, &self.scenario.incidents[incident]);
        minutes_to_ms(spec.start_min) <= now
            && spec.end_min.is_none_or(|end| now < minutes_to_ms(end))
    }

    /// Where inside the company a customer's post must be escalated, if anywhere: a
    /// journalist's to the press office, others as their request kind says (ground truth).
    pub fn escalation_desk(&self, c: &super::Customer) -> Option<Desk> {
        let kind = &self.scenario.kinds[c.kind];
        if kind.press {
            Some(Desk::PressOffice)
        } else {
            kind.escalate_to
        }
    }

    pub(super) fn publish(
        &mut self,
        seat: Option<SeatId>,
        channel: Channel,
        text: String,
    ) -> Result<(), ActionError> {
        if text.trim().is_empty() {
            return Err(ActionError::EmptyText);
        }
        let limit = self.scenario.channels.char_limit(channel, false);
        let length = text.chars().count();
        if length > limit as usize {
            return Err(ActionError::TooLong {
                channel,
                private: false,
                limit,
                length,
            });
        }
        let flags = self.analyser.read_statement(&text, self.config.lang);
        let incidents = self.incidents_now();
        let promised_ms = flags.next_update.map(|next| self.update_due_ms(next));
        let index = self.statements.len() as u32;
        self.record(Event::Statement {
            statement: index,
            channel,
            text: text.clone(),
            flags,
            incidents: incidents
                .iter()
                .map(|&i| self.scenario.incidents[i].id.clone())
                .collect(),
            seat,
        });
        if let Some(due) = promised_ms {
            let missed_at = due + minutes_to_ms(self.scenario.model.statement.update_grace_min);
            if missed_at < self.plan.duration_ms {
                self.scheduler
                    .at(missed_at, Pending::UpdateDue { statement: index });
            }
        }
        self.statements.push(Statement {
            t_ms: self.now_ms,
            channel,
            seat,
            text,
            flags,
            incidents,
            promised_ms,
            missed: false,
        });
        if flags.is_bad() {
            let model = &self.scenario.model.statement;
            let (anger, buzz) = (model.bad_statement_anger, model.bad_statement_buzz);
            self.anger_those_about(index as usize, anger, Cause::BadStatement);
            self.add_buzz_points(buzz);
        }
        Ok(())
    }

    /// When a promised update is due: in so many minutes, or at the next such time of day
    /// on the scenario's clock.
    fn update_due_ms(&self, next: NextUpdate) -> u64 {
        let now = self.now_ms;
        match next {
            NextUpdate::InMinutes(minutes) => now + u64::from(minutes) * MINUTE_MS,
            NextUpdate::At { hour, minute } => {
                let start = &self.scenario.start;
                let day_ms = 24 * 60 * MINUTE_MS;
                let start_of_day_ms =
                    (u64::from(start.hour) * 60 + u64::from(start.minute)) * MINUTE_MS;
                let clock_now = (start_of_day_ms + now) % day_ms;
                let wanted = (u64::from(hour) * 60 + u64::from(minute)) * MINUTE_MS;
                now + (wanted + day_ms - clock_now) % day_ms
            }
        }
    }

    /// A statement's promised update is due: kept if the brand published again on the
    /// channel since; missed otherwise.
    pub(super) fn on_update_due(&mut self, statement: u32) {
        let index = statement as usize;
        let Some(published) = self.statements.get(index) else {
            return;
        };
        let channel = published.channel;
        if self.statements[index + 1..]
            .iter()
            .any(|later| later.channel == channel)
        {
            return;
        }
        self.statements[index].missed = true;
        self.record(Event::UpdateMissed { statement });
        let anger = self.scenario.model.statement.missed_update_anger;
        self.anger_those_about(index, anger, Cause::UpdateMissed);
    }

    /// Every open customer about one of the statement's incidents, on its channel, gets
    /// angrier.
    fn anger_those_about(&mut self, statement: usize, delta: f64, cause: Cause) {
        let published = &self.statements[statement];
        let channel = published.channel;
        let kinds = self.kinds_about(&published.incidents.clone());
        let touched: Vec<CustomerId> = self
            .customers
            .iter()
            .filter(|c| c.channel == channel && !c.stage.is_closed() && kinds[c.kind])
            .map(|c| c.id)
            .collect();
        for id in touched {
            self.settle(id);
            self.add_anger(id, delta);
            let anger = self.anger_u8(id);
            self.record(Event::Reaction {
                customer: id,
                causes: vec![cause],
                anger,
            });
        }
    }

    /// Which request kinds (by index) the incidents are about.
    fn kinds_about(&self, incidents: &[usize]) -> Vec<bool> {
        let scenario = &self.scenario;
        scenario
            .kinds
            .iter()
            .map(|kind| {
                incidents
                    .iter()
                    .any(|&i| scenario.incidents[i].about.contains(&kind.id))
            })
            .collect()
    }

    /// What a new customer of this kind on this channel reads before writing: the pinned
    /// statement, if it speaks of an incident under way that the request is about and its
    /// promise still holds.
    pub(super) fn pinned_read(&self, kind: usize, channel: Channel) -> Option<Read> {
        if self.statements.is_empty() {
            return None;
        }
        let pinned = self.pinned(channel).filter(|s| !s.missed)?;
        let kind_id = &self.scenario.kinds[kind].id;
        let incident = pinned
            .incidents
            .iter()
            .filter(|&&i| self.under_way(i))
            .map(|&i| &self.scenario.incidents[i])
            .find(|i| i.about.contains(kind_id))?;
        Some(Read {
            quality: pinned.flags.quality(),
            bad: pinned.flags.is_bad(),
            question: incident.questions.contains(kind_id),
        })
    }

    /// How a pinned statement changes a new customer: None when they read it and need not
    /// write (a question it answered), else the anger they arrive with.
    pub(super) fn after_reading(&mut self, read: &Read, source: Source, anger: f64) -> Option<f64> {
        let model = &self.scenario.model.statement;
        if read.bad {
            return Some((anger + model.bad_statement_anger).min(100.0));
        }
        let spared = model.question_cut * read.quality;
        if read.question && matches!(source, Source::Arrival | Source::PileOn) && spared > 0.0 {
            let mut rng = self.streams.statement.stream(self.statement_reads);
            self.statement_reads += 1;
            if rng.chance(spared) {
                self.counters.questions_spared += 1;
                return None;
            }
        }
        Some((anger - model.arrival_relief * read.quality).max(0.0))
    }

    /// The share of pile-ons a post of this customer still draws: fewer when a good statement
    /// about their request stands pinned.
    pub(super) fn pile_on_factor(&self, id: CustomerId) -> f64 {
        let c = &self.customers[id.index()];
        match self.pinned_read(c.kind, c.channel) {
            Some(read) if !read.bad => {
                1.0 - self.scenario.model.statement.pile_on_cut * read.quality
            }
            _ => 1.0,
        }
    }

    pub(super) fn escalate(
        &mut self,
        seat: Option<SeatId>,
        customer: CustomerId,
        to: Desk,
    ) -> Result<(), ActionError> {
        let c = self
            .customers
            .get(customer.index())
            .ok_or(ActionError::UnknownConversation(customer))?;
        if let Some(to) = c.escalated_to {
            return Err(ActionError::AlreadyEscalated { customer, to });
        }
        if c.stage.is_closed() {
            return Err(ActionError::CaseClosed(customer));
        }
        let press = self.scenario.kinds[c.kind].press;
        self.customers[customer.index()].escalated_to = Some(to);
        self.record(Event::Escalated { customer, to, seat });
        if press && to == Desk::PressOffice && !self.customers[customer.index()].article {
            let at = self.now_ms + minutes_to_ms(self.scenario.model.statement.press_answer_min);
            self.scheduler.at(at, Pending::PressAnswer { customer });
        }
        Ok(())
    }

    /// The press office answers the journalist escalated to it: no article.
    pub(super) fn on_press_answer(&mut self, id: CustomerId) {
        let c = &self.customers[id.index()];
        if c.stage.is_closed() || c.article {
            return;
        }
        self.record(Event::PressAnswered { customer: id });
        self.resolve(id, None);
    }

    /// A journalist's first post: by `article_after_min`, neither escalated to the press
    /// office nor sent to it, they write their article.
    pub(super) fn schedule_article_check(&mut self, id: CustomerId) {
        let scenario = Arc::clone(&self.scenario);
        if !scenario.kinds[self.customers[id.index()].kind].press {
            return;
        }
        let at = self.now_ms + minutes_to_ms(scenario.model.statement.article_after_min);
        if at < self.plan.duration_ms {
            self.scheduler.at(at, Pending::ArticleDue { customer: id });
        }
    }

    pub(super) fn on_article_due(&mut self, id: CustomerId) {
        let c = &self.customers[id.index()];
        if c.escalated_to == Some(Desk::PressOffice) || c.press_contact_given {
            return;
        }
        self.article(id);
    }

    /// The journalist publishes: the buzz jumps by their audience.
    pub(super) fn article(&mut self, id: CustomerId) {
        let c = &mut self.customers[id.index()];
        if c.article {
            return;
        }
        c.article = true;
        let buzz = f64::from(c.followers) * self.scenario.model.statement.article_buzz_per_follower;
        self.add_buzz_points(buzz);
        self.record(Event::Article {
            customer: id,
            buzz: buzz.round() as u64,
        });
    }

    /// A reply to a journalist: one that gives the press office's contact sends them there;
    /// a copied one makes the article.
    pub(super) fn reply_to_press(&mut self, id: CustomerId, gives_contact: bool, copy: bool) {
        if !self.scenario.kinds[self.customers[id.index()].kind].press {
            return;
        }
        if copy {
            self.article(id);
        } else if gives_contact {
            self.customers[id.index()].press_contact_given = true;
        }
    }
}
