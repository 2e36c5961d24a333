//! Colours, icons and small gauges shared by the screens.

use crate::engine::scenario::{Account, Channel};
use egui::{Color32, Ui};

// Every colour text is drawn in meets WCAG AA (4.5:1) on every background it is drawn on:
// `text_pairs` lists them and a test checks each.
pub const TEXT: Color32 = Color32::from_gray(205);
pub const WEAK: Color32 = Color32::from_gray(150);
pub const GOOD: Color32 = Color32::from_rgb(80, 190, 110);
pub const WARN: Color32 = Color32::from_rgb(230, 155, 50);
pub const MINOR: Color32 = Color32::from_rgb(200, 180, 60);
pub const BAD: Color32 = Color32::from_rgb(250, 105, 105);
pub const ACCENT: Color32 = Color32::from_rgb(110, 170, 255);
pub const PANEL: Color32 = Color32::from_gray(27);
/// The selected queue row: dark, outlined in the accent colour.
pub const SELECTED: Color32 = Color32::from_rgb(38, 46, 60);
pub const BRAND_BUBBLE: Color32 = Color32::from_rgb(30, 45, 70);
/// Behind white counts (unread messages).
pub const BADGE: Color32 = Color32::from_rgb(180, 40, 40);
pub const FACEBOOK_BLUE: Color32 = Color32::from_rgb(8, 102, 255);
pub const TWITTER_BLUE: Color32 = Color32::from_rgb(15, 110, 190);

/// The network's mark, as advisers know it: white on the network's colour.
pub fn channel_mark(channel: Channel) -> egui::RichText {
    let (letter, colour) = match channel {
        Channel::Twitter => (" t ", TWITTER_BLUE),
        Channel::Facebook => (" f ", FACEBOOK_BLUE),
    };
    egui::RichText::new(letter)
        .strong()
        .monospace()
        .color(Color32::WHITE)
        .background_color(colour)
}

/// The network's name in a line of text (lists, exports).
pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Twitter => "Twitter",
        Channel::Facebook => "Facebook",
    }
}

/// The interface text naming the account a customer wrote to.
pub fn account_key(channel: Channel, account: Account) -> &'static str {
    match (channel, account) {
        (Channel::Twitter, Account::Care) => "account-twitter-care",
        (Channel::Twitter, Account::Corporate) => "account-twitter-corporate",
        (Channel::Facebook, Account::Care) => "account-facebook-care",
        (Channel::Facebook, Account::Corporate) => "account-facebook-corporate",
    }
}

/// A text colour on a background colour, where the desk draws one on the other.
#[derive(Clone, Debug)]
pub struct ContrastPair {
    pub name: String,
    pub text: Color32,
    pub background: Color32,
}

/// Every pair of text and background colours of the theme: the desk's own colours on the
/// surfaces they appear on, and egui's widgets as the theme sets them.
pub fn text_pairs(visuals: &egui::Visuals) -> Vec<ContrastPair> {
    let mut pairs = Vec::new();
    let texts = [
        ("text", visuals.text_color()),
        ("weak", visuals.weak_text_color()),
        ("good", GOOD),
        ("warn", WARN),
        ("minor", MINOR),
        ("bad", BAD),
        ("accent", ACCENT),
    ];
    let surfaces = [
        ("panel", visuals.panel_fill),
        ("window", visuals.window_fill),
        (
            "faint",
            faint_on(visuals.panel_fill, visuals.faint_bg_color),
        ),
        ("editor", visuals.text_edit_bg_color()),
        ("selected row", SELECTED),
        ("brand bubble", BRAND_BUBBLE),
    ];
    for (text_name, text) in texts {
        for (surface_name, background) in surfaces {
            pairs.push(ContrastPair {
                name: format!("{text_name} on {surface_name}"),
                text,
                background,
            });
        }
    }
    for (name, background) in [
        ("badge", BADGE),
        ("facebook mark", FACEBOOK_BLUE),
        ("twitter mark", TWITTER_BLUE),
    ] {
        pairs.push(ContrastPair {
            name: name.to_string(),
            text: Color32::WHITE,
            background,
        });
    }
    let w = &visuals.widgets;
    for (name, widget) in [
        ("button", &w.inactive),
        ("hovered button", &w.hovered),
        ("pressed button", &w.active),
        ("open menu", &w.open),
    ] {
        pairs.push(ContrastPair {
            name: name.to_string(),
            text: widget.fg_stroke.color,
            background: widget.weak_bg_fill,
        });
    }
    pairs.push(ContrastPair {
        name: "selected label".to_string(),
        text: visuals.selection.stroke.color,
        background: visuals.selection.bg_fill,
    });
    pairs
}

/// egui's faint background is drawn over the panel, premultiplied.
fn faint_on(under: Color32, over: Color32) -> Color32 {
    let blend = |u: u8, o: u8| {
        let alpha = over.a() as f32 / 255.0;
        (o as f32 + u as f32 * (1.0 - alpha)).round().min(255.0) as u8
    };
    Color32::from_rgb(
        blend(under.r(), over.r()),
        blend(under.g(), over.g()),
        blend(under.b(), over.b()),
    )
}

/// WCAG 2 contrast ratio of two opaque colours (1 to 21).
pub fn contrast_ratio(a: Color32, b: Color32) -> f64 {
    let luminance = |c: Color32| {
        let channel = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                libm::pow((v + 0.055) / 1.055, 2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    };
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
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
    ctx.set_visuals(visuals());
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

/// egui's dark theme with the desk's text colours: brighter body text and a weak text that
/// still reads (egui's default weak text is the body text at 60% opacity, under 3:1).
pub fn visuals() -> egui::Visuals {
    let mut visuals = egui::Visuals::dark();
    visuals.panel_fill = PANEL;
    visuals.window_fill = PANEL;
    visuals.widgets.noninteractive.fg_stroke.color = TEXT;
    visuals.weak_text_color = Some(WEAK);
    visuals.hyperlink_color = ACCENT;
    visuals.warn_fg_color = WARN;
    visuals.error_fg_color = BAD;
    visuals
}
