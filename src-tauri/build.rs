//! Reads the root `tauri.conf.json`, checks the capability file and generates the
//! `allow-*`/`deny-*` permissions of the app's own commands, whose names it reads from
//! `src/commands.rs` (`command_list.rs`; its tests check the other lists against it).

use std::path::Path;

#[path = "src/command_list.rs"]
mod command_list;

/// The commands' source: every `#[tauri::command]` in it gets an `allow-` permission.
const COMMANDS_SOURCE: &str = "src/commands.rs";

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

    println!("cargo:rerun-if-changed={COMMANDS_SOURCE}");
    let source = std::fs::read_to_string(COMMANDS_SOURCE).unwrap_or_else(|e| panic!("{COMMANDS_SOURCE}: {e}"));
    // tauri-build wants `&'static` names; a build script runs once, so leaking them is free.
    let commands: Vec<&'static str> =
        command_list::command_names(&source).into_iter().map(|name| &*Box::leak(name.into_boxed_str())).collect();
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(Box::leak(commands.into_boxed_slice())));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
