//! The event queue, ordered by (time, sequence), and the customers' timers. A timer (the
//! next relaunch check, the next answer to the adviser or the service's verdict) is set,
//! superseded and cancelled here only: an event whose timer moved on is dropped when it comes
//! due, and nothing else in the engine has to ask whether it is stale.

use super::response::Response;
use crate::engine::ids::{CustomerId, MessageId};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What happens when an event comes due.
#[derive(Clone, Debug)]
pub(super) enum Pending {
    Arrival,
    Scripted(usize),
    /// An inject's post, wave arrival and surge arrival, by firing.
    InjectPost {
        firing: u32,
        post: u32,
    },
    Wave {
        firing: u32,
        n: u32,
    },
    Surge {
        firing: u32,
    },
    /// A statement's promised update (plus its grace) is due.
    UpdateDue {
        statement: u32,
    },
    PressAnswer {
        customer: CustomerId,
    },
    /// A journalist's deadline for their article.
    ArticleDue {
        customer: CustomerId,
    },
    Check {
        customer: CustomerId,
    },
    Respond {
        customer: CustomerId,
        response: Response,
    },
    Preempt {
        customer: CustomerId,
    },
    ServiceDone {
        customer: CustomerId,
    },
    Reshare {
        customer: CustomerId,
        message: MessageId,
        followers: u32,
        depth: u16,
        anger: u8,
        pile_on: Option<u64>,
    },
    Timeline {
        index: usize,
        begins: bool,
    },
    Sample,
    End,
}

/// A customer's timers. Setting one supersedes its earlier event of the same timer only: a
/// customer may answer the adviser (or protest a hidden post) while the back office works on
/// their case, and neither cancels the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Timer {
    /// The next relaunch point.
    Check,
    /// The customer's next answer to the adviser.
    Response,
    /// The service's verdict on a transferred case.
    Verdict,
}

impl Timer {
    pub(super) const ALL: [Timer; 3] = [Timer::Check, Timer::Response, Timer::Verdict];
}

/// What a queued event does, and the timer it belongs to with the generation it was set at.
struct Queued {
    what: Pending,
    timer: Option<(CustomerId, Timer, u32)>,
}

/// An event taken off the queue: `what` is None when its timer was superseded or cancelled.
pub(super) struct Due {
    pub(super) t_ms: u64,
    pub(super) what: Option<Pending>,
}

#[derive(Default)]
pub(super) struct Scheduler {
    /// (time, sequence, slot) of every queued event, earliest first. The heap moves these
    /// small keys only; what each event does waits in its slot.
    queue: BinaryHeap<Reverse<(u64, u64, u32)>>,
    slots: Vec<Option<Queued>>,
    /// Slots whose event was taken off the queue, to be used again.
    free_slots: Vec<u32>,
    seq: u64,
    /// Per customer id: the current generation of each timer.
    generations: Vec<[u32; Timer::ALL.len()]>,
}

impl Scheduler {
    /// Queues an event that no timer governs.
    pub(super) fn at(&mut self, t_ms: u64, what: Pending) {
        self.push(t_ms, what, None);
    }

    /// Sets a customer's timer: this event replaces whatever the timer held.
    pub(super) fn set(&mut self, customer: CustomerId, timer: Timer, t_ms: u64, what: Pending) {
        let generation = self.cancel(customer, timer);
        self.push(t_ms, what, Some((customer, timer, generation)));
    }

    /// Cancels a customer's timer; returns its new generation.
    pub(super) fn cancel(&mut self, customer: CustomerId, timer: Timer) -> u32 {
        let index = customer.index();
        if index >= self.generations.len() {
            self.generations.resize(index + 1, [0; Timer::ALL.len()]);
        }
        let generation = &mut self.generations[index][timer as usize];
        *generation += 1;
        *generation
    }

    /// The time of the next event, superseded or not (it still moves the clock).
    pub(super) fn next_ms(&self) -> Option<u64> {
        self.queue.peek().map(|Reverse((t_ms, _, _))| *t_ms)
    }

    pub(super) fn pop(&mut self) -> Option<Due> {
        let Reverse((t_ms, _, slot)) = self.queue.pop()?;
        let queued = self.slots.get_mut(slot as usize).and_then(Option::take);
        self.free_slots.push(slot);
        let what = queued.and_then(|Queued { what, timer }| {
            let current = timer.is_none_or(|(customer, timer, generation)| {
                self.generations
                    .get(customer.index())
                    .is_some_and(|g| g[timer as usize] == generation)
            });
            current.then_some(what)
        });
        Some(Due { t_ms, what })
    }

    fn push(&mut self, t_ms: u64, what: Pending, timer: Option<(CustomerId, Timer, u32)>) {
        self.seq += 1;
        let queued = Some(Queued { what, timer });
        let slot = match self.free_slots.pop() {
            Some(slot) => {
                self.slots[slot as usize] = queued;
                slot
            }
            None => {
                self.slots.push(queued);
                (self.slots.len() - 1) as u32
            }
        };
        self.queue.push(Reverse((t_ms, self.seq, slot)));
    }
}
