//! The console's flows without a window: the desk's screens driven through egui with
//! egui_kittest (clicks and typing reach the widgets as a person's would), checked against
//! the engine's transcript.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use raleur::desk::catalog::{Catalog, CatalogEntry};
use raleur::desk::i18n::{ENGLISH, FRENCH, Texts};
use raleur::desk::session::{Crowd, Mode, QueueFilter, SessionDesk, SessionSetup};
use raleur::desk::{Desk, Screen};
use raleur::engine::CustomerId;
use raleur::engine::sim::Stage;
use raleur::engine::{Event, Lang};
use std::path::{Path, PathBuf};

const MINUTE_MS: u64 = 60_000;

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn desk_harness(desk: Desk) -> Harness<'static, Desk> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(|ui, desk: &mut Desk| desk.frame(ui, 0.0), desk)
}

/// The start screen, filled in and started, as a trainee does it.
fn started(mode_exam: bool) -> Harness<'static, Desk> {
    let mut harness = desk_harness(Desk::new(Catalog::load(&scenarios_dir()), Lang::Fr));
    harness.run();
    type_into(&mut harness, Role::TextInput, "Camille Martin");
    let tutorial_title = "Tutoriel : vos premiers clients";
    harness
        .get_by_label(&format!("★  {tutorial_title}"))
        .click();
    if mode_exam {
        harness.get_by_label("Examen (sans aide)").click();
    }
    harness.run();
    harness.get_by_label("Commencer la session").click();
    harness.run();
    assert_eq!(harness.state().screen, Screen::Session);
    harness
}

fn session<'h>(harness: &'h mut Harness<'static, Desk>) -> &'h mut SessionDesk {
    harness
        .state_mut()
        .session
        .as_mut()
        .expect("a session is running")
}

/// Lets simulated time run until `done` holds (at most `limit_min` minutes).
fn advance_until(
    harness: &mut Harness<'static, Desk>,
    limit_min: u64,
    done: impl Fn(&SessionDesk) -> bool,
) {
    for _ in 0..limit_min * 4 {
        if done(session(harness)) {
            harness.run();
            return;
        }
        session(harness).advance_by(MINUTE_MS / 4);
    }
    panic!("not reached in {limit_min} simulated minutes");
}

fn replies(session: &SessionDesk, customer: CustomerId) -> Vec<(bool, String)> {
    session
        .sim
        .records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::Reply {
                customer: c,
                private,
                text,
                ..
            } if *c == customer => Some((*private, text.clone())),
            _ => None,
        })
        .collect()
}

/// Focuses the one text field of this role and types into it, as with a keyboard.
fn type_into<S>(harness: &mut Harness<'static, S>, role: Role, text: &str) {
    harness.get_by_role(role).focus();
    harness.run();
    harness.get_by_role(role).type_text(text);
    harness.run();
}

fn type_and_send(harness: &mut Harness<'static, Desk>, text: &str) {
    session(harness).composer.text.clear();
    harness.run();
    type_into(harness, Role::MultilineTextInput, text);
    harness.get_by_label("Envoyer").click();
    harness.run();
}

#[test]
fn start_screen_needs_a_name_and_shows_the_scenario() {
    let mut harness = desk_harness(Desk::new(Catalog::load(&scenarios_dir()), Lang::Fr));
    harness.run();
    harness
        .get_by_label("★  Tutoriel : vos premiers clients")
        .click();
    harness.run();
    // Learning goals and facts come from the scenario file.
    harness.get_by_label_contains("Objectifs pédagogiques");
    harness.get_by_label_contains("Difficulté 1/5");
    // The rival the customers threaten to join.
    harness.get_by_label("Telvia face à Zéphyr Mobile (@ZephyrMobile)");
    harness.get_by_label("Commencer la session").click();
    harness.run();
    assert_eq!(harness.state().screen, Screen::Menu);
    harness.get_by_label_contains("Indiquez votre nom");
    // English switches the whole screen.
    harness.get_by_label("English").click();
    harness.run();
    harness.get_by_label("Start the session");
}

#[test]
fn a_case_from_public_to_private_to_transfer() {
    // The tutorial's third customer (4 min) has a billing question.
    let (mut harness, _) = billing_customer_chosen();
    let customer = CustomerId(2);
    assert_eq!(session(&mut harness).selected, Some(customer));
    // The customer card and the lesson (training mode) show.
    harness.get_by_label_contains("Colère");
    harness.get_by_label_contains("Passer en privé");
    // The brand's rule for signing, beside the signature.
    harness.get_by_label("Signez de votre prénom : ^Julie");

    // A bad action: private before the customer wrote privately. The error shows beside
    // the composer and the text typed stays.
    harness.get_by_label("Privé").click();
    harness.run();
    let draft = "Bonjour, pouvez-vous me donner votre numéro de contrat ?";
    type_and_send(&mut harness, draft);
    harness.get_by_label_contains("ne vous a pas encore écrit en privé");
    assert_eq!(session(&mut harness).composer.text, draft);
    assert!(replies(session(&mut harness), customer).is_empty());

    // Answer publicly with an invitation to private messages.
    harness.get_by_label("Public").click();
    harness.run();
    type_and_send(
        &mut harness,
        "Bonjour, merci pour votre message. Pour protéger vos données, écrivez-nous en message privé : je m'occupe de votre facture.",
    );
    let sent = replies(session(&mut harness), customer);
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].0, "the first reply is public");
    assert!(
        sent[0].1.ends_with("^Camille"),
        "signed with the sign-off: {}",
        sent[0].1
    );
    assert!(session(&mut harness).composer.text.is_empty());
    assert!(session(&mut harness).composer.error.is_none());

    // The customer writes privately; reply there and ask for the contract number.
    advance_until(&mut harness, 5, |s| s.sim.customers()[2].dm_open);
    harness.get_by_label("Privé").click();
    harness.run();
    type_and_send(
        &mut harness,
        "Merci. Pouvez-vous m'indiquer votre numéro de contrat pour que je transmette votre demande ?",
    );
    let sent = replies(session(&mut harness), customer);
    assert_eq!(sent.len(), 2);
    assert!(sent[1].0, "the second reply is private");

    // The details arrive, ticked for the transfer as they come; hand the case to billing.
    advance_until(&mut harness, 5, |s| s.sim.customers()[2].provided != 0);
    harness.get_by_role(Role::ComboBox).click();
    harness.run();
    harness.get_by_label_contains("Facturation").click();
    harness.run();
    harness.get_by_role_and_label(Role::CheckBox, "numéro de contrat *");
    let contract = session(&mut harness)
        .sim
        .scenario()
        .details
        .iter()
        .position(|d| d.id == "contract_number")
        .unwrap();
    assert!(session(&mut harness).composer.transfer_details[contract]);
    harness.get_by_label("Transmettre le dossier").click();
    harness.run();
    let s = session(&mut harness);
    assert!(s.composer.error.is_none(), "{:?}", s.composer.error);
    assert!(matches!(
        s.sim.customers()[2].stage,
        Stage::Transferred { .. } | Stage::Resolved
    ));
    assert!(s.sim.records().iter().any(|r| matches!(
        &r.event,
        Event::Transfer { customer: CustomerId(2), service, details, seat: None } if service == "billing" && details == &["contract_number".to_string()]
    )));
}

