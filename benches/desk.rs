//! The time to build one frame of the care desk (egui layout and tessellation, no GPU) with
//! a crowded session: at least 5,000 posts in the public feed and 500 conversations in the
//! queue. The peer, measured in the same run, is an empty egui frame.

use criterion::{Criterion, criterion_group, criterion_main};
use raleur::desk::catalog::CatalogEntry;
use raleur::desk::report::shared_analyser;
use raleur::desk::session::{Crowd, Mode, QueueFilter, SessionDesk, SessionSetup};
use raleur::engine::{Lang, PolicyKind};
use std::hint::black_box;
use std::path::Path;

/// The price war, scaled and played by a slow team until the feed and the queue are full.
fn crowded_desk() -> SessionDesk {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/price_war.ron");
    let entry = CatalogEntry::load(&path).expect("the price war loads");
    let setup = SessionSetup {
        trainee: "Bench".into(),
        scenario: entry,
        seed: 1,
        lang: Lang::Fr,
        mode: Mode::Training,
        autoplay: Some(PolicyKind::Slow),
        customers_target: Some(3_000),
        crowd: Crowd::Team,
    };
    let mut desk = SessionDesk::new(setup, shared_analyser()).expect("the session starts");
    let minute = 60_000;
    while desk.feed().len() < 5_000 || desk.queue_rows().len() < 500 {
        assert!(
            !desk.sim.is_over(),
            "the session ended before the desk was crowded"
        );
        desk.advance_by(minute);
    }
    desk.filter = QueueFilter::Open;
    desk.show_feed = true;
    let busiest = desk.queue_rows()[0].customer;
    desk.select(busiest);
    desk.composer.text =
        "Bonjour, je comprends votre agacement : écrivez-nous en message privé".into();
    desk
}

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 900.0),
        )),
        ..Default::default()
    }
}

fn frame(c: &mut Criterion) {
    let mut desk = crowded_desk();
    eprintln!(
        "desk: {} posts in the feed, {} conversations in the queue, {} customers",
        desk.feed().len(),
        desk.queue_rows().len(),
        desk.sim.customers().len()
    );
    let ctx = egui::Context::default();
    raleur::desk::style::apply_theme(&ctx);
    // Warm up: fonts, galley caches, as after the first seconds of a session.
    for _ in 0..3 {
        let mut output = ctx.run_ui(input(), |ui| {
            desk.ui(ui);
        });
        output.textures_delta.clear();
    }
    let mut group = c.benchmark_group("desk_frame");
    group.bench_function("crowded_session_layout", |b| {
        b.iter(|| {
            let mut output = ctx.run_ui(input(), |ui| {
                black_box(desk.ui(ui));
            });
            output.textures_delta.clear();
            black_box(output.shapes.len())
        })
    });
    group.bench_function("crowded_session_layout_and_tessellation", |b| {
        b.iter(|| {
            let mut output = ctx.run_ui(input(), |ui| {
                black_box(desk.ui(ui));
            });
            output.textures_delta.clear();
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point).len())
        })
    });
    let empty = egui::Context::default();
    group.bench_function("empty_frame_peer", |b| {
        b.iter(|| {
            let mut output = empty.run_ui(input(), |ui| {
                black_box(ui.label("raleur"));
            });
            output.textures_delta.clear();
            black_box(output.shapes.len())
        })
    });
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
