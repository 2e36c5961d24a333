//! The start screen: trainee, scenario, language, mode.

use super::catalog::{Catalog, CatalogEntry};
use super::i18n::{Texts, num, text};
use super::session::{Crowd, Mode, SessionSetup};
use super::style;
use crate::desk::error::DeskError;
use crate::engine::Lang;
use egui::{RichText, Ui};

pub struct MenuDesk {
    pub catalog: Catalog,
    pub selected: usize,
    pub trainee: String,
    pub lang: Lang,
    pub mode: Mode,
    pub seed: u64,
    /// Whom the crowd is sized for (one person only when the scenario gives a solo rate).
    pub crowd: Crowd,
    pub texts: Texts,
    /// Why the last start was refused (an empty name, no scenario).
    pub error: Option<String>,
    /// The curriculum and the academy's records, for the trainee's progress.
    pub course: Option<super::course::Course>,
}

impl MenuDesk {
    pub fn new(catalog: Catalog, lang: Lang) -> MenuDesk {
        MenuDesk {
            catalog,
            selected: 0,
            trainee: String::new(),
            lang,
            mode: Mode::Training,
            seed: 1,
            crowd: Crowd::Team,
            texts: Texts::new(lang),
            error: None,
            course: None,
        }
    }

    pub fn set_lang(&mut self, lang: Lang) {
        if lang != self.lang {
            self.lang = lang;
            self.texts = Texts::new(lang);
            self.error = None;
        }
    }