#[test]
fn a_transfer_without_the_details_is_refused_with_a_reason() {
    let mut harness = started(false);
    advance_until(&mut harness, 3, |s| !s.sim.customers().is_empty());
    let handle = session(&mut harness).sim.customers()[0].handle.clone();
    harness.get_by_role_and_label(Role::Button, &handle).click();
    harness.run();
    harness.get_by_label("Transmettre le dossier").click();
    harness.run();
    harness.get_by_label_contains("Choisissez le service");
    harness.get_by_role(Role::ComboBox).click();
    harness.run();
    harness.get_by_label_contains("Facturation").click();
    harness.run();
    harness.get_by_label("Transmettre le dossier").click();
    harness.run();
    let error = session(&mut harness)
        .composer
        .error
        .clone()
        .expect("refused");
    assert!(error.contains("numéro de contrat"), "{error}");
    assert_eq!(session(&mut harness).sim.counters().transfers, 0);
}

#[test]
fn pause_stops_the_clock_and_speeds_multiply_it() {
    let mut harness = started(false);
    harness.get_by_label("⏸ Pause").click();
    harness.run();
    let before = session(&mut harness).sim.now_ms();
    session(&mut harness).tick(60_000.0);
    assert_eq!(session(&mut harness).sim.now_ms(), before);
    harness.get_by_label("▶ Reprendre").click();
    harness.run();
    harness.get_by_label("4x").click();
    harness.run();
    session(&mut harness).tick(500.0);
    assert_eq!(session(&mut harness).sim.now_ms(), before + 2_000);
}

#[test]
fn training_shows_anger_and_hints_exam_shows_neither() {
    let mut training = started(false);
    advance_until(&mut training, 3, |s| !s.sim.customers().is_empty());
    session(&mut training).select(CustomerId(0));
    training.run();
    type_into(
        &mut training,
        Role::MultilineTextInput,
        "calmez-vous, comme déjà indiqué",
    );
    training.get_by_label_contains("Politesse");
    training.get_by_label_contains("Colère");

    let mut exam = started(true);
    advance_until(&mut exam, 3, |s| !s.sim.customers().is_empty());
    session(&mut exam).select(CustomerId(0));
    exam.run();
    type_into(
        &mut exam,
        Role::MultilineTextInput,
        "calmez-vous, comme déjà indiqué",
    );
    assert!(exam.query_by_label_contains("Politesse").is_none());
    assert!(exam.query_by_label_contains("Colère").is_none());
    assert!(session(&mut exam).hint_line().is_none());
}

#[test]
fn queue_sorts_by_waiting_and_filters() {
    let mut harness = started(false);
    advance_until(&mut harness, 10, |s| s.sim.customers().len() >= 4);
    let s = session(&mut harness);
    let rows = s.queue_rows();
    assert!(rows.len() >= 4);
    for pair in rows.windows(2) {
        assert!(pair[0].waiting_ms >= pair[1].waiting_ms, "{pair:?}");
    }
    s.filter = QueueFilter::Private;
    assert!(
        s.queue_rows().is_empty(),
        "nobody is in private messages yet"
    );
    s.filter = QueueFilter::Unanswered;
    assert_eq!(s.queue_rows().len(), rows.len());
    s.channel_filter = Some(raleur::engine::scenario::Channel::Twitter);
    assert!(
        s.queue_rows()
            .iter()
            .all(|r| r.channel == raleur::engine::scenario::Channel::Twitter)
    );
}

#[test]
fn the_debrief_opens_on_demand_and_exports() {
    let mut harness = started(false);
    advance_until(&mut harness, 3, |s| !s.sim.customers().is_empty());
    session(&mut harness).select(CustomerId(0));
    harness.run();
    type_and_send(
        &mut harness,
        "Bonjour et merci pour votre question ! Le forfait 100 Go est à 9,99 € par mois.",
    );
    harness.get_by_label("Débriefing").click();
    harness.run();
    assert_eq!(harness.state().screen, Screen::Debrief);
    harness.get_by_label("Scores par compétence");
    harness.get_by_label("Clients en attente");
    // The costliest conversation is open, its reply shown with its findings.
    harness.get_by_label_contains("Le forfait 100 Go");

    let dir = std::env::temp_dir().join(format!("raleur-desk-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    harness.state_mut().debrief.as_mut().unwrap().export_dir = dir.clone();
    harness.get_by_label("Exporter en JSON").click();
    harness.run();
    harness.get_by_label("Exporter en HTML").click();
    harness.run();
    let stem = "raleur-debrief-camille-martin-tutorial-seed1";
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{stem}.json"))).unwrap())
            .unwrap();
    assert_eq!(json["trainee"], "Camille Martin");
    assert!(json["scores"]["overall"].is_number());
    assert!(!json["timeline"].as_array().unwrap().is_empty());
    let html = std::fs::read_to_string(dir.join(format!("{stem}.html"))).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("Le forfait 100 Go"),
        "the reply is in the report"
    );
    assert!(
        !html.contains("<script") && !html.contains("http"),
        "self-contained"
    );
    std::fs::remove_dir_all(&dir).unwrap();

    // Back to the session, then to a new one.
    harness.get_by_label("Reprendre la session").click();
    harness.run();
    assert_eq!(harness.state().screen, Screen::Session);
    harness.get_by_label("Débriefing").click();
    harness.run();
    harness.get_by_label("Nouvelle session").click();
    harness.run();
    assert_eq!(harness.state().screen, Screen::Menu);
}

#[test]
fn the_session_ends_in_the_debrief() {
    let mut harness = started(false);
    let duration = session(&mut harness).sim.duration_ms();
    session(&mut harness).advance_by(duration);
    harness.run();
    assert_eq!(harness.state().screen, Screen::Debrief);
    assert!(harness.state().debrief.as_ref().unwrap().session_over);
    assert!(harness.query_by_label("Reprendre la session").is_none());
}

#[test]
fn the_public_feed_opens_on_the_brands_own_posts() {
    let mut desk = price_war_desk("Test", 1, None);
    desk.advance_by(5 * MINUTE_MS);
    desk.show_feed = true;
    let mut harness = session_harness(desk);
    harness.run();
    harness.get_by_label("Publications de la marque");
    harness.get_by_label(
        "Vous avez des questions sur nos offres ? Nous y répondons ici toute la journée !",
    );
}

#[test]
fn hostile_customer_text_is_drawn_without_harm() {
    let mut desk = price_war_desk("Test", 3, Some(raleur::engine::PolicyKind::Expert));
    desk.advance_by(90 * MINUTE_MS);
    // A reply 50,000 characters long, right-to-left marks, control characters: refused
    // with a reason, kept in the composer, and the screen still draws.
    desk.composer.text = "\u{202e}€ß\u{0}".repeat(12_500);
    let customer = desk.queue_rows()[0].customer;
    desk.select(customer);
    assert!(!desk.send_reply());
    assert!(
        desk.composer
            .error
            .as_deref()
            .unwrap()
            .contains("caractères")
    );
    assert_eq!(desk.composer.text.chars().count(), 50_000);
    let mut harness = session_harness(desk);
    harness.run_steps(2);
}

#[test]
fn interface_texts_have_the_same_keys_in_both_languages_and_cover_the_code() {
    let keys = |source: &str| -> Vec<String> {
        let mut keys: Vec<String> = source
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(FRENCH), keys(ENGLISH));
    let (fr, en) = (Texts::new(Lang::Fr), Texts::new(Lang::En));
    for key in keys(FRENCH) {
        assert!(fr.has(&key) && !fr.t(&key).is_empty(), "{key} in French");
        assert!(en.has(&key) && !en.t(&key).is_empty(), "{key} in English");
    }
    // Every key the code asks for exists.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/desk");
    let mut used = Vec::new();
    for path in rust_files(&src) {
        let code = std::fs::read_to_string(path).unwrap();
        let mut rest = code.as_str();
        while let Some(at) = rest.find('"') {
            rest = &rest[at + 1..];
            let Some(end) = rest.find('"') else { break };
            let literal = &rest[..end];
            rest = &rest[end + 1..];
            let looks_like_key = literal.len() > 2
                && literal.contains('-')
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit());
            if looks_like_key {
                used.push(literal.to_string());
            }
        }
    }
    used.extend((0..7).map(|d| format!("weekday-{d}")));
    assert!(used.len() > 80, "the scan found the keys");
    // Fluent keys use hyphens; egui ids use underscores.
    for key in used {
        assert!(
            fr.has(&key),
            "the code asks for {key}, missing from fr/desk.ftl"
        );
        assert!(
            en.has(&key),
            "the code asks for {key}, missing from en/desk.ftl"
        );
    }
}

