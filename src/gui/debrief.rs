//! The debrief.

use super::{Console, ScreenUi, root_ui};
use crate::desk::Screen;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        debrief_ui
            .run_if(in_state(Screen::Debrief))
            .in_set(ScreenUi),
    );
}

fn debrief_ui(mut contexts: EguiContexts, mut console: ResMut<Console>) -> Result {
    let mut ui = root_ui(contexts.ctx_mut()?);
    console.0.debrief_ui(&mut ui);
    Ok(())
}
