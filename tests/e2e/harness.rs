//! Finds the programs the end-to-end tests need and runs them as child processes that are
//! always killed, even when a test fails: Xvfb, then tauri-driver (which starts
//! WebKitWebDriver, which starts the app).

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};

use quire_tests::workspace_root;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How to build everything the e2e tests need, for error messages.
pub const HOW_TO_BUILD: &str = "build it with `scripts/e2e.sh`, or by hand: \
    `(cd ui && npm ci && npm run build) && cargo build -p quire-desktop` and \
    `cargo install tauri-driver --locked --version 2.1.0`; \
    Xvfb and WebKitWebDriver come from the Debian packages `xvfb` and `webkit2gtk-driver`";

/// The desktop app: `$QUIRE_APP_BINARY` if set (the benchmark runs the release build), else
/// the debug build.
pub fn app_binary() -> Result<PathBuf, String> {
    if let Some(binary) = std::env::var_os("QUIRE_APP_BINARY") {
        return Ok(PathBuf::from(binary));
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"));
    let target = if target.is_absolute() { target } else { workspace_root().join(target) };
    let binary = target.join("debug").join("quire-desktop");
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("the app binary {} is missing: {HOW_TO_BUILD}", binary.display()))
    }
}

/// A program on PATH, or at one of `extra` places.
pub fn find_program(name: &str, extra: &[PathBuf]) -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .chain(extra.iter().cloned())
        .find(|p| p.is_file())
        .ok_or_else(|| format!("`{name}` is not installed (not on PATH nor in {extra:?}): {HOW_TO_BUILD}"))
}

/// A child process in its own process group; the whole group is killed on drop.
pub struct Guarded {
    name: &'static str,
    child: Child,
}

impl Guarded {
    /// Spawns `command` in a new process group, its stdout and stderr going to `log`.
    pub fn spawn(name: &'static str, mut command: Command, log: &Path) -> Result<Self, String> {
        let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(Self { name, child })
    }

    /// Fails if the process already exited.
    pub fn check_running(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!("{} exited early: {status}", self.name)),
            Err(e) => Err(format!("{}: {e}", self.name)),
        }
    }

    fn signal_group(&self, signal: &str) {
        // Signals the whole group: tauri-driver's WebKitWebDriver and the app too.
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        self.signal_group("-TERM");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Whatever is left of the group (the leader may be gone while its children live on).
        self.signal_group("-KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A display number with no X server (no socket, no lock file).
fn free_display_from(start: u32) -> Result<u32, String> {
    (start..190)
        .chain(90..start)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .ok_or_else(|| "no free X display between :90 and :189".to_owned())
}

/// Starts Xvfb on a free display; when another test took the display in the meantime, tries
/// the next one. Returns the server and its display.
pub fn start_any_xvfb(xvfb: &Path, log: &Path) -> Result<(Guarded, u32), String> {
    let mut start = 90 + std::process::id() % 50;
    let mut last = String::new();
    for _ in 0..10 {
        let display = free_display_from(start)?;
        match start_xvfb(xvfb, display, log) {
            Ok(server) => return Ok((server, display)),
            Err(e) => {
                last = e;
                start = display + 1;
            }
        }
    }
    Err(last)
}

/// A TCP port on localhost that nothing listens on right now.
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Starts `Xvfb :display` and waits for its socket.
pub fn start_xvfb(xvfb: &Path, display: u32, log: &Path) -> Result<Guarded, String> {
    let mut command = Command::new(xvfb);
    command.args([&format!(":{display}"), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"]);
    let mut server = Guarded::spawn("Xvfb", command, log)?;
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{display}"));
    wait_until(Duration::from_secs(15), || {
        server.check_running()?;
        Ok(socket.exists())
    })
    .map_err(|e| format!("Xvfb :{display} did not start: {e}; log: {}", read_log(log)))?;
    Ok(server)
}

/// Waits until something accepts connections on `127.0.0.1:port`, while `process` runs.
pub fn wait_for_port(process: &mut Guarded, port: u16, log: &Path) -> Result<(), String> {
    wait_until(Duration::from_secs(20), || {
        process.check_running()?;
        Ok(TcpStream::connect(("127.0.0.1", port)).is_ok())
    })
    .map_err(|e| format!("nothing listens on port {port}: {e}; log: {}", read_log(log)))
}

/// Polls `ready` every 50 ms until it says true, fails, or `timeout` passes.
pub fn wait_until(timeout: Duration, mut ready: impl FnMut() -> Result<bool, String>) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    while !ready()? {
        if Instant::now() > deadline {
            return Err(format!("timed out after {timeout:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// The tail of a log file, for error messages.
pub fn read_log(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let start = text.len().saturating_sub(4000);
    let start = (start..text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
    text[start..].to_owned()
}