#[test]
fn the_font_draws_every_character_of_the_scenarios_and_interface() {
    let mut text = String::from(FRENCH);
    text.push_str(ENGLISH);
    text.push_str("àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ«»’…€");
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    // The brand's phrases and how customers write (their emoji, their names).
    for asset in [
        "assets/policies/replies.ron",
        "assets/voice/styles.ron",
        "assets/voice/names.ron",
    ] {
        text.push_str(
            &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(asset)).unwrap(),
        );
    }
    let mut chars: Vec<char> = text
        .chars()
        .filter(|c| !c.is_control() && *c != '\u{200d}' && *c != '\u{fe0f}')
        .collect();
    chars.sort_unstable();
    chars.dedup();
    // Read each font's character map directly: egui's own `has_glyph` reports the
    // characters of the face holding its replacement glyph as missing.
    let fonts = raleur::desk::style::font_definitions();
    let faces: Vec<ttf_parser::Face> = fonts
        .font_data
        .values()
        .map(|data| ttf_parser::Face::parse(&data.font, data.index).unwrap())
        .collect();
    let missing: Vec<char> = chars
        .iter()
        .copied()
        .filter(|c| !faces.iter().any(|f| f.glyph_index(*c).is_some()))
        .collect();
    assert!(missing.is_empty(), "no glyph for {missing:?}");
    assert!(chars.len() > 100);
}

#[test]
fn the_hint_line_spots_a_reply_copied_from_an_earlier_one() {
    let mut harness = started(false);
    advance_until(&mut harness, 4, |s| s.sim.customers().len() >= 2);
    let template = "Bonjour, merci pour votre message : notre équipe regarde cela de près.";
    let s = session(&mut harness);
    s.select(CustomerId(0));
    s.composer.text = template.into();
    assert!(s.send_reply(), "{:?}", s.composer.error);
    s.select(CustomerId(1));
    s.composer.text = template.into();
    let hint = s.hint_line().expect("training shows a hint");
    assert!(hint.contains("Copie d'une réponse précédente"), "{hint}");
}

#[test]
fn highlights_cover_the_text_once_whatever_the_spans() {
    use raleur::desk::report::highlights;
    use raleur::tone::lexicon::Severity::{Critical, Good, Minor};
    let text = "Bonjour, calmez-vous ! ^Léa";
    // Overlapping, out of bounds, inside a multibyte character, empty.
    let spans = [
        (0, 7, Good),
        (5, 20, Critical),
        (9, 40, Minor),
        (25, 26, Minor),
        (3, 3, Good),
    ];
    let pieces = highlights(text, &spans);
    let rebuilt: String = pieces.iter().map(|(s, e, _)| &text[*s..*e]).collect();
    assert_eq!(rebuilt, text);
    assert_eq!(pieces[0], (0, 7, Some(Good)));
    assert_eq!(pieces[1], (7, 20, Some(Critical)));
    assert!(pieces.windows(2).all(|w| w[0].1 == w[1].0));
}

/// The bundled curriculum, its records at `db`.
fn course(db: &Path) -> raleur::desk::course::Course {
    let curriculum = raleur::academy::Curriculum::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("curricula/webconseiller.ron"),
    )
    .unwrap();
    raleur::desk::course::Course::new(curriculum, db.to_path_buf())
}

/// A desk whose start screen follows the curriculum, with its records in a new folder; the
/// desk, the folder and the records' path.
fn desk_with_course(name: &str) -> (Desk, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("raleur-desk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join("academy.sqlite3");
    let mut desk = Desk::new(Catalog::load(&scenarios_dir()), Lang::Fr);
    desk.menu.course = Some(course(&db));
    (desk, dir, db)
}

#[test]
fn the_console_records_sessions_and_shows_progress_through_the_curriculum() {
    use raleur::academy::store::{SessionStatus, Store};
    let (mut desk, dir, db) = desk_with_course("course");
    // Start on the price war, to see the course choose for the trainee.
    assert!(desk.menu.select_scenario("price_war"));
    let mut harness = desk_harness(desk);
    harness.run();
    harness.get_by_label("Saisissez votre nom pour voir votre progression.");
    type_into(&mut harness, Role::TextInput, "Camille Martin");
    harness.get_by_label_contains("Nouveau stagiaire");
    harness.get_by_label("▶ Premiers pas");
    harness.get_by_label("○ Examen · en mode examen");
    harness.get_by_label("Préparer cette session").click();
    harness.run();
    let menu = &harness.state().menu;
    assert_eq!(menu.catalog.entries[menu.selected].scenario.id, "tutorial");
    let seed = menu.seed;
    assert!((1..=1000).contains(&seed));
    harness.get_by_label("Commencer la session").click();
    harness.run();
    // Written as it is played: a tick of more than two seconds flushes the new events.
    session(&mut harness).tick(2_500.0);
    advance_until(&mut harness, 10, |s| s.sim.records().len() > 5);
    session(&mut harness).tick(2_500.0);
    let store = Store::open(&db).unwrap();
    let recorded = store.sessions(Some("Camille Martin")).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].status, SessionStatus::Recording);
    assert_eq!(recorded[0].seed, seed);
    assert_eq!(
        recorded[0].events,
        session(&mut harness).sim.records().len() as u64
    );
    // Left before the end: kept, as abandoned.
    harness.get_by_label("Débriefing").click();
    harness.run();
    harness.get_by_label("Nouvelle session").click();
    harness.run();
    assert_eq!(harness.state().screen, Screen::Menu);
    let recorded = store.sessions(Some("Camille Martin")).unwrap();
    assert_eq!(recorded[0].status, SessionStatus::Abandoned);
    // A second session, played to its end without a word: complete, scored, and short of
    // the thresholds, which the start screen now says.
    harness.get_by_label("Commencer la session").click();
    harness.run();
    advance_until(&mut harness, 30, |s| s.sim.is_over());
    session(&mut harness).tick(0.0);
    let recorded = store.sessions(Some("Camille Martin")).unwrap();
    let done = &recorded[1];
    assert_eq!(done.status, SessionStatus::Complete);
    let mut bytes = Vec::new();
    let played = session(&mut harness);
    let sha =
        raleur::engine::transcript::write_jsonl(&played.header, played.sim.records(), &mut bytes)
            .unwrap();
    assert_eq!(done.transcript_sha256.as_deref(), Some(sha.as_str()));
    assert_eq!(store.transcript(done.id).unwrap().as_bytes(), &bytes[..]);
    assert!(done.scores.as_ref().unwrap().speed < 70.0);
    harness.run();
    harness.get_by_label("Nouvelle session").click();
    harness.run();
    harness.get_by_label_contains("Meilleure tentative, en dessous du seuil : Rapidité 0/70");
    let _ = std::fs::remove_dir_all(&dir);
}

