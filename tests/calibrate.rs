//! The model stays within tolerance of the published figures, and docs/calibration.md is
//! what `raleur calibrate` prints today.

use raleur::calibrate::{CalibrationSpec, Verdict, calibrate, to_markdown};
use raleur::engine::load_scenario;
use raleur::tone::ToneAnalyser;
use std::sync::Arc;

#[test]
fn the_price_war_passes_every_calibration_line_and_the_committed_report_is_current() {
    let path = "scenarios/price_war.ron";
    let loaded = load_scenario(std::path::Path::new(path)).expect("the price war loads");
    let spec = CalibrationSpec {
        scenario: Arc::new(loaded.scenario),
        scenario_path: path.into(),
        scenario_sha256: loaded.sha256,
        analyser: Arc::new(ToneAnalyser::bundled()),
        first_seed: 1,
        seeds: 20,
        threads: 2,
    };
    let report = calibrate(&spec).expect("runs");
    let failed: Vec<String> = report
        .lines
        .iter()
        .filter(|l| l.verdict != Verdict::Pass)
        .map(|l| format!("{} = {:?} ({:?})", l.id, l.model, l.tolerance))
        .collect();
    assert!(failed.is_empty(), "out of tolerance: {failed:#?}");
    assert_eq!(report.lines.len(), 14);
    let markdown = to_markdown(&report, &format!("raleur calibrate {path}"));
    let committed = std::fs::read_to_string("docs/calibration.md").unwrap();
    assert!(
        committed == markdown,
        "docs/calibration.md is stale: regenerate it with `cargo run --release -- calibrate > docs/calibration.md`"
    );
}

#[test]
fn the_report_does_not_depend_on_the_number_of_threads() {
    let path = "scenarios/price_war.ron";
    let loaded = load_scenario(std::path::Path::new(path)).expect("the price war loads");
    let report = |threads| {
        let spec = CalibrationSpec {
            scenario: Arc::new(loaded.scenario.clone()),
            scenario_path: path.into(),
            scenario_sha256: loaded.sha256.clone(),
            analyser: Arc::new(ToneAnalyser::bundled()),
            first_seed: 3,
            seeds: 3,
            threads,
        };
        to_markdown(&calibrate(&spec).expect("runs"), "test")
    };
    assert_eq!(report(1), report(3));
}
