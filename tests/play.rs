//! The console end to end, as a person would run it: the real window under Xvfb with Mesa's
//! software Vulkan, driven by the expert team, saving the session screen and the debrief.
//! Needs the Debian packages `xvfb`, `mesa-vulkan-drivers` and `libvulkan1` (`.ci/run`
//! installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Decodes a PNG and says why it would be blank, if it is.
fn blank_reason(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = match decoder.read_info() {
        Ok(reader) => reader,
        Err(error) => return Some(format!("{}: not a PNG: {error}", path.display())),
    };
    let mut pixels = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let info = match reader.next_frame(&mut pixels) {
        Ok(info) => info,
        Err(error) => return Some(format!("{}: {error}", path.display())),
    };
    if (info.width, info.height) != (1600, 900) {
        return Some(format!(
            "{}: {}x{}, not 1600x900",
            path.display(),
            info.width,
            info.height
        ));
    }
    let channels = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    let background = &pixels[..channels];
    let mut colours: Vec<&[u8]> = pixels.chunks(channels).collect();
    let drawn = colours.iter().filter(|p| *p != &background).count();
    colours.sort_unstable();
    colours.dedup();
    let drawn_share = drawn as f64 / (info.width * info.height) as f64;
    // Text, panels and charts: many colours (anti-aliasing) over a good part of the window.
    if colours.len() < 50 || drawn_share < 0.05 {
        return Some(format!(
            "{}: looks blank ({} colours, {:.1}% of pixels differ from the corner)",
            path.display(),
            colours.len(),
            drawn_share * 100.0
        ));
    }
    None
}

#[test]
fn autoplay_in_a_real_window_saves_both_screens_and_exits_0() {
    let xvfb = Command::new("xvfb-run").arg("--help").output();
    assert!(
        xvfb.is_ok(),
        "xvfb-run is missing: install the Debian packages xvfb, mesa-vulkan-drivers, libvulkan1"
    );
    let dir: PathBuf = std::env::temp_dir().join(format!("raleur-play-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let shot = dir.join("desk.png");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/price_war.ron");
    let output = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1600x900x24"])
        .arg(env!("CARGO_BIN_EXE_raleur"))
        .arg("play")
        .arg(&scenario)
        .args(["--autoplay", "expert", "--exit-after", "10", "--screenshot"])
        .arg(&shot)
        .current_dir(&dir)
        .output()
        .expect("xvfb-run starts");
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}\n{log}",
        output.status.code()
    );
    for path in [shot.clone(), dir.join("desk-debrief.png")] {
        assert!(path.exists(), "{} was not saved\n{log}", path.display());
        if let Some(reason) = blank_reason(&path) {
            panic!("{reason}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_scenario_is_refused_before_any_window_opens() {
    let dir = std::env::temp_dir().join(format!("raleur-play-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.ron");
    std::fs::write(&broken, "(id: \"x\", title: ").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_raleur"))
        .arg("play")
        .arg(&broken)
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.ron:1:"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