mod harness;

/// With the signature cleared, "Merci. Cordialement" once closed the window: in training
/// while typing (the hint line analyses the draft), in exam mode on Envoyer.
#[test]
fn a_closing_formula_with_no_signature_neither_hints_nor_sends_into_a_crash() {
    for exam in [false, true] {
        let mut harness = started(exam);
        advance_until(&mut harness, 3, |s| !s.sim.customers().is_empty());
        session(&mut harness).composer.sign_off.clear();
        session(&mut harness).select(CustomerId(0));
        harness.run();
        type_into(
            &mut harness,
            Role::MultilineTextInput,
            "Merci. Cordialement",
        );
        if !exam {
            harness.get_by_label_contains("Politesse");
        }
        harness.get_by_label("Envoyer").click();
        harness.run();
        assert_eq!(harness.state().screen, Screen::Session);
        assert_eq!(
            replies(session(&mut harness), CustomerId(0)),
            vec![(false, "Merci. Cordialement".to_string())]
        );
    }
}

/// Should a panic still slip through under the desk, the session is not lost: every event
/// played is written, the record closed as interrupted with the reason, and the start screen
/// says what happened.
#[test]
fn a_panic_under_the_desk_keeps_the_session_and_the_start_screen_says_so() {
    use raleur::academy::store::{SessionStatus, Store};
    let (desk, dir, db) = desk_with_course("panic");
    let mut harness = desk_harness(desk);
    harness.run();
    type_into(&mut harness, Role::TextInput, "Camille Martin");
    harness.get_by_label("Préparer cette session").click();
    harness.run();
    harness.get_by_label("Commencer la session").click();
    harness.run();
    // Some events written by a flush, more played since and not yet written.
    advance_until(&mut harness, 10, |s| s.sim.records().len() > 5);
    session(&mut harness).tick(2_500.0);
    advance_until(&mut harness, 10, |s| s.sim.records().len() > 20);
    let played = session(&mut harness).sim.records().to_vec();
    let header = session(&mut harness).header.clone();

    let outcome = session(&mut harness).guarded(|_| -> () { panic!("boom under the desk") });
    assert_eq!(outcome.err().as_deref(), Some("boom under the desk"));
    let store = Store::open(&db).unwrap();
    let recorded = &store.sessions(Some("Camille Martin")).unwrap()[0];
    assert_eq!(recorded.status, SessionStatus::Abandoned);
    assert_eq!(
        recorded.interruption.as_deref(),
        Some("boom under the desk")
    );
    assert_eq!(recorded.events, played.len() as u64);
    let mut bytes = Vec::new();
    let sha = raleur::engine::transcript::write_jsonl(&header, &played, &mut bytes).unwrap();
    assert_eq!(
        store.transcript(recorded.id).unwrap().as_bytes(),
        &bytes[..]
    );
    assert_eq!(recorded.transcript_sha256.as_deref(), Some(sha.as_str()));

    // The desk goes back to the start screen, which says what happened...
    harness.state_mut().session_failed("boom under the desk");
    harness.run();
    assert_eq!(harness.state().screen, Screen::Menu);
    harness.get_by_label_contains(
        "s'est arrêtée sur une erreur interne du poste : « boom under the desk »",
    );
    // ...and so does the next start of the console.
    let mut next = Desk::new(Catalog::load(&scenarios_dir()), Lang::Fr);
    next.menu.course = Some(course(&db));
    let mut harness = desk_harness(next);
    harness.run();
    let notice = harness.get_by_label_contains("s'est arrêtée sur une erreur interne");
    let said = format!("{notice:?}");
    assert!(said.contains("Camille Martin, Tutoriel"), "{said}");
    assert!(
        said.contains(&format!("Les {} évènements", played.len())),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn any_name_draft_signature_and_clicks_leave_the_desk_standing() {
    use harness::desk::{DeskCase, DeskStep};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    let text = || {
        proptest::collection::vec(
            prop_oneof![
                3 => proptest::sample::select(harness::RISKY_PIECES).prop_map(str::to_string),
                1 => any::<char>().prop_map(String::from),
            ],
            0..12,
        )
        .prop_map(|p| p.concat())
    };
    let step = prop_oneof![
        4 => text().prop_map(DeskStep::Type),
        2 => text().prop_map(DeskStep::SignOff),
        2 => any::<u32>().prop_map(DeskStep::Select),
        1 => Just(DeskStep::TogglePrivate),
        3 => Just(DeskStep::Send),
        1 => (0..12usize, proptest::collection::vec(any::<bool>(), 0..4))
            .prop_map(|(service, ticks)| DeskStep::Transfer { service, ticks }),
        2 => (0..600u16).prop_map(DeskStep::Wait),
        1 => Just(DeskStep::Frame),
    ];
    let case = (
        prop_oneof![
            text(),
            Just("Camille Martin".to_string()),
            Just(String::new())
        ],
        any::<bool>(),
        proptest::collection::vec(step, 0..16),
    )
        .prop_map(|(trainee, english, steps)| DeskCase {
            trainee,
            english,
            steps,
        });
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x6465_736b),
        ..Config::default()
    });
    if let Err(error) = runner.run(&case, |case| {
        harness::desk::desk(&case);
        Ok(())
    }) {
        panic!("{error}");
    }
}

/// The copy rule is one rule: the hint line warns of a copy exactly when the customer
/// notices one (the engine's `copy` flag) and exactly when the debrief takes points for it,
/// reply by reply, on the same session. The script exercises a copy seen on the page, one
/// scrolled out of sight, one in the customer's own conversation, and a copy to an earlier
/// customer (a lower id) of a reply first sent to a later one.
#[test]
fn the_hint_the_engine_and_the_debrief_agree_on_copies() {
    use raleur::tone::lexicon::FindingId;
    let mut desk = price_war_desk("Camille Martin", 5, None);
    while desk.sim.customers().len() < 50 {
        desk.advance_by(MINUTE_MS);
    }
    let script = copy_script();
    let mut seen = Vec::new();
    for (customer, text, expected) in &script {
        desk.select(*customer);
        desk.composer.private = false;
        desk.composer.text = text.clone();
        let hinted = desk
            .hint()
            .expect("training shows a hint")
            .has(FindingId::Copy);
        assert!(desk.send_reply(), "{:?}", desk.composer.error);
        let copy = desk
            .sim
            .records()
            .iter()
            .rev()
            .find_map(|r| match &r.event {
                Event::Reply { copy, .. } => Some(*copy),
                _ => None,
            })
            .expect("the reply is recorded");
        seen.push((*customer, hinted, copy, *expected));
        desk.advance_by(1000);
    }

    let spec = raleur::score::ScoringSpec::bundled();
    let analyser = raleur::tone::ToneAnalyser::bundled();
    let debrief = raleur::score::score(
        &spec,
        &analyser,
        desk.sim.scenario(),
        &desk.header,
        desk.sim.records(),
    );
    let mut scored_copies: Vec<Vec<bool>> = Vec::new();
    for (customer, _, _, _) in &seen {
        let conversation = debrief
            .conversations
            .iter()
            .find(|c| c.customer == *customer)
            .expect("each answered conversation is scored");
        let flags = conversation
            .replies
            .iter()
            .map(|r| r.findings.iter().any(|f| f.id == FindingId::Copy))
            .collect();
        scored_copies.push(flags);
    }
    // The n-th reply to a customer in the script is the n-th reply of their conversation.
    let mut nth = std::collections::BTreeMap::new();
    for (&(customer, hinted, engine, expected), scored) in seen.iter().zip(&scored_copies) {
        let index: &mut usize = nth.entry(customer).or_default();
        let debriefed = scored[*index];
        *index += 1;
        assert_eq!(
            (hinted, engine, debriefed),
            (expected, expected, expected),
            "customer {customer}: hint, engine and debrief on a copy"
        );
    }
}

