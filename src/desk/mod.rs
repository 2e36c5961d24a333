//! The trainee's console as egui widgets: the start screen, the care desk and the debrief.
//!
//! Each screen is a plain struct holding its state, with `fn ui(&mut self, ui)` that draws
//! it and returns what the trainee asked for; intents are methods, so flows are tested
//! without a window. [`Desk`] routes between the screens, for the window (`crate::gui`) and
//! the tests alike.

pub mod catalog;
pub mod course;
pub mod debrief;
pub mod error;
pub mod i18n;
pub mod menu;
pub mod report;
pub mod session;
pub mod style;

use catalog::Catalog;
use debrief::{DebriefDesk, DebriefRequest};
use menu::MenuDesk;
use session::{SessionDesk, SessionRequest, SessionSetup};

/// The screens of the console.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "gui", derive(bevy::prelude::States))]
pub enum Screen {
    #[default]
    Menu,
    Session,
    Debrief,
}

/// The console's screens and the one showing. The window (`crate::gui`) holds one and draws
/// the showing screen's part each frame; tests drive the same methods without a window, so
/// the routing tested is the routing that ships. A screen's state lives as long as its
/// screen is reachable: the session from its start to the return to the start screen, the
/// debrief from its opening to that same return.
pub struct Desk {
    pub screen: Screen,
    pub menu: MenuDesk,
    pub session: Option<SessionDesk>,
    pub debrief: Option<DebriefDesk>,
}

impl Desk {
    pub fn new(catalog: Catalog, lang: crate::engine::Lang) -> Desk {
        Desk::from_menu(MenuDesk::new(catalog, lang))
    }

    /// The console on its start screen, prepared as given.
    pub fn from_menu(menu: MenuDesk) -> Desk {
        Desk {
            screen: Screen::Menu,
            menu,
            session: None,
            debrief: None,
        }
    }

    /// Starts a session; on failure the start screen shows why.
    pub fn start(&mut self, setup: SessionSetup) -> bool {
        match self.menu.open_session(setup) {
            Ok(session) => {
                self.show_session(session);
                true
            }
            Err(error) => {
                self.menu.error = Some(error.to_string());
                false
            }
        }
    }

    /// Shows a session already opened (autoplay opens one before the window does).
    pub fn show_session(&mut self, session: SessionDesk) {
        self.session = Some(session);
        self.debrief = None;
        self.screen = Screen::Session;
    }

    /// Opens the debrief of the session so far.
    pub fn open_debrief(&mut self) {
        if let Some(session) = &self.session {
            self.debrief = Some(DebriefDesk::new(session));
            self.screen = Screen::Debrief;
        }
    }

    /// The session stopped on an internal error (its record is closed as interrupted): back
    /// to the start screen, which says what happened.
    pub fn session_failed(&mut self, reason: &str) {
        eprintln!(
            "raleur: the session stopped on an internal error: {reason}; its record is kept as interrupted"
        );
        self.session = None;
        self.debrief = None;
        self.screen = Screen::Menu;
        self.menu.session_failed(reason);
    }

    /// Back to the start screen once the session is done with: its record closed, the
    /// progress shown read again.
    pub fn back_to_menu(&mut self) {
        if let Some(session) = &mut self.session {
            session.close_recording();
        }
        if let Some(course) = &mut self.menu.course {
            course.refresh();
        }
        self.session = None;
        self.debrief = None;
        self.screen = Screen::Menu;
    }

    /// Lets `real_ms` of wall-clock time go by in the session, if one is showing.
    pub fn tick(&mut self, real_ms: f64) {
        if self.screen != Screen::Session {
            return;
        }
        let Some(session) = &mut self.session else {
            return;
        };
        if let Err(reason) = session.guarded(|session| session.tick(real_ms)) {
            self.session_failed(&reason);
        }
    }

    /// One frame of the showing screen, with `real_ms` of wall-clock time gone by.
    pub fn frame(&mut self, ui: &mut egui::Ui, real_ms: f64) {
        self.tick(real_ms);
        self.ui(ui);
    }

    /// Draws the showing screen and follows what the trainee asked of it.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        match self.screen {
            Screen::Menu => self.menu_ui(ui),
            Screen::Session => self.session_ui(ui),
            Screen::Debrief => self.debrief_ui(ui),
        }
    }

    pub fn menu_ui(&mut self, ui: &mut egui::Ui) {
        if let Some(setup) = self.menu.ui(ui) {
            self.start(setup);
        }
    }

    pub fn session_ui(&mut self, ui: &mut egui::Ui) {
        let Some(session) = &mut self.session else {
            self.screen = Screen::Menu;
            return;
        };
        match session.guarded(|session| session.ui(ui)) {
            Ok(Some(SessionRequest::Debrief)) => self.open_debrief(),
            Ok(None) => {}
            Err(reason) => self.session_failed(&reason),
        }
    }

    pub fn debrief_ui(&mut self, ui: &mut egui::Ui) {
        let Some(debrief) = &mut self.debrief else {
            self.screen = Screen::Menu;
            return;
        };
        match session::catch_panic(|| debrief.ui(ui)) {
            Ok(Some(DebriefRequest::Resume)) => self.screen = Screen::Session,
            Ok(Some(DebriefRequest::Menu)) => self.back_to_menu(),
            Ok(None) => {}
            Err(reason) => {
                if let Some(session) = &mut self.session {
                    session.interrupt_recording(&reason);
                }
                self.session_failed(&reason);
            }
        }
    }
}
