//! A desk joined to a seat of a team exercise, as `raleur play --join` opens it, without a
//! window (egui_kittest): shared by the tests of the desk on a seat and of the console.

use egui_kittest::Harness;
use raleur::desk::Desk;
use raleur::desk::session::SessionDesk;
use raleur::tone::ToneAnalyser;
use std::path::Path;
use std::sync::Arc;

/// The desk on the seat `code` opens at the exercise's WebSocket address `ws`.
pub fn desk_on(ws: &str, code: &str, trainee: &str) -> Harness<'static, Desk> {
    let analyser = Arc::new(ToneAnalyser::bundled());
    let session = SessionDesk::join(ws, code, trainee, analyser).unwrap();
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut desk = Desk::new(
        raleur::desk::catalog::Catalog::load(&scenarios),
        raleur::engine::Lang::Fr,
    );
    desk.show_session(session);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(|ui, desk: &mut Desk| desk.frame(ui, 16.0), desk);
    harness.run();
    harness
}

pub fn session<'h>(harness: &'h mut Harness<'static, Desk>) -> &'h mut SessionDesk {
    harness.state_mut().session.as_mut().expect("a session")
}
