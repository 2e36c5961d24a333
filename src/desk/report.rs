//! What the debrief shows and exports: the scores, the session over time, the response
//! times, and a self-contained HTML report.

use super::i18n::{Texts, num, text};
use crate::academy::certificate::escape;
use crate::engine::Lang;
use crate::engine::scenario::Scenario;
use crate::engine::transcript::{Event, Record};
use crate::score::{CrisisScore, Debrief, IncidentSpeech, ScoringSpec, SeatScore, TeamScore};
use crate::tone::ToneAnalyser;
use crate::tone::lexicon::Severity;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

/// The bundled scoring rules, built once: debriefs borrow their messages from them.
pub fn scoring_spec() -> &'static ScoringSpec {
    static SPEC: OnceLock<ScoringSpec> = OnceLock::new();
    SPEC.get_or_init(ScoringSpec::bundled)
}

fn analyser_cell() -> &'static Arc<ToneAnalyser> {
    static ANALYSER: OnceLock<Arc<ToneAnalyser>> = OnceLock::new();
    ANALYSER.get_or_init(|| Arc::new(ToneAnalyser::bundled()))
}

/// The bundled reply analyser, built once.
pub fn tone_analyser() -> &'static ToneAnalyser {
    analyser_cell()
}

/// The bundled reply analyser, shared with a simulation.
pub fn shared_analyser() -> Arc<ToneAnalyser> {
    Arc::clone(analyser_cell())
}

/// The scores as the debrief lists them: each with its interface text key.
pub fn score_rows(s: &crate::score::Scores) -> [(&'static str, f64); 9] {
    [
        ("score-overall", s.overall),
        ("score-speed", s.speed),
        ("score-civil", s.civil),
        ("score-technical", s.technical),
        ("score-contractual", s.contractual),
        ("score-redirection", s.redirection),
        ("score-outcomes", s.outcomes),
        ("score-tone", s.tone),
        ("score-answered", s.answered_share),
    ]
}

/// One sample of the session, as the engine records them every simulated minute or so.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct SamplePoint {
    pub minute: f64,
    pub waiting: u32,
    pub mean_anger: u8,
    pub buzz: u64,
}

pub fn timeline(records: &[Record]) -> Vec<SamplePoint> {
    records
        .iter()
        .filter_map(|r| match r.event {
            Event::Sample {
                waiting,
                mean_anger,
                buzz,
                ..
            } => Some(SamplePoint {
                minute: r.t_ms as f64 / 60_000.0,
                waiting,
                mean_anger,
                buzz,
            }),
            _ => None,
        })
        .collect()
}

/// A facilitator's move on the session's timeline (an inject, a post typed live): its minute
/// and what it was, as the debrief's charts mark it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TimelineMark {
    pub minute: f64,
    pub label: String,
}

pub fn inject_marks(records: &[Record], scenario: &Scenario, lang: Lang) -> Vec<TimelineMark> {
    records
        .iter()
        .filter_map(|r| {
            let label = match &r.event {
                Event::Inject { inject, .. } => scenario.inject_label(inject, lang).to_string(),
                Event::PostAs { persona, .. } => {
                    format!("✎ {}", scenario.persona_label(persona, lang))
                }
                _ => return None,
            };
            Some(TimelineMark {
                minute: r.t_ms as f64 / 60_000.0,
                label,
            })
        })
        .collect()
}

/// Minutes to first response, one per answered conversation.
pub fn first_response_minutes(debrief: &Debrief) -> Vec<f64> {
    debrief
        .conversations
        .iter()
        .filter_map(|c| c.first_response_s.map(|s| s / 60.0))
        .collect()
}

/// Histogram bins for first responses: [0,1), [1,2), ... and one for `cap` or more.
pub fn histogram(minutes: &[f64], cap: usize) -> Vec<u32> {
    let mut bins = vec![0; cap + 1];
    for m in minutes {
        if m.is_finite() && *m >= 0.0 {
            bins[(m.floor() as usize).min(cap)] += 1;
        }
    }
    bins
}

