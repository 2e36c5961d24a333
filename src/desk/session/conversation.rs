//! The conversation, public thread beside private messages, or the brand's whole public page.

use super::SessionDesk;
use crate::desk::style::{self, account_key};
use crate::engine::Action;
use crate::engine::ids::{CustomerId, MessageId};
use crate::engine::scenario::{Account, Channel};
use crate::engine::sim::Message;
use egui::{RichText, Ui};

impl SessionDesk {
    /// Ids of every public message, oldest first: the brand's page as the public sees it.
    pub fn feed(&self) -> Vec<MessageId> {
        self.sim
            .messages()
            .iter()
            .filter(|m| !m.private && !m.hidden)
            .map(|m| m.id)
            .collect()
    }
}

/// The conversation panel, in the centre.
pub(super) struct ConversationPanel<'a> {
    pub desk: &'a mut SessionDesk,
}

impl ConversationPanel<'_> {
    pub fn ui(&mut self, ui: &mut Ui) {
        egui::CentralPanel::default().show(ui, |ui| {
            if self.desk.show_feed {
                self.feed_ui(ui);
                return;
            }
            super::team::HolderBar { desk: self.desk }.ui(ui);
            let Some(c) = self.desk.selected.and_then(|id| self.desk.sim.customer(id)) else {
                ui.centered_and_justified(|ui| {
                    ui.weak(self.desk.texts.t("conversation-none"));
                });
                return;
            };
            let ids = c.messages.clone();
            let handle = c.handle.clone();
            let channel = c.channel;
            let mut moderation = None;
            ui.columns(2, |columns| {
                let public_title = match channel {
                    Channel::Twitter => self.desk.texts.t("thread-twitter"),
                    Channel::Facebook => self.desk.texts.t("thread-facebook"),
                };
                columns[0].heading(public_title);
                columns[1].heading(self.desk.texts.t("thread-private"));
                for (column, private) in [(0, false), (1, true)] {
                    let ui = &mut columns[column];
                    egui::ScrollArea::vertical()
                        .id_salt(("thread", private))
                        .stick_to_bottom(true)
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            let mut any = false;
                            for id in &ids {
                                let Some(m) = self.desk.sim.message(*id) else {
                                    continue;
                                };
                                if m.private != private {
                                    continue;
                                }
                                any = true;
                                let asked = self.message_ui(ui, m.customer.is_none(), &handle, m);
                                if asked.is_some() {
                                    moderation = asked;
                                }
                            }
                            if !any {
                                ui.weak(self.desk.texts.t("thread-empty"));
                            }
                        });
                }
            });
            if let Some(action) = moderation {
                self.desk.moderate(action);
            }
        });
    }

    /// One message; a customer's public post offers the page's moderation (hide, like),
    /// returned when clicked.
    fn message_ui(&self, ui: &mut Ui, brand: bool, handle: &str, m: &Message) -> Option<Action> {
        let author = if brand {
            self.desk.sim.scenario().brand.name.clone()
        } else {
            handle.to_string()
        };
        let fill = if brand {
            style::BRAND_BUBBLE
        } else {
            ui.visuals().faint_bg_color
        };
        let mut asked = None;
        egui::Frame::new()
            .fill(fill)
            .corner_radius(6.0)
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new(author).strong());
                    ui.weak(self.desk.time_label(m.t_ms));
                    if m.hidden {
                        ui.weak(self.desk.texts.t("hidden"));
                    }
                    if !brand && !m.private {
                        asked = self.moderation_ui(ui, m);
                    }
                });
                ui.label(&m.text);
            });
        ui.add_space(4.0);
        asked
    }

    /// Hide and like, right-aligned on a customer's public post, as on the page itself.
    fn moderation_ui(&self, ui: &mut Ui, m: &Message) -> Option<Action> {
        let texts = &self.desk.texts;
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let mut asked = None;
            if !m.hidden
                && ui
                    .small_button(texts.t("moderate-hide"))
                    .on_hover_text(texts.t("moderate-hide-help"))
                    .clicked()
            {
                asked = Some(Action::Hide { message: m.id });
            }
            if m.liked {
                ui.weak(texts.t("moderate-liked"));
            } else if ui
                .small_button(texts.t("moderate-like"))
                .on_hover_text(texts.t("moderate-like-help"))
                .clicked()
            {
                asked = Some(Action::Like { message: m.id });
            }
            asked
        })
        .inner
    }

    /// The brand's public page: its own promotional posts first (customers comment under
    /// them), then every post and reply, drawing only the visible rows.
    fn feed_ui(&mut self, ui: &mut Ui) {
        ui.heading(self.desk.texts.t("feed-title"));
        super::statement::pinned_ui(self.desk, ui);
        self.promo_posts_ui(ui);
        let feed = self.desk.feed();
        let row_height = 20.0;
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("feed")
            .stick_to_bottom(true)
            .auto_shrink([false, false])
            .show_rows(ui, row_height, feed.len(), |ui, range| {
                for id in &feed[range] {
                    if let Some(customer) = self.feed_row_ui(ui, *id, row_height) {
                        clicked = Some(customer);
                    }
                }
            });
        if let Some(customer) = clicked {
            self.desk.select(customer);
        }
    }

    /// One line of the feed, left-aligned to be scanned: network, the account written
    /// to, time, author (the brand's replies marked ↳), text. Returns the conversation if
    /// the line was clicked.
    fn feed_row_ui(&self, ui: &mut Ui, id: MessageId, height: f32) -> Option<CustomerId> {
        let m = self.desk.sim.message(id)?;
        let c = self.desk.sim.customer(m.conversation)?;
        let width = ui.available_width();
        let (rect, response) =
            ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::click());
        if response.hovered() {
            ui.painter()
                .rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
        }
        let mut row = ui.new_child(
            egui::UiBuilder::new()
                .max_rect(rect)
                .layout(egui::Layout::left_to_right(egui::Align::Center)),
        );
        row.style_mut().interaction.selectable_labels = false;
        row.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        row.label(style::channel_mark(c.channel));
        let account = match c.account {
            Account::Care => "feed-account-care",
            Account::Corporate => "feed-account-corporate",
        };
        row.label(RichText::new(self.desk.texts.t(account)).small())
            .on_hover_text(self.desk.texts.t(account_key(c.channel, c.account)));
        row.label(RichText::new(self.desk.time_label(m.t_ms)).monospace());
        let author = match m.customer {
            Some(_) => c.handle.clone(),
            None => format!("↳ {}", self.desk.sim.scenario().brand.name),
        };
        let author_text = RichText::new(&author).strong();
        row.label(if m.customer.is_some() {
            author_text
        } else {
            author_text.color(style::ACCENT)
        });
        row.label(&m.text);
        let label = format!("{author} {}", m.text);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Button, true, &label));
        response.clicked().then_some(c.id)
    }

    fn promo_posts_ui(&self, ui: &mut Ui) {
        let brand = &self.desk.sim.scenario().brand;
        if brand.promo_posts.is_empty() {
            return;
        }
        ui.label(RichText::new(self.desk.texts.t("promo-posts")).strong());
        for post in &brand.promo_posts {
            egui::Frame::new()
                .fill(style::BRAND_BUBBLE)
                .corner_radius(6.0)
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new(&brand.name).strong());
                    ui.label(post.text.get(self.desk.lang()));
                });
            ui.add_space(4.0);
        }
        ui.separator();
    }
}
