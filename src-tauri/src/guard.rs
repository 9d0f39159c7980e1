//! Where the main webview may be, and who may call the app's commands. The webview shows only
//! the app itself (`tauri://localhost`, `http(s)://tauri.localhost` on Windows): a navigation
//! or a new window anywhere else is refused, and an http(s) address goes to the system
//! browser instead (through the same checked hand-off as the reader's links). Commands answer
//! only a webview that is on the app's own origin, so a page that got into the webview some
//! other way — a stored SVG on `quire-image:`, which Tauri counts as local — cannot call them.

use tauri::Url;

/// What to do with a navigation or a new window the webview asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Navigation {
    /// The app's own page: let the webview go there.
    Stay,
    /// A web address: refused here, opened in the system browser.
    Browser(String),
    /// Anything else: refused.
    Refuse,
}

/// Whether the address is on the app's own origin: `tauri://localhost`, or
/// `http(s)://tauri.localhost` where the platform serves custom schemes over http (Windows).
pub fn is_app_origin(url: &Url) -> bool {
    let port_free = url.port().is_none() && url.username().is_empty() && url.password().is_none();
    port_free
        && match url.scheme() {
            "tauri" => url.host_str() == Some("localhost"),
            "http" | "https" => url.host_str() == Some("tauri.localhost"),
            _ => false,
        }
}

/// The decision for a webview that asks to go to `url`.
pub fn navigation(url: &Url) -> Navigation {
    if is_app_origin(url) {
        Navigation::Stay
    } else if quire::address::is_web(url.as_str()) {
        Navigation::Browser(url.to_string())
    } else {
        Navigation::Refuse
    }
}

/// Applies [`navigation`]: true to let the webview go (its own page), else false, opening a
/// web address in the browser first.
pub fn allow_navigation(url: &Url) -> bool {
    match navigation(url) {
        Navigation::Stay => true,
        Navigation::Browser(address) => {
            if let Err(error) = crate::dialogs::open_web_link(&address) {
                eprintln!("quire-desktop: {error}");
            }
            false
        }
        Navigation::Refuse => false,
    }
}

/// The app's command handler, answering only a webview on the app's own origin; any other
/// caller gets a refusal and no command runs.
pub fn own_origin_only<R: tauri::Runtime>(
    handler: impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static,
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    move |invoke| {
        let own = invoke.message.webview_ref().url().is_ok_and(|url| is_app_origin(&url));
        if own {
            handler(invoke)
        } else {
            invoke.resolver.reject("commands answer only Quire's own page");
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    /// What an injected script, a meta refresh or a stored page might send the webview to.
    #[test]
    fn only_the_app_itself_stays_in_the_webview() {
        for own in ["tauri://localhost", "tauri://localhost/index.html#/article/3", "http://tauri.localhost/"] {
            assert_eq!(navigation(&url(own)), Navigation::Stay, "{own}");
        }
        for web in ["https://evil.example/", "http://127.0.0.1:8080/steal?x=1", "https://tauri.localhost.evil.example/"]
        {
            assert_eq!(navigation(&url(web)), Navigation::Browser(url(web).to_string()), "{web}");
        }
        for refused in [
            "quire-image://localhost/0000000000000000000000000000000000000000000000000000000000000000",
            "http://quire-image.localhost/00",
            "tauri://evil.example/",
            "tauri://localhost:8080/",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "about:blank",
            "blob:tauri://localhost/1234",
            "quire://article/1",
        ] {
            let u = url(refused);
            assert!(!is_app_origin(&u), "{refused}");
            assert!(!matches!(navigation(&u), Navigation::Stay), "{refused}");
        }
        assert_eq!(navigation(&url("javascript:alert(1)")), Navigation::Refuse);
        assert_eq!(navigation(&url("quire-image://localhost/00")), Navigation::Refuse);
    }
}

/// The release build offers no web inspector: Tauri enables it in release builds only with its
/// `devtools` feature (and a window's `devtools` setting), so neither may be on.
#[cfg(test)]
mod release {
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("src-tauri is in the workspace")
    }

    /// Every feature the workspace resolves for `tauri`, as Cargo itself reports them.
    fn tauri_features() -> Vec<String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let out = std::process::Command::new(cargo)
            .args(["tree", "--offline", "--locked", "-p", "quire-desktop", "-e", "features", "-i", "tauri"])
            .args(["--prefix", "none", "--format", "{p} {f}"])
            .current_dir(root())
            .output()
            .expect("cargo tree runs");
        assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let line = text.lines().find(|l| l.starts_with("tauri v")).expect("tauri is in the tree").to_owned();
        line.split_whitespace().last().unwrap_or_default().split(',').map(str::to_owned).collect()
    }

    #[test]
    fn the_release_build_has_no_web_inspector() {
        let features = tauri_features();
        assert!(!features.is_empty());
        assert!(!features.iter().any(|f| f == "devtools"), "tauri's devtools feature is on: {features:?}");
        let config: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap()).unwrap();
        for window in config["app"]["windows"].as_array().expect("windows") {
            assert_ne!(window.get("devtools"), Some(&serde_json::Value::Bool(true)), "a window turns devtools on");
        }
        // Nothing of ours opens it either.
        for file in std::fs::read_dir(root().join("src-tauri/src")).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let calls = text.matches(concat!("open_", "devtools")).count();
            assert_eq!(calls, 0, "{} opens the web inspector", path.display());
        }
    }
}
