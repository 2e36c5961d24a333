//! A team exercise without the network: the server's deciding copy, replicas fed its
//! messages, late joiners, a restart from the inputs on disk, refusals, and the codes. The
//! network around it is tested in tests/serve.rs.

mod common;

use common::analyser;
use proptest::prelude::*;
use raleur::engine::action::Action;
use raleur::engine::ids::{CustomerId, SeatId};
use raleur::engine::run::replay;
use raleur::engine::scenario::Lang;
use raleur::exercise::files;
use raleur::exercise::notes::{Author, Draft, Mark};
use raleur::exercise::{
    Applied, Exercise, ExerciseMode, ExerciseSpec, Hosted, Input, Replica, Role, SeatSpec,
    ServerMessage, Status,
};

const PRICE_WAR: &str = "scenarios/price_war.ron";

/// The price war for two people and two scripted colleagues at a person's pace.
fn spec() -> ExerciseSpec {
    let seat = |name: &str, scripted| SeatSpec {
        name: name.into(),
        role: None,
        scripted,
    };
    ExerciseSpec {
        scenario_path: PRICE_WAR.into(),
        scenario: std::fs::read_to_string(PRICE_WAR).unwrap(),
        seed: 7,
        lang: Lang::Fr,
        mode: ExerciseMode::Training,
        customers_target: Some(300),
        seats: vec![
            seat("Léa", false),
            seat("Malik", false),
            seat("Collègue 3", true),
            seat("Collègue 4", true),
        ],
        scripted_pace: "human".into(),
        speed: 8,
    }
}

/// The first customer nobody holds who has written and is still open.
fn free_customer(sim: &raleur::engine::Simulation) -> Option<CustomerId> {
    sim.customers()
        .iter()
        .find(|c| !c.stage.is_closed() && sim.holder(c.id).is_none())
        .map(|c| c.id)
}

fn reply(customer: CustomerId) -> Action {
    Action::Reply {
        customer,
        private: false,
        text: "Bonjour, je suis désolée pour ce souci, écrivez-nous en privé pour que je regarde votre dossier.".into(),
    }
}

/// Feeds every broadcast message to every replica; panics on drift.
fn deliver(replicas: &mut [Replica], messages: &[ServerMessage]) {
    for replica in replicas.iter_mut() {
        for message in messages {
            replica
                .apply(message)
                .expect("the replica follows the server");
        }
    }
}

fn input(exercise: &mut Exercise, replicas: &mut [Replica], input: Input) -> Option<ServerMessage> {
    let outcome = exercise.apply(&input);
    deliver(replicas, &outcome.broadcast);
    outcome.to_sender
}

#[test]
fn replicas_follow_the_server_to_the_same_transcript_and_it_replays() {
    let mut server = Exercise::new("EX1", spec(), analyser()).unwrap();
    let mut desks: Vec<Replica> = (0..2)
        .map(|seat| Replica::from_welcome(&server.welcome(Some(SeatId(seat))), analyser()).unwrap())
        .collect();
    input(&mut server, &mut desks, Input::Start);
    let mut t_ms = 0;
    let mut reference = 0;
    while server.status() != Status::Ended {
        t_ms += 800;
        input(&mut server, &mut desks, Input::Tick { t_ms });
        // Each person answers a free customer now and then, as their replica shows it.
        if t_ms % 60_000 == 0 {
            for seat in 0..2 {
                if let Some(customer) = free_customer(&desks[seat].sim) {
                    reference += 1;
                    let answer = input(
                        &mut server,
                        &mut desks,
                        Input::Act {
                            seat: SeatId(seat as u32),
                            reference,
                            action: reply(customer),
                        },
                    );
                    assert!(answer.is_none(), "refused: {answer:?}");
                }
            }
        }
        if t_ms % 30_000 == 0 {
            let hash = server.hash_message();
            deliver(&mut desks, std::slice::from_ref(&hash));
        }
        // An observer joins half-way and catches up from the welcome.
        if t_ms == 2 * 3_600_000 {
            desks.push(Replica::from_welcome(&server.welcome(None), analyser()).unwrap());
        }
    }
    let final_hash = server.hash_message();
    deliver(&mut desks, std::slice::from_ref(&final_hash));
    assert_eq!(desks.len(), 3);
    assert!(desks.iter().all(|d| d.follow.hashes_matched > 10));
    let ServerMessage::Hash { sha256, .. } = final_hash else {
        unreachable!()
    };
    for desk in &mut desks {
        assert_eq!(desk.sha256(), sha256);
    }
    // Every seat acted, people and colleagues, and the recorded exercise replays.
    let seats_acting: std::collections::BTreeSet<u32> = server
        .actions()
        .iter()
        .filter_map(|a| a.seat.map(|s| s.0))
        .collect();
    assert_eq!(seats_acting.len(), 4, "{seats_acting:?}");
    let scenario =
        std::sync::Arc::new(raleur::engine::parse_scenario(&spec().scenario, PRICE_WAR).unwrap());
    replay(
        scenario,
        analyser(),
        server.header(),
        server.sim().records(),
    )
    .unwrap();
}

