//! The brand: its handles and pages, promotional posts and sign-off hint.

use super::checker::Checker;
use crate::engine::scenario::Scenario;

pub(super) fn check(c: &mut Checker, s: &Scenario) {
    for handle in ["corporate", "care"] {
        let h = if handle == "care" {
            &s.brand.care
        } else {
            &s.brand.corporate
        };
        if h.twitter.trim().is_empty() || h.facebook.trim().is_empty() {
            c.fail(
                format!("brand.{handle}"),
                "both the Twitter handle and the Facebook page are needed",
            );
        }
    }
    for (i, post) in s.brand.promo_posts.iter().enumerate() {
        c.text(&format!("brand.promo_posts[{i}].text"), &post.text);
    }
    if let Some(hint) = &s.brand.sign_off_hint {
        c.text("brand.sign_off_hint", hint);
    }
    if s.brand
        .press_contact
        .as_deref()
        .is_some_and(|p| p.trim().is_empty())
    {
        c.fail(
            "brand.press_contact",
            "an address or handle, or leave it out",
        );
    }
}
