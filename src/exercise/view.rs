//! What the facilitator's console shows of a running exercise, computed from the server's
//! deciding copy: the clock, the buzz and its curve, who waits on which channel and how
//! angry, each seat's load, the public feed, the alerts, the injects and the notes.

use super::authority::Exercise;
use crate::engine::Lang;
use crate::engine::ids::CustomerId;
use crate::engine::scenario::Channel;
use crate::engine::sim::{Customer, Simulation};
use crate::engine::transcript::Event;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Public posts the feed shows, newest first.
const FEED_POSTS: usize = 40;
/// Anger from which a waiting customer is about to leave.
const CHURN_ALERT_ANGER: f64 = 80.0;
/// A post by an account this large is an alert.
const LOUD_FOLLOWERS: u32 = 20_000;
/// Alerts look this far back.
const ALERT_WINDOW_MS: u64 = 30 * 60_000;
/// A seat whose oldest held, waiting conversation has waited this long is falling behind.
const BEHIND_WAIT_MS: u64 = 10 * 60_000;
/// ... or which holds this many waiting conversations.
const BEHIND_LOAD: usize = 5;

/// What the records tell so far: the buzz's curve, the injects fired, each seat's replies,
/// first answers and last conversation, and the loud accounts that posted lately.
struct History<'a> {
    buzz_curve: Vec<Value>,
    fired: BTreeMap<&'a str, u32>,
    firings: Vec<Value>,
    replies: Vec<u32>,
    first_waits: Vec<Vec<u64>>,
    current: Vec<Option<CustomerId>>,
    alerts: Vec<Value>,
}

impl<'a> History<'a> {
    fn read(sim: &'a Simulation, seats: usize) -> History<'a> {
        let scenario = sim.scenario();
        let now = sim.now_ms();
        let mut h = History {
            buzz_curve: Vec::new(),
            fired: BTreeMap::new(),
            firings: Vec::new(),
            replies: vec![0; seats],
            first_waits: vec![Vec::new(); seats],
            current: vec![None; seats],
            alerts: Vec::new(),
        };
        let mut answered: Vec<bool> = vec![false; sim.customers().len()];
        for record in sim.records() {
            match &record.event {
                Event::Sample {
                    buzz,
                    waiting,
                    mean_anger,
                    ..
                } => h
                    .buzz_curve
                    .push(json!([record.t_ms, buzz, waiting, mean_anger])),
                Event::Inject { inject, .. } => {
                    *h.fired.entry(inject.as_str()).or_default() += 1;
                    h.firings
                        .push(json!({"t_ms": record.t_ms, "inject": inject}));
                }
                Event::PostAs { persona, .. } => h
                    .firings
                    .push(json!({"t_ms": record.t_ms, "post_as": persona})),
                Event::Reply { customer, seat, .. } => {
                    let first = answered
                        .get_mut(customer.index())
                        .map(|a| !std::mem::replace(a, true))
                        .unwrap_or_default();
                    if let Some(seat) = seat.filter(|s| s.index() < seats) {
                        h.replies[seat.index()] += 1;
                        h.current[seat.index()] = Some(*customer);
                        if first && let Some(c) = sim.customer(*customer) {
                            h.first_waits[seat.index()]
                                .push(record.t_ms.saturating_sub(c.arrived_ms));
                        }
                    }
                }
                Event::Claim { customer, seat }
                | Event::Transfer {
                    customer,
                    seat: Some(seat),
                    ..
                } if seat.index() < seats => h.current[seat.index()] = Some(*customer),
                Event::Arrival {
                    customer,
                    handle,
                    kind,
                    followers,
                    ..
                } if now.saturating_sub(record.t_ms) <= ALERT_WINDOW_MS => {
                    let press = scenario.kinds.iter().any(|k| &k.id == kind && k.press);
                    if press || *followers >= LOUD_FOLLOWERS {
                        h.alerts.push(json!({
                            "kind": if press { "press" } else { "influencer" },
                            "t_ms": record.t_ms,
                            "customer": customer,
                            "handle": handle,
                            "followers": followers,
                        }));
                    }
                }
                _ => {}
            }
        }
        h
    }
}

/// The live view as JSON, in the console's language for labels.
pub fn live(exercise: &Exercise, connected: &[u32], lang: Lang) -> Value {
    let sim = exercise.sim();
    let scenario = sim.scenario();
    let seats = exercise.spec().seats.len();
    let mut history = History::read(sim, seats);
    let mut alerts = std::mem::take(&mut history.alerts);
    let (waiting, held) = crowd(sim, seats, &mut alerts);
    let seat_rows = seat_rows(exercise, &mut history, &held, connected, &mut alerts);
    alerts.sort_by_key(|a| std::cmp::Reverse(a["t_ms"].as_u64().unwrap_or_default()));
    let injects: Vec<Value> = scenario
        .injects
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "kind": i.kind,
                "label": i.label.get(lang),
                "description": i.description.as_ref().map(|d| d.get(lang)),
                "repeatable": i.repeatable,
                "fired": history.fired.get(i.id.as_str()).copied().unwrap_or_default(),
            })
        })
        .collect();
    let personas: Vec<Value> = scenario
        .personas
        .iter()
        .map(|p| json!({"id": p.id, "label": p.label.get(lang)}))
        .collect();
    let kinds: Vec<Value> = scenario
        .kinds
        .iter()
        .map(|k| json!({"id": k.id, "label": k.label.get(lang), "personas": k.personas}))
        .collect();
    json!({
        "id": exercise.id(),
        "scenario": scenario.id,
        "title": scenario.title.get(lang),
        "status": exercise.status(),
        "speed": exercise.speed(),
        "now_ms": sim.now_ms(),
        "duration_ms": sim.duration_ms(),
        "start": {"hour": scenario.start.hour, "minute": scenario.start.minute, "weekday": scenario.start.weekday},
        "buzz": sim.buzz_now().round(),
        "buzz_curve": history.buzz_curve,
        "waiting": waiting,
        "seats": seat_rows,
        "feed": feed(sim),
        "alerts": alerts,
        "injects": injects,
        "fired": history.firings,
        "notes": exercise.notes(),
        "personas": personas,
        "kinds": kinds,
        "actions": exercise.actions().len(),
        "events": sim.records().len(),
    })
}