#[test]
fn a_reply_to_another_seats_conversation_is_refused_naming_it_and_everyone_records_the_collision() {
    let mut server = Exercise::new("EX2", spec(), analyser()).unwrap();
    let mut desks =
        vec![Replica::from_welcome(&server.welcome(Some(SeatId(1))), analyser()).unwrap()];
    input(&mut server, &mut desks, Input::Start);
    let mut t_ms = 0;
    let customer = loop {
        t_ms += 60_000;
        input(&mut server, &mut desks, Input::Tick { t_ms });
        if let Some(customer) = free_customer(server.sim()) {
            break customer;
        }
    };
    let claim = Input::Act {
        seat: SeatId(0),
        reference: 1,
        action: Action::Claim { customer },
    };
    assert!(input(&mut server, &mut desks, claim).is_none());
    let answer = input(
        &mut server,
        &mut desks,
        Input::Act {
            seat: SeatId(1),
            reference: 2,
            action: reply(customer),
        },
    );
    let Some(ServerMessage::Refused {
        reference,
        code,
        fr,
        ..
    }) = answer
    else {
        panic!("expected a refusal, got {answer:?}");
    };
    assert_eq!((reference, code.as_str()), (2, "held_by_another_seat"));
    assert!(fr.contains("Léa"), "{fr}");
    let hash = server.hash_message();
    deliver(&mut desks, &[hash]);
}

#[test]
fn nothing_is_taken_before_the_start_while_paused_or_after_the_end() {
    let mut server = Exercise::new("EX3", spec(), analyser()).unwrap();
    let act = |reference| Input::Act {
        seat: SeatId(0),
        reference,
        action: Action::Claim {
            customer: CustomerId(0),
        },
    };
    let code_of = |outcome: raleur::exercise::Outcome| match outcome.to_sender {
        Some(ServerMessage::Refused { code, .. }) => (code, outcome.changed),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        code_of(server.apply(&act(1))),
        ("not_started".into(), false)
    );
    assert!(!server.apply(&Input::Tick { t_ms: 1_000 }).changed);
    server.apply(&Input::Start);
    server.apply(&Input::Pause);
    assert_eq!(code_of(server.apply(&act(2))), ("paused".into(), false));
    assert!(!server.apply(&Input::Tick { t_ms: 1_000 }).changed);
    assert_eq!(server.now_ms(), 0);
    server.apply(&Input::Resume);
    server.apply(&Input::End);
    assert_eq!(
        code_of(server.apply(&act(3))),
        ("exercise_over".into(), false)
    );
    // A scripted colleague's seat takes no person's action.
    let mut other = Exercise::new("EX4", spec(), analyser()).unwrap();
    other.apply(&Input::Start);
    let outcome = other.apply(&Input::Act {
        seat: SeatId(2),
        reference: 4,
        action: Action::Claim {
            customer: CustomerId(0),
        },
    });
    assert_eq!(code_of(outcome), ("not_a_person_seat".into(), false));
}

