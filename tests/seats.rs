//! A team session's seats: claims, collisions, hand-overs and roles, each refusal naming the
//! seat at fault and changing nothing but the collision it records; team transcripts replay
//! byte for byte and a forged seat is caught on reading.

mod common;

use common::{analyser, bundled, session, state_fingerprint as fingerprint};
use raleur::engine::action::{Action, ActionError};
use raleur::engine::ids::{CustomerId, SeatId};
use raleur::engine::run::{header_for, replay};
use raleur::engine::scenario::{Channel, Lang};
use raleur::engine::seats::{Move, Seat, SeatRole, TeamError, numbered};
use raleur::engine::sim::Simulation;
use raleur::engine::transcript::{Event, read_jsonl, write_jsonl};

const PRICE_WAR: &str = "scenarios/price_war.ron";

fn seat(name: &str, role: Option<SeatRole>) -> Seat {
    Seat {
        name: name.into(),
        role,
    }
}

/// A price-war session 40 minutes in, with customers waiting, played by `seats`.
fn team(seats: Vec<Seat>) -> Simulation {
    let mut sim = Simulation::new(bundled(PRICE_WAR), session(5), analyser())
        .unwrap()
        .with_seats(seats)
        .unwrap();
    sim.advance_to(40 * 60_000);
    assert!(sim.customers().len() >= 5);
    sim
}

fn open_on(sim: &Simulation, channel: Channel) -> CustomerId {
    sim.customers()
        .iter()
        .find(|c| c.channel == channel && !c.stage.is_closed())
        .expect("a waiting customer on the channel")
        .id
}

fn reply(customer: CustomerId, private: bool) -> Action {
    Action::Reply {
        customer,
        private,
        text: "Bonjour, je regarde votre dossier tout de suite.".into(),
    }
}

/// Acts and expects a refusal that changes nothing; the records grow only by the collision
/// it reports. The error's messages are written in both languages.
fn refused(sim: &mut Simulation, seat: Option<SeatId>, action: Action) -> TeamError {
    let (before, records) = (fingerprint(sim), sim.records().len());
    let error = sim
        .act_as(seat, action)
        .expect_err("the action must be refused");
    assert_eq!(
        before,
        fingerprint(sim),
        "a refusal changed the state: {error}"
    );
    let added = &sim.records()[records..];
    let ActionError::Team(team) = &error else {
        panic!("not a team error: {error:?}");
    };
    match team {
        TeamError::HeldBy { .. } => assert!(
            matches!(added, [r] if matches!(r.event, Event::Collision { .. })),
            "a collision is recorded, and only it: {added:?}"
        ),
        _ => assert!(added.is_empty(), "a refusal recorded {added:?}"),
    }
    assert!(!error.message(Lang::Fr).is_empty() && !error.message(Lang::En).is_empty());
    team.clone()
}

#[test]
fn a_claimed_conversation_is_refused_to_another_seat_with_the_holder_named() {
    let mut sim = team(vec![seat("Alice", None), seat("Bruno", None)]);
    let (alice, bruno) = (Some(SeatId(0)), Some(SeatId(1)));
    let customer = open_on(&sim, Channel::Facebook);

    sim.act_as(alice, Action::Claim { customer }).unwrap();
    assert_eq!(sim.holder(customer), alice);
    let error = refused(&mut sim, bruno, reply(customer, false));
    assert_eq!(
        error,
        TeamError::HeldBy {
            customer,
            seat: "Alice".into()
        }
    );
    let refusal = ActionError::Team(error);
    assert!(refusal.message(Lang::Fr).contains("Alice"), "{refusal}");
    assert!(refusal.message(Lang::En).contains("Alice"), "{refusal}");
    assert!(matches!(
        refused(&mut sim, bruno, Action::Claim { customer }),
        TeamError::HeldBy { .. }
    ));
    assert_eq!(
        refused(&mut sim, alice, Action::Claim { customer }),
        TeamError::AlreadyYours(customer)
    );
    sim.act_as(alice, reply(customer, false)).unwrap();

    // Handed to Bruno, the conversation is his: Alice now collides with him.
    sim.act_as(
        alice,
        Action::HandOver {
            customer,
            to: SeatId(1),
        },
    )
    .unwrap();
    assert_eq!(sim.holder(customer), bruno);
    sim.act_as(bruno, reply(customer, false)).unwrap();
    assert_eq!(
        refused(&mut sim, alice, reply(customer, false)),
        TeamError::HeldBy {
            customer,
            seat: "Bruno".into()
        }
    );
    assert_eq!(
        refused(
            &mut sim,
            bruno,
            Action::HandOver {
                customer,
                to: SeatId(1)
            }
        ),
        TeamError::HandOverToSelf(customer)
    );

    // Released, it is anyone's again; answering a free conversation takes it.
    sim.act_as(bruno, Action::Release { customer }).unwrap();
    assert_eq!(sim.holder(customer), None);
    assert_eq!(
        refused(&mut sim, alice, Action::Release { customer }),
        TeamError::NotHeld(customer)
    );
    sim.act_as(alice, reply(customer, false)).unwrap();
    assert_eq!(sim.holder(customer), alice);

    let collisions = sim
        .records()
        .iter()
        .filter(|r| matches!(r.event, Event::Collision { .. }))
        .count();
    let hand_overs = sim
        .records()
        .iter()
        .filter(|r| matches!(r.event, Event::HandOver { .. }))
        .count();
    assert_eq!((collisions, hand_overs), (3, 1));
}