/// Non-overlapping highlighted pieces of a reply: (start, end, severity) by byte, in order.
pub fn highlights(
    text: &str,
    findings: &[(usize, usize, Severity)],
) -> Vec<(usize, usize, Option<Severity>)> {
    let mut spans: Vec<(usize, usize, Severity)> = findings
        .iter()
        .filter(|(s, e, _)| {
            s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
        })
        .copied()
        .collect();
    spans.sort_by_key(|(s, e, _)| (*s, *e));
    let mut pieces = Vec::new();
    let mut at = 0;
    for (start, end, severity) in spans {
        let start = start.max(at);
        if start >= end {
            continue;
        }
        if start > at {
            pieces.push((at, start, None));
        }
        pieces.push((start, end, Some(severity)));
        at = end;
    }
    if at < text.len() {
        pieces.push((at, text.len(), None));
    }
    pieces
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Good => "good",
        Severity::Note => "note",
        Severity::Minor => "minor",
        Severity::Major => "major",
        Severity::Critical => "critical",
    }
}

/// Points lost as the debrief writes them ("−2,5"); none when they round to nothing.
pub fn points_lost(texts: &Texts, points: f64) -> Option<String> {
    (points >= 0.05).then(|| format!("\u{2212}{}", texts.decimal(points, 1)))
}

/// The sign before a finding: a good point, a note, or a fault.
pub fn severity_sign(severity: Severity) -> &'static str {
    match severity {
        Severity::Good => "✓",
        Severity::Note => "ℹ",
        Severity::Minor | Severity::Major | Severity::Critical => "✗",
    }
}

/// An SVG polyline chart of one series over the session.
fn svg_chart(title: &str, points: &[(f64, f64)], marks: &[TimelineMark]) -> String {
    let (w, h, pad) = (640.0, 160.0, 30.0);
    let max_x = points
        .iter()
        .map(|p| p.0)
        .chain(marks.iter().map(|m| m.minute))
        .fold(1.0_f64, f64::max);
    let max_y = points.iter().map(|p| p.1).fold(1.0_f64, f64::max);
    let mut path = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let px = pad + x / max_x * (w - 2.0 * pad);
        let py = h - pad - y / max_y * (h - 2.0 * pad);
        let _ = write!(path, "{}{px:.1},{py:.1}", if i == 0 { "" } else { " " });
    }
    // The facilitator's injects, as dashed verticals titled with what they were.
    let mut lines = String::new();
    for mark in marks {
        let x = pad + mark.minute / max_x * (w - 2.0 * pad);
        let _ = write!(
            lines,
            "<line x1=\"{x:.1}\" y1=\"{pad}\" x2=\"{x:.1}\" y2=\"{}\" class=\"mark\"><title>{}</title></line>",
            h - pad,
            escape(&mark.label)
        );
    }
    format!(
        "<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">\
<line x1=\"{pad}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\" class=\"axis\"/>\
<line x1=\"{pad}\" y1=\"{pad}\" x2=\"{pad}\" y2=\"{y0}\" class=\"axis\"/>\
<text x=\"2\" y=\"{pad}\" class=\"tick\">{max_y:.0}</text>\
<text x=\"{x1}\" y=\"{h}\" class=\"tick\" text-anchor=\"end\">{max_x:.0} min</text>\
{lines}<polyline points=\"{path}\" class=\"series\"/></svg></figure>",
        escape(title),
        y0 = h - pad,
        x1 = w - pad,
    )
}

