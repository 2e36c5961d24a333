//! The copy rule, defined once: the engine (a customer notices a copy-paste), the debrief
//! (the points it costs) and the desk's hint line (the warning while typing) all decide with
//! [`is_copy`] over the same [`candidates`], so they agree on every reply.
//!
//! A reply is a copy when its template (the words with handles, numbers, names and the
//! signature masked, as the analyser reads them) shares most of its word pairs with a reply
//! the customer can see: an earlier one in their own conversation, public or private, or, for
//! a public reply, one of the brand's latest public replies on the page.

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The brand's public replies a customer is assumed to see on the page: the latest ones.
pub const VISIBLE_PUBLIC_REPLIES: usize = 20;

/// Replies shorter than this many words are not judged: "Merci !" twice is no template.
const MIN_WORDS: usize = 4;

/// Two templates are one when this share of their word pairs (of the union) is common.
const SHARED_PAIRS: (usize, usize) = (4, 5);

/// A reply reduced to its template: hashed pairs of masked words, sorted, without repeats.
/// Shared, not copied: every later reply of the conversation and the page compares with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateShape {
    pairs: Arc<[u64]>,
    words: usize,
    /// A digest of the pairs, so that hashing a shape costs one word, not its length.
    fingerprint: u64,
}

impl Hash for TemplateShape {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.fingerprint.hash(state);
        self.words.hash(state);
    }
}

impl TemplateShape {
    /// The shape of a reply's masked word tokens, in reading order.
    pub fn of(tokens: &[u64]) -> TemplateShape {
        let mut pairs: Vec<u64> = tokens
            .windows(2)
            .map(|w| w[0].wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ w[1])
            .collect();
        if tokens.len() == 1 {
            pairs.push(tokens[0]);
        }
        pairs.sort_unstable();
        pairs.dedup();
        let fingerprint = pairs.iter().fold(pairs.len() as u64, |digest, pair| {
            (digest.rotate_left(5) ^ pair).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95)
        });
        TemplateShape {
            pairs: pairs.into(),
            words: tokens.len(),
            fingerprint,
        }
    }

    /// Same template: both long enough, and most word pairs in common.
    pub fn is_copy_of(&self, other: &TemplateShape) -> bool {
        if self.words < MIN_WORDS || other.words < MIN_WORDS {
            return false;
        }
        let (a, b) = (&self.pairs[..], &other.pairs[..]);
        // common / (a + b - common) >= 4/5 means common >= 4 (a + b) / 9: the fewest pairs
        // in common that make a copy. Most candidates fall short within a few pairs.
        let (share, of) = SHARED_PAIRS;
        let needed = (share * (a.len() + b.len())).div_ceil(of + share);
        if needed == 0 || a.len().min(b.len()) < needed {
            return false;
        }
        let (mut i, mut j, mut common) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            if common + (a.len() - i).min(b.len() - j) < needed {
                return false;
            }
            let (x, y) = (a[i], b[j]);
            common += usize::from(x == y);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
        common >= needed
    }
}

/// The brand's latest public replies, oldest first, as a reader of the page sees them.
#[derive(Clone, Debug, Default)]
pub struct PublicPage {
    recent: VecDeque<TemplateShape>,
}

impl PublicPage {
    /// A public reply goes on the page; the oldest visible one scrolls out of sight.
    pub fn push(&mut self, shape: TemplateShape) {
        if self.recent.len() == VISIBLE_PUBLIC_REPLIES {
            self.recent.pop_front();
        }
        self.recent.push_back(shape);
    }
}

/// The earlier replies a new one is compared with: the conversation's own (`own`, public
/// and private), and for a public reply the page's latest public replies.
pub fn candidates<'a>(
    own: impl IntoIterator<Item = &'a TemplateShape>,
    page: &'a PublicPage,
    private: bool,
) -> Vec<&'a TemplateShape> {
    let mut list: Vec<&TemplateShape> = own.into_iter().collect();
    if !private {
        list.extend(page.recent.iter());
    }
    list
}

/// The copy rule: the reply's template is one of the candidates'.
pub fn is_copy(shape: &TemplateShape, candidates: &[&TemplateShape]) -> bool {
    candidates.iter().any(|earlier| shape.is_copy_of(earlier))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(words: &[u64]) -> TemplateShape {
        TemplateShape::of(words)
    }

    #[test]
    fn a_template_is_a_copy_of_itself_but_not_a_short_reply() {
        let reply = shape(&[1, 2, 3, 4, 5, 6]);
        assert!(reply.is_copy_of(&reply.clone()));
        assert!(!shape(&[1, 2, 3]).is_copy_of(&shape(&[1, 2, 3])));
        assert!(!reply.is_copy_of(&shape(&[9, 8, 7, 6, 5, 4])));
    }

    proptest::proptest! {
        /// The early exits change no verdict: the rule is still "four fifths of the pairs of
        /// either, in common".
        #[test]
        fn the_fast_comparison_gives_the_rule_s_verdict(
            first in proptest::collection::vec(0u64..30, 0..40),
            edits in proptest::collection::vec((0usize..40, 0u64..30), 0..5),
            other in proptest::collection::vec(0u64..30, 0..40),
        ) {
            // A near copy (a few words changed) and an unrelated text.
            let mut edited = first.clone();
            for (at, word) in edits {
                if let Some(slot) = edited.get_mut(at) {
                    *slot = word;
                }
            }
            let a = shape(&first);
            for b in [shape(&edited), shape(&other)] {
                let common = a.pairs.iter().filter(|p| b.pairs.contains(p)).count();
                let union = a.pairs.len() + b.pairs.len() - common;
                let rule = a.words >= MIN_WORDS
                    && b.words >= MIN_WORDS
                    && union > 0
                    && common * SHARED_PAIRS.1 >= union * SHARED_PAIRS.0;
                proptest::prop_assert_eq!(a.is_copy_of(&b), rule);
            }
            proptest::prop_assert_eq!(a.is_copy_of(&a), a.words >= MIN_WORDS);
        }
    }

    #[test]
    fn the_page_shows_only_the_latest_public_replies() {
        let mut page = PublicPage::default();
        let old = shape(&[100, 101, 102, 103, 104]);
        page.push(old.clone());
        for i in 0..VISIBLE_PUBLIC_REPLIES as u64 {
            page.push(shape(&[i, i + 1000, i + 2000, i + 3000, i + 4000]));
        }
        assert!(!is_copy(&old, &candidates([], &page, false)));
        let last = shape(&[19, 1019, 2019, 3019, 4019]);
        assert!(is_copy(&last, &candidates([], &page, false)));
        // A private reply is compared with the conversation only.
        assert!(!is_copy(&last, &candidates([], &page, true)));
        assert!(is_copy(&old, &candidates([&old], &page, true)));
    }
}
