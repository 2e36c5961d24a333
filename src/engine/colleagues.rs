//! The scripted team: advisers who notice a customer's post after a reaction delay, take the
//! oldest ready case when free, act, and are busy for the handling time. Solo, they are
//! anonymous advisers; in a team session, they are the seats no person takes (scripted
//! colleagues), sharing the queue with the people: they leave alone what a person holds,
//! keep what they hold, and hand a conversation to a seat whose role allows the next move.

use super::action::Action;
use super::ids::{CustomerId, SeatId};
use super::policy::{PolicyKind, ScriptedTrainee};
use super::seats::Move;
use super::sim::Simulation;
use super::speech::CrisisSpeech;
use super::transcript::{Event, PostAct, Record};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A scripted team working through a session, step by step. Headless runs drive it to the
/// end; the desk's autoplay and its scripted colleagues drive it along the wall clock.
pub struct ScriptedTeam {
    trainee: ScriptedTrainee,
    /// One per adviser: the seat it plays (none in a solo session) and when it is next free.
    advisers: Vec<Adviser>,
    tasks: BinaryHeap<Reverse<(u64, CustomerId)>>,
    queued: Vec<bool>,
    cursor: usize,
    /// The team's statements to the whole community, if it makes them.
    speech: Option<CrisisSpeech>,
    /// Actions the engine refused (a policy defect if not 0).
    pub rejected: u32,
}

struct Adviser {
    seat: Option<SeatId>,
    free_at_ms: u64,
    /// Whether the adviser answers customers (a lead's seat does not).
    answers: bool,
}

impl ScriptedTeam {
    /// The policy's team of anonymous advisers, for a solo session.
    pub fn new(trainee: ScriptedTrainee) -> ScriptedTeam {
        let advisers = (0..trainee.config().advisers)
            .map(|_| (None, true))
            .collect();
        let speaks = trainee.config().statements;
        let mut team = ScriptedTeam::with_advisers(trainee, advisers);
        team.speech = speaks.then(|| CrisisSpeech::new(None));
        team
    }

    /// Scripted colleagues playing `seats` of a team session, one adviser a seat. A seat
    /// whose role writes to no customer (the lead) stays idle: assigning is left to people.
    pub fn for_seats(trainee: ScriptedTrainee, sim: &Simulation, seats: &[SeatId]) -> ScriptedTeam {
        let advisers = seats
            .iter()
            .map(|&seat| (Some(seat), seat_allows(sim, seat, Move::Claim)))
            .collect();
        // Statements are the people's to make when people hold seats; an all-scripted cell
        // speaks through its first seat that may.
        let speaker = (trainee.config().statements && seats.len() == sim.seats().len())
            .then(|| {
                seats
                    .iter()
                    .copied()
                    .find(|&seat| seat_allows(sim, seat, Move::Statement))
            })
            .flatten();
        let mut team = ScriptedTeam::with_advisers(trainee, advisers);
        team.speech = speaker.map(|seat| CrisisSpeech::new(Some(seat)));
        team
    }

    fn with_advisers(trainee: ScriptedTrainee, seats: Vec<(Option<SeatId>, bool)>) -> ScriptedTeam {
        ScriptedTeam {
            trainee,
            advisers: seats
                .into_iter()
                .map(|(seat, answers)| Adviser {
                    seat,
                    free_at_ms: 0,
                    answers,
                })
                .collect(),
            tasks: BinaryHeap::new(),
            queued: Vec::new(),
            cursor: 0,
            speech: None,
            rejected: 0,
        }
    }

    /// Plays the session, events and the team's actions in time order, up to `t_ms`
    /// (or the end). The simulation's clock is then at `t_ms`, like `Simulation::advance_to`.
    pub fn advance_to(&mut self, sim: &mut Simulation, t_ms: u64) {
        loop {
            self.see_new_records(sim);
            let next_event = sim.next_event_ms();
            let task_due = self
                .tasks
                .peek()
                .map(|Reverse((ready, _))| *ready)
                .and_then(|ready| {
                    let free = self.first_free()?;
                    Some(ready.max(self.advisers[free].free_at_ms))
                })
                .filter(|t| {
                    *t <= t_ms && *t < sim.duration_ms() && next_event.is_some_and(|e| *t <= e)
                });
            let speech_due = self
                .speech
                .as_mut()
                .and_then(|speech| speech.next_due_ms(sim))
                .filter(|t| {
                    *t <= t_ms
                        && *t < sim.duration_ms()
                        && next_event.is_some_and(|e| *t <= e)
                        && task_due.is_none_or(|task| *t <= task)
                });
            if let (Some(t), Some(speech)) = (speech_due, self.speech.as_mut()) {
                sim.advance_to(t);
                self.rejected += speech.act(sim);
            } else if let Some(t) = task_due {
                sim.advance_to(t);
                let Some(Reverse((_, id))) = self.tasks.pop() else {
                    break;
                };
                self.queued[id.index()] = false;
                self.take(sim, t, id);
            } else if next_event.is_some_and(|e| e <= t_ms) {
                sim.step();
            } else {
                break;
            }
        }
        sim.advance_to(t_ms);
    }