    /// Picks a scenario by its id; false if the catalogue has none with that id.
    pub fn select_scenario(&mut self, id: &str) -> bool {
        match self
            .catalog
            .entries
            .iter()
            .position(|e| e.scenario.id == id)
        {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }

    /// Selects the curriculum's next session: its scenario, seed and mode.
    pub fn prepare(&mut self, next: &super::course::NextSession) {
        match self
            .catalog
            .entries
            .iter()
            .position(|e| e.sha256 == next.scenario_sha256)
        {
            Some(i) => {
                self.selected = i;
                self.seed = next.seed;
                self.mode = if next.exam {
                    Mode::Exam
                } else {
                    Mode::Training
                };
                self.crowd = if next.solo { Crowd::Solo } else { Crowd::Team };
                self.error = None;
            }
            None => self.error = Some(self.texts.t("error-course-scenario")),
        }
    }

    /// Opens the session the start screen asked for, recorded into the academy's records
    /// when the console has them.
    pub fn open_session(
        &self,
        setup: SessionSetup,
    ) -> Result<super::session::SessionDesk, DeskError> {
        let mut session =
            super::session::SessionDesk::new(setup, super::report::shared_analyser())?;
        if let Some(course) = &self.course {
            session.record_into(&course.db)?;
        }
        Ok(session)
    }

    /// The session to start, or why not.
    pub fn start(&mut self) -> Option<SessionSetup> {
        let trainee = self.trainee.trim().to_string();
        if trainee.is_empty() {
            self.error = Some(self.texts.t("error-no-name"));
            return None;
        }
        let Some(entry) = self.catalog.entries.get(self.selected) else {
            self.error = Some(self.texts.t("error-no-scenario"));
            return None;
        };
        self.error = None;
        Some(SessionSetup {
            trainee,
            scenario: entry.clone(),
            seed: self.seed,
            lang: self.lang,
            mode: self.mode,
            autoplay: None,
            customers_target: None,
            crowd: self.crowd,
        })
    }

    /// Back from a session the console failed under: the records say so if it was recorded,
    /// else the start screen's error line does.
    pub fn session_failed(&mut self, reason: &str) {
        match &mut self.course {
            Some(course) => course.refresh(),
            None => {
                self.error = Some(
                    self.texts
                        .t_with("session-stopped", &[("reason", text(reason.to_string()))]),
                );
            }
        }
    }

    /// What the start screen says when the console failed under the last session.
    pub fn interruption_notice(&self) -> Option<String> {
        let session = self.course.as_ref()?.interrupted.as_ref()?;
        let scenario = self
            .catalog
            .entries
            .iter()
            .find(|e| e.scenario.id == session.scenario_id)
            .map_or(session.scenario_id.clone(), |e| {
                e.scenario.title.get(self.lang).to_string()
            });
        Some(self.texts.t_with(
            "session-interrupted",
            &[
                ("trainee", text(session.trainee.clone())),
                ("scenario", text(scenario)),
                ("events", num(session.events as f64)),
                (
                    "reason",
                    text(session.interruption.clone().unwrap_or_default()),
                ),
            ],
        ))
    }

    pub fn ui(&mut self, ui: &mut Ui) -> Option<SessionSetup> {
        let mut start = None;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(12.0);
                ui.heading(RichText::new(self.texts.t("app-title")).size(28.0));
                ui.label(self.texts.t("app-tagline"));
                ui.add_space(12.0);
                if let Some(notice) = self.interruption_notice() {
                    ui.label(RichText::new(notice).color(style::BAD));
                    ui.add_space(8.0);
                }
            });
            ui.columns(2, |columns| {
                if let [left, right] = columns {
                    self.choices_ui(left);
                    start = self.scenario_ui(right);
                }
            });
        });
        start
    }

    /// The left column: who, in which language and mode, with which seed, which scenario.
    fn choices_ui(&mut self, ui: &mut Ui) {
        ui.label(RichText::new(self.texts.t("trainee-name")).strong());
        ui.add(
            egui::TextEdit::singleline(&mut self.trainee)
                .id_salt("trainee_name")
                .hint_text(self.texts.t("trainee-name-hint")),
        );
        ui.add_space(8.0);
        ui.label(RichText::new(self.texts.t("language")).strong());
        ui.horizontal(|ui| {
            let mut lang = self.lang;
            ui.radio_value(&mut lang, Lang::Fr, "Français");
            ui.radio_value(&mut lang, Lang::En, "English");
            self.set_lang(lang);
        });
        ui.add_space(8.0);
        ui.label(RichText::new(self.texts.t("mode")).strong());
        ui.radio_value(
            &mut self.mode,
            Mode::Training,
            self.texts.t("mode-training"),
        );
        ui.radio_value(&mut self.mode, Mode::Exam, self.texts.t("mode-exam"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(self.texts.t("seed")).strong());
            ui.add(egui::DragValue::new(&mut self.seed).range(0..=u32::MAX as u64));
        });
        ui.add_space(8.0);
        ui.label(RichText::new(self.texts.t("scenario")).strong());
        egui::ScrollArea::vertical()
            .id_salt("scenarios")
            .max_height(260.0)
            .show(ui, |ui| {
                for (i, entry) in self.catalog.entries.iter().enumerate() {
                    let s = &entry.scenario;
                    let label = format!(
                        "{}  {}",
                        "★".repeat(s.difficulty as usize),
                        s.title.get(self.lang)
                    );
                    if ui.selectable_label(self.selected == i, label).clicked() {
                        self.selected = i;
                    }
                }
                for (path, error) in &self.catalog.broken {
                    ui.label(RichText::new(format!("⚠ {path}: {error}")).color(style::BAD))
                        .on_hover_text(error);
                }
            });
    }

    /// The right column: the chosen scenario, the trainee's progress, and the start button.
    fn scenario_ui(&mut self, ui: &mut Ui) -> Option<SessionSetup> {
        let mut start = None;
        if let Some(entry) = self.catalog.entries.get(self.selected) {
            let s = &entry.scenario;
            ui.heading(s.title.get(self.lang));
            ui.label(self.texts.t_with(
                "scenario-facts",
                &[
                    ("difficulty", num(s.difficulty as f64)),
                    ("minutes", num(s.duration_min.round())),
                    ("team", num(s.team_size as f64)),
                ],
            ));
            let brand = &s.brand;
            if !brand.competitor.trim().is_empty() {
                ui.label(self.texts.t_with(
                    "scenario-competitor",
                    &[
                        ("brand", text(brand.name.clone())),
                        ("competitor", text(brand.competitor.clone())),
                        ("handle", text(brand.competitor_handle.clone())),
                    ],
                ));
            }
            crowd_ui(&mut self.crowd, &self.texts, ui, entry);
            ui.add_space(6.0);
            ui.label(s.description.get(self.lang));
            ui.add_space(6.0);
            ui.label(RichText::new(self.texts.t("learning-goals")).strong());
            for goal in &s.learning_goals {
                ui.label(format!("• {}", goal.get(self.lang)));
            }
        }
        if let Some(course) = &mut self.course {
            ui.add_space(10.0);
            ui.separator();
            if let Some(next) = course.ui(ui, &self.texts, &self.trainee) {
                self.prepare(&next);
            }
        }
        ui.add_space(12.0);
        if ui
            .button(RichText::new(self.texts.t("start")).size(18.0))
            .clicked()
        {
            start = self.start();
        }
        if let Some(error) = &self.error {
            ui.label(RichText::new(format!("⚠ {error}")).color(style::BAD));
        }
        start
    }
}

/// The crowd: for one person or for the scenario's team, with what each means an hour.
fn crowd_ui(crowd: &mut Crowd, texts: &Texts, ui: &mut Ui, entry: &CatalogEntry) {
    let s = &entry.scenario;
    let team_per_hour = entry.team_customers_per_hour.round();
    let team_label = texts.t_with(
        "crowd-team",
        &[
            ("team", num(s.team_size as f64)),
            ("per_hour", num(team_per_hour)),
        ],
    );
    let cell_label = (s.team_size > 1).then(|| {
        texts.t_with(
            "crowd-cell",
            &[
                ("colleagues", num(s.team_size.saturating_sub(1) as f64)),
                ("team", num(s.team_size as f64)),
                ("per_hour", num(team_per_hour)),
            ],
        )
    });
    let solo_label = s
        .solo_customers_per_hour
        .map(|per_hour| texts.t_with("crowd-solo", &[("per_hour", num(per_hour.round()))]));
    if solo_label.is_none() && cell_label.is_none() {
        ui.label(team_label);
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new(texts.t("crowd")).strong());
    if let Some(solo_label) = solo_label {
        ui.radio_value(crowd, Crowd::Solo, solo_label);
    }
    ui.radio_value(crowd, Crowd::Team, team_label);
    if let Some(cell_label) = cell_label {
        ui.radio_value(crowd, Crowd::Cell, cell_label);
    }
}
