//! The window: Bevy and bevy_egui around the desk's screens.
//!
//! Screens are Bevy `States` ([`Screen`]); each screen's state is a resource holding the
//! desk's widget struct, and one plugin per feature draws or drives it: [`ThemePlugin`]
//! (camera, fonts, visuals), [`MenuPlugin`], [`SessionPlugin`] (the simulated clock and the
//! care desk), [`DebriefPlugin`], and [`AutoplayPlugin`] (a scripted team plays, screenshots
//! are saved, the program exits: demonstrations and the end-to-end test).

use crate::desk::Screen;
use crate::desk::catalog::{Catalog, CatalogEntry, default_dir};
use crate::desk::debrief::{DebriefDesk, DebriefRequest};
use crate::desk::menu::MenuDesk;
use crate::desk::report::shared_analyser;
use crate::desk::session::{Mode, SessionDesk, SessionRequest, SessionSetup};
use crate::engine::{Lang, PolicyKind};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::window::{PresentMode, WindowResolution};
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};
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
    /// The academy's records sessions are written into; none: not recorded.
    pub record_db: Option<PathBuf>,
    /// The curriculum whose progress the start screen shows.
    pub curriculum: PathBuf,
}

/// Opens the window and runs until it is closed (or autoplay ends); the exit status.
pub fn run(options: PlayOptions) -> ExitCode {
    let started = StartedAt(std::time::Instant::now());
    let mut catalog = Catalog::load(&default_dir());
    let mut preselected = None;
    if let Some(path) = &options.scenario {
        match CatalogEntry::load(path) {
            Ok(entry) => preselected = Some(catalog.insert(entry)),
            Err(errors) => {
                eprintln!("{errors}");
                return ExitCode::from(1);
            }
        }
    }
    let mut menu = MenuDesk::new(catalog, options.lang);
    menu.seed = options.seed;
    menu.mode = options.mode;
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
    let mut first_session = None;
    if let Some(kind) = options.autoplay {
        let Some(entry) = menu.catalog.entries.get(menu.selected).cloned() else {
            eprintln!("raleur play: no scenario to play");
            return ExitCode::from(1);
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
        };
        match SessionDesk::new(setup, shared_analyser()) {
            Ok(mut session) => {
                session.set_autoplay_speed(options.autoplay_speed);
                // A demonstration is recorded only for a trainee named on the command line.
                if let (Some(db), Some(_)) = (&options.record_db, &options.trainee)
                    && let Err(error) = session.record_into(db)
                {
                    eprintln!("raleur play: cannot record the session: {error}");
                    return ExitCode::from(2);
                }
                first_session = Some(session);
            }
            Err(error) => {
                eprintln!("raleur play: {error}");
                return ExitCode::from(1);
            }
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
    .insert_resource(MenuScreen(menu))
    .add_plugins((ThemePlugin, MenuPlugin, SessionPlugin, DebriefPlugin));
    match first_session {
        Some(session) => {
            app.insert_resource(SessionScreen(session))
                .insert_state(Screen::Session);
        }
        None => {
            app.init_state::<Screen>();
        }
    }
    if options.autoplay.is_some() || options.exit_after_s.is_some() {
        app.add_plugins(AutoplayPlugin {
            exit_after_s: options.exit_after_s,
            screenshot: options.screenshot.clone(),
        });
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// When `raleur play` started, to report the time to the first interactive frame.
#[derive(Resource)]
pub struct StartedAt(pub std::time::Instant);

#[derive(Resource)]
pub struct MenuScreen(pub MenuDesk);

#[derive(Resource)]
pub struct SessionScreen(pub SessionDesk);

#[derive(Resource)]
pub struct DebriefScreen(pub DebriefDesk);

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

/// The camera egui draws with, and the look of the desk.
pub struct ThemePlugin;

impl Plugin for ThemePlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Startup, spawn_camera).add_systems(
            EguiPrimaryContextPass,
            (
                apply_theme.run_if(run_once),
                report_first_frame
                    .run_if(run_once)
                    .after(menu_ui)
                    .after(session_ui),
            ),
        );
    }
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

fn apply_theme(mut contexts: EguiContexts) -> Result {
    let ctx = contexts.ctx_mut()?;
    crate::desk::style::apply_theme(ctx);
    Ok(())
}

/// Start-up time, as the benchmarks quote it: from `raleur play` to the first frame whose
/// interface took input.
fn report_first_frame(started: Res<StartedAt>) {
    info!(
        "first interactive frame {} ms after start",
        started.0.elapsed().as_millis()
    );
}

/// The start screen.
pub struct MenuPlugin;

impl Plugin for MenuPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(
            EguiPrimaryContextPass,
            menu_ui.run_if(in_state(Screen::Menu)),
        );
    }
}

