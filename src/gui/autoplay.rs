//! Drives the window without a person: demonstrations and the end-to-end test.

use super::Console;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use std::path::PathBuf;

/// Drives the window without a person: after `exit_after_s` of wall-clock time it saves the
/// screen showing (the session, or the start screen if none was started), opens the
/// session's debrief, saves it, and exits.
#[derive(Resource)]
pub(super) struct Autoplay {
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

impl Autoplay {
    pub(super) fn new(exit_after_s: Option<f64>, screenshot: Option<PathBuf>) -> Autoplay {
        Autoplay {
            exit_after_s,
            screenshot,
            stage: AutoplayStage::Playing,
            frames: 0,
            stage_started_s: 0.0,
        }
    }
}

/// Needs an [`Autoplay`] resource, inserted before.
pub(super) fn plugin(app: &mut App) {
    app.add_systems(Last, drive_autoplay);
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
              console: Res<Console>| {
            save(captured);
            autoplay.frames = 0;
            // Without a session (the start screen was shown) there is no debrief to save.
            autoplay.stage = match autoplay.stage {
                AutoplayStage::SessionShot if console.0.session.is_some() => {
                    AutoplayStage::ToDebrief
                }
                _ => AutoplayStage::Exit,
            };
        },
    );
}

fn drive_autoplay(
    time: Res<Time<Real>>,
    mut autoplay: ResMut<Autoplay>,
    mut commands: Commands,
    mut console: ResMut<Console>,
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
                console.0.open_debrief();
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