#[test]
fn a_role_limits_its_seat_and_the_refusal_names_seat_and_role() {
    let mut sim = team(vec![
        seat("Front 1", Some(SeatRole::Front)),
        seat("Back office", Some(SeatRole::Private)),
        seat("Pilote", Some(SeatRole::Lead)),
    ]);
    let (front, back, lead) = (Some(SeatId(0)), Some(SeatId(1)), Some(SeatId(2)));
    let customer = open_on(&sim, Channel::Facebook);

    assert_eq!(
        refused(&mut sim, front, reply(customer, true)),
        TeamError::RoleForbids {
            seat: "Front 1".into(),
            role: SeatRole::Front,
            how: Move::PrivateReply
        }
    );
    let error = ActionError::Team(refused(&mut sim, lead, reply(customer, false)));
    assert!(error.message(Lang::Fr).contains("Pilote"), "{error}");
    assert!(matches!(
        refused(&mut sim, back, reply(customer, false)),
        TeamError::RoleForbids {
            how: Move::PublicReply,
            ..
        }
    ));
    assert!(matches!(
        refused(&mut sim, lead, Action::Claim { customer }),
        TeamError::RoleForbids {
            how: Move::Claim,
            ..
        }
    ));

    sim.act_as(front, reply(customer, false)).unwrap();
    assert_eq!(sim.holder(customer), front);
    // An adviser cannot give away a colleague's conversation; the lead can, but not to itself.
    assert_eq!(
        refused(
            &mut sim,
            back,
            Action::HandOver {
                customer,
                to: SeatId(1)
            }
        ),
        TeamError::NotYours(customer)
    );
    assert_eq!(
        refused(
            &mut sim,
            lead,
            Action::HandOver {
                customer,
                to: SeatId(2)
            }
        ),
        TeamError::CannotHold {
            seat: "Pilote".into()
        }
    );
    sim.act_as(
        lead,
        Action::HandOver {
            customer,
            to: SeatId(1),
        },
    )
    .unwrap();
    assert_eq!(sim.holder(customer), back);
    assert_eq!(
        refused(
            &mut sim,
            lead,
            Action::HandOver {
                customer,
                to: SeatId(1)
            }
        ),
        TeamError::AlreadyTheirs {
            customer,
            seat: "Back office".into()
        }
    );
}

#[test]
fn a_team_session_needs_a_known_seat_and_a_solo_one_has_no_team_moves() {
    let mut sim = team(numbered(2));
    let customer = open_on(&sim, Channel::Twitter);
    assert_eq!(
        refused(&mut sim, None, reply(customer, false)),
        TeamError::SeatRequired
    );
    assert_eq!(
        refused(&mut sim, Some(SeatId(2)), reply(customer, false)),
        TeamError::UnknownSeat(SeatId(2))
    );
    assert_eq!(
        refused(
            &mut sim,
            Some(SeatId(0)),
            Action::HandOver {
                customer,
                to: SeatId(7)
            }
        ),
        TeamError::UnknownSeat(SeatId(7))
    );

    let mut solo = Simulation::new(bundled(PRICE_WAR), session(5), analyser()).unwrap();
    solo.advance_to(40 * 60_000);
    let customer = open_on(&solo, Channel::Twitter);
    assert_eq!(
        refused(&mut solo, None, Action::Claim { customer }),
        TeamError::NotATeamSession
    );
    assert_eq!(
        refused(&mut solo, Some(SeatId(0)), reply(customer, false)),
        TeamError::UnknownSeat(SeatId(0))
    );

    // A list of seats that cannot make a team is refused with its fault.
    let twice = vec![seat("Alice", None), seat("Alice", None)];
    let error = Simulation::new(bundled(PRICE_WAR), session(5), analyser())
        .unwrap()
        .with_seats(twice)
        .err()
        .expect("two seats of one name are refused");
    assert!(error.to_string().contains("Alice"), "{error}");
}

