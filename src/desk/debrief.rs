//! The debrief screen: scores per competence, the session over time, the response times,
//! every reply with its findings highlighted, the advice; export as JSON and HTML.

use super::i18n::{Texts, num};
use super::report::{
    SamplePoint, TEAM_COLUMNS, TimelineMark, crisis_line, crisis_row, first_response_minutes,
    highlights, histogram, html_report, inject_marks, points_lost, score_rows, scoring_spec,
    severity_sign, team_cells, team_line, timeline, tone_analyser,
};
use super::session::SessionDesk;
use super::style;
use crate::desk::error::DeskError;
use crate::score::{Debrief, Loss, score};
use crate::tone::lexicon::Severity;
use egui::text::LayoutJob;
use egui::{Color32, RichText, TextFormat, Ui};
use egui_plot::{Bar, BarChart, Line, Plot, VLine};
use std::path::{Path, PathBuf};

/// First responses beyond this many minutes share the histogram's last bar.
const HISTOGRAM_CAP_MIN: usize = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DebriefRequest {
    /// Back to the running session (the debrief was opened on demand).
    Resume,
    /// Back to the start screen.
    Menu,
}

pub struct DebriefDesk {
    pub debrief: Debrief<'static>,
    /// The scenario's title in the session's language.
    pub title: String,
    pub samples: Vec<SamplePoint>,
    /// The facilitator's injects and posts typed live, where they came.
    pub marks: Vec<TimelineMark>,
    pub response_bins: Vec<u32>,
    pub texts: Texts,
    pub trainee: String,
    /// The session has ended: there is nothing to resume.
    pub session_over: bool,
    /// Where exports are written.
    pub export_dir: PathBuf,
    /// The last export's outcome, shown under the buttons.
    pub export_status: Option<Result<PathBuf, String>>,
    /// Conversation indices with their points lost, costliest first.
    pub by_cost: Vec<(usize, f64)>,
    /// The conversation whose replies are shown.
    pub chosen: Option<usize>,
}

impl DebriefDesk {
    /// The debrief of a session so far (or at its end).
    pub fn new(session: &SessionDesk) -> DebriefDesk {
        let records = session.sim.records();
        let debrief = score(
            scoring_spec(),
            tone_analyser(),
            session.sim.scenario(),
            &session.header,
            records,
        );
        let response_bins = histogram(&first_response_minutes(&debrief), HISTOGRAM_CAP_MIN);
        let by_cost = costliest_first(&debrief);
        DebriefDesk {
            chosen: by_cost.first().map(|(i, _)| *i),
            by_cost,
            title: session.sim.scenario().title.get(session.lang()).to_string(),
            samples: timeline(records),
            marks: inject_marks(records, session.sim.scenario(), session.lang()),
            response_bins,
            debrief,
            texts: Texts::new(session.lang()),
            trainee: session.trainee.clone(),
            session_over: session.sim.is_over(),
            export_dir: PathBuf::from("."),
            export_status: None,
        }
    }

    fn file_stem(&self) -> String {
        let safe: String = self
            .trainee
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        format!(
            "raleur-debrief-{}-{}-seed{}",
            safe.to_lowercase(),
            self.debrief.scenario,
            self.debrief.seed
        )
    }

