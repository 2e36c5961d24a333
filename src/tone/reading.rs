//! The analyser as the engine sees it: one reading of a reply gives the few facts customers
//! react to and its template.

use super::lexicon::FindingId;
use super::memo::{Memo, Reader};
use super::{ToneAnalyser, ToneInput, ToneReport};
use crate::engine::{Lang, ReplyAnalyser, ReplyContext, ReplyFlags, ReplyReading, StatementFlags};

/// What the engine hands the analyser, as the debrief would hand it.
fn input_of<'a>(context: &'a ReplyContext<'a>) -> ToneInput<'a> {
    ToneInput {
        text: context.text,
        lang: context.lang,
        public: context.public,
        customer: context.customer_message,
        customer_earlier: context.customer_earlier,
        earlier: &[],
        seen: context.seen,
        char_limit: context.char_limit,
        care_handles: context.care_handles,
    }
}

/// The few facts customers react to, out of the full report.
fn reading_of(report: &ToneReport) -> ReplyReading {
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
        copy: report.has(FindingId::Copy),
        shape: report.shape.clone(),
    }
}

/// The analyser as the engine uses it, to make customers react to replies.
impl ReplyAnalyser for ToneAnalyser {
    fn analyse(&self, context: &ReplyContext) -> ReplyReading {
        reading_of(&ToneAnalyser::analyse(self, &input_of(context)))
    }

    fn read_statement(&self, text: &str, lang: Lang) -> StatementFlags {
        self.statements.read(text, lang, None).flags
    }

    fn id(&self) -> String {
        format!(
            "raleur-tone lexicon sha256:{} statements sha256:{}",
            self.lexicon_sha256,
            self.statements.sha256()
        )
    }
}

/// The same, keeping each report for the debrief of the same run.
impl ReplyAnalyser for Memo {
    fn analyse(&self, context: &ReplyContext) -> ReplyReading {
        self.read_with(&input_of(context), reading_of)
    }

    fn read_statement(&self, text: &str, lang: Lang) -> StatementFlags {
        ReplyAnalyser::read_statement(self.analyser(), text, lang)
    }

    fn id(&self) -> String {
        ReplyAnalyser::id(self.analyser())
    }
}
