//! The window: Bevy and bevy_egui around the desk's screens.
//!
//! The console ([`Desk`]) is one resource; it routes between its screens exactly as the
//! tests drive it, and each screen's state lives inside it for as long as the screen is
//! reachable. Screens are Bevy `States` ([`Screen`]) that follow the desk's route, and one
//! plugin per file draws or drives a screen: `theme` (camera, fonts, visuals), `menu`,
//! `session` (the simulated clock and the care desk), `debrief`, and `autoplay` (a scripted
//! team plays, screenshots are saved, the program exits: demonstrations and the end-to-end
//! test).

mod autoplay;
mod debrief;
mod menu;
mod session;
mod theme;

use crate::desk::catalog::{Catalog, CatalogEntry, default_dir};
use crate::desk::menu::MenuDesk;
use crate::desk::report::shared_analyser;
use crate::desk::session::{Crowd, Mode, SessionDesk, SessionSetup};
use crate::desk::{Desk, Screen};
use crate::engine::{Lang, PolicyKind};
use bevy::prelude::*;
use bevy::window::{PresentMode, WindowResolution};
use bevy_egui::{EguiPlugin, EguiPrimaryContextPass, egui};
use std::path::PathBuf;
use std::process::ExitCode;

/// The name autoplay sessions are recorded under: the scripted team's replies sign "^Julie".
const AUTOPLAY_TRAINEE: &str = "Julie";

/// How `raleur play` (or `raleur` alone) opens the console.
#[derive(Clone, Debug)]
pub struct PlayOptions {
    /// Preselected on the start screen (or played at once with autoplay).
    pub scenario: Option<PathBuf>,
    pub seed: u64,
    pub lang: Lang,
    pub trainee: Option<String>,
    pub mode: Mode,
    pub autoplay: Option<PolicyKind>,
    /// Simulated seconds per second under autoplay.
    pub autoplay_speed: u32,
    /// Wall-clock seconds before the screenshots are taken and the program exits.
    pub exit_after_s: Option<f64>,
    /// Where the session screen is saved; the debrief goes to `<stem>-debrief.png`.
    pub screenshot: Option<PathBuf>,
    pub customers_target: Option<u64>,
    /// Whom the crowd is sized for, preselected on the start screen (`--cell`: a crisis cell).
    pub crowd: Crowd,
    /// The academy's records sessions are written into; none: not recorded.
    pub record_db: Option<PathBuf>,
    /// The curriculum whose progress the start screen shows.
    pub curriculum: PathBuf,
    /// A seat of a team exercise to take at once: the server's address and the seat's code.
    pub join: Option<(String, String)>,
}

/// Opens the window and runs until it is closed (or autoplay ends); the exit status.
pub fn run(options: PlayOptions) -> ExitCode {
    let started = StartedAt(std::time::Instant::now());
    let menu = match start_screen(&options) {
        Ok(menu) => menu,
        Err(code) => return code,
    };
    let mut desk = Desk::from_menu(menu);
    if let Some((url, code)) = &options.join {
        let trainee = options.trainee.clone().unwrap_or_default();
        match SessionDesk::join(url, code, &trainee, shared_analyser()) {
            Ok(session) => desk.show_session(session),
            Err(error) => {
                eprintln!("raleur play: {error}");
                return ExitCode::from(1);
            }
        }
    }
    if let Some(kind) = options.autoplay {
        match autoplay_session(&options, &desk.menu, kind) {
            Ok(session) => desk.show_session(session),
            Err(code) => return code,
        }
    }
    let mut app = App::new();
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title: "raleur".into(),
            resolution: WindowResolution::new(1600, 900),
            present_mode: PresentMode::AutoVsync,
            ..default()
        }),
        ..default()
    }))
    .add_plugins(EguiPlugin::default())
    .insert_resource(started)
    .insert_state(desk.screen)
    .insert_resource(Console(desk))
    .add_plugins((
        theme::plugin,
        menu::plugin,
        session::plugin,
        debrief::plugin,
    ))
    .add_systems(EguiPrimaryContextPass, follow_the_desk.after(ScreenUi));
    if options.autoplay.is_some() || options.exit_after_s.is_some() {
        app.insert_resource(autoplay::Autoplay::new(
            options.exit_after_s,
            options.screenshot.clone(),
        ))
        .add_plugins(autoplay::plugin);
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// The start screen as the options prepare it: scenario, seed, mode, trainee, progress.
fn start_screen(options: &PlayOptions) -> Result<MenuDesk, ExitCode> {
    let mut catalog = Catalog::load(&default_dir());
    let mut preselected = None;
    if let Some(path) = &options.scenario {
        match CatalogEntry::load(path) {
            Ok(entry) => preselected = Some(catalog.insert(entry)),
            Err(errors) => {
                eprintln!("{errors}");
                return Err(ExitCode::from(1));
            }
        }
    }
    let mut menu = MenuDesk::new(catalog, options.lang);
    menu.seed = options.seed;
    menu.mode = options.mode;
    menu.crowd = options.crowd;
    if let Some(index) = preselected {
        menu.selected = index;
    }
    if let Some(name) = &options.trainee {
        menu.trainee = name.clone();
    }
    if let Some(db) = &options.record_db {
        match crate::academy::Curriculum::load(&options.curriculum) {
            Ok(curriculum) => {
                menu.course = Some(crate::desk::course::Course::new(curriculum, db.clone()));
            }
            Err(errors) => {
                eprintln!("raleur play: the curriculum does not load; progress is not shown");
                for error in errors {
                    eprintln!("{error}");
                }
            }
        }
    }
    Ok(menu)
}

/// The session a scripted team plays from the first frame.
fn autoplay_session(
    options: &PlayOptions,
    menu: &MenuDesk,
    kind: PolicyKind,
) -> Result<SessionDesk, ExitCode> {
    let Some(entry) = menu.catalog.entries.get(menu.selected).cloned() else {
        eprintln!("raleur play: no scenario to play");
        return Err(ExitCode::from(1));
    };
    let setup = SessionSetup {
        trainee: options
            .trainee
            .clone()
            .unwrap_or_else(|| AUTOPLAY_TRAINEE.to_string()),
        scenario: entry,
        seed: options.seed,
        lang: options.lang,
        mode: options.mode,
        autoplay: Some(kind),
        customers_target: options.customers_target,
        crowd: options.crowd,
    };
    let mut session = SessionDesk::new(setup, shared_analyser()).map_err(|error| {
        eprintln!("raleur play: {error}");
        ExitCode::from(1)
    })?;
    session.set_autoplay_speed(options.autoplay_speed);
    // A demonstration is recorded only for a trainee named on the command line.
    if let (Some(db), Some(_)) = (&options.record_db, &options.trainee)
        && let Err(error) = session.record_into(db)
    {
        eprintln!("raleur play: cannot record the session: {error}");
        return Err(ExitCode::from(2));
    }
    Ok(session)
}

/// When `raleur play` started, to report the time to the first interactive frame.
#[derive(Resource)]
pub struct StartedAt(pub std::time::Instant);

/// The console: its screens and their route.
#[derive(Resource)]
pub struct Console(pub Desk);

/// The systems that draw a screen; what reads the route runs after them.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
struct ScreenUi;

/// The Bevy state follows the screen the desk routed to this frame.
fn follow_the_desk(
    console: Res<Console>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
) {
    if console.0.screen != *screen.get() {
        next.set(console.0.screen);
    }
}

/// The root of a frame's interface: the whole window, painted under everything else.
fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        egui::Id::new("raleur-root"),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}