    pub fn json(&self) -> Result<String, DeskError> {
        #[derive(serde::Serialize)]
        struct Export<'a> {
            trainee: &'a str,
            #[serde(flatten)]
            debrief: &'a Debrief<'a>,
            timeline: &'a [SamplePoint],
            #[serde(skip_serializing_if = "<[TimelineMark]>::is_empty")]
            injects: &'a [TimelineMark],
            first_response_histogram_min: &'a [u32],
        }
        serde_json::to_string_pretty(&Export {
            trainee: &self.trainee,
            debrief: &self.debrief,
            timeline: &self.samples,
            injects: &self.marks,
            first_response_histogram_min: &self.response_bins,
        })
        .map_err(DeskError::from)
    }

    pub fn html(&self) -> String {
        html_report(
            &self.debrief,
            (&self.samples, &self.marks),
            &self.texts,
            &self.trainee,
            &self.title,
        )
    }

    /// Writes the debrief as JSON into `dir`; returns the file written.
    pub fn export_json(&mut self, dir: &Path) -> Result<PathBuf, DeskError> {
        let result = self
            .json()
            .and_then(|text| write_file(dir, &format!("{}.json", self.file_stem()), &text));
        self.note_export(result)
    }

    /// Writes the self-contained HTML report into `dir`; returns the file written.
    pub fn export_html(&mut self, dir: &Path) -> Result<PathBuf, DeskError> {
        let result = write_file(dir, &format!("{}.html", self.file_stem()), &self.html());
        self.note_export(result)
    }

    /// What the screen says of the last export: the file written, or why not.
    fn note_export(&mut self, result: Result<PathBuf, DeskError>) -> Result<PathBuf, DeskError> {
        self.export_status = Some(
            result
                .as_ref()
                .map(Clone::clone)
                .map_err(ToString::to_string),
        );
        result
    }

    pub fn ui(&mut self, ui: &mut Ui) -> Option<DebriefRequest> {
        let mut request = None;
        egui::Panel::top("debrief_bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.heading(self.texts.t("debrief-title"));
                ui.label(self.texts.t_with(
                    "debrief-subtitle",
                    &[
                        ("trainee", super::i18n::text(self.trainee.clone())),
                        ("scenario", super::i18n::text(self.title.clone())),
                        ("seed", super::i18n::text(self.debrief.seed.to_string())),
                    ],
                ));
                ui.separator();
                if !self.session_over && ui.button(self.texts.t("resume-session")).clicked() {
                    request = Some(DebriefRequest::Resume);
                }
                if ui.button(self.texts.t("back-to-menu")).clicked() {
                    request = Some(DebriefRequest::Menu);
                }
                let dir = self.export_dir.clone();
                if ui.button(self.texts.t("export-json")).clicked() {
                    let _ = self.export_json(&dir);
                }
                if ui.button(self.texts.t("export-html")).clicked() {
                    let _ = self.export_html(&dir);
                }
                match &self.export_status {
                    Some(Ok(path)) => {
                        ui.label(
                            RichText::new(self.texts.t_with(
                                "exported",
                                &[("path", super::i18n::text(path.display().to_string()))],
                            ))
                            .color(style::GOOD),
                        );
                    }
                    Some(Err(error)) => {
                        ui.label(RichText::new(format!("⚠ {error}")).color(style::BAD));
                    }
                    None => {}
                }
            });
        });
        egui::Panel::left("debrief_scores")
            .default_size(330.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("debrief_left")
                    .show(ui, |ui| {
                        self.scores_ui(ui);
                        self.team_ui(ui);
                        self.crisis_ui(ui);
                        ui.separator();
                        self.advice_ui(ui);
                    });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("debrief_main")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    self.charts_ui(ui);
                    ui.separator();
                    self.replies_ui(ui);
                });
        });
        request
    }

    /// One loss, in red, unless it cost nothing.
    fn loss_ui(&self, ui: &mut Ui, loss: &Loss) {
        if let Some(points) = points_lost(&self.texts, loss.points) {
            ui.label(RichText::new(format!("{points} · {}", loss.message)).color(style::BAD));
        }
    }

    fn scores_ui(&self, ui: &mut Ui) {
        let s = &self.debrief.scores;
        ui.heading(self.texts.t("scores"));
        egui::Grid::new("scores_grid").striped(true).show(ui, |ui| {
            for (key, value) in score_rows(s) {
                ui.label(self.texts.t(key));
                ui.add(
                    egui::ProgressBar::new((value / 100.0).clamp(0.0, 1.0) as f32)
                        .desired_width(120.0)
                        .fill(style::anger_colour(100.0 - value)),
                );
                // Beside the bar, not on it: text over the coloured fill would not read.
                ui.label(RichText::new(self.texts.decimal(value, 1)).monospace());
                ui.end_row();
            }
        });
        let o = &self.debrief.outcomes;
        ui.label(self.texts.t_with(
            "outcomes-line",
            &[
                ("customers", num(o.customers as f64)),
                ("churned", num(o.churned as f64)),
                ("ambassadors", num(o.ambassadors as f64)),
                ("buzz", num(o.peak_buzz as f64)),
            ],
        ));
    }

    /// A cell's seats: who answered how many, how fast and how well, and the hand-offs.
    fn team_ui(&self, ui: &mut Ui) {
        let Some(team) = &self.debrief.team else {
            return;
        };
        let t = &self.texts;
        ui.separator();
        ui.heading(t.t("team"));
        ui.label(team_line(t, team));
        egui::Grid::new("team_grid").striped(true).show(ui, |ui| {
            for key in TEAM_COLUMNS {
                ui.label(RichText::new(t.t(key)).strong());
            }
            ui.end_row();
            for seat in &team.seats {
                let [cells @ .., hand_offs] = team_cells(t, seat);
                for cell in cells {
                    ui.label(cell);
                }
                ui.label(hand_offs).on_hover_text(
                    t.t_with("team-collisions", &[("count", num(seat.collisions as f64))]),
                );
                ui.end_row();
            }
        });
    }

    /// Statements by incident and channel, escalations, and every point lost.
    fn crisis_ui(&self, ui: &mut Ui) {
        let Some(crisis) = &self.debrief.crisis else {
            return;
        };
        let t = &self.texts;
        ui.separator();
        ui.heading(t.t("crisis"));
        ui.label(crisis_line(t, crisis));
        for speech in &crisis.incidents {
            ui.label(crisis_row(t, speech));
        }
        for loss in &crisis.lost {
            ui.label(RichText::new(&loss.message).color(style::BAD));
        }
    }

    fn advice_ui(&self, ui: &mut Ui) {
        ui.heading(self.texts.t("advice"));
        if self.debrief.advice.is_empty() {
            ui.weak(self.texts.t("advice-none"));
        }
        for (i, advice) in self.debrief.advice.iter().enumerate() {
            ui.label(RichText::new(format!("{}. {}", i + 1, advice.advice)).strong());
            if advice.occurrences == 0 {
                ui.weak(self.texts.t("advice-general"));
            } else {
                ui.weak(self.texts.t_with(
                    "advice-count",
                    &[
                        ("count", num(advice.occurrences as f64)),
                        ("points", num(advice.points_lost.round())),
                    ],
                ));
            }
            if let Some(example) = &advice.example {
                ui.label(RichText::new(format!("« {example} »")).italics());
            }
            ui.add_space(4.0);
        }
    }

    fn charts_ui(&self, ui: &mut Ui) {
        ui.heading(self.texts.t("charts"));
        let series = |f: fn(&SamplePoint) -> f64| -> Vec<[f64; 2]> {
            self.samples.iter().map(|p| [p.minute, f(p)]).collect()
        };
        ui.columns(2, |columns| {
            for (column, key, points, colour) in [
                (
                    0,
                    "chart-waiting",
                    series(|p| p.waiting as f64),
                    style::WARN,
                ),
                (1, "chart-buzz", series(|p| p.buzz as f64), style::BAD),
            ] {
                let ui = &mut columns[column];
                ui.label(self.texts.t(key));
                let lang = self.texts.lang();
                Plot::new(key)
                    .height(150.0)
                    .allow_scroll(false)
                    .include_y(0.0)
                    // Short labels in a fixed width: "1,2 k" fits where "1200" was cut.
                    .y_axis_min_width(AXIS_WIDTH)
                    .y_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
                        nice_steps(input.base_step_size)
                    }))
                    .y_axis_formatter(move |mark, _| axis_number(lang, mark.value))
                    .x_axis_label(self.texts.t("minutes"))
                    .show(ui, |plot| {
                        plot.line(Line::new(self.texts.t(key), points).color(colour));
                        // The facilitator's injects, where they came.
                        for mark in &self.marks {
                            plot.vline(
                                VLine::new(mark.label.clone(), mark.minute)
                                    .color(style::ACCENT)
                                    .style(egui_plot::LineStyle::dashed_loose()),
                            );
                        }
                    });
            }
        });
        ui.columns(2, |columns| {
            let ui = &mut columns[0];
            ui.label(self.texts.t("chart-anger"));
            Plot::new("chart-anger")
                .height(150.0)
                .allow_scroll(false)
                .include_y(0.0)
                .include_y(100.0)
                .x_axis_label(self.texts.t("minutes"))
                .show(ui, |plot| {
                    plot.line(
                        Line::new(self.texts.t("chart-anger"), series(|p| p.mean_anger as f64))
                            .color(style::ACCENT),
                    )
                });
            let ui = &mut columns[1];
            ui.label(self.texts.t("chart-response"));
            let bars: Vec<Bar> = self
                .response_bins
                .iter()
                .enumerate()
                .map(|(i, count)| {
                    Bar::new(i as f64 + 0.5, *count as f64)
                        .width(0.9)
                        .fill(if i < 15 { style::GOOD } else { style::WARN })
                })
                .collect();
            Plot::new("chart-response")
                .height(150.0)
                .allow_scroll(false)
                .x_axis_label(self.texts.t("minutes"))
                .show(ui, |plot| {
                    plot.bar_chart(BarChart::new(self.texts.t("chart-response"), bars))
                });
        });
    }

    /// The conversations, costliest first, one line each (only the visible lines are laid
    /// out, so a 10,000-customer session stays light), and the chosen one's replies with
    /// their findings highlighted.
    fn replies_ui(&mut self, ui: &mut Ui) {
        ui.heading(self.texts.t("replies"));
        let row_height = 20.0;
        let mut clicked = None;
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(340.0);
                // One line per row: show_rows needs rows of one height.
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                egui::ScrollArea::vertical()
                    .id_salt("conversation_list")
                    .max_height(360.0)
                    .auto_shrink([false, false])
                    .show_rows(ui, row_height, self.by_cost.len(), |ui, range| {
                        for &(index, cost) in &self.by_cost[range] {
                            let c = &self.debrief.conversations[index];
                            let line = format!(
                                "{} · {} — {}",
                                style::channel_name(c.channel),
                                c.handle,
                                self.texts.t_with(
                                    "conversation-summary",
                                    &[
                                        ("replies", num(c.replies.len() as f64)),
                                        ("points", num(cost.round())),
                                    ],
                                )
                            );
                            if ui
                                .selectable_label(self.chosen == Some(index), line)
                                .clicked()
                            {
                                clicked = Some(index);
                            }
                        }
                    });
            });
            ui.separator();
            ui.vertical(
                |ui| match self.chosen.and_then(|i| self.debrief.conversations.get(i)) {
                    None => {
                        ui.weak(self.texts.t("conversation-pick"));
                    }
                    Some(c) => {
                        ui.label(RichText::new(&c.handle).strong());
                        for loss in &c.lost {
                            self.loss_ui(ui, loss);
                        }
                        for reply in &c.replies {
                            let spans: Vec<(usize, usize, Severity)> = reply
                                .findings
                                .iter()
                                .map(|f| (f.span[0], f.span[1], f.severity))
                                .collect();
                            ui.label(highlighted(ui, &reply.text, &spans));
                            for finding in &reply.findings {
                                ui.label(
                                    RichText::new(format!(
                                        "{} {}",
                                        severity_sign(finding.severity),
                                        finding.message
                                    ))
                                    .color(severity_colour(finding.severity)),
                                );
                            }
                            for loss in &reply.lost {
                                self.loss_ui(ui, loss);
                            }
                            ui.separator();
                        }
                    }
                },
            );
        });
        if clicked.is_some() {
            self.chosen = clicked;
        }
    }
}

