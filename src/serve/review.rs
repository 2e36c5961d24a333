//! The after-action review of an exercise: one self-contained HTML page (styles inline, no
//! script, nothing fetched) to print or keep. The team's and each seat's scores, the injects
//! with the team's response to each, the observers' notes in time order, the debrief's
//! charts, and each seat's debrief one click away.

use crate::academy::certificate::escape;
use crate::desk::i18n::{Texts, num, text};
use crate::desk::report::{
    TEAM_COLUMNS, html_charts, html_replies, html_team, inject_marks, score_rows, scoring_spec,
    team_cells, timeline, tone_analyser,
};
use crate::engine::Lang;
use crate::engine::ids::{CustomerId, SeatId};
use crate::engine::scenario::Scenario;
use crate::engine::transcript::Header;
use crate::engine::transcript::{Event, Record};
use crate::exercise::notes::Note;
use crate::exercise::notes::{Author, Mark};
use crate::exercise::{Exercise, ExerciseSpec};
use crate::score::Debrief;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A firing's customers and how the team answered them.
struct Response {
    t_ms: u64,
    label: String,
    customers: Vec<CustomerId>,
    /// Per customer: the wait to the brand's first reply, if it came.
    first_reply_ms: Vec<Option<u64>>,
}

/// What the review is made of, copied out of the exercise: scoring it then holds no lock.
pub struct Played {
    id: String,
    spec: ExerciseSpec,
    scenario: Scenario,
    header: Header,
    records: Vec<Record>,
    notes: Vec<Note>,
    now_ms: u64,
}

impl Played {
    pub fn of(exercise: &Exercise) -> Played {
        let sim = exercise.sim();
        Played {
            id: exercise.id().to_string(),
            spec: exercise.spec().clone(),
            scenario: sim.scenario().clone(),
            header: exercise.header().clone(),
            records: sim.records().to_vec(),
            notes: exercise.notes().to_vec(),
            now_ms: sim.now_ms(),
        }
    }

    /// When each customer arrived, and their handle.
    fn arrivals(&self) -> BTreeMap<CustomerId, (u64, &str)> {
        self.records
            .iter()
            .filter_map(|r| match &r.event {
                Event::Arrival {
                    customer, handle, ..
                } => Some((*customer, (r.t_ms, handle.as_str()))),
                _ => None,
            })
            .collect()
    }
}