fn menu_ui(
    mut contexts: EguiContexts,
    mut menu: ResMut<MenuScreen>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    if let Some(setup) = menu.0.ui(&mut ui) {
        match menu.0.open_session(setup) {
            Ok(session) => {
                commands.insert_resource(SessionScreen(session));
                next.set(Screen::Session);
            }
            Err(error) => menu.0.error = Some(error),
        }
    }
    Ok(())
}

/// The care desk and its simulated clock.
pub struct SessionPlugin;

impl Plugin for SessionPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Update, advance_clock.run_if(in_state(Screen::Session)))
            .add_systems(
                EguiPrimaryContextPass,
                session_ui.run_if(in_state(Screen::Session)),
            );
    }
}

fn advance_clock(
    time: Res<Time>,
    session: Option<ResMut<SessionScreen>>,
    mut menu: ResMut<MenuScreen>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if let Some(mut session) = session {
        let real_ms = time.delta_secs_f64() * 1_000.0;
        if let Err(reason) = session.0.guarded(|desk| desk.tick(real_ms)) {
            session_failed(&reason, &mut menu.0, &mut commands, &mut next);
        }
    }
}

fn session_ui(
    mut contexts: EguiContexts,
    session: Option<ResMut<SessionScreen>>,
    mut menu: ResMut<MenuScreen>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let Some(mut session) = session else {
        next.set(Screen::Menu);
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    match session.0.guarded(|desk| desk.ui(&mut ui)) {
        Ok(Some(SessionRequest::Debrief)) => {
            commands.insert_resource(DebriefScreen(DebriefDesk::new(&session.0)));
            next.set(Screen::Debrief);
        }
        Ok(_) => {}
        Err(reason) => session_failed(&reason, &mut menu.0, &mut commands, &mut next),
    }
    Ok(())
}

/// A panic caught under the desk (its record is already closed as interrupted): back to the
/// start screen, which says what happened, as `Desk::session_failed` does without a window.
fn session_failed(
    reason: &str,
    menu: &mut MenuDesk,
    commands: &mut Commands,
    next: &mut NextState<Screen>,
) {
    error!("the session stopped on an internal error: {reason}; its record is kept as interrupted");
    menu.session_failed(reason);
    commands.remove_resource::<SessionScreen>();
    commands.remove_resource::<DebriefScreen>();
    next.set(Screen::Menu);
}

/// The debrief.
pub struct DebriefPlugin;

impl Plugin for DebriefPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(
            EguiPrimaryContextPass,
            debrief_ui.run_if(in_state(Screen::Debrief)),
        );
    }
}

