//! The trainee's console as egui widgets: the start screen, the care desk and the debrief.
//!
//! Each screen is a plain struct holding its state, with `fn ui(&mut self, ui)` that draws
//! it and returns what the trainee asked for; intents are methods, so flows are tested
//! without a window. [`Desk`] routes between the screens the way the Bevy shell's `States`
//! do (`crate::gui`).

pub mod catalog;
pub mod course;
pub mod debrief;
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

/// The console without a window: the three screens and the one showing.
pub struct Desk {
    pub screen: Screen,
    pub menu: MenuDesk,
    pub session: Option<SessionDesk>,
    pub debrief: Option<DebriefDesk>,
    /// Why a session could not start, shown on the start screen.
    pub start_error: Option<String>,
}

impl Desk {
    pub fn new(catalog: Catalog, lang: crate::engine::Lang) -> Desk {
        Desk {
            screen: Screen::Menu,
            menu: MenuDesk::new(catalog, lang),
            session: None,
            debrief: None,
            start_error: None,
        }
    }

    /// Starts a session; on failure the start screen shows why.
    pub fn start(&mut self, setup: SessionSetup) -> bool {
        match self.menu.open_session(setup) {
            Ok(session) => {
                self.session = Some(session);
                self.debrief = None;
                self.screen = Screen::Session;
                true
            }
            Err(error) => {
                self.menu.error = Some(error);
                false
            }
        }
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
        self.session = None;
        self.debrief = None;
        self.screen = Screen::Menu;
        self.menu.session_failed(reason);
    }

    /// One frame of the showing screen, with `real_ms` of wall-clock time gone by.
    pub fn ui(&mut self, ui: &mut egui::Ui, real_ms: f64) {
        match self.screen {
            Screen::Menu => {
                if let Some(setup) = self.menu.ui(ui) {
                    self.start(setup);
                }
            }
            Screen::Session => {
                let Some(session) = &mut self.session else {
                    self.screen = Screen::Menu;
                    return;
                };
                let frame = session.guarded(|session| {
                    session.tick(real_ms);
                    session.ui(ui)
                });
                match frame {
                    Ok(Some(SessionRequest::Debrief)) => self.open_debrief(),
                    Ok(None) => {}
                    Err(reason) => self.session_failed(&reason),
                }
            }
            Screen::Debrief => {
                let Some(debrief) = &mut self.debrief else {
                    self.screen = Screen::Menu;
                    return;
                };
                let request = match session::catch_panic(|| debrief.ui(ui)) {
                    Ok(request) => request,
                    Err(reason) => {
                        if let Some(session) = &mut self.session {
                            session.interrupt_recording(&reason);
                        }
                        self.session_failed(&reason);
                        return;
                    }
                };
                match request {
                    Some(DebriefRequest::Resume) => self.screen = Screen::Session,
                    Some(DebriefRequest::Menu) => {
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
                    None => {}
                }
            }
        }
    }
}
