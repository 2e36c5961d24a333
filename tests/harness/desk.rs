//! The desk's text fields and intents on any input: what a trainee types as their name, in the
//! composer and in the signature, and what they click, driven through the desk's own intents
//! and drawn in egui frames. Used by `tests/robustness.rs` and `fuzz/fuzz_targets/desk.rs`.
#![allow(dead_code)]

use raleur::desk::catalog::{Catalog, CatalogEntry};
use raleur::desk::menu::MenuDesk;
use raleur::desk::session::SessionDesk;
use raleur::engine::Lang;
use std::sync::OnceLock;

/// What a trainee does at the desk, one step at a time.
#[derive(Clone, Debug)]
pub enum DeskStep {
    /// Replaces the composer's text.
    Type(String),
    /// Replaces the signature.
    SignOff(String),
    /// Selects a conversation by its index in the queue, or an id past every customer.
    Select(u32),
    TogglePrivate,
    Send,
    /// Picks a service (any index) and ticks details (any pattern), then transfers.
    Transfer {
        service: usize,
        ticks: Vec<bool>,
    },
    /// Lets simulated seconds go by.
    Wait(u16),
    /// Draws one frame of the desk.
    Frame,
}

#[derive(Clone, Debug)]
pub struct DeskCase {
    pub trainee: String,
    pub english: bool,
    pub steps: Vec<DeskStep>,
}

fn tutorial() -> &'static CatalogEntry {
    static ENTRY: OnceLock<CatalogEntry> = OnceLock::new();
    ENTRY.get_or_init(|| {
        CatalogEntry::load(&super::project_dir().join("scenarios/tutorial.ron")).expect("loads")
    })
}

/// The start screen takes the name (or refuses it with a message); the session then takes
/// every step; the composer keeps the text of a refused reply; nothing panics.
pub fn desk(case: &DeskCase) {
    let lang = if case.english { Lang::En } else { Lang::Fr };
    let mut catalog = Catalog {
        entries: Vec::new(),
        broken: Vec::new(),
    };
    let index = catalog.insert(tutorial().clone());
    let mut menu = MenuDesk::new(catalog, lang);
    menu.selected = index;
    menu.trainee = case.trainee.clone();
    let ctx = egui::Context::default();
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
        menu.ui(ui);
    });
    // No renderer takes the textures: drop them as one would.
    output.textures_delta.clear();
    let Some(setup) = menu.start() else {
        assert!(menu.error.is_some(), "a refused start says why");
        return;
    };
    let Ok(mut session) = menu.open_session(setup) else {
        return;
    };
    for step in &case.steps {
        apply(&mut session, step, &ctx);
    }
    frame(&mut session, &ctx);
}

fn apply(session: &mut SessionDesk, step: &DeskStep, ctx: &egui::Context) {
    match step {
        DeskStep::Type(text) => session.composer.text = text.clone(),
        DeskStep::SignOff(text) => session.composer.sign_off = text.clone(),
        DeskStep::Select(pick) => {
            let rows = session.queue_rows();
            let customer = match rows.len() {
                0 => raleur::engine::CustomerId(*pick),
                n => rows[*pick as usize % n].customer,
            };
            session.select(customer);
        }
        DeskStep::TogglePrivate => session.composer.private = !session.composer.private,
        DeskStep::Send => {
            let draft = session.composer.text.clone();
            let sent = session.send_reply();
            if !sent {
                assert_eq!(
                    session.composer.text, draft,
                    "a refused reply keeps its text"
                );
            }
        }
        DeskStep::Transfer { service, ticks } => {
            session.composer.transfer_service = Some(*service);
            for (slot, tick) in session.composer.transfer_details.iter_mut().zip(ticks) {
                *slot = *tick;
            }
            session.transfer();
        }
        DeskStep::Wait(seconds) => session.advance_by(u64::from(*seconds) * 1_000),
        DeskStep::Frame => frame(session, ctx),
    }
    // The hint line reads the draft after every keystroke in training mode.
    let _ = session.hint_line();
}

fn frame(session: &mut SessionDesk, ctx: &egui::Context) {
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
        session.ui(ui);
    });
    output.textures_delta.clear();
}