/// The width kept for the charts' vertical scale, enough for "12,5 k".
const AXIS_WIDTH: f32 = 44.0;

/// A chart's grid steps from the smallest egui_plot allows (`base`, data units for 8 points):
/// 1, 2 or 5 times a power of ten, the labelled ones about 4 and 10 times the finest. egui_plot's
/// own spacer steps by tens only, which left a buzz of 800 in a small chart with a single
/// "0" on its scale.
pub fn nice_steps(base: f64) -> [f64; 3] {
    let base = if base.is_finite() && base > 0.0 {
        base
    } else {
        1.0
    };
    let finest = nice_at_least(base);
    [
        finest,
        nice_at_least(finest * 4.0),
        nice_at_least(finest * 10.0),
    ]
}

/// The smallest of 1, 2, 5 times a power of ten that is at least `value` (positive).
fn nice_at_least(value: f64) -> f64 {
    let power = libm::pow(10.0, libm::floor(libm::log10(value)));
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= value * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}

/// A chart's scale mark: whole numbers under a thousand, thousands as "1,2 k" ("1.2k").
pub fn axis_number(lang: crate::engine::Lang, value: f64) -> String {
    if value.abs() >= 1_000.0 {
        let thousands = super::i18n::decimal(lang, value / 1_000.0, 1);
        let thousands = thousands
            .strip_suffix(",0")
            .or_else(|| thousands.strip_suffix(".0"))
            .unwrap_or(&thousands);
        match lang {
            crate::engine::Lang::Fr => format!("{thousands}\u{a0}k"),
            crate::engine::Lang::En => format!("{thousands}k"),
        }
    } else {
        super::i18n::decimal(lang, value, 0)
    }
}