/// The replies of the copy test: (customer, text, whether the customer sees a copy).
fn copy_script() -> Vec<(CustomerId, String, bool)> {
    let template = "Bonjour, nous sommes désolés du souci : notre équipe regarde votre dossier.";
    let own = "Merci de votre patience, un conseiller reprend votre demande aujourd'hui même.";
    let order = "Nous comprenons votre agacement et vérifions la ligne de votre quartier.";
    let words = [
        "facture",
        "réseau",
        "antenne",
        "fibre",
        "forfait",
        "mobile",
        "boutique",
        "colis",
        "carte",
        "option",
        "débit",
        "appel",
        "message",
        "compte",
        "offre",
        "modem",
        "contrat",
        "adresse",
        "rendez",
        "technicien",
        "panne",
        "tarif",
        "remise",
        "courrier",
    ];
    // A distinct public reply: rotating words so no two share most word pairs.
    let distinct = |i: usize| {
        let pick = |k: usize| words[(i * 7 + k * 5) % words.len()];
        format!(
            "Bonjour, {} {} {} {} {} {} vérifié {i} fois.",
            pick(0),
            pick(1),
            pick(2),
            pick(3),
            pick(4),
            pick(5)
        )
    };
    // (customer, text, the copy the script expects)
    let mut script: Vec<(CustomerId, String, bool)> = vec![
        (CustomerId(0), template.into(), false),
        (CustomerId(1), template.into(), true),
        (CustomerId(2), own.into(), false),
        (CustomerId(30), order.into(), false),
        (CustomerId(25), order.into(), true),
    ];
    for i in 0..21 {
        script.push((CustomerId(3 + i as u32), distinct(i), false));
    }
    // Out of sight on the page, but still in customer 2's own conversation.
    script.push((CustomerId(40), template.into(), false));
    script.push((CustomerId(2), own.into(), true));
    script
}

/// Every `.rs` file under `dir`, its subfolders included.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// A training session on the price war, as the start screen would open it.
fn price_war_desk(
    trainee: &str,
    seed: u64,
    autoplay: Option<raleur::engine::PolicyKind>,
) -> SessionDesk {
    let setup = SessionSetup {
        trainee: trainee.into(),
        scenario: CatalogEntry::load(&scenarios_dir().join("price_war.ron")).unwrap(),
        seed,
        lang: Lang::Fr,
        mode: Mode::Training,
        autoplay,
        customers_target: None,
        crowd: Crowd::Team,
    };
    SessionDesk::new(setup, raleur::desk::report::shared_analyser()).unwrap()
}

/// The session screen alone in a window of the desk's size.
fn session_harness(desk: SessionDesk) -> Harness<'static, SessionDesk> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(
            |ui, desk: &mut SessionDesk| {
                desk.ui(ui);
            },
            desk,
        )
}

#[test]
fn the_start_screen_offers_a_crowd_for_one_person_and_the_session_says_which() {
    let mut desk = Desk::new(Catalog::load(&scenarios_dir()), Lang::Fr);
    assert!(desk.menu.select_scenario("price_war"));
    let mut harness = desk_harness(desk);
    harness.run();
    type_into(&mut harness, Role::TextInput, "Camille Martin");
    let menu = &harness.state().menu;
    let per_hour = menu.catalog.entries[menu.selected].team_customers_per_hour;
    assert!((60.0..=100.0).contains(&per_hour), "{per_hour}");
    harness.get_by_label(&format!(
        "Pour l'équipe de 5 : environ {} clients par heure",
        per_hour.round()
    ));
    harness
        .get_by_label("Pour une personne : environ 20 clients par heure")
        .click();
    harness.run();
    harness.get_by_label("Commencer la session").click();
    harness.run();
    let alone = session(&mut harness);
    assert_eq!(alone.crowd, Crowd::Solo);
    // 20 an hour for the price war's eight hours, its 4 scripted customers included.
    assert_eq!(alone.sim.config().customers_target, Some(160));
    let per_hour = raleur::desk::catalog::customers_per_hour(
        alone.sim.expected_arrivals(),
        alone.sim.scenario(),
    );
    assert!((per_hour - 20.0).abs() < 0.01, "{per_hour}");
    harness.get_by_label("Seul·e · environ 20 clients/h");

    // A scenario without a solo rate offers its own crowd only.
    let mut desk = Desk::new(Catalog::load(&scenarios_dir()), Lang::Fr);
    assert!(desk.menu.select_scenario("tutorial"));
    let mut harness = desk_harness(desk);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Pour une personne")
            .is_none()
    );
    // Six scripted customers in twenty minutes, for the one adviser it is sized for.
    harness.get_by_label("Pour un conseiller : environ 18 clients par heure");
}

/// The tutorial on its first customer, selected by a click as a trainee does.
fn first_customer_selected() -> (Harness<'static, Desk>, CustomerId) {
    let mut harness = started(false);
    advance_until(&mut harness, 3, |s| !s.sim.customers().is_empty());
    let handle = session(&mut harness).sim.customers()[0].handle.clone();
    harness.get_by_role_and_label(Role::Button, &handle).click();
    harness.run();
    (harness, CustomerId(0))
}

#[test]
fn choosing_a_conversation_puts_the_keyboard_in_the_composer_and_ctrl_enter_sends() {
    let (mut harness, customer) = first_customer_selected();
    assert!(
        harness.get_by_role(Role::MultilineTextInput).is_focused(),
        "the composer takes the keyboard once a conversation is chosen"
    );
    harness
        .get_by_role(Role::MultilineTextInput)
        .type_text("Bonjour, merci pour votre message.");
    harness.run();
    // Enter is a new line in the draft, nothing is sent.
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(replies(session(&mut harness), customer).is_empty());
    assert!(session(&mut harness).composer.text.contains('\n'));
    harness
        .get_by_role(Role::MultilineTextInput)
        .type_text("Je regarde votre demande.");
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Enter);
    harness.run();
    let sent = replies(session(&mut harness), customer);
    assert_eq!(sent.len(), 1, "Ctrl+Enter sends");
    assert!(
        sent[0]
            .1
            .starts_with("Bonjour, merci pour votre message.\nJe regarde")
    );
    assert!(session(&mut harness).composer.text.is_empty());
}

