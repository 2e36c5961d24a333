//! `raleur score`: the debrief of a recorded session.

use super::load_session;
use crate::score::{Debrief, ScoringSpec, score};
use crate::tone::ToneAnalyser;
use crate::tone::lexicon::Severity;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub fn score_command(path: &Path, scenario_override: Option<&Path>, json: bool) -> ExitCode {
    let session = match load_session(path, scenario_override) {
        Ok(session) => session,
        Err(code) => return code,
    };
    let spec = ScoringSpec::bundled();
    let analyser = ToneAnalyser::bundled();
    let debrief = score(
        &spec,
        &analyser,
        &session.scenario,
        &session.header,
        &session.records,
    );
    if json {
        return match serde_json::to_string(&debrief) {
            Ok(text) => {
                say!("{text}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                warn!("raleur score: cannot encode the debrief: {error}");
                ExitCode::from(2)
            }
        };
    }
    let mut out = String::new();
    write_scores(&mut out, &debrief);
    write_team(&mut out, &debrief);
    write_crisis(&mut out, &debrief);
    write_advice(&mut out, &debrief);
    write_replies(&mut out, &debrief);
    if let Err(error) = std::io::stdout().lock().write_all(out.as_bytes()) {
        crate::cli::stdout_failed(&error);
    }
    ExitCode::SUCCESS
}

/// The scores, speed by channel, and outcomes.
fn write_scores(out: &mut String, debrief: &Debrief<'_>) {
    let s = &debrief.scores;
    let _ = writeln!(
        out,
        "{} (seed {}): overall {}/100",
        debrief.scenario, debrief.seed, s.overall
    );
    for (name, value) in [
        ("speed", s.speed),
        ("civil", s.civil),
        ("technical", s.technical),
        ("contractual", s.contractual),
        ("redirection", s.redirection),
        ("outcomes", s.outcomes),
        ("tone (politeness)", s.tone),
        ("answered share", s.answered_share),
    ] {
        let _ = writeln!(out, "  {name:<18} {value:>5.1}");
    }
    for channel in &debrief.speed {
        let _ = writeln!(
            out,
            "  {:?}: {} customers, {} answered, {:.0}% within {} min, median first response {}",
            channel.channel,
            channel.customers,
            channel.answered,
            channel.within_norm_share * 100.0,
            channel.norm_min,
            channel
                .median_first_response_s
                .map_or("-".into(), |s| format!("{s:.0} s"))
        );
    }
    let o = &debrief.outcomes;
    let _ = writeln!(
        out,
        "  outcomes: {} customers, {} churned, {} ambassadors, peak buzz {}",
        o.customers, o.churned, o.ambassadors, o.peak_buzz
    );
}

/// A team session's seats, then the team's collisions and hand-offs.
pub(super) fn write_team(out: &mut String, debrief: &Debrief<'_>) {
    let Some(team) = &debrief.team else {
        return;
    };
    let _ = writeln!(
        out,
        "\nteam: {} collisions, {} hand-offs, {} conversations answered by more than one seat",
        team.collisions, team.hand_overs, team.shared_conversations
    );
    let _ = writeln!(
        out,
        "  {:<16} {:>7} {:>13} {:>12} {:>6} {:>9} {:>7} {:>11} {:>10}",
        "seat",
        "replies",
        "conversations",
        "first (med.)",
        "civil",
        "transfers",
        "claims",
        "handed/got",
        "collisions"
    );
    for seat in &team.seats {
        let first = seat
            .median_first_response_s
            .map_or("-".into(), |s| format!("{} · {s:.0} s", seat.first_answers));
        let civil = seat.civil.map_or("-".into(), |c| format!("{c:.1}"));
        let _ = writeln!(
            out,
            "  {:<16} {:>7} {:>13} {:>12} {:>6} {:>9} {:>7} {:>11} {:>10}",
            seat.seat,
            seat.replies,
            seat.conversations,
            first,
            civil,
            seat.transfers,
            seat.claims,
            format!("{}/{}", seat.handed_over, seat.received),
            seat.collisions
        );
    }
}

/// Crisis communication: statements by incident and channel, escalations, each point lost.
fn write_crisis(out: &mut String, debrief: &Debrief<'_>) {
    let Some(crisis) = &debrief.crisis else {
        return;
    };
    let _ = writeln!(
        out,
        "\ncrisis communication {}/100: {} of {} escalations in time, {} articles",
        crisis.score, crisis.escalations_in_time, crisis.escalations_due, crisis.articles
    );
    for speech in &crisis.incidents {
        let _ = writeln!(
            out,
            "  {} on {:?}: first statement {} (norm {} min), {} statements, quality {}, {} of {} promised updates missed",
            speech.label,
            speech.channel,
            speech
                .first_statement_min
                .map_or("none".into(), |m| format!("at {m} min")),
            speech.norm_min,
            speech.statements,
            speech.quality.map_or("-".into(), |q| format!("{q}")),
            speech.updates_missed,
            speech.updates_promised
        );
    }
    for loss in &crisis.lost {
        let _ = writeln!(out, "  - {}", loss.message);
    }
}

/// The advice, worst first, with an example each.
fn write_advice(out: &mut String, debrief: &Debrief<'_>) {
    let _ = writeln!(out, "\nadvice");
    for (i, advice) in debrief.advice.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. {} ({} times, {} points)",
            i + 1,
            advice.advice,
            advice.occurrences,
            advice.points_lost
        );
        if let Some(example) = &advice.example {
            let _ = writeln!(out, "   e.g. {example}");
        }
    }
}

/// Every reply with its findings and the points it lost, then each conversation's.
fn write_replies(out: &mut String, debrief: &Debrief<'_>) {
    let _ = writeln!(out, "\nreplies");
    for conversation in &debrief.conversations {
        for reply in &conversation.replies {
            let minutes = reply.t_ms / 60_000;
            let _ = writeln!(
                out,
                "[{:02}:{:02}] {} {} · politeness {} · civil {}",
                minutes / 60,
                minutes % 60,
                conversation.handle,
                if reply.private {
                    "(private)"
                } else {
                    "(public)"
                },
                reply.politeness,
                reply.civil
            );
            let _ = writeln!(out, "  {}", reply.text);
            for finding in &reply.findings {
                if finding.severity >= Severity::Minor {
                    let _ = writeln!(out, "  - {}", finding.message);
                }
            }
            for loss in &reply.lost {
                let _ = writeln!(
                    out,
                    "  -{} {:?}: {}",
                    loss.points, loss.competence, loss.message
                );
            }
        }
        for loss in &conversation.lost {
            let _ = writeln!(
                out,
                "  {} -{} {:?}: {}",
                conversation.handle, loss.points, loss.competence, loss.message
            );
        }
    }
}
