//! The camera egui draws with, the look of the desk, and the start-up time report.

use super::{ScreenUi, StartedAt};
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, spawn_camera).add_systems(
        EguiPrimaryContextPass,
        (
            apply_theme.run_if(run_once),
            report_first_frame.run_if(run_once).after(ScreenUi),
        ),
    );
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