#[test]
fn ctrl_n_opens_the_conversation_waiting_longest() {
    let mut harness = started(false);
    advance_until(&mut harness, 10, |s| {
        s.sim.customers().iter().filter(|c| c.is_waiting()).count() >= 2
    });
    let longest = session(&mut harness).queue_rows()[0].customer;
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    assert_eq!(session(&mut harness).selected, Some(longest));
    // Again: the next one waiting, not the same.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    let selected = session(&mut harness).selected;
    assert!(selected.is_some() && selected != Some(longest));
    harness.get_by_label("⏭ Suivant").click();
    harness.run();
    assert_eq!(session(&mut harness).selected, Some(longest));
}

#[test]
fn ctrl_a_selects_all_even_when_the_layout_types_the_letter() {
    let (mut harness, _) = first_customer_selected();
    harness
        .get_by_role(Role::MultilineTextInput)
        .type_text("un brouillon à refaire");
    harness.run();
    // A French layout under an input method: Ctrl held, the letter arrives as text.
    let events = &mut harness.input_mut().events;
    events.push(egui::Event::ModifiersChanged(egui::Modifiers::COMMAND));
    events.push(egui::Event::Text("a".into()));
    harness.run();
    let events = &mut harness.input_mut().events;
    events.push(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness
        .get_by_role(Role::MultilineTextInput)
        .type_text("Bonjour");
    harness.run();
    assert_eq!(session(&mut harness).composer.text, "Bonjour");
}

/// The tutorial's billing customer (the third, at 4 min) chosen in the queue by a click;
/// returns the desk and the customer's handle.
fn billing_customer_chosen() -> (Harness<'static, Desk>, String) {
    let mut harness = started(false);
    advance_until(&mut harness, 6, |s| s.sim.customers().len() >= 3);
    let handle = session(&mut harness).sim.customers()[2].handle.clone();
    harness.get_by_role_and_label(Role::Button, &handle).click();
    harness.run();
    (harness, handle)
}

/// The tutorial's billing customer (the third) chosen and invited to private messages in
/// public, as a trainee does it; returns once the composer has moved there or not.
fn billing_customer_invited_to_private() -> Harness<'static, Desk> {
    let (mut harness, _) = billing_customer_chosen();
    type_and_send(
        &mut harness,
        "Bonjour, merci pour votre message. Pour protéger vos données, écrivez-nous en message privé : je m'en occupe.",
    );
    harness
}

#[test]
fn the_composer_follows_the_customer_into_private_messages() {
    let mut harness = billing_customer_invited_to_private();
    assert!(!session(&mut harness).composer.private);
    advance_until(&mut harness, 5, |s| s.sim.customers()[2].dm_open);
    assert!(
        session(&mut harness).composer.private,
        "the customer wrote privately: the composer is there too"
    );
    // The trainee may still choose public; the desk does not switch back on its own.
    harness.get_by_label("Public").click();
    harness.run();
    session(&mut harness).advance_by(MINUTE_MS);
    harness.run();
    assert!(!session(&mut harness).composer.private);
}

#[test]
fn the_queue_holds_still_under_the_mouse() {
    let mut harness = started(false);
    advance_until(&mut harness, 10, |s| {
        s.sim.customers().iter().filter(|c| c.is_waiting()).count() >= 3
    });
    let order = |s: &SessionDesk| -> Vec<CustomerId> {
        s.queue_rows().iter().map(|r| r.customer).collect()
    };
    let before = order(session(&mut harness));
    let last = *before.last().unwrap();
    let last_handle = session(&mut harness)
        .sim
        .customer(last)
        .unwrap()
        .handle
        .clone();
    let top_before = harness
        .get_by_role_and_label(Role::Button, &last_handle)
        .rect()
        .top();
    // The mouse rests on the queue while the longest waiting is answered elsewhere.
    harness
        .get_by_role_and_label(Role::Button, &last_handle)
        .hover();
    harness.run();
    let first = before[0];
    session(&mut harness)
        .sim
        .act(raleur::engine::Action::Reply {
            customer: first,
            private: false,
            text: "Bonjour, je regarde votre demande tout de suite. ^Camille".into(),
        })
        .unwrap();
    harness.run();
    assert_ne!(
        order(session(&mut harness)),
        before,
        "the sort itself moved"
    );
    let top_held = harness
        .get_by_role_and_label(Role::Button, &last_handle)
        .rect()
        .top();
    assert_eq!(
        top_held, top_before,
        "rows keep their places under the mouse"
    );
    // The mouse leaves: the queue sorts again.
    harness.hover_at(egui::pos2(1000.0, 450.0));
    harness.run();
    harness.run();
    let top_after = harness
        .get_by_role_and_label(Role::Button, &last_handle)
        .rect()
        .top();
    assert!(top_after < top_before, "{top_after} {top_before}");
}

#[test]
fn the_send_button_and_the_top_bar_stay_put() {
    let (mut harness, _) = first_customer_selected();
    let send = harness.get_by_label("Envoyer").rect();
    let speed = harness.get_by_label("2x").rect();
    // A draft with many faults makes a long hint line.
    harness.get_by_role(Role::MultilineTextInput).type_text(
        "MAIS CALMEZ-VOUS, comme déjà indiqué c'est ridicule, donnez votre numéro de contrat ici",
    );
    harness.run();
    harness.get_by_label_contains("Politesse");
    assert_eq!(harness.get_by_label("Envoyer").rect(), send);
    harness.get_by_label("⏸ Pause").click();
    harness.run();
    assert_eq!(
        harness.get_by_label("2x").rect(),
        speed,
        "Pause and Reprendre are one width"
    );
    harness.get_by_label("▶ Reprendre");
}

#[test]
fn an_exam_cannot_be_paused() {
    let mut harness = started(true);
    assert!(harness.query_by_label("⏸ Pause").is_none());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::P);
    harness.run();
    assert!(
        !session(&mut harness).clock.paused,
        "Ctrl+P does not pause an exam"
    );
    let s = session(&mut harness);
    s.toggle_pause();
    assert!(!s.clock.paused);
    let before = s.sim.now_ms();
    s.tick(1_000.0);
    assert!(s.sim.now_ms() > before);
}

#[test]
fn the_hint_line_shows_faults_apart_from_praise_and_the_worst_first() {
    use raleur::tone::lexicon::Severity;
    let (mut harness, _) = first_customer_selected();
    let s = session(&mut harness);
    s.composer.text =
        "Bonjour, merci pour votre message ! Donnez-moi votre numéro de contrat ici.".into();
    let items = s.hint_items().unwrap();
    assert!(items[0].severity >= Severity::Major, "{items:?}");
    assert!(items[0].text.starts_with('✗'), "{items:?}");
    for pair in items.windows(2) {
        assert!(
            pair[0].severity >= pair[1].severity || pair[0].severity > Severity::Note,
            "{items:?}"
        );
    }
    let politeness = items
        .iter()
        .find(|i| i.text.starts_with("Politesse"))
        .unwrap();
    assert_eq!(
        politeness.severity,
        Severity::Note,
        "a polite draft with a fault is not shown as good"
    );
    assert!(
        items.iter().all(|i| i.severity != Severity::Good),
        "{items:?}"
    );
    let asked = s
        .sim
        .latest_customer_message(CustomerId(0))
        .unwrap()
        .text
        .clone();
    s.composer.text = format!(
        "Bonjour, merci pour votre message : « {asked} » Je regarde tout de suite et reviens vers vous."
    );
    let items = s.hint_items().unwrap();
    assert!(
        items.iter().all(|i| i.severity <= Severity::Note),
        "{items:?}"
    );
    assert!(
        items
            .iter()
            .any(|i| i.severity == Severity::Good && i.text.starts_with('✓')),
        "{items:?}"
    );
}

