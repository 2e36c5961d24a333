//! Colours, icons and small gauges shared by the screens.

use crate::engine::scenario::Channel;
use egui::{Color32, Ui};

pub const GOOD: Color32 = Color32::from_rgb(60, 170, 90);
pub const WARN: Color32 = Color32::from_rgb(225, 150, 40);
pub const BAD: Color32 = Color32::from_rgb(215, 60, 60);
pub const ACCENT: Color32 = Color32::from_rgb(70, 140, 230);
pub const SELECTED: Color32 = Color32::from_rgb(45, 70, 110);
pub const BRAND_BUBBLE: Color32 = Color32::from_rgb(35, 60, 95);

/// The icon of a network, as in the desks advisers use.
pub fn channel_icon(channel: Channel) -> &'static str {
    match channel {
        Channel::Twitter => "🐦",
        Channel::Facebook => "📘",
    }
}

/// Green when calm, orange when annoyed, red when furious (anger 0 to 100).
pub fn anger_colour(anger: f64) -> Color32 {
    if anger < 35.0 {
        GOOD
    } else if anger < 65.0 {
        WARN
    } else {
        BAD
    }
}

/// The buzz index on a 0-1 gauge: about half full at 2,000, where a crisis team is called.
pub fn buzz_fraction(buzz: f64) -> f32 {
    if buzz.is_finite() && buzz > 0.0 {
        (buzz / (buzz + 2_000.0)) as f32
    } else {
        0.0
    }
}

/// A thin horizontal gauge of a customer's anger.
pub fn anger_gauge(ui: &mut Ui, anger: f64, width: f32) {
    let anger = anger.clamp(0.0, 100.0);
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width.max(10.0), 8.0), egui::Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(rect, 3.0, ui.visuals().extreme_bg_color);
    let mut filled = rect;
    filled.set_width(rect.width() * (anger / 100.0) as f32);
    painter.rect_filled(filled, 3.0, anger_colour(anger));
    response.on_hover_text(format!("{anger:.0}/100"));
}

/// egui's bundled fonts, then Symbola for the emoji and symbols they lack
/// (`assets/fonts/README.md`); a test checks every scenario text against them.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}

/// The fonts of [`install_fonts`].
pub fn font_definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "symbola".into(),
        std::sync::Arc::new(egui::FontData::from_static(include_bytes!(
            "../../assets/fonts/Symbola.ttf"
        ))),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("symbola".into());
    }
    fonts
}

/// The desk's look: dark, as care desks are used for hours, with slightly larger text,
/// and fonts for every French glyph and the emoji customers use.
pub fn apply_theme(ctx: &egui::Context) {
    install_fonts(ctx);
    ctx.set_visuals(egui::Visuals::dark());
    let mut style = (*ctx.global_style()).clone();
    for (text_style, font) in style.text_styles.iter_mut() {
        font.size = match text_style {
            egui::TextStyle::Heading => 20.0,
            egui::TextStyle::Small => 11.0,
            _ => 14.5,
        };
    }
    style.spacing.item_spacing = egui::vec2(8.0, 5.0);
    ctx.set_global_style(style);
}