/// Who waits on each channel and how angry, the conversations each seat holds, and the
/// customers about to leave.
fn crowd<'s>(
    sim: &'s Simulation,
    seats: usize,
    alerts: &mut Vec<Value>,
) -> (Vec<Value>, Vec<Vec<&'s Customer>>) {
    let mut channels: BTreeMap<&str, (u32, f64, f64)> = BTreeMap::new();
    let mut held: Vec<Vec<&Customer>> = vec![Vec::new(); seats];
    for c in sim.customers() {
        if c.stage.is_closed() {
            continue;
        }
        if let Some(seat) = c.held_by.filter(|s| s.index() < seats) {
            held[seat.index()].push(c);
        }
        let Some(since) = c.waiting_since else {
            continue;
        };
        let anger = sim.anger(c.id).unwrap_or_default();
        let entry = channels.entry(channel_name(c.channel)).or_default();
        entry.0 += 1;
        entry.1 += anger;
        entry.2 = entry.2.max(anger);
        if anger >= CHURN_ALERT_ANGER {
            alerts.push(json!({
                "kind": "churn",
                "t_ms": since,
                "customer": c.id,
                "handle": c.handle,
                "anger": anger.round(),
            }));
        }
    }
    let waiting = [Channel::Twitter, Channel::Facebook]
        .into_iter()
        .map(|channel| {
            let (count, total, max) = channels
                .get(channel_name(channel))
                .copied()
                .unwrap_or_default();
            json!({
                "channel": channel_name(channel),
                "waiting": count,
                "mean_anger": if count > 0 { (total / count as f64).round() } else { 0.0 },
                "max_anger": max.round(),
            })
        })
        .collect();
    (waiting, held)
}

/// Each seat's load, replies, median first response and current conversation; a seat
/// falling behind raises an alert.
fn seat_rows(
    exercise: &Exercise,
    history: &mut History<'_>,
    held: &[Vec<&Customer>],
    connected: &[u32],
    alerts: &mut Vec<Value>,
) -> Vec<Value> {
    let sim = exercise.sim();
    let now = sim.now_ms();
    exercise
        .spec()
        .seats
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let waiting_held: Vec<u64> = held[i]
                .iter()
                .filter_map(|c| c.waiting_since.map(|since| now.saturating_sub(since)))
                .collect();
            let oldest_ms = waiting_held.iter().copied().max();
            let behind =
                waiting_held.len() >= BEHIND_LOAD || oldest_ms.is_some_and(|w| w >= BEHIND_WAIT_MS);
            if behind {
                alerts.push(json!({
                    "kind": "behind",
                    "t_ms": now,
                    "seat": i,
                    "name": spec.name,
                    "waiting": waiting_held.len(),
                    "oldest_ms": oldest_ms,
                }));
            }
            let conversation = history.current[i]
                .and_then(|c| sim.customer(c))
                .filter(|c| !c.stage.is_closed())
                .map(|c| json!({"customer": c.id, "handle": c.handle}));
            json!({
                "seat": i,
                "name": spec.name,
                "role": spec.role,
                "scripted": spec.scripted,
                "connected": connected.get(i).copied().unwrap_or_default(),
                "load": held[i].len(),
                "waiting": waiting_held.len(),
                "replies": history.replies[i],
                "median_first_response_ms": median(&mut history.first_waits[i]),
                "current": conversation,
                "behind": behind,
            })
        })
        .collect()
}

/// The public page as the public sees it, newest first.
fn feed(sim: &Simulation) -> Vec<Value> {
    let scenario = sim.scenario();
    sim.messages()
        .iter()
        .rev()
        .filter(|m| !m.private)
        .take(FEED_POSTS)
        .filter_map(|m| {
            let c = sim.customer(m.conversation)?;
            let brand = m.customer.is_none();
            let handle = if brand {
                scenario.brand.account(c.account).on(c.channel).to_string()
            } else {
                c.handle.clone()
            };
            Some(json!({
                "t_ms": m.t_ms,
                "channel": channel_name(c.channel),
                "handle": handle,
                "brand": brand,
                "customer": c.id,
                "text": m.text,
                "hidden": m.hidden,
                "anger": m.anger,
            }))
        })
        .collect()
}

fn median(values: &mut [u64]) -> Option<u64> {
    values.sort_unstable();
    values.get(values.len() / 2).copied()
}

pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Twitter => "twitter",
        Channel::Facebook => "facebook",
    }
}
