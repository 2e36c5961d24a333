//! The start screen.

use super::{Console, ScreenUi, root_ui};
use crate::desk::Screen;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        menu_ui.run_if(in_state(Screen::Menu)).in_set(ScreenUi),
    );
}

fn menu_ui(mut contexts: EguiContexts, mut console: ResMut<Console>) -> Result {
    let mut ui = root_ui(contexts.ctx_mut()?);
    console.0.menu_ui(&mut ui);
    Ok(())
}
