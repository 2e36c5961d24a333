//! The care desk and its simulated clock.

use super::{Console, ScreenUi, root_ui};
use crate::desk::Screen;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, advance_clock.run_if(in_state(Screen::Session)))
        .add_systems(
            EguiPrimaryContextPass,
            session_ui
                .run_if(in_state(Screen::Session))
                .in_set(ScreenUi),
        );
}

fn advance_clock(time: Res<Time>, mut console: ResMut<Console>) {
    console.0.tick(time.delta_secs_f64() * 1_000.0);
}

fn session_ui(mut contexts: EguiContexts, mut console: ResMut<Console>) -> Result {
    let mut ui = root_ui(contexts.ctx_mut()?);
    console.0.session_ui(&mut ui);
    Ok(())
}