/// The review page, in `lang`.
pub fn review_html(exercise: &Played, lang: Lang) -> String {
    let texts = Texts::new(lang);
    let scenario = &exercise.scenario;
    let records = &exercise.records;
    let debrief = crate::score::score(
        scoring_spec(),
        tone_analyser(),
        scenario,
        &exercise.header,
        records,
    );
    let mut out = String::new();
    let title = texts.t("review-title");
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} · {}</title><style>\
body{{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222;padding:0 1em}}\
table{{border-collapse:collapse;margin:.5em 0}}td,th{{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}}\
.score{{font-weight:bold}}.up{{color:#1a7f37}}.down{{color:#b42318}}.muted{{color:#666}}\
details{{border:1px solid #ccd;border-radius:6px;padding:.4em .8em;margin:.5em 0}}summary{{cursor:pointer;font-weight:bold}}\
mark.good{{background:#c9f0d0}}mark.note{{background:#dde8f7}}mark.minor{{background:#fff0b3}}mark.major{{background:#ffd1a6}}mark.critical{{background:#ffb3b3}}\
.reply{{border-left:3px solid #89a;padding:4px 8px;margin:6px 0}}.loss{{color:#a33;font-size:90%}}\
svg .axis{{stroke:#888}}svg .series{{fill:none;stroke:#3570c0;stroke-width:2}}svg .tick{{font-size:11px;fill:#555}}svg .mark{{stroke:#b42318;stroke-dasharray:4 3}}\
@media print{{details{{border:none}}details>summary{{list-style:none}}}}\
</style></head><body>",
        match lang {
            Lang::Fr => "fr",
            Lang::En => "en",
        },
        escape(&title),
        escape(scenario.title.get(lang)),
    );
    let _ = write!(
        out,
        "<h1>{}</h1><p>{}</p>",
        escape(&title),
        escape(&texts.t_with(
            "review-subtitle",
            &[
                ("scenario", text(scenario.title.get(lang))),
                ("seed", text(exercise.spec.seed.to_string())),
                ("minutes", num((exercise.now_ms / 60_000) as f64)),
                ("exercise", text(exercise.id.clone())),
            ],
        ))
    );

    // The team's scores, then the seats'.
    let _ = write!(
        out,
        "<h2>{}</h2><table>",
        escape(&texts.t("review-team-scores"))
    );
    for (key, value) in score_rows(&debrief.scores) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"score\">{value:.1}</td></tr>",
            escape(&texts.t(key))
        );
    }
    out.push_str("</table>");
    html_team(&mut out, &debrief, &texts);

    injects_section(&mut out, exercise, &texts);
    notes_section(&mut out, exercise, &texts);
    let marks = inject_marks(records, scenario, lang);
    html_charts(&mut out, &debrief, (&timeline(records), &marks), &texts);
    seats_section(&mut out, exercise, &debrief, &texts);
    out.push_str("</body></html>\n");
    out
}

/// Each firing and post typed live, in time order, with the customers it brought and the
/// wait to the brand's first reply to each.
fn responses(exercise: &Played, lang: Lang) -> Vec<Response> {
    let scenario = &exercise.scenario;
    let mut firings: BTreeMap<u32, Response> = BTreeMap::new();
    let mut typed: Vec<Response> = Vec::new();
    let mut arrived: BTreeMap<CustomerId, (u64, Option<u32>, bool)> = BTreeMap::new();
    let mut after_post_as = false;
    for record in &exercise.records {
        match &record.event {
            Event::Inject { inject, firing } => {
                let label = scenario.inject_label(inject, lang).to_string();
                firings.insert(*firing, response(record, label));
            }
            Event::PostAs { persona, text, .. } => {
                let who = scenario.persona_label(persona, lang);
                typed.push(response(record, format!("{who} : « {text} »")));
                after_post_as = true;
            }
            Event::Arrival {
                customer, firing, ..
            } => {
                arrived.insert(*customer, (record.t_ms, *firing, after_post_as));
                let target = match firing {
                    Some(f) => firings.get_mut(f),
                    None if after_post_as => typed.last_mut(),
                    None => None,
                };
                if let Some(response) = target {
                    response.customers.push(*customer);
                    response.first_reply_ms.push(None);
                }
                after_post_as = false;
            }
            Event::Reply { customer, .. } => {
                let Some((t_arrival, firing, typed_post)) = arrived.get(customer).copied() else {
                    continue;
                };
                let target = match firing {
                    Some(f) => firings.get_mut(&f),
                    None if typed_post => typed
                        .iter_mut()
                        .rev()
                        .find(|r| r.customers.contains(customer)),
                    None => None,
                };
                if let Some(response) = target
                    && let Some(i) = response.customers.iter().position(|c| c == customer)
                    && response.first_reply_ms[i].is_none()
                {
                    response.first_reply_ms[i] = Some(record.t_ms.saturating_sub(t_arrival));
                }
            }
            _ => {}
        }
    }
    let mut all: Vec<Response> = firings.into_values().chain(typed).collect();
    all.sort_by_key(|r| r.t_ms);
    all
}

/// Each firing and the team's answer: the wait to the first reply to each customer it brought.
fn injects_section(out: &mut String, exercise: &Played, texts: &Texts) {
    let arrivals = exercise.arrivals();
    let all = responses(exercise, texts.lang());
    let _ = write!(out, "<h2>{}</h2>", escape(&texts.t("review-injects")));
    if all.is_empty() {
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p>",
            escape(&texts.t("review-no-injects"))
        );
        return;
    }
    let _ = write!(
        out,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        escape(&texts.t("review-at")),
        escape(&texts.t("review-inject")),
        escape(&texts.t("review-customers")),
        escape(&texts.t("review-first-reply")),
        escape(&texts.t("review-all-answered")),
    );
    for r in &all {
        let answered: Vec<u64> = r.first_reply_ms.iter().flatten().copied().collect();
        let first = r
            .first_reply_ms
            .first()
            .copied()
            .flatten()
            .map_or("–".to_string(), duration);
        let whole = if r.customers.is_empty() {
            "–".to_string()
        } else if answered.len() == r.customers.len() {
            // The last of them answered: how long the team took to answer them all.
            let last = r
                .customers
                .iter()
                .zip(&r.first_reply_ms)
                .filter_map(|(c, w)| Some(arrivals.get(c)?.0 + (*w)? - r.t_ms))
                .max()
                .unwrap_or_default();
            duration(last)
        } else {
            texts.t_with(
                "review-answered-of",
                &[
                    ("answered", num(answered.len() as f64)),
                    ("count", num(r.customers.len() as f64)),
                ],
            )
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            clock(r.t_ms),
            escape(&r.label),
            r.customers.len(),
            escape(&first),
            escape(&whole),
        );
    }
    out.push_str("</table>");
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        escape(&texts.t("review-injects-help"))
    );
}

fn response(record: &Record, label: String) -> Response {
    Response {
        t_ms: record.t_ms,
        label,
        customers: Vec::new(),
        first_reply_ms: Vec::new(),
    }
}

fn notes_section(out: &mut String, exercise: &Played, texts: &Texts) {
    let arrivals = exercise.arrivals();
    let _ = write!(out, "<h2>{}</h2>", escape(&texts.t("review-notes")));
    let mut notes: Vec<_> = exercise.notes.iter().collect();
    notes.sort_by_key(|n| (n.t_ms, n.n));
    if notes.is_empty() {
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p>",
            escape(&texts.t("review-no-notes"))
        );
        return;
    }
    out.push_str("<table>");
    for note in notes {
        let mark = match note.mark {
            Some(Mark::Up) => "<span class=\"up\">👍</span>",
            Some(Mark::Down) => "<span class=\"down\">👎</span>",
            None => "",
        };
        let author = if note.by.is_empty() {
            texts.t(match note.author {
                Author::Facilitator => "review-facilitator",
                Author::Observer => "review-observer",
            })
        } else {
            note.by.clone()
        };
        let mut about = Vec::new();
        if let Some(name) = note.seat.and_then(|s| seat_name(exercise, s)) {
            about.push(name.to_string());
        }
        if let Some((_, handle)) = note.customer.and_then(|c| arrivals.get(&c)) {
            about.push(handle.to_string());
        }
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{mark}</td><td>{}</td><td>{}</td><td class=\"muted\">{}</td></tr>",
            clock(note.t_ms),
            escape(&note.text),
            escape(&author),
            escape(&about.join(" · ")),
        );
    }
    out.push_str("</table>");
}

/// Each seat's debrief, folded: its row, then its replies with their findings.
fn seats_section(out: &mut String, exercise: &Played, debrief: &Debrief, texts: &Texts) {
    let Some(team) = &debrief.team else {
        return;
    };
    let _ = write!(out, "<h2>{}</h2>", escape(&texts.t("review-seats")));
    let replies_by: BTreeMap<(CustomerId, u64), SeatId> = exercise
        .records
        .iter()
        .filter_map(|r| match &r.event {
            Event::Reply {
                customer,
                seat: Some(seat),
                ..
            } => Some(((*customer, r.t_ms), *seat)),
            _ => None,
        })
        .collect();
    for (i, seat) in team.seats.iter().enumerate() {
        let id = crate::engine::seats::id_of(i);
        let _ = write!(
            out,
            "<details id=\"seat-{i}\"><summary>{}</summary><table><tr>",
            escape(&texts.t_with("review-seat-debrief", &[("seat", text(seat.seat.clone()))]))
        );
        for key in TEAM_COLUMNS {
            let _ = write!(out, "<th>{}</th>", escape(&texts.t(key)));
        }
        out.push_str("</tr><tr>");
        for cell in team_cells(texts, seat) {
            let _ = write!(out, "<td>{}</td>", escape(&cell));
        }
        out.push_str("</tr></table>");
        let mut own = debrief.clone();
        own.team = None;
        own.conversations = debrief
            .conversations
            .iter()
            .filter_map(|c| {
                let mut c = c.clone();
                c.replies
                    .retain(|r| replies_by.get(&(c.customer, r.t_ms)) == Some(&id));
                c.lost.clear();
                (!c.replies.is_empty()).then_some(c)
            })
            .collect();
        html_replies(out, &own, texts);
        out.push_str("</details>");
    }
}

fn seat_name(exercise: &Played, seat: SeatId) -> Option<&str> {
    exercise
        .spec
        .seats
        .get(seat.index())
        .map(|s| s.name.as_str())
}

/// Simulated time as the exercise's clock from its start, "T+1:05".
fn clock(t_ms: u64) -> String {
    let minutes = t_ms / 60_000;
    format!("T+{}:{:02}", minutes / 60, minutes % 60)
}

fn duration(ms: u64) -> String {
    let seconds = ms / 1000;
    if seconds < 60 {
        format!("{seconds} s")
    } else {
        format!("{} min {:02} s", seconds / 60, seconds % 60)
    }
}
