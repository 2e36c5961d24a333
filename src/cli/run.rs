//! `raleur run`: a scripted team plays a scenario headless; the transcript is written and
//! read for the debrief on a second thread while the session goes on.

use super::{RunArgs, load_scenario, print_scenario_errors, scores_line, usage};
use crate::engine::policy::{PolicyConfig, PolicyKind};
use crate::engine::run::{
    RunSpec, Summary, TranscriptPart, run_team_handing_out, summarise_hashed,
};
use crate::engine::scenario::{Lang, Scenario};
use crate::engine::seats::numbered;
use crate::engine::sim::SessionConfig;
use crate::engine::transcript::JsonlWriter;
use crate::score::{ScoringSpec, SessionReader};
use crate::tone::{Memo, ToneAnalyser};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// `raleur run --json`: the summary's fields and the session's scores.
#[derive(serde::Serialize)]
struct RunReport<'a> {
    #[serde(flatten)]
    summary: &'a crate::engine::Summary,
    scores: &'a crate::score::Scores,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a crate::score::TeamScore>,
}

/// The scripted team and the crowd a `run` asks for: `--solo` sizes the crowd for the advisers
/// (one by default) at a person's pace.
fn team_and_crowd(
    args: &RunArgs,
    kind: PolicyKind,
    scenario: &crate::engine::Scenario,
) -> Result<(PolicyConfig, Option<u64>), String> {
    let default_advisers = if args.solo { 1 } else { scenario.team_size };
    let advisers = args.advisers.or(args.seats).unwrap_or(default_advisers);
    let customers_target = if args.solo {
        let crowd = scenario.crowd_for(advisers).ok_or_else(|| {
            format!(
                "{}: the scenario gives no solo_customers_per_hour, so --solo has no size",
                args.scenario.display()
            )
        })?;
        Some(crowd)
    } else {
        args.customers
    };
    let mut policy = PolicyConfig::new(kind, advisers);
    if let Some(minutes) = args.reaction_min {
        if !(minutes.is_finite() && (0.0..=10_080.0).contains(&minutes)) {
            return Err("--reaction-min must be between 0 and 10080".into());
        }
        policy.reaction_ms = (minutes * 60_000.0).round() as u64;
    }
    Ok((policy, customers_target))
}

pub(super) fn run_command(args: RunArgs) -> ExitCode {
    let Some(kind) = PolicyKind::parse(&args.policy) else {
        return usage(&format!(
            "unknown policy {:?}; choose ignore, naive, expert, slow or human",
            args.policy
        ));
    };
    let Some(lang) = Lang::parse(&args.lang) else {
        return usage(&format!(
            "unknown language {:?}; choose fr or en",
            args.lang
        ));
    };
    let loaded = match load_scenario(&args.scenario) {
        Ok(loaded) => loaded,
        Err(errors) => {
            print_scenario_errors(&errors);
            return ExitCode::from(1);
        }
    };
    // One analyser for the run and its debrief, remembering its reports: the debrief reads
    // each reply as the engine did, and gets the engine's report back.
    let analyser = Arc::new(Memo::new(Arc::new(ToneAnalyser::bundled())));
    let (policy, customers_target) = match team_and_crowd(&args, kind, &loaded.scenario) {
        Ok(chosen) => chosen,
        Err(message) => return usage(&message),
    };
    let spec = RunSpec {
        session: SessionConfig {
            seed: args.seed,
            lang,
            customers_target,
        },
        policy,
        scenario_path: args.scenario.display().to_string(),
        scenario_sha256: loaded.sha256,
        analyser: analyser.clone(),
    };
    // The transcript is written (to its file, or only hashed) and read for the debrief on a
    // second thread while the session goes on: the engine hands its records out in batches.
    let scenario = Arc::new(loaded.scenario);
    let (parts, arriving) = std::sync::mpsc::channel();
    let (outcome, written) = std::thread::scope(|scope| {
        let writing = scope
            .spawn(|| write_and_read(arriving, args.transcript.as_deref(), &analyser, &scenario));
        let seats = args.seats.map_or_else(Vec::new, |n| numbered(n as usize));
        let outcome = run_team_handing_out(scenario.clone(), spec, seats, |part| {
            // A writer that stopped reports why below.
            let _ = parts.send(part);
        });
        drop(parts);
        (outcome, writing.join())
    });
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(message) => {
            warn!("{}: {message}", args.scenario.display());
            return ExitCode::from(1);
        }
    };
    let (transcript_sha256, session) = match written {
        Ok(Ok(written)) => written,
        Ok(Err(error)) => {
            let path = args.transcript.as_deref().unwrap_or(Path::new("-"));
            return usage(&format!("cannot write {}: {error}", path.display()));
        }
        Err(_) => return usage("the transcript writer stopped"),
    };
    let spec = ScoringSpec::bundled();
    let debrief = crate::score::debrief(&spec, &analyser, &scenario, &outcome.header, session);
    let summary = summarise_hashed(&outcome, kind.name(), transcript_sha256);
    if args.json {
        let report = RunReport {
            summary: &summary,
            scores: &debrief.scores,
            team: debrief.team.as_ref(),
        };
        match serde_json::to_string(&report) {
            Ok(text) => say!("{text}"),
            Err(error) => return usage(&format!("cannot encode the summary: {error}")),
        }
    } else {
        print_summary(&summary, &debrief.scores);
        let mut team = String::new();
        super::score::write_team(&mut team, &debrief);
        if !team.is_empty() {
            say!("{}", team.trim_end());
        }
    }
    // The process ends here: handing the session's memory back text by text (millions of
    // them at 10,000 customers) would cost a tenth of the whole run.
    std::mem::forget(debrief);
    std::mem::forget(outcome);
    ExitCode::SUCCESS
}