#[test]
fn refusals_name_the_customer_by_handle_and_say_what_is_really_missing() {
    let (mut harness, handle) = billing_customer_chosen();
    let s = session(&mut harness);
    s.composer.private = true;
    s.composer.text = "Bonjour, votre numéro de contrat ?".into();
    assert!(!s.send_reply());
    let error = s.composer.error.clone().unwrap();
    assert!(error.contains(&handle), "{error}");
    assert!(!error.contains("n°") && !error.contains('#'), "{error}");

    // The service menu says what each service handles.
    harness.get_by_role(Role::ComboBox).click();
    harness.run();
    harness.get_by_label_contains("Factures, prélèvements, remboursements");
    harness.get_by_label_contains("Facturation").click();
    harness.run();
    // Not given yet: the refusal says to ask for it.
    harness.get_by_label("Transmettre le dossier").click();
    harness.run();
    let error = session(&mut harness).composer.error.clone().unwrap();
    assert!(error.contains("pas encore donné"), "{error}");
    // Given, pre-ticked, then unticked by hand: the refusal says to tick it.
    session(&mut harness).composer.private = false;
    type_and_send(
        &mut harness,
        "Bonjour, merci pour votre message. Pour protéger vos données, écrivez-nous en message privé : je m'occupe de votre facture.",
    );
    advance_until(&mut harness, 5, |s| s.sim.customers()[2].dm_open);
    type_and_send(
        &mut harness,
        "Merci. Pouvez-vous m'indiquer votre numéro de contrat pour que je transmette votre demande ?",
    );
    advance_until(&mut harness, 5, |s| s.sim.customers()[2].provided != 0);
    harness
        .get_by_role_and_label(Role::CheckBox, "numéro de contrat *")
        .click();
    harness.run();
    session(&mut harness).composer.transfer_service = Some(0);
    assert!(!session(&mut harness).transfer());
    let error = session(&mut harness).composer.error.clone().unwrap();
    assert!(error.contains("cochez"), "{error}");
    assert!(!error.contains("pas encore donné"), "{error}");
    assert_eq!(session(&mut harness).sim.counters().transfers, 0);
}

#[test]
fn the_public_feed_reads_left_to_right_with_network_and_account_marks() {
    let (mut harness, _) = first_customer_selected();
    type_and_send(
        &mut harness,
        "Bonjour, merci pour votre message, je regarde. ^Camille",
    );
    harness.get_by_label("Fil public").click();
    harness.run();
    let s = session(&mut harness);
    let c = &s.sim.customers()[0];
    let first_text = s.sim.message(c.messages[0]).unwrap().text.clone();
    let handle = c.handle.clone();
    let brand = s.sim.scenario().brand.name.clone();
    let mark = match c.channel {
        raleur::engine::scenario::Channel::Twitter => " t ",
        raleur::engine::scenario::Channel::Facebook => " f ",
    };
    let row = harness
        .get_by_label(&format!("{handle} {first_text}"))
        .rect();
    let reply_row = harness
        .get_all_by_role(Role::Button)
        .find(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with(&format!("↳ {brand} ")))
        })
        .expect("the brand's reply in the feed")
        .rect();
    assert_eq!(
        row.left(),
        reply_row.left(),
        "rows start at the same left edge"
    );
    let mark_rect = harness
        .get_all_by_label(mark)
        .map(|n| n.rect())
        .find(|r| (r.center().y - row.center().y).abs() < 2.0)
        .expect("the network's mark on the customer's line");
    assert!(
        mark_rect.left() - row.left() < 10.0,
        "the mark opens the line"
    );
    harness
        .get_all_by_label("service client")
        .next()
        .expect("the account written to");
}

#[test]
fn every_text_colour_of_the_theme_reads_on_its_background() {
    let visuals = raleur::desk::style::visuals();
    let pairs = raleur::desk::style::text_pairs(&visuals);
    assert!(pairs.len() > 40);
    let failing: Vec<String> = pairs
        .iter()
        .map(|p| (p, raleur::desk::style::contrast_ratio(p.text, p.background)))
        .filter(|(_, ratio)| *ratio < 4.5)
        .map(|(p, ratio)| format!("{}: {ratio:.2}", p.name))
        .collect();
    assert!(failing.is_empty(), "below WCAG AA 4.5:1: {failing:?}");
    // The ratio itself: black on white is 21, a colour on itself 1.
    let ratio = raleur::desk::style::contrast_ratio(egui::Color32::BLACK, egui::Color32::WHITE);
    assert!((ratio - 21.0).abs() < 1e-9);
}

#[test]
fn the_desk_writes_numbers_and_plurals_as_french_does() {
    let fr = Texts::new(Lang::Fr);
    assert_eq!(fr.decimal(93.5, 1), "93,5");
    assert_eq!(fr.decimal(12_345.0, 0), "12\u{a0}345");
    assert_eq!(
        fr.t_with(
            "history-messages",
            &[
                ("posts", raleur::desk::i18n::num(1.0)),
                ("replies", raleur::desk::i18n::num(0.0)),
                ("followups", raleur::desk::i18n::num(2.0)),
            ]
        ),
        "1 message, 0 réponse reçue, 2 relances"
    );
    assert_eq!(
        fr.t_with("followers", &[("count", raleur::desk::i18n::num(0.0))]),
        "0 abonné"
    );
    assert_eq!(
        fr.t_with(
            "conversation-summary",
            &[
                ("replies", raleur::desk::i18n::num(0.0)),
                ("points", raleur::desk::i18n::num(100.0)),
            ]
        ),
        "jamais répondu, 100 points perdus"
    );
    let en = Texts::new(Lang::En);
    assert_eq!(en.decimal(93.5, 1), "93.5");
    assert_eq!(
        en.t_with("followers", &[("count", raleur::desk::i18n::num(12_000.0))]),
        "12,000 followers"
    );
}