/// A team session with claims, a collision, hand-overs, releases and replies from every seat.
fn played_team_session() -> Simulation {
    let mut sim = team(vec![
        seat("Front", Some(SeatRole::Front)),
        seat("Privé", Some(SeatRole::Private)),
        seat("Pilote", Some(SeatRole::Lead)),
    ]);
    let waiting: Vec<CustomerId> = sim
        .customers()
        .iter()
        .filter(|c| c.channel == Channel::Facebook && !c.stage.is_closed())
        .map(|c| c.id)
        .take(4)
        .collect();
    assert_eq!(waiting.len(), 4);
    let (front, private, lead) = (Some(SeatId(0)), Some(SeatId(1)), Some(SeatId(2)));
    for (step, &customer) in waiting.iter().enumerate() {
        sim.advance_to(sim.now_ms() + 20_000);
        sim.act_as(front, reply(customer, false)).unwrap();
        if step % 2 == 0 {
            sim.act_as(
                front,
                Action::HandOver {
                    customer,
                    to: SeatId(1),
                },
            )
            .unwrap();
            assert!(sim.act_as(front, reply(customer, false)).is_err());
        } else {
            sim.act_as(front, Action::Release { customer }).unwrap();
            sim.act_as(
                lead,
                Action::HandOver {
                    customer,
                    to: SeatId(1),
                },
            )
            .unwrap();
        }
    }
    sim.advance_to(sim.now_ms() + 60_000);
    // The customer has not written in private yet: the private seat has nothing to answer.
    assert!(sim.act_as(private, reply(waiting[0], true)).is_err());
    sim.finish();
    sim
}

#[test]
fn a_team_transcript_replays_byte_for_byte_and_a_changed_seat_is_caught() {
    let sim = played_team_session();
    let header = header_for(&sim, PRICE_WAR, "test");
    assert_eq!(header.seats.len(), 3);
    let mut bytes = Vec::new();
    let hash = write_jsonl(&header, sim.records(), &mut bytes).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let (read_header, records) = read_jsonl(&text).unwrap();
    assert_eq!(read_header.seats, header.seats);
    replay(bundled(PRICE_WAR), analyser(), &read_header, &records).expect("replays identically");
    let mut again = Vec::new();
    assert_eq!(
        write_jsonl(&read_header, &records, &mut again).unwrap(),
        hash
    );
    assert_eq!(again, text.as_bytes());
    assert!(
        records
            .iter()
            .any(|r| matches!(r.event, Event::Collision { .. }))
    );

    // The first reply credited to another seat: the engine refuses it (role or holder).
    let mut forged = records.clone();
    let first = forged
        .iter_mut()
        .find_map(|r| match &mut r.event {
            Event::Reply { seat, .. } => Some(seat),
            _ => None,
        })
        .unwrap();
    *first = Some(SeatId(2));
    let divergence = replay(bundled(PRICE_WAR), analyser(), &read_header, &forged)
        .expect_err("a reply credited to the lead is caught");
    assert!(
        divergence.reason.contains("refused"),
        "{}",
        divergence.reason
    );
}