/// Writes the transcript a run hands out (to `path`, or only hashed) and reads it for the
/// debrief, batch by batch; the SHA-256 of the bytes written and the session read.
fn write_and_read(
    parts: std::sync::mpsc::Receiver<TranscriptPart>,
    path: Option<&Path>,
    analyser: &Memo,
    scenario: &Scenario,
) -> std::io::Result<(String, crate::score::Session)> {
    let out: Box<dyn std::io::Write> = match path {
        Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => Box::new(std::io::sink()),
    };
    let mut parts = parts.into_iter();
    let Some(TranscriptPart::Header(header)) = parts.next() else {
        return Err(std::io::Error::other("the run handed out no header"));
    };
    let mut writer = JsonlWriter::new(&header, out)?;
    let mut session = SessionReader::new(analyser, scenario, header.lang);
    for part in parts {
        let TranscriptPart::Records(records) = part else {
            return Err(std::io::Error::other("the run handed out a second header"));
        };
        for record in &records {
            writer.write(record)?;
            session.read(record);
        }
        // The process ends soon: handing the batch's memory back text by text costs more.
        std::mem::forget(records);
    }
    let (sha256, mut out) = writer.finish();
    out.flush()?;
    Ok((sha256, session.finish()))
}

/// The run's summary and scores, one line each, for a person.
fn print_summary(summary: &Summary, scores: &crate::score::Scores) {
    let median = summary
        .median_first_response_s
        .map_or("-".to_string(), |s| format!("{:.0} s", s));
    say!(
        "scenario            {} (seed {}, policy {})",
        summary.scenario,
        summary.seed,
        summary.policy
    );
    say!("customers           {}", summary.customers);
    say!(
        "messages / events   {} / {}",
        summary.messages,
        summary.events
    );
    say!(
        "answered            {} (median first response {median})",
        summary.answered
    );
    say!(
        "resolved            {} ({} transfers, {} bounced)",
        summary.resolved,
        summary.transfers,
        summary.bounces
    );
    say!("ambassadors         {}", summary.ambassadors);
    say!(
        "negative actions    {} ({} escalated, {} shamed)",
        summary.negative_actions,
        summary.escalated,
        summary.shamed
    );
    say!(
        "churned / abandoned {} / {}",
        summary.churned,
        summary.abandoned
    );
    say!("privacy leaks       {}", summary.privacy_leaks);
    say!(
        "data posted unasked {} ({} hidden)",
        summary.unasked_data,
        summary.unasked_data_hidden
    );
    say!(
        "reshares / reach    {} / {}",
        summary.reshares,
        summary.reach
    );
    say!("peak buzz           {}", summary.peak_buzz);
    say!(
        "scores              {} · answered {}%",
        scores_line(scores),
        scores.answered_share
    );
    say!("transcript sha256   {}", summary.transcript_sha256);
}