#[test]
fn the_facilitators_inject_reaches_every_replica_and_only_the_facilitator_directs() {
    let mut server = Exercise::new("EXI", spec(), analyser()).unwrap();
    let mut replicas = vec![
        Replica::from_welcome(&server.welcome(Some(SeatId(0))), analyser()).unwrap(),
        Replica::from_welcome(&server.welcome(None), analyser()).unwrap(),
    ];
    input(&mut server, &mut replicas, Input::Start);
    input(&mut server, &mut replicas, Input::Tick { t_ms: 600_000 });
    let inject = Action::Inject {
        inject: "journalist_article".into(),
    };
    assert_eq!(
        input(
            &mut server,
            &mut replicas,
            Input::Direct {
                reference: 1,
                action: inject.clone()
            }
        ),
        None
    );
    let acted = server.actions().last().unwrap();
    assert_eq!((acted.seat, &acted.action), (None, &inject));
    input(&mut server, &mut replicas, Input::Tick { t_ms: 900_000 });
    let hash = server.hash_message();
    for replica in &mut replicas {
        assert!(matches!(replica.apply(&hash), Ok(Applied::Moved)));
        let journalist = replica.sim.records().iter().any(|r| {
            matches!(&r.event, raleur::engine::transcript::Event::Arrival { persona, firing: Some(0), .. } if persona == "journalist")
        });
        assert!(journalist, "every replica has the journalist");
    }
    let code = |message: Option<ServerMessage>| match message {
        Some(ServerMessage::Refused { code, .. }) => code,
        other => panic!("a refusal, not {other:?}"),
    };
    // A seat cannot inject; the facilitator does not answer customers; spent is spent.
    let seat_inject = Input::Act {
        seat: SeatId(0),
        reference: 2,
        action: Action::Inject {
            inject: "loyal_wave".into(),
        },
    };
    assert_eq!(
        code(input(&mut server, &mut replicas, seat_inject)),
        "facilitator_only"
    );
    let customer = free_customer(server.sim()).unwrap();
    let direct_reply = Input::Direct {
        reference: 3,
        action: reply(customer),
    };
    assert_eq!(
        code(input(&mut server, &mut replicas, direct_reply)),
        "not_a_direction"
    );
    let again = Input::Direct {
        reference: 4,
        action: inject,
    };
    assert_eq!(
        code(input(&mut server, &mut replicas, again)),
        "inject_spent"
    );
    // Notes: stamped with the simulated time; an empty one or one about no seat is refused.
    let note = |seat: Option<u32>, text: &str| Input::Note {
        author: Author::Facilitator,
        draft: Draft {
            by: String::new(),
            seat: seat.map(SeatId),
            customer: Some(customer),
            mark: None,
            text: text.into(),
        },
    };
    assert_eq!(
        code(server.apply(&note(Some(0), "  ")).to_sender),
        "empty_note"
    );
    assert_eq!(
        code(server.apply(&note(Some(9), "Bien")).to_sender),
        "unknown_seat"
    );
    assert!(server.apply(&note(Some(0), "Bien")).changed);
    assert_eq!(server.notes()[0].t_ms, 900_000);
    assert_eq!(server.notes()[0].customer, Some(customer));
}

/// An inject's first post is due the moment it is fired; a refused action then brings it in
/// on the server and not on the replicas, which never see that action. Hashes compare the
/// state once everything due by their time is in.
#[test]
fn a_refusal_right_after_an_inject_leaves_every_replica_in_step() {
    let mut server = Exercise::new("EXR", spec(), analyser()).unwrap();
    let mut replicas =
        vec![Replica::from_welcome(&server.welcome(Some(SeatId(0))), analyser()).unwrap()];
    input(&mut server, &mut replicas, Input::Start);
    let inject = Input::Direct {
        reference: 1,
        action: Action::Inject {
            inject: "journalist_article".into(),
        },
    };
    assert_eq!(input(&mut server, &mut replicas, inject), None);
    let release = Input::Act {
        seat: SeatId(0),
        reference: 2,
        action: Action::Release {
            customer: CustomerId(0),
        },
    };
    assert!(
        input(&mut server, &mut replicas, release).is_some(),
        "nobody holds customer 0"
    );
    let hash = server.hash_message();
    let applied = replicas[0].apply(&hash);
    assert!(matches!(applied, Ok(Applied::Moved)), "{applied:?}");
}

