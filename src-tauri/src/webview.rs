//! Webview settings for a reading app that shows one local page: less memory, same pixels.
//!
//! On Linux (WebKitGTK): no accelerated compositing (Quire's pages are static text; GPU layers
//! cost tens of megabytes per process and buy nothing), and the "document viewer" cache model
//! (no page cache for back/forward, small memory caches: everything comes from the app).
//! Measured in BENCHMARKS.md. Other platforms keep their webview's defaults.

/// Settings that must be in the environment before WebKit starts its processes (which
/// inherit it). Called first thing in `main`, while the app is still single-threaded.
pub fn prepare_environment() {
    #[cfg(target_os = "linux")]
    {
        // JavaScriptCore's JIT tiers keep megabytes of compiled code and profiling data; the UI's
        // script is small and event-driven, and runs as fast as needed in the interpreter.
        if std::env::var_os("JSC_useJIT").is_none() {
            std::env::set_var("JSC_useJIT", "false");
        }
    }
}

/// Keeps WebKit's default (accelerated) compositing when set.
#[cfg(target_os = "linux")]
const COMPOSITING_ENV: &str = "QUIRE_COMPOSITING";

#[cfg(target_os = "linux")]
pub fn tune(app: &tauri::App) -> tauri::Result<()> {
    use tauri::Manager;
    use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};

    let Some(window) = app.get_webview_window("main") else { return Ok(()) };
    window.with_webview(|webview| {
        let view = webview.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            // WebKitWebDriver's screenshots wait for a composited frame: without compositing
            // they never get one, and when WebKit switches it on and off by itself they can
            // show an old frame. The end-to-end tests (`QUIRE_COMPOSITING=1`) keep it always on.
            let policy = match std::env::var_os(COMPOSITING_ENV) {
                Some(v) if !v.is_empty() => HardwareAccelerationPolicy::Always,
                _ => HardwareAccelerationPolicy::Never,
            };
            settings.set_hardware_acceleration_policy(policy);
            settings.set_enable_page_cache(false);
        }
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    })
}

#[cfg(not(target_os = "linux"))]
pub fn tune(_app: &tauri::App) -> tauri::Result<()> {
    Ok(())
}