/// Conversations that were answered or lost points, costliest first (they teach the most),
/// with the points each lost.
fn costliest_first(debrief: &Debrief) -> Vec<(usize, f64)> {
    let mut order: Vec<(usize, f64)> = debrief
        .conversations
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.replies.is_empty() || !c.lost.is_empty())
        .map(|(i, c)| {
            let cost = c.lost.iter().map(|l| l.points).sum::<f64>()
                + c.replies
                    .iter()
                    .flat_map(|r| &r.lost)
                    .map(|l| l.points)
                    .sum::<f64>();
            (i, cost)
        })
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    order
}

/// Writes the file; returns its absolute path, which the screen shows so that the trainee
/// can find it whatever the directory the console was started from.
fn write_file(dir: &Path, name: &str, contents: &str) -> Result<PathBuf, DeskError> {
    let relative = dir.join(name);
    let path = std::path::absolute(&relative).unwrap_or(relative);
    match std::fs::write(&path, contents) {
        Ok(()) => Ok(path),
        Err(source) => Err(DeskError::Write { path, source }),
    }
}

pub fn severity_colour(severity: Severity) -> Color32 {
    match severity {
        Severity::Good => style::GOOD,
        Severity::Note => style::ACCENT,
        Severity::Minor => style::MINOR,
        Severity::Major => style::WARN,
        Severity::Critical => style::BAD,
    }
}

/// A reply's text with each finding's evidence on a coloured background.
fn highlighted(ui: &Ui, text: &str, spans: &[(usize, usize, Severity)]) -> LayoutJob {
    let mut job = LayoutJob::default();
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = ui.visuals().text_color();
    for (start, end, severity) in highlights(text, spans) {
        let mut format = TextFormat::simple(font.clone(), plain);
        if let Some(severity) = severity {
            format.background = severity_colour(severity).gamma_multiply(0.45);
            format.color = Color32::WHITE;
        }
        job.append(&text[start..end], 0.0, format);
    }
    job
}