/// The debrief as one HTML file with its styles inline: no script, no outside resource.
pub fn html_report(
    debrief: &Debrief,
    (samples, marks): (&[SamplePoint], &[TimelineMark]),
    texts: &Texts,
    trainee: &str,
    title: &str,
) -> String {
    let s = &debrief.scores;
    let mut out = String::new();
    let lang = match texts.lang() {
        crate::engine::Lang::Fr => "fr",
        crate::engine::Lang::En => "en",
    };
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
body{{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}}\
table{{border-collapse:collapse}}td,th{{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}}\
.score{{font-weight:bold}}mark.good{{background:#c9f0d0}}mark.note{{background:#dde8f7}}\
mark.minor{{background:#fff0b3}}mark.major{{background:#ffd1a6}}mark.critical{{background:#ffb3b3}}\
.reply{{border-left:3px solid #89a;padding:4px 8px;margin:6px 0}}.loss{{color:#a33;font-size:90%}}\
svg .axis{{stroke:#888}}svg .series{{fill:none;stroke:#3570c0;stroke-width:2}}svg .tick{{font-size:11px;fill:#555}}\
svg .mark{{stroke:#b42318;stroke-dasharray:4 3}}\
</style></head><body>",
        escape(&texts.t("debrief-title"))
    );
    let _ = write!(
        out,
        "<h1>{}</h1><p>{}</p>",
        escape(&texts.t("debrief-title")),
        escape(&texts.t_with(
            "debrief-subtitle",
            &[
                ("trainee", super::i18n::text(trainee)),
                ("scenario", super::i18n::text(title)),
                ("seed", text(debrief.seed.to_string())),
            ],
        ))
    );
    let _ = write!(out, "<h2>{}</h2><table>", escape(&texts.t("scores")));
    for (key, value) in score_rows(s) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"score\">{value:.1}</td></tr>",
            escape(&texts.t(key))
        );
    }
    out.push_str("</table>");
    html_team(&mut out, debrief, texts);
    html_crisis(&mut out, debrief, texts);
    let _ = write!(out, "<h2>{}</h2><ol>", escape(&texts.t("advice")));
    for advice in &debrief.advice {
        let _ = write!(
            out,
            "<li>{} <span class=\"loss\">({})</span></li>",
            escape(advice.advice),
            escape(&texts.t_with(
                "advice-count",
                &[
                    ("count", num(advice.occurrences as f64)),
                    ("points", num(advice.points_lost.round())),
                ],
            ))
        );
    }
    out.push_str("</ol>");
    html_charts(&mut out, debrief, (samples, marks), texts);
    html_replies(&mut out, debrief, texts);
    out.push_str("</body></html>\n");
    out
}

/// The headings of a cell's table of seats, for the debrief screen and the exported page.
pub const TEAM_COLUMNS: [&str; 5] = [
    "team-seat",
    "team-replies",
    "team-first",
    "team-civil",
    "team-handoffs",
];

/// The cell's line: collisions, hand-offs, conversations shared between seats.
pub fn team_line(texts: &Texts, team: &TeamScore) -> String {
    texts.t_with(
        "team-line",
        &[
            ("collisions", num(team.collisions as f64)),
            ("handoffs", num(team.hand_overs as f64)),
            ("shared", num(team.shared_conversations as f64)),
        ],
    )
}

/// One seat's row, under `TEAM_COLUMNS`.
pub fn team_cells(texts: &Texts, seat: &SeatScore) -> [String; 5] {
    let first = seat.median_first_response_s.map_or("–".into(), |s| {
        texts.t_with(
            "team-first-value",
            &[
                ("count", num(seat.first_answers as f64)),
                ("seconds", num(s.round())),
            ],
        )
    });
    [
        seat.seat.clone(),
        seat.replies.to_string(),
        first,
        seat.civil.map_or("–".into(), |c| texts.decimal(c, 1)),
        format!("{} / {}", seat.handed_over, seat.received),
    ]
}

/// A cell's seats, as the debrief screen lists them.
pub(crate) fn html_team(out: &mut String, debrief: &Debrief, texts: &Texts) {
    let Some(team) = &debrief.team else {
        return;
    };
    let _ = write!(
        out,
        "<h2>{}</h2><p>{}</p><table><tr>",
        escape(&texts.t("team")),
        escape(&team_line(texts, team))
    );
    for key in TEAM_COLUMNS {
        let _ = write!(out, "<th>{}</th>", escape(&texts.t(key)));
    }
    out.push_str("</tr>");
    for seat in &team.seats {
        out.push_str("<tr>");
        for cell in team_cells(texts, seat) {
            let _ = write!(out, "<td>{}</td>", escape(&cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

/// Crisis communication in one line: the score, the escalations, the articles.
pub fn crisis_line(texts: &Texts, crisis: &CrisisScore) -> String {
    texts.t_with(
        "crisis-line",
        &[
            ("score", num(crisis.score)),
            ("in_time", num(f64::from(crisis.escalations_in_time))),
            ("due", num(f64::from(crisis.escalations_due))),
            ("articles", num(f64::from(crisis.articles))),
        ],
    )
}

/// One incident's statements on one channel.
pub fn crisis_row(texts: &Texts, speech: &IncidentSpeech) -> String {
    let first = speech
        .first_statement_min
        .map_or(texts.t("crisis-none"), |m| {
            texts.t_with("crisis-first", &[("minutes", num(m))])
        });
    texts.t_with(
        "crisis-row",
        &[
            ("incident", text(speech.label.clone())),
            ("channel", text(super::style::channel_name(speech.channel))),
            ("first", text(first)),
            ("norm", num(speech.norm_min)),
            ("quality", speech.quality.map_or(text("–"), num)),
            ("missed", num(f64::from(speech.updates_missed))),
            ("promised", num(f64::from(speech.updates_promised))),
        ],
    )
}

/// Crisis communication, as the debrief screen shows it.
pub(crate) fn html_crisis(out: &mut String, debrief: &Debrief, texts: &Texts) {
    let Some(crisis) = &debrief.crisis else {
        return;
    };
    let _ = write!(
        out,
        "<h2>{}</h2><p>{}</p><ul>",
        escape(&texts.t("crisis")),
        escape(&crisis_line(texts, crisis))
    );
    for speech in &crisis.incidents {
        let _ = write!(out, "<li>{}</li>", escape(&crisis_row(texts, speech)));
    }
    for loss in &crisis.lost {
        let _ = write!(out, "<li class=\"loss\">{}</li>", escape(&loss.message));
    }
    out.push_str("</ul>");
}

/// The session's curves (waiting, buzz, anger) and the first responses' histogram.
pub(crate) fn html_charts(
    out: &mut String,
    debrief: &Debrief,
    (samples, marks): (&[SamplePoint], &[TimelineMark]),
    texts: &Texts,
) {
    let _ = write!(out, "<h2>{}</h2>", escape(&texts.t("charts")));
    let series = |f: fn(&SamplePoint) -> f64| -> Vec<(f64, f64)> {
        samples.iter().map(|p| (p.minute, f(p))).collect()
    };
    out.push_str(&svg_chart(
        &texts.t("chart-waiting"),
        &series(|p| p.waiting as f64),
        marks,
    ));
    out.push_str(&svg_chart(
        &texts.t("chart-buzz"),
        &series(|p| p.buzz as f64),
        marks,
    ));
    out.push_str(&svg_chart(
        &texts.t("chart-anger"),
        &series(|p| p.mean_anger as f64),
        marks,
    ));
    let bins = histogram(&first_response_minutes(debrief), 30);
    let _ = write!(
        out,
        "<h3>{}</h3><table><tr>",
        escape(&texts.t("chart-response"))
    );
    for (i, _) in bins.iter().enumerate() {
        let _ = write!(
            out,
            "<th>{}</th>",
            if i == 30 { "30+".into() } else { i.to_string() }
        );
    }
    out.push_str("</tr><tr>");
    for count in &bins {
        let _ = write!(out, "<td>{count}</td>");
    }
    out.push_str("</tr></table>");
}

/// Every conversation's replies, their findings highlighted, and the points lost.
pub(crate) fn html_replies(out: &mut String, debrief: &Debrief, texts: &Texts) {
    let _ = write!(out, "<h2>{}</h2>", escape(&texts.t("replies")));
    for conversation in &debrief.conversations {
        if conversation.replies.is_empty() && conversation.lost.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<h3>{} <small>({})</small></h3>",
            escape(&conversation.handle),
            super::style::channel_name(conversation.channel)
        );
        for loss in &conversation.lost {
            if let Some(points) = points_lost(texts, loss.points) {
                let _ = write!(
                    out,
                    "<p class=\"loss\">{points} · {}</p>",
                    escape(loss.message)
                );
            }
        }
        for reply in &conversation.replies {
            let spans: Vec<(usize, usize, Severity)> = reply
                .findings
                .iter()
                .map(|f| (f.span[0], f.span[1], f.severity))
                .collect();
            out.push_str("<div class=\"reply\"><p>");
            for (start, end, severity) in highlights(&reply.text, &spans) {
                let piece = escape(&reply.text[start..end]);
                match severity {
                    Some(severity) => {
                        let _ = write!(
                            out,
                            "<mark class=\"{}\">{piece}</mark>",
                            severity_class(severity)
                        );
                    }
                    None => out.push_str(&piece),
                }
            }
            out.push_str("</p><ul>");
            for finding in &reply.findings {
                let _ = write!(
                    out,
                    "<li><mark class=\"{}\">{}</mark> {}</li>",
                    severity_class(finding.severity),
                    severity_sign(finding.severity),
                    escape(finding.message)
                );
            }
            for loss in &reply.lost {
                if let Some(points) = points_lost(texts, loss.points) {
                    let _ = write!(
                        out,
                        "<li class=\"loss\">{points} · {}</li>",
                        escape(loss.message)
                    );
                }
            }
            out.push_str("</ul></div>");
        }
    }
}