    /// The adviser free first (the first listed of those free at once) among those who
    /// answer customers.
    fn first_free(&self) -> Option<usize> {
        let mut first: Option<usize> = None;
        for (index, adviser) in self.advisers.iter().enumerate() {
            if adviser.answers
                && first.is_none_or(|f| adviser.free_at_ms < self.advisers[f].free_at_ms)
            {
                first = Some(index);
            }
        }
        first
    }

    /// A ready case at `t_ms`: the adviser who holds it, or the first free one if nobody
    /// does, works on it; a case a person holds is theirs.
    fn take(&mut self, sim: &mut Simulation, t_ms: u64, id: CustomerId) {
        let adviser = match sim.holder(id) {
            None => self.first_free(),
            Some(holder) => self.advisers.iter().position(|a| a.seat == Some(holder)),
        };
        let Some(adviser) = adviser else {
            return;
        };
        let free_at_ms = self.advisers[adviser].free_at_ms;
        if free_at_ms > t_ms {
            // Its holder is busy: the case waits for them.
            self.queue(id, free_at_ms);
            return;
        }
        let seat = self.advisers[adviser].seat;
        let actions = self.trainee.decide(sim, id);
        // The seat makes the moves its role allows, up to the first it may not make.
        let done = actions
            .iter()
            .position(|action| seat.is_some_and(|seat| !seat_allows(sim, seat, Move::of(action))))
            .unwrap_or(actions.len());
        let config = self.trainee.config();
        let busy_ms = match config.pace {
            Some(pace) => pace.busy_ms(sim, id, &actions[..done]),
            None => config.handling_ms * done.max(1) as u64,
        };
        let next_move = actions.get(done).map(Move::of);
        for action in actions.into_iter().take(done) {
            if sim.act_as(seat, action).is_err() {
                self.rejected += 1;
            }
        }
        // A page's moderation belongs to no conversation: a seat that may not moderate leaves
        // it. A conversation goes to a seat that may make the next move.
        if let (Some(seat), Some(how)) = (seat, next_move)
            && how != Move::Moderation
        {
            self.hand_over(sim, seat, id, how);
        }
        self.advisers[adviser].free_at_ms = t_ms + busy_ms;
    }

    /// Hands `id` to the seat that may make `how`: a scripted colleague first (the one free
    /// first), else a person's seat.
    fn hand_over(&mut self, sim: &mut Simulation, from: SeatId, id: CustomerId, how: Move) {
        let allowed = |seat: SeatId| {
            seat != from && seat_allows(sim, seat, how) && seat_allows(sim, seat, Move::Claim)
        };
        let colleague = self
            .advisers
            .iter()
            .filter_map(|a| a.seat.map(|seat| (a.free_at_ms, seat)))
            .filter(|&(_, seat)| allowed(seat))
            .min();
        let to = colleague.map(|(_, seat)| seat).or_else(|| {
            (0..sim.seats().len())
                .map(super::seats::id_of)
                .find(|&seat| allowed(seat))
        });
        let Some(to) = to else {
            return;
        };
        if sim.holder(id) != Some(from)
            && sim
                .act_as(Some(from), Action::Claim { customer: id })
                .is_err()
        {
            self.rejected += 1;
            return;
        }
        if sim
            .act_as(Some(from), Action::HandOver { customer: id, to })
            .is_err()
        {
            self.rejected += 1;
        }
    }

    fn queue(&mut self, id: CustomerId, ready_ms: u64) {
        let index = id.index();
        if self.queued.len() <= index {
            self.queued.resize(index + 1, false);
        }
        if !self.queued[index] {
            self.queued[index] = true;
            self.tasks.push(Reverse((ready_ms, id)));
        }
    }

    /// Turns the posts recorded since last time into tasks (what calls for an answer, and
    /// thanks to like), and so are the conversations handed to or released by a seat.
    fn see_new_records(&mut self, sim: &Simulation) {
        let reaction_ms = self.trainee.config().reaction_ms;
        if self.trainee.config().kind != PolicyKind::Ignore {
            for index in self.cursor..sim.records().len() {
                let record = &sim.records()[index];
                match &record.event {
                    Event::Post { customer, act, .. }
                        if act.needs_answer() || *act == PostAct::ThanksPublic =>
                    {
                        self.queue(*customer, record.t_ms + reaction_ms);
                    }
                    Event::HandOver { customer, to, .. } if self.plays(*to) => {
                        self.queue(*customer, record.t_ms);
                    }
                    Event::Release { customer, .. } => self.queue(*customer, record.t_ms),
                    _ => {}
                }
            }
        }
        self.cursor = sim.records().len();
    }

    fn plays(&self, seat: SeatId) -> bool {
        self.advisers.iter().any(|a| a.seat == Some(seat))
    }

    /// The simulation's records, once the team has seen them (`Simulation::take_records`).
    pub fn take_records(&mut self, sim: &mut Simulation) -> Vec<Record> {
        self.see_new_records(sim);
        self.cursor = 0;
        sim.take_records()
    }
}

fn seat_allows(sim: &Simulation, seat: SeatId, how: Move) -> bool {
    sim.seats().get(seat.index()).is_some_and(|s| s.allows(how))
}