#[test]
fn reading_a_team_transcript_checks_every_seat_it_names() {
    let sim = played_team_session();
    let header = header_for(&sim, PRICE_WAR, "test");
    let mut bytes = Vec::new();
    write_jsonl(&header, sim.records(), &mut bytes).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let line_of = |kind: &str| {
        text.lines()
            .position(|l| l.contains(kind))
            .unwrap_or_else(|| panic!("no {kind} line"))
    };
    let with_line = |index: usize, edit: &dyn Fn(&str) -> String| -> String {
        text.lines()
            .enumerate()
            .map(|(i, l)| if i == index { edit(l) } else { l.to_string() })
            .collect::<Vec<_>>()
            .join("\n")
    };

    let reply = line_of("\"type\":\"reply\"");
    let unknown = with_line(reply, &|l| l.replace("\"seat\":0", "\"seat\":9"));
    let error = read_jsonl(&unknown).expect_err("seat 9 of 3 is refused");
    assert_eq!(error.line, reply + 1);
    assert!(error.message.contains("seat 9"), "{}", error.message);

    let seatless = with_line(reply, &|l| l.replace(",\"seat\":0", ""));
    assert_ne!(seatless, text);
    let error = read_jsonl(&seatless).expect_err("a seatless action is refused");
    assert_eq!(error.line, reply + 1);
    assert!(
        error.message.contains("without its seat"),
        "{}",
        error.message
    );

    let hand_over = line_of("\"type\":\"hand_over\"");
    let to_nobody = with_line(hand_over, &|l| l.replace("\"to\":1", "\"to\":3"));
    assert_ne!(to_nobody, text);
    assert_eq!(read_jsonl(&to_nobody).unwrap_err().line, hand_over + 1);

    // A solo transcript names no seat: a claim in one is forged.
    let solo_header = line_of("\"seats\"");
    assert_eq!(solo_header, 0);
    let solo = with_line(0, &|l| {
        let mut header: serde_json::Value = serde_json::from_str(l).unwrap();
        header.as_object_mut().unwrap().remove("seats");
        header.to_string()
    });
    assert_eq!(
        read_jsonl(&solo).unwrap_err().line,
        line_of("\"seat\":") + 1
    );
}

mod random_team_play {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    #[derive(Clone, Debug)]
    enum Kind {
        Reply { private: bool },
        Claim,
        Release,
        HandOver { to: u32 },
        Hide,
    }

    fn kind() -> impl Strategy<Value = Kind> {
        prop_oneof![
            3 => any::<bool>().prop_map(|private| Kind::Reply { private }),
            2 => Just(Kind::Claim),
            1 => Just(Kind::Release),
            2 => (0u32..5).prop_map(|to| Kind::HandOver { to }),
            1 => Just(Kind::Hide),
        ]
    }

    /// Any seat (one beyond the team included) doing anything to any customer, at any pace:
    /// no panic, a refusal changes nothing but its collision, and the session replays.
    #[test]
    fn random_seat_actions_never_panic_and_always_replay() {
        let moves = proptest::collection::vec((0u32..5, kind(), 0usize..40, 0u64..90_000), 1..40);
        let mut runner = TestRunner::new(Config {
            cases: 24,
            rng_seed: RngSeed::Fixed(17),
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&moves, |moves| {
                let mut sim = Simulation::new(bundled(PRICE_WAR), session(3), analyser())
                    .unwrap()
                    .with_seats(vec![
                        seat("1", None),
                        seat("2", Some(SeatRole::Front)),
                        seat("3", Some(SeatRole::Private)),
                        seat("4", Some(SeatRole::Lead)),
                    ])
                    .unwrap();
                sim.advance_to(20 * 60_000);
                for (seat, kind, pick, wait_ms) in moves {
                    sim.advance_to(sim.now_ms() + wait_ms);
                    let customers = sim.customers();
                    if customers.is_empty() {
                        continue;
                    }
                    let customer = customers[pick % customers.len()].id;
                    let action = match kind {
                        Kind::Reply { private } => reply(customer, private),
                        Kind::Claim => Action::Claim { customer },
                        Kind::Release => Action::Release { customer },
                        Kind::HandOver { to } => Action::HandOver {
                            customer,
                            to: SeatId(to),
                        },
                        Kind::Hide => {
                            let messages = sim.messages();
                            Action::Hide {
                                message: messages[pick % messages.len()].id,
                            }
                        }
                    };
                    let (before, records) = (fingerprint(&sim), sim.records().len());
                    if let Err(error) = sim.act_as(Some(SeatId(seat)), action) {
                        prop_assert_eq!(&before, &fingerprint(&sim), "{}", error);
                        let added = sim.records().len() - records;
                        let held = matches!(error, ActionError::Team(TeamError::HeldBy { .. }));
                        prop_assert_eq!(added, usize::from(held));
                    }
                }
                sim.finish();
                let header = header_for(&sim, PRICE_WAR, "test");
                let mut bytes = Vec::new();
                write_jsonl(&header, sim.records(), &mut bytes).unwrap();
                let (header, records) = read_jsonl(std::str::from_utf8(&bytes).unwrap())
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                replay(bundled(PRICE_WAR), analyser(), &header, &records)
                    .map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
                Ok(())
            })
            .unwrap();
    }
}

mod scripted_colleagues {
    use super::*;
    use raleur::engine::policy::{PolicyConfig, PolicyKind, ScriptedTrainee};
    use raleur::engine::run::{
        RunOutcome, RunSpec, ScriptedTeam, TranscriptPart, run_team_handing_out,
    };
    use raleur::engine::transcript::{Header, Record};
    use raleur::score::{ScoringSpec, TeamScore, score};
    use raleur::tone::ToneAnalyser;

