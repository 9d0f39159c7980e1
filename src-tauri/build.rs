//! Reads the root `tauri.conf.json`, checks the capability file and generates the
//! `allow-*`/`deny-*` permissions of the app's own commands.

use std::path::Path;

/// Every command `src/commands.rs` exposes; a command missing here cannot be allowed.
const COMMANDS: &[&str] = &[
    "list_articles",
    "count_articles",
    "get_article",
    "list_tags",
    "search",
    "topic",
    "saved_searches",
    "add_highlight",
    "update_highlight",
    "delete_highlight",
    "reattach_highlight",
    "set_status",
    "set_favorite",
    "set_progress",
    "tag_article",
    "untag_article",
    "save_search",
    "delete_saved_search",
    "clip",
    "add_sample",
    "import_dialog",
    "import_dropped",
    "cancel_import",
    "export_pdf",
    "open_exported",
    "open_link",
    "subscribe",
];

/// The built frontend (`build.frontendDist` of the root config), embedded by
/// `tauri::generate_context!`.
const FRONTEND_DIST: &str = "../ui/dist";

fn main() {
    if !Path::new(FRONTEND_DIST).join("index.html").is_file() {
        panic!(
            "{FRONTEND_DIST}/index.html is missing: build the UI first with \
             `npm ci && npm run build` in ui/ (the app embeds it; there is no dev server)"
        );
    }
    // `generate_context!` reads the assets when the crate compiles; re-running this script on
    // a UI rebuild is what makes cargo recompile the crate and embed the new assets.
    println!("cargo:rerun-if-changed={FRONTEND_DIST}");

    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