#[test]
fn the_debrief_names_no_internal_ids_and_no_points_that_cost_nothing() {
    let mut desk = price_war_desk("Camille Martin", 1, None);
    desk.advance_by(40 * MINUTE_MS);
    let debrief = raleur::desk::debrief::DebriefDesk::new(&desk);
    let kinds: Vec<String> = desk
        .sim
        .scenario()
        .kinds
        .iter()
        .map(|k| k.id.clone())
        .collect();
    for advice in &debrief.debrief.advice {
        if let Some(example) = &advice.example {
            for kind in &kinds {
                assert!(!example.contains(&format!("({kind})")), "{example}");
            }
        }
    }
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(
            |ui, d: &mut raleur::desk::debrief::DebriefDesk| {
                d.ui(ui);
            },
            debrief,
        );
    harness.run();
    let labels: Vec<String> = harness
        .query_all(egui_kittest::kittest::by())
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    let costless = |l: &String| {
        l.starts_with("0 point")
            || l.contains(", 0 point")
            || l.contains("\u{2212}0 ")
            || l.contains("\u{2212}0,0")
            || l.starts_with("0 fois")
    };
    assert!(
        !labels.iter().any(costless),
        "{:?}",
        labels.iter().filter(|l| costless(l)).collect::<Vec<_>>()
    );
    harness
        .get_all_by_label_contains("jamais répondu")
        .next()
        .expect("unanswered customers say so");
    assert!(harness.query_by_label_contains("1 réponse, 100").is_none());
    // Scores stand beside their bars: text over a coloured fill would not read.
    let bars: Vec<_> = harness.get_all_by_role(Role::ProgressIndicator).collect();
    assert!(bars.len() >= 8, "{}", bars.len());
    for bar in bars {
        let label = bar.accesskit_node().label().unwrap_or_default();
        assert!(!label.chars().any(|c| c.is_ascii_digit()), "{label:?}");
    }
    let overall = harness.state().debrief.scores.overall;
    harness.get_by_label(&Texts::new(Lang::Fr).decimal(overall, 1));
    // Exports show where the file is, whatever the working directory.
    let dir = std::env::temp_dir().join(format!("raleur-desk-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let relative = pathdiff_relative(&dir);
    let written = harness.state_mut().export_json(&relative).unwrap();
    assert!(written.is_absolute(), "{}", written.display());
    assert!(written.is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `dir` as a path relative to the working directory (as a trainee's "." would be).
fn pathdiff_relative(dir: &Path) -> PathBuf {
    let here = std::env::current_dir().unwrap();
    let mut up = PathBuf::new();
    for _ in here.components().skip(1) {
        up.push("..");
    }
    up.join(dir.strip_prefix("/").unwrap())
}

#[test]
fn a_reply_that_takes_up_the_customer_s_first_message_is_not_called_generic() {
    let mut harness = billing_customer_invited_to_private();
    advance_until(&mut harness, 5, |s| s.sim.customers()[2].dm_open);
    let s = session(&mut harness);
    let latest = s
        .sim
        .latest_customer_message(CustomerId(2))
        .unwrap()
        .text
        .clone();
    assert!(
        !latest.to_lowercase().contains("factu"),
        "the private message does not name the bill: {latest}"
    );
    s.composer.text = "Merci, je regarde votre facture de ce mois tout de suite.".into();
    let hint = s.hint_line().unwrap();
    assert!(!hint.contains("ne reprend rien"), "{hint}");
    // A reply that takes up nothing the customer wrote is still called generic.
    s.composer.text = "Merci, nous vérifions immédiatement.".into();
    let hint = s.hint_line().unwrap();
    assert!(hint.contains("ne reprend rien"), "{hint}");
}

#[test]
fn chart_scales_stay_short_when_the_buzz_passes_a_thousand() {
    use raleur::desk::debrief::axis_number;
    assert_eq!(axis_number(Lang::Fr, 950.0), "950");
    assert_eq!(axis_number(Lang::Fr, 1_200.0), "1,2\u{a0}k");
    assert_eq!(axis_number(Lang::Fr, 12_000.0), "12\u{a0}k");
    assert_eq!(axis_number(Lang::En, 1_250.0), "1.2k");
    assert_eq!(axis_number(Lang::En, 0.0), "0");
    // Every mark up to a large buzz fits the scale's width at the desk's font size.
    for value in [0.0, 500.0, 999.0, 1_500.0, 25_000.0, 125_000.0] {
        assert!(axis_number(Lang::Fr, value).chars().count() <= 7, "{value}");
    }
}

#[test]
fn the_buzz_gauge_says_what_it_measures_and_its_number_stands_beside_it() {
    let (mut harness, _) = first_customer_selected();
    let explained = Texts::new(Lang::Fr).t("buzz-explained");
    assert!(
        explained.contains("une réponse n'efface pas"),
        "{explained}"
    );
    harness.get_by_label("Bad buzz").hover();
    harness.run();
    harness.get_by_label(&explained);
    // The number is a label of its own, not the gauge's text.
    let buzz = session(&mut harness).sim.buzz_now();
    let number = Texts::new(Lang::Fr).decimal(buzz, 0);
    let label = harness.get_by_label(&number).rect();
    let gauge = harness.get_by_role(Role::ProgressIndicator).rect();
    assert!(label.left() >= gauge.right(), "{label:?} {gauge:?}");
}

#[test]
fn a_chart_scale_labels_at_least_two_marks_whatever_its_range() {
    use raleur::desk::debrief::nice_steps;
    assert_eq!(nice_steps(51.0), [100.0, 500.0, 1_000.0]);
    assert_eq!(nice_steps(0.3), [0.5, 2.0, 5.0]);
    // A chart 120 points high; egui_plot labels steps at least 20 points apart.
    let height = 120.0;
    for top in [3.0, 40.0, 770.0, 999.0, 1_800.0, 25_000.0, 310_000.0] {
        let points_per_unit = height / top;
        let steps = nice_steps(8.0 / points_per_unit);
        let labelled = steps
            .iter()
            .copied()
            .find(|step| step * points_per_unit > 20.0)
            .unwrap_or_else(|| panic!("{top}: no step is labelled: {steps:?}"));
        let marks = (top / labelled).floor() as u32 + 1;
        assert!(
            marks >= 2,
            "{top}: only {marks} labelled mark with {steps:?}"
        );
    }
}

#[test]
fn the_hint_line_does_not_praise_salut_to_a_customer_who_writes_formally() {
    let (mut harness, customer) = first_customer_selected();
    let s = session(&mut harness);
    let asked = s
        .sim
        .latest_customer_message(customer)
        .unwrap()
        .text
        .clone();
    assert!(asked.starts_with("Bonjour"), "a formal customer: {asked}");
    s.composer.text = "Salut ! Merci pour votre message, je regarde votre question.".into();
    assert!(
        !s.hint().unwrap().flags.greeting,
        "\"salut\" is no polite greeting here"
    );
    let hint = s.hint_line().unwrap();
    assert!(
        hint.starts_with('✗'),
        "the familiar register is a fault: {hint}"
    );
    s.composer.text = "Bonjour ! Merci pour votre message, je regarde votre question.".into();
    assert!(s.hint().unwrap().flags.greeting);
}

#[test]
fn a_customer_s_details_posted_in_public_are_hidden_from_the_conversation() {
    let mut harness = session_harness(price_war_desk("Camille Martin", 1, None));
    harness.run();
    let exposed = |desk: &SessionDesk| {
        desk.sim.customers().iter().find_map(|c| {
            let first = desk.sim.message(c.messages[0])?;
            first.personal_data.then_some((c.id, first.id))
        })
    };
    for _ in 0..8 * 60 {
        if exposed(harness.state()).is_some() {
            break;
        }
        harness.state_mut().advance_by(MINUTE_MS / 4);
    }
    let (customer, message) = exposed(harness.state()).expect("someone pastes their details");
    harness.state_mut().select(customer);
    harness.run();
    harness.get_by_label("🙈 Masquer").click();
    harness.run();
    let desk = harness.state();
    assert!(desk.sim.message(message).unwrap().hidden);
    assert!(desk.composer.error.is_none(), "{:?}", desk.composer.error);
    // Moderation, not censorship: the customer is not angered for it.
    assert!(!desk.sim.records().iter().any(|r| matches!(
        &r.event,
        Event::Reaction { customer: c, causes, .. }
            if *c == customer && causes.contains(&raleur::engine::transcript::Cause::Hidden)
    )));
    harness.get_by_label("(masqué)");
    assert!(harness.query_by_label("🙈 Masquer").is_none());
    // Liking it is on the page too, and shows once done.
    harness.get_by_label("👍 J'aime").click();
    harness.run();
    assert!(harness.state().sim.message(message).unwrap().liked);
    harness.get_by_label("👍 aimé");
}