    /// The price war played by scripted colleagues on `seats`, its records and its team debrief.
    fn played(seats: Vec<Seat>) -> (RunOutcome, Header, Vec<Record>, TeamScore) {
        let spec = RunSpec {
            session: session(11),
            policy: PolicyConfig::new(PolicyKind::Expert, 1),
            scenario_path: PRICE_WAR.into(),
            scenario_sha256: "test".into(),
            analyser: analyser(),
        };
        let mut header = None;
        let mut records = Vec::new();
        let outcome = run_team_handing_out(bundled(PRICE_WAR), spec, seats, |part| match part {
            TranscriptPart::Header(h) => header = Some(h),
            TranscriptPart::Records(batch) => records.extend(batch),
        })
        .unwrap();
        let header = header.unwrap();
        replay(bundled(PRICE_WAR), analyser(), &header, &records)
            .expect("the team session replays");
        let (scoring, tone) = (ScoringSpec::bundled(), ToneAnalyser::bundled());
        let team = score(&scoring, &tone, &bundled(PRICE_WAR), &header, &records)
            .team
            .expect("a team session has a team debrief");
        (outcome, header, records, team)
    }

    fn replies_by(records: &[Record], seat: u32) -> impl Iterator<Item = bool> + '_ {
        records.iter().filter_map(move |r| match &r.event {
            Event::Reply {
                seat: Some(s),
                private,
                ..
            } if s.0 == seat => Some(*private),
            _ => None,
        })
    }

    #[test]
    fn five_scripted_colleagues_share_the_price_war_and_each_is_scored() {
        let (outcome, header, records, team) = played(numbered(5));
        assert_eq!(outcome.rejected_actions, 0);
        assert_eq!(header.seats.len(), 5);
        assert_eq!(team.seats.len(), 5);
        let replies = records
            .iter()
            .filter(|r| matches!(r.event, Event::Reply { .. }))
            .count() as u32;
        assert_eq!(team.seats.iter().map(|s| s.replies).sum::<u32>(), replies);
        for seat in &team.seats {
            assert!(
                seat.replies > 50,
                "seat {} answered {} times",
                seat.seat,
                seat.replies
            );
            assert!(seat.median_first_response_s.is_some(), "{seat:?}");
        }
        // Nobody steps on a colleague: each keeps the conversations it answered.
        assert_eq!(team.collisions, 0);
        assert_eq!(team.shared_conversations, 0);
    }

    #[test]
    fn scripted_colleagues_keep_to_their_roles_and_hand_over_what_they_may_not_do() {
        let (outcome, _, records, team) = played(vec![
            seat("Front A", Some(SeatRole::Front)),
            seat("Front B", Some(SeatRole::Front)),
            seat("Privé A", Some(SeatRole::Private)),
            seat("Privé B", Some(SeatRole::Private)),
            seat("Pilote", Some(SeatRole::Lead)),
        ]);
        assert_eq!(outcome.rejected_actions, 0);
        for front in [0, 1] {
            assert!(replies_by(&records, front).all(|private| !private));
            assert!(replies_by(&records, front).count() > 20);
        }
        for private in [2, 3] {
            assert!(replies_by(&records, private).all(|private| private));
            assert!(replies_by(&records, private).count() > 20);
        }
        assert_eq!(
            replies_by(&records, 4).count(),
            0,
            "the scripted lead stays idle"
        );
        let transfers_by_front = records
            .iter()
            .any(|r| matches!(&r.event, Event::Transfer { seat: Some(s), .. } if s.0 < 2));
        assert!(!transfers_by_front);
        assert!(team.hand_overs > 20, "{team:?}");
        assert!(team.seats[2].received + team.seats[3].received > 20);
        assert!(team.shared_conversations > 20);
    }

