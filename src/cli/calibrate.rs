//! `raleur calibrate`: the model beside the published figures.

use super::{DEFAULT_CALIBRATION_SEEDS, print_scenario_errors};
use crate::calibrate::{CalibrationSpec, calibrate, to_markdown};
use crate::engine::load_scenario;
use crate::tone::ToneAnalyser;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

pub fn calibrate_command(path: &Path, seeds: u64, first_seed: u64, json: bool) -> ExitCode {
    let loaded = match load_scenario(path) {
        Ok(loaded) => loaded,
        Err(errors) => {
            print_scenario_errors(&errors);
            return ExitCode::from(1);
        }
    };
    let spec = CalibrationSpec {
        scenario: Arc::new(loaded.scenario),
        scenario_path: path.display().to_string(),
        scenario_sha256: loaded.sha256,
        analyser: Arc::new(ToneAnalyser::bundled()),
        first_seed,
        seeds,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let report = match calibrate(&spec) {
        Ok(report) => report,
        Err(message) => {
            warn!("{}: {message}", path.display());
            return ExitCode::from(1);
        }
    };
    if json {
        match serde_json::to_string(&report) {
            Ok(text) => say!("{text}"),
            Err(error) => {
                warn!("raleur calibrate: cannot encode the report: {error}");
                return ExitCode::from(2);
            }
        }
    } else {
        let mut command = format!("raleur calibrate {}", path.display());
        if seeds != DEFAULT_CALIBRATION_SEEDS || first_seed != 1 {
            command.push_str(&format!(" --seeds {seeds} --first-seed {first_seed}"));
        }
        crate::cli::write_stdout(format_args!("{}", to_markdown(&report, &command)));
    }
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