#[test]
fn a_restored_exercise_is_the_one_that_stopped_and_goes_on_the_same() {
    let root = tempdir("restore");
    let mut hosted = Hosted::create(&root, spec(), analyser()).unwrap();
    hosted.input(&Input::Start).unwrap();
    let mut reference = 0;
    for step in 1..=400u64 {
        hosted
            .input(&Input::Tick {
                t_ms: step * 10_000,
            })
            .unwrap();
        if step % 20 == 0
            && let Some(customer) = free_customer(hosted.exercise.sim())
        {
            reference += 1;
            hosted
                .input(&Input::Act {
                    seat: SeatId(0),
                    reference,
                    action: reply(customer),
                })
                .unwrap();
        }
    }
    // The facilitator's inject and an observer's note are inputs like the seats'.
    let direct = Input::Direct {
        reference: 1,
        action: Action::Inject {
            inject: "loyal_wave".into(),
        },
    };
    assert!(hosted.input(&direct).unwrap().changed);
    let note = Input::Note {
        author: Author::Observer,
        draft: Draft {
            by: "Claire".into(),
            seat: Some(SeatId(1)),
            customer: None,
            mark: Some(Mark::Up),
            text: "La vague est prise en main.".into(),
        },
    };
    assert!(hosted.input(&note).unwrap().changed);
    hosted.input(&Input::Tick { t_ms: 4_100_000 }).unwrap();
    let before = hosted.exercise.hash_message();
    let actions = hosted.exercise.actions().len();
    let notes = hosted.exercise.notes().to_vec();
    assert_eq!(notes.len(), 1);
    drop(hosted);
    // A crash cut the last line as it was written: that line alone is lost.
    let dir = std::fs::read_dir(&root)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("inputs.jsonl"))
        .unwrap()
        .write_all(b"{\"input\":\"tick\",\"t_")
        .unwrap();
    let mut loaded = files::load_all(&root);
    assert_eq!(loaded.len(), 1);
    let mut restored = Hosted::restore(loaded.pop().unwrap().unwrap(), analyser()).unwrap();
    assert_eq!(restored.exercise.hash_message(), before);
    assert_eq!(restored.exercise.actions().len(), actions);
    assert_eq!(restored.exercise.notes(), notes.as_slice());
    assert_eq!(restored.exercise.status(), Status::Running);
    // It goes on, and a second restore is again the same.
    restored.input(&Input::Tick { t_ms: 5_000_000 }).unwrap();
    let on = restored.exercise.hash_message();
    drop(restored);
    let mut again =
        Hosted::restore(files::load_all(&root).pop().unwrap().unwrap(), analyser()).unwrap();
    assert_eq!(again.exercise.hash_message(), on);
}

#[test]
fn codes_say_who_their_bearer_is_and_nothing_else() {
    let root = tempdir("codes");
    let hosted = Hosted::create(&root, spec(), analyser()).unwrap();
    let saved = &hosted.saved;
    assert_eq!(hosted.who(&saved.facilitator), Some(Role::Facilitator));
    assert_eq!(hosted.who(&saved.observer), Some(Role::Observer));
    assert_eq!(saved.seat_codes[2], None, "a scripted seat has no code");
    let malik = saved.seat_codes[1].as_deref().unwrap();
    assert_eq!(hosted.who(malik), Some(Role::Seat(SeatId(1))));
    let mut forged = malik.to_string();
    forged.replace_range(0..1, if malik.starts_with('A') { "B" } else { "A" });
    assert_eq!(hosted.who(&forged), None);
    assert_eq!(hosted.who(""), None);
    let codes: std::collections::BTreeSet<&str> = [saved.facilitator.as_str(), &saved.observer]
        .into_iter()
        .chain(saved.seat_codes.iter().flatten().map(String::as_str))
        .collect();
    assert_eq!(codes.len(), 4, "every code differs");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = root.join(&saved.id);
        let mode = std::fs::metadata(dir.join("exercise.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the codes' file is the server user's alone"
        );
    }
}

#[test]
fn a_replica_that_drifts_or_misses_an_action_says_so() {
    let mut server = Exercise::new("EX5", spec(), analyser()).unwrap();
    let mut desk = Replica::from_welcome(&server.welcome(Some(SeatId(0))), analyser()).unwrap();
    server.apply(&Input::Start);
    let outcome = server.apply(&Input::Tick { t_ms: 60 * 60_000 });
    let (acted, others): (Vec<_>, Vec<_>) = outcome
        .broadcast
        .iter()
        .partition(|m| matches!(m, ServerMessage::Acted(_)));
    assert!(acted.len() >= 2, "the colleagues answered in an hour");
    // The first action lost on the way: the next one is a gap.
    let error = desk.apply(acted[1]).unwrap_err();
    assert!(error.to_string().contains("lost"), "{error}");
    // A replica that joins now has it all; one that got the ticks but not the actions
    // hashes differently.
    let mut joined = Replica::from_welcome(&server.welcome(Some(SeatId(0))), analyser()).unwrap();
    let mut fresh = Exercise::new("EX5", spec(), analyser()).unwrap();
    let mut lagging = Replica::from_welcome(&fresh.welcome(Some(SeatId(0))), analyser()).unwrap();
    fresh.apply(&Input::Start);
    for message in others {
        lagging.apply(message).unwrap();
    }
    let error = lagging.apply(&server.hash_message()).unwrap_err();
    assert!(error.to_string().contains("hashes"), "{error}");
    assert!(
        joined.apply(&server.hash_message()).is_ok(),
        "a welcome carries it all"
    );
}

