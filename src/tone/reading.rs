//! The analyser as the engine sees it: one reading of a reply gives the few facts customers
//! react to and its template.

use super::{ToneAnalyser, ToneInput};
use crate::engine::{ReplyAnalyser, ReplyContext, ReplyFlags, ReplyReading};

/// The analyser as the engine uses it, to make customers react to replies.
impl ReplyAnalyser for ToneAnalyser {
    fn analyse(&self, context: &ReplyContext) -> ReplyReading {
        let report = ToneAnalyser::analyse(
            self,
            &ToneInput {
                text: context.text,
                lang: context.lang,
                public: context.public,
                customer: context.customer_message,
                earlier: &[],
                seen: &[],
                char_limit: None,
                care_handles: context.care_handles,
            },
        );
        let f = report.flags;
        let flags = ReplyFlags {
            greeting: f.greeting,
            thanks: f.thanks,
            apology: f.apology,
            next_step: f.next_step,
            dm_invitation: f.dm_invitation,
            explains_private: report.explains_private,
            asks_personal_data: f.asks_personal_data,
            tutoiement: f.tutoiement,
            vouvoiement: f.vouvoiement,
            signed: f.signed,
            humour: report.humour,
            blame: f.blame || f.insult,
            mentions_care: report.mentions_care,
        };
        ReplyReading {
            flags,
            shape: report.shape,
        }
    }

    fn id(&self) -> String {
        format!("raleur-tone lexicon sha256:{}", self.lexicon_sha256)
    }
}
