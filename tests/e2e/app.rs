//! Starting the real app under Xvfb through tauri-driver (shared by the E2E tests and the
//! desktop benchmark).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::harness::{self, find_program, Guarded};
use crate::webdriver::Session;

/// Everything the test starts, killed in reverse order when dropped.
pub struct App {
    // Field order is drop order: the session goes first, then the driver, then X.
    pub session: Session,
    /// When the app was asked to start (the WebDriver session starts it); read by the benchmark.
    #[allow(dead_code)]
    pub started: Instant,
    /// The X display the app runs on.
    display: u32,
    _driver: Guarded,
    _xvfb: Guarded,
}

pub fn launch(library: &Path, logs: &Path) -> Result<App, String> {
    launch_with(library, logs, &[])
}

/// [`launch`] with extra environment for the app (e.g. scripted dialog answers).
pub fn launch_with(library: &Path, logs: &Path, env: &[(&str, &std::ffi::OsStr)]) -> Result<App, String> {
    launch_with_args(library, logs, env, &[])
}

/// [`launch_with`] with command-line arguments for the app (e.g. a `quire://` link).
pub fn launch_with_args(
    library: &Path,
    logs: &Path,
    env: &[(&str, &std::ffi::OsStr)],
    args: &[&str],
) -> Result<App, String> {
    let binary = harness::app_binary()?;
    let home_bin = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"));
    let tauri_driver = find_program("tauri-driver", &home_bin.into_iter().collect::<Vec<_>>())?;
    let native_driver = find_program("WebKitWebDriver", &[PathBuf::from("/usr/bin/WebKitWebDriver")])?;
    let xvfb = find_program("Xvfb", &[])?;

    let (xvfb, display) = harness::start_any_xvfb(&xvfb, &logs.join("xvfb.log"))?;

    let port = harness::free_port()?;
    let native_port = harness::free_port()?;
    let mut command = Command::new(&tauri_driver);
    command
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .arg("--native-driver")
        .arg(&native_driver)
        // tauri-driver's environment is the app's: it reaches it through WebKitWebDriver.
        .env("DISPLAY", format!(":{display}"))
        .env("QUIRE_LIBRARY", library)
        // The webview's own storage (theme, text size) lives beside the test's library, so
        // tests start from the defaults and a restart finds what the last run left.
        .env("XDG_DATA_HOME", logs.join("xdg-data"))
        .env("XDG_CACHE_HOME", logs.join("xdg-cache"))
        .env("XDG_CONFIG_HOME", logs.join("xdg-config"))
        .envs(env.iter().map(|(k, v)| (*k, *v)))
        .env("GDK_BACKEND", "x11")
        .env_remove("WAYLAND_DISPLAY");
    if screenshots() {
        // Screenshots need WebKit's compositing, which the app turns off to save memory.
        command.env("QUIRE_COMPOSITING", "1");
    }
    let driver_log = logs.join("tauri-driver.log");
    let mut driver = Guarded::spawn("tauri-driver", command, &driver_log)?;
    harness::wait_for_port(&mut driver, port, &driver_log)?;
    // tauri-driver listens before its WebKitWebDriver does; a session started in between fails.
    harness::wait_for_port(&mut driver, native_port, &driver_log)?;

    let application = binary.to_str().ok_or("the app path is not UTF-8")?;
    let started = Instant::now();
    let session = Session::new(&format!("http://127.0.0.1:{port}"), application, args)
        .map_err(|e| format!("{e}; tauri-driver log: {}", harness::read_log(&driver_log)))?;
    Ok(App { session, started, display, _driver: driver, _xvfb: xvfb })
}

impl App {
    /// The X display number the app runs on.
    #[allow(dead_code)]
    pub fn display(&self) -> u32 {
        self.display
    }

    /// What the app's display holds on its clipboard, read by another program (`xclip`), as a
    /// paste in another app would.
    #[allow(dead_code)]
    pub fn clipboard_text(&self) -> Result<String, String> {
        let xclip = find_program("xclip", &[])?;
        let out = Command::new(xclip)
            .args(["-o", "-selection", "clipboard"])
            .env("DISPLAY", format!(":{}", self.display))
            .output()
            .map_err(|e| format!("xclip: {e}"))?;
        if !out.status.success() {
            return Err(format!("xclip: {}", String::from_utf8_lossy(&out.stderr)));
        }
        String::from_utf8(out.stdout).map_err(|e| format!("xclip: {e}"))
    }
}

/// False in the benchmark (`QUIRE_BENCH`), which measures the app as users run it.
fn screenshots() -> bool {
    std::env::var_os("QUIRE_BENCH").is_none()
}

pub fn save_screenshot(session: &Session, name: &str) {
    // A screenshot shows the last painted frame: give the webview a moment to paint.
    std::thread::sleep(std::time::Duration::from_millis(400));
    let png = session.screenshot_png().expect("take a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    // Tests never write tracked files: screenshots go to target/screenshots/ unless
    // QUIRE_SCREENSHOTS names a folder (`QUIRE_SCREENSHOTS=docs/screenshots` refreshes the
    // README's pictures).
    let dir = match std::env::var_os("QUIRE_SCREENSHOTS") {
        Some(dir) => quire_tests::workspace_root().join(dir),
        None => quire_tests::workspace_root().join("target").join("screenshots"),
    };
    std::fs::create_dir_all(&dir).expect("create the screenshot folder");
    std::fs::write(dir.join(name), png).expect("save the screenshot");
}