#[test]
fn a_welcome_from_another_build_or_with_another_scenario_is_refused() {
    let server = Exercise::new("EX6", spec(), analyser()).unwrap();
    let mut welcome = server.welcome(Some(SeatId(0)));
    welcome.spec.scenario.push(' ');
    assert!(Replica::from_welcome(&welcome, analyser()).is_err());
    let mut welcome = server.welcome(Some(SeatId(0)));
    welcome.analyser = "tone-v0".into();
    let error = Replica::from_welcome(&welcome, analyser()).err().unwrap();
    assert!(error.to_string().contains("update raleur"), "{error}");
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("raleur-exercise-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

use std::io::Write;

/// One random input a server could take: a tick, a pause or resume, or an action of a seat
/// (people's or a colleague's) on any conversation, sensible or not.
fn an_input() -> impl Strategy<Value = Input> {
    prop_oneof![
        6 => (1u64..600_000).prop_map(|dt| Input::Tick { t_ms: dt }),
        1 => Just(Input::Pause),
        1 => Just(Input::Resume),
        4 => (0u32..4, 0u32..40, 0u8..4).prop_map(|(seat, customer, kind)| {
            let customer = CustomerId(customer);
            let action = match kind {
                0 => reply(customer),
                1 => Action::Claim { customer },
                2 => Action::Release { customer },
                _ => Action::HandOver { customer, to: SeatId(1) },
            };
            Input::Act { seat: SeatId(seat), reference: 0, action }
        }),
        1 => (0usize..5).prop_map(|i| {
            let inject = ["journalist_article", "influencer_post", "loyal_wave", "arrivals_x2", "none"][i];
            Input::Direct { reference: 0, action: Action::Inject { inject: inject.into() } }
        }),
        1 => ("[a-z ]{0,30}", 0u8..3).prop_map(|(text, persona)| Input::Direct {
            reference: 0,
            action: Action::PostAs {
                persona: ["teen", "journalist", "ghost"][persona as usize].into(),
                kind: None,
                channel: raleur::engine::scenario::Channel::Twitter,
                account: raleur::engine::scenario::Account::Care,
                text,
            },
        }),
        1 => ("[a-zé ]{0,20}", proptest::option::of(0u32..6)).prop_map(|(text, seat)| Input::Note {
            author: Author::Observer,
            draft: Draft { by: String::new(), seat: seat.map(SeatId), customer: None, mark: Some(Mark::Down), text },
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever the inputs, a replica fed the broadcasts hashes as the server does, and the
    /// server rebuilt from the inputs it kept is the same server.
    #[test]
    fn any_inputs_keep_replicas_and_restores_in_step(steps in proptest::collection::vec(an_input(), 1..40)) {
        let mut server = Exercise::new("EXP", spec(), analyser()).unwrap();
        let mut desk = Replica::from_welcome(&server.welcome(Some(SeatId(0))), analyser()).unwrap();
        let mut kept = vec![Input::Start];
        desk.apply(&server.apply(&Input::Start).broadcast[0]).unwrap();
        let mut now = 0;
        for step in steps {
            // Ticks move forward from where the clock is.
            let step = match step {
                Input::Tick { t_ms } => { now += t_ms; Input::Tick { t_ms: now } }
                other => other,
            };
            let outcome = server.apply(&step);
            for message in &outcome.broadcast {
                let applied = desk.apply(message);
                prop_assert!(applied.is_ok(), "{:?}", applied);
            }
            if let Some(ServerMessage::Refused { code, .. }) = &outcome.to_sender {
                prop_assert!(!code.is_empty());
            }
            if outcome.changed { kept.push(step); }
        }
        let hash = server.hash_message();
        prop_assert!(matches!(desk.apply(&hash), Ok(Applied::Moved)));
        let mut rebuilt = Exercise::new("EXP", spec(), analyser()).unwrap();
        for input in &kept { rebuilt.apply(input); }
        prop_assert_eq!(rebuilt.hash_message(), hash);
        prop_assert_eq!(rebuilt.notes(), server.notes());
    }
}