fn debrief_ui(
    mut contexts: EguiContexts,
    debrief: Option<ResMut<DebriefScreen>>,
    session: Option<ResMut<SessionScreen>>,
    mut menu: ResMut<MenuScreen>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) -> Result {
    let Some(mut debrief) = debrief else {
        next.set(Screen::Menu);
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let mut ui = root_ui(ctx);
    let request = match crate::desk::session::catch_panic(|| debrief.0.ui(&mut ui)) {
        Ok(request) => request,
        Err(reason) => {
            if let Some(mut session) = session {
                session.0.interrupt_recording(&reason);
            }
            session_failed(&reason, &mut menu.0, &mut commands, &mut next);
            return Ok(());
        }
    };
    match request {
        Some(DebriefRequest::Resume) => next.set(Screen::Session),
        Some(DebriefRequest::Menu) => {
            if let Some(mut session) = session {
                session.0.close_recording();
            }
            if let Some(course) = &mut menu.0.course {
                course.refresh();
            }
            commands.remove_resource::<SessionScreen>();
            commands.remove_resource::<DebriefScreen>();
            next.set(Screen::Menu);
        }
        None => {}
    }
    Ok(())
}

/// Drives the window without a person: after `exit_after_s` of wall-clock time it saves the
/// screen showing (the session, or the start screen if none was started), opens the
/// session's debrief, saves it, and exits.
pub struct AutoplayPlugin {
    pub exit_after_s: Option<f64>,
    pub screenshot: Option<PathBuf>,
}

#[derive(Resource)]
struct Autoplay {
    exit_after_s: Option<f64>,
    screenshot: Option<PathBuf>,
    stage: AutoplayStage,
    /// Frames drawn in the current stage (egui needs a few to settle a new screen).
    frames: u32,
    stage_started_s: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AutoplayStage {
    Playing,
    SessionShot,
    ToDebrief,
    DebriefShot,
    Exit,
}

/// Seconds to wait for a screenshot before giving up with an error.
const SCREENSHOT_TIMEOUT_S: f64 = 60.0;

impl Plugin for AutoplayPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(Autoplay {
            exit_after_s: self.exit_after_s,
            screenshot: self.screenshot.clone(),
            stage: AutoplayStage::Playing,
            frames: 0,
            stage_started_s: 0.0,
        })
        .add_systems(Last, drive_autoplay);
    }
}

fn debrief_path(path: &std::path::Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or("screenshot".into(), |s| s.to_string_lossy().to_string());
    let extension = path
        .extension()
        .map_or("png".into(), |e| e.to_string_lossy().to_string());
    path.with_file_name(format!("{stem}-debrief.{extension}"))
}

fn take_screenshot(commands: &mut Commands, path: PathBuf) {
    let mut save = save_to_disk(path);
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>,
              mut autoplay: ResMut<Autoplay>,
              session: Option<Res<SessionScreen>>| {
            save(captured);
            autoplay.frames = 0;
            // Without a session (the start screen was shown) there is no debrief to save.
            autoplay.stage = match autoplay.stage {
                AutoplayStage::SessionShot if session.is_some() => AutoplayStage::ToDebrief,
                _ => AutoplayStage::Exit,
            };
        },
    );
}

fn drive_autoplay(
    time: Res<Time<Real>>,
    mut autoplay: ResMut<Autoplay>,
    mut commands: Commands,
    session: Option<Res<SessionScreen>>,
    mut next: ResMut<NextState<Screen>>,
    mut exit: MessageWriter<AppExit>,
) {
    let now = time.elapsed_secs_f64();
    autoplay.frames += 1;
    let waited = now - autoplay.stage_started_s;
    match autoplay.stage {
        AutoplayStage::Playing => {
            let Some(limit) = autoplay.exit_after_s else {
                return;
            };
            if now < limit {
                return;
            }
            match autoplay.screenshot.clone() {
                Some(path) => {
                    take_screenshot(&mut commands, path);
                    autoplay.stage = AutoplayStage::SessionShot;
                    autoplay.stage_started_s = now;
                }
                None => autoplay.stage = AutoplayStage::Exit,
            }
        }
        AutoplayStage::SessionShot | AutoplayStage::DebriefShot => {
            if waited > SCREENSHOT_TIMEOUT_S {
                error!("no screenshot after {SCREENSHOT_TIMEOUT_S} s");
                exit.write(AppExit::error());
            }
        }
        AutoplayStage::ToDebrief => {
            if autoplay.frames == 1 {
                if let Some(session) = session {
                    commands.insert_resource(DebriefScreen(DebriefDesk::new(&session.0)));
                }
                next.set(Screen::Debrief);
            }
            // A few frames for the debrief's layout (plots size themselves) to settle.
            if autoplay.frames >= 6
                && let Some(path) = autoplay.screenshot.as_deref().map(debrief_path)
            {
                take_screenshot(&mut commands, path);
                autoplay.stage = AutoplayStage::DebriefShot;
                autoplay.stage_started_s = now;
            }
        }
        AutoplayStage::Exit => {
            // One more frame so the observer's file is flushed before the process ends.
            if autoplay.frames >= 2 {
                exit.write(AppExit::Success);
            }
        }
    }
}
