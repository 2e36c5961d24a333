//! The queue: every conversation the filters let through, longest waiting first.

use super::{Mode, SessionDesk};
use crate::desk::i18n::{num, text};
use crate::desk::style;
use crate::engine::ids::CustomerId;
use crate::engine::scenario::Channel;
use crate::engine::sim::Customer;
use egui::{Color32, RichText, Ui};

/// Which conversations the queue lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueFilter {
    /// Every conversation not closed.
    Open,
    /// Never answered yet.
    Unanswered,
    /// Still in public (no private conversation yet).
    Public,
    /// Moved to private messages.
    Private,
    /// Every conversation, closed ones too.
    All,
}

pub const FILTERS: [(QueueFilter, &str); 5] = [
    (QueueFilter::Open, "filter-open"),
    (QueueFilter::Unanswered, "filter-unanswered"),
    (QueueFilter::Public, "filter-public"),
    (QueueFilter::Private, "filter-private"),
    (QueueFilter::All, "filter-all"),
];

/// One line of the queue.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueRow {
    pub customer: CustomerId,
    pub handle: String,
    pub channel: Channel,
    pub private: bool,
    /// How long they have been waiting for the brand, if they are.
    pub waiting_ms: Option<u64>,
    /// Their messages since the brand's last reply.
    pub unread: u32,
    pub capitals: bool,
    pub exclamations: bool,
    pub emoticons: bool,
    pub followups: u32,
    pub anger: f64,
    pub closed: bool,
    /// In a cell: the colleague answering this customer.
    pub held_by: Option<String>,
}

impl SessionDesk {
    /// The queue as the filters show it: longest waiting first, then the most recent.
    pub fn queue_rows(&self) -> Vec<QueueRow> {
        let now = self.sim.now_ms();
        let mut rows: Vec<QueueRow> = self
            .sim
            .customers()
            .iter()
            .filter(|c| self.channel_filter.is_none_or(|ch| ch == c.channel))
            // In a cell, what a colleague answers is theirs: only "All" lists it.
            .filter(|c| self.filter == QueueFilter::All || self.held_elsewhere(c.id).is_none())
            .filter(|c| match self.filter {
                QueueFilter::Open => !c.stage.is_closed(),
                QueueFilter::Unanswered => c.first_reply_ms.is_none() && !c.stage.is_closed(),
                QueueFilter::Public => !c.dm_open && !c.stage.is_closed(),
                QueueFilter::Private => c.dm_open && !c.stage.is_closed(),
                QueueFilter::All => true,
            })
            .map(|c| self.queue_row(c, now))
            .collect();
        rows.sort_by(|a, b| {
            b.waiting_ms
                .cmp(&a.waiting_ms)
                .then_with(|| b.customer.cmp(&a.customer))
        });
        rows
    }

    /// The queue as drawn: sorted as [`SessionDesk::queue_rows`], except while `held` (the
    /// pointer is on it), when rows keep the places they had, newcomers below, so that
    /// nothing moves under the mouse.
    pub fn displayed_queue(&mut self, held: bool) -> Vec<QueueRow> {
        let mut rows = self.queue_rows();
        if held {
            let place: std::collections::HashMap<CustomerId, usize> = self
                .queue_order
                .iter()
                .enumerate()
                .map(|(i, id)| (*id, i))
                .collect();
            // A stable sort: newcomers keep their own order, after everyone already shown.
            rows.sort_by_key(|row| place.get(&row.customer).copied().unwrap_or(usize::MAX));
        }
        self.queue_order = rows.iter().map(|row| row.customer).collect();
        rows
    }

    fn queue_row(&self, c: &Customer, now: u64) -> QueueRow {
        let mut unread = 0;
        for id in c.messages.iter().rev() {
            match self.sim.message(*id) {
                Some(m) if m.customer.is_some() => unread += 1,
                _ => break,
            }
        }
        let cues = Cues::of(self.last_customer_text(c.id).unwrap_or(""));
        QueueRow {
            customer: c.id,
            handle: c.handle.clone(),
            channel: c.channel,
            private: c.dm_open,
            waiting_ms: c
                .waiting_since
                .filter(|_| c.is_waiting())
                .map(|since| now.saturating_sub(since)),
            unread,
            capitals: cues.capitals,
            exclamations: cues.exclamations,
            emoticons: cues.emoticons,
            followups: c.relaunches,
            anger: self.sim.anger(c.id).unwrap_or(0.0),
            closed: c.stage.is_closed(),
            held_by: self.held_elsewhere(c.id).map(str::to_string),
        }
    }
}

/// The queue panel, on the left.
pub(super) struct QueuePanel<'a> {
    pub desk: &'a mut SessionDesk,
}