    #[test]
    fn scripted_colleagues_leave_alone_what_a_person_holds() {
        let mut sim = Simulation::new(bundled(PRICE_WAR), session(11), analyser())
            .unwrap()
            .with_seats(numbered(5))
            .unwrap();
        let colleagues: Vec<SeatId> = (1..5).map(SeatId).collect();
        let mut team = ScriptedTeam::for_seats(
            ScriptedTrainee::new(PolicyConfig::new(PolicyKind::Expert, 1)),
            &sim,
            &colleagues,
        );
        // The person on seat 1 takes every conversation on Twitter as it arrives, and answers
        // none of them.
        let mut held = Vec::new();
        while !sim.is_over() {
            let until_ms = sim.now_ms() + 15_000;
            team.advance_to(&mut sim, until_ms);
            for c in sim.customers() {
                if c.channel == Channel::Twitter
                    && sim.holder(c.id).is_none()
                    && !held.contains(&c.id)
                    && !c.stage.is_closed()
                {
                    held.push(c.id);
                }
            }
            for &customer in &held {
                if sim.holder(customer).is_none() {
                    let _ = sim.act_as(Some(SeatId(0)), Action::Claim { customer });
                }
            }
        }
        assert_eq!(team.rejected, 0);
        let claimed: Vec<CustomerId> = sim
            .records()
            .iter()
            .filter_map(|r| match r.event {
                Event::Claim {
                    customer,
                    seat: SeatId(0),
                } => Some(customer),
                _ => None,
            })
            .collect();
        assert!(claimed.len() > 10);
        let answered_after_claim = sim.records().iter().filter(|r| match &r.event {
            Event::Reply { customer, .. } => sim.holder(*customer) == Some(SeatId(0)) && claimed.contains(customer) && {
                let claimed_at = sim.records().iter().find(|c| matches!(c.event, Event::Claim { customer: k, .. } if k == *customer)).map(|c| c.t_ms);
                claimed_at.is_some_and(|t| r.t_ms > t)
            },
            _ => false,
        }).count();
        assert_eq!(
            answered_after_claim, 0,
            "a colleague answered a conversation the person held"
        );
        assert!(
            !sim.records()
                .iter()
                .any(|r| matches!(r.event, Event::Collision { .. })),
            "the colleagues never collide with the person"
        );
        assert!(
            replies_by(sim.records(), 1).count() > 20,
            "the colleagues answer the rest"
        );
    }
}

#[test]
fn the_team_debrief_counts_each_seat_s_replies_hand_offs_and_collisions() {
    let sim = played_team_session();
    let header = header_for(&sim, PRICE_WAR, "test");
    let (scoring, tone) = (
        raleur::score::ScoringSpec::bundled(),
        raleur::tone::ToneAnalyser::bundled(),
    );
    let debrief =
        raleur::score::score(&scoring, &tone, &bundled(PRICE_WAR), &header, sim.records());
    let team = debrief.team.expect("a team debrief");
    let [front, private, lead] = &team.seats[..] else {
        panic!("three seats: {team:?}");
    };
    assert_eq!(
        (front.seat.as_str(), front.role),
        ("Front", Some(SeatRole::Front))
    );
    assert_eq!(
        (front.replies, front.conversations, front.first_answers),
        (4, 4, 4)
    );
    assert_eq!((front.handed_over, front.collisions), (2, 2));
    assert_eq!((private.received, private.replies), (4, 0));
    assert_eq!((lead.handed_over, lead.replies, lead.civil), (2, 0, None));
    assert_eq!(
        (team.collisions, team.hand_overs, team.shared_conversations),
        (2, 4, 0)
    );
    assert!(front.civil.is_some() && front.median_first_response_s.is_some());

    let solo = Simulation::new(bundled(PRICE_WAR), session(5), analyser()).unwrap();
    let solo_header = header_for(&solo, PRICE_WAR, "test");
    assert!(
        raleur::score::score(&scoring, &tone, &bundled(PRICE_WAR), &solo_header, &[])
            .team
            .is_none()
    );
}