impl QueuePanel<'_> {
    pub fn ui(&mut self, ui: &mut Ui) {
        egui::Panel::left("queue")
            .resizable(true)
            .min_size(280.0)
            .default_size(300.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.heading(self.desk.texts.t("queue-title"));
                    if ui
                        .button(self.desk.texts.t("next-waiting"))
                        .on_hover_text(self.desk.texts.t("next-waiting-key"))
                        .clicked()
                    {
                        self.desk.select_next_waiting();
                    }
                });
                ui.horizontal_wrapped(|ui| {
                    for (filter, key) in FILTERS {
                        if ui
                            .selectable_label(self.desk.filter == filter, self.desk.texts.t(key))
                            .clicked()
                        {
                            self.desk.filter = filter;
                        }
                    }
                });
                ui.horizontal(|ui| {
                    for (channel, key) in [
                        (None, "channel-all"),
                        (Some(Channel::Twitter), "channel-twitter"),
                        (Some(Channel::Facebook), "channel-facebook"),
                    ] {
                        if ui
                            .selectable_label(
                                self.desk.channel_filter == channel,
                                self.desk.texts.t(key),
                            )
                            .clicked()
                        {
                            self.desk.channel_filter = channel;
                        }
                    }
                    if ui
                        .selectable_label(self.desk.show_feed, self.desk.texts.t("show-feed"))
                        .clicked()
                    {
                        self.desk.show_feed = !self.desk.show_feed;
                    }
                });
                ui.separator();
                let held = ui.rect_contains_pointer(ui.available_rect_before_wrap());
                let rows = self.desk.displayed_queue(held);
                if rows.is_empty() {
                    ui.weak(self.desk.texts.t("queue-empty"));
                }
                let row_height = 44.0;
                let mut clicked = None;
                egui::ScrollArea::vertical()
                    .id_salt("queue_scroll")
                    .auto_shrink([false, false])
                    .show_rows(ui, row_height, rows.len(), |ui, range| {
                        for row in &rows[range] {
                            if self.queue_row_ui(ui, row, row_height).clicked() {
                                clicked = Some(row.customer);
                            }
                        }
                    });
                if let Some(customer) = clicked {
                    self.desk.select(customer);
                }
            });
    }

    fn queue_row_ui(&self, ui: &mut Ui, row: &QueueRow, height: f32) -> egui::Response {
        let selected = self.desk.selected == Some(row.customer);
        let width = ui.available_width();
        let (rect, response) =
            ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::click());
        // The whole row is one button, for the mouse and for screen readers (and tests).
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::WidgetType::Button, true, selected, &row.handle)
        });
        let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect.shrink(3.0)));
        child.style_mut().interaction.selectable_labels = false;
        if selected {
            ui.painter().rect(
                rect,
                4.0,
                style::SELECTED,
                egui::Stroke::new(1.5, style::ACCENT),
                egui::StrokeKind::Inside,
            );
        } else if response.hovered() {
            ui.painter()
                .rect_filled(rect, 4.0, ui.visuals().faint_bg_color);
        }
        child.horizontal(|ui| {
            ui.label(style::channel_mark(row.channel));
            let handle = RichText::new(&row.handle).strong();
            ui.label(if row.closed { handle.weak() } else { handle });
            if row.private {
                ui.label(RichText::new("✉").color(style::ACCENT))
                    .on_hover_text(self.desk.texts.t("cue-private"));
            }
            if row.unread > 0 {
                ui.label(
                    RichText::new(format!(" {} ", row.unread))
                        .background_color(style::BADGE)
                        .color(Color32::WHITE),
                );
            }
        });
        child.horizontal(|ui| {
            match row.waiting_ms {
                Some(ms) => {
                    let minutes = ms / 60_000;
                    ui.label(
                        RichText::new(
                            self.desk
                                .texts
                                .t_with("waiting-min", &[("minutes", num(minutes as f64))]),
                        )
                        .color(if minutes >= 15 {
                            style::BAD
                        } else {
                            style::WARN
                        }),
                    );
                }
                None if row.closed => {
                    ui.weak(self.desk.texts.t("closed"));
                }
                None => {
                    ui.weak(self.desk.texts.t("answered"));
                }
            }
            if let Some(seat) = &row.held_by {
                ui.label(
                    RichText::new(format!("🔒 {seat}"))
                        .color(style::WARN)
                        .small(),
                )
                .on_hover_text(
                    self.desk
                        .texts
                        .t_with("held-by-other", &[("seat", text(seat.clone()))]),
                );
            }
            if row.capitals {
                ui.label(RichText::new("ABC").color(style::BAD).small())
                    .on_hover_text(self.desk.texts.t("cue-capitals"));
            }
            if row.exclamations {
                ui.label(RichText::new("!!!").color(style::BAD).small())
                    .on_hover_text(self.desk.texts.t("cue-exclamations"));
            }
            if row.emoticons {
                ui.label(RichText::new("☺").small())
                    .on_hover_text(self.desk.texts.t("cue-emoticons"));
            }
            if row.followups > 0 {
                ui.label(
                    RichText::new(format!("↻{}", row.followups))
                        .color(style::WARN)
                        .small(),
                )
                .on_hover_text(self.desk.texts.t("cue-followups"));
            }
            if self.desk.mode == Mode::Training {
                style::anger_gauge(ui, row.anger, 50.0);
            }
        });
        response
    }
}

/// What an adviser reads at a glance in a customer's message.
struct Cues {
    capitals: bool,
    exclamations: bool,
    emoticons: bool,
}

impl Cues {
    fn of(text: &str) -> Cues {
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let upper = text.chars().filter(|c| c.is_uppercase()).count();
        Cues {
            capitals: letters >= 8 && upper * 2 >= letters,
            exclamations: text.contains("!!") || text.contains("?!"),
            emoticons: !crate::tone::text::emoticon_spans(text).is_empty()
                || text
                    .chars()
                    .any(|c| ('\u{1F300}'..='\u{1FAFF}').contains(&c)),
        }
    }
}
