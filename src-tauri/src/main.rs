//! Quire desktop: a Tauri window over the `quire` library.
//!
//! The library file is `--library PATH` if given, else `quire::default_library_path()`
//! (which honours `QUIRE_LIBRARY`).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod browser;
mod clipboard;
#[cfg(test)]
mod command_list;
mod commands;
mod dialogs;
mod events;
mod guard;
mod images;
mod links;
mod menu;
mod shortcuts;
mod webview;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    webview::prepare_environment();
    let path = match library_path_from_args(std::env::args_os().skip(1)) {
        Ok(Some(path)) => path,
        Ok(None) => quire::default_library_path(),
        Err(message) => {
            eprintln!("quire-desktop: {message}\nusage: quire-desktop [--library PATH]");
            return ExitCode::from(2);
        }
    };
    // The index is rebuilt (after an upgrade or a restore) on a thread of the app's own
    // (`start_index_sync`): a search never waits for it.
    let options = quire::OpenOptions { index_upkeep: quire::IndexUpkeep::OnItsOwnThread, ..Default::default() };
    let library = match quire::Library::open_with(&path, &options) {
        Ok(library) => library,
        Err(error) => {
            eprintln!("quire-desktop: cannot open the library {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    };

    // The system passes a `quire://` link as an argument (Linux, Windows); WebKitWebDriver
    // starts the app with `--automation`, and then each start is its own instance.
    let startup_links = links::links_in_args(std::env::args_os().skip(1));
    let automated = std::env::args_os().any(|a| a == "--automation");
    // The end-to-end test of the hand-over asks for it by name, on a private session bus.
    let single_instance = !automated || std::env::var_os("QUIRE_SINGLE_INSTANCE").is_some_and(|v| v == "1");

    let mut builder = tauri::Builder::default();
    if single_instance {
        // A second start (a link clicked while Quire runs) hands its link to this instance
        // through the deep-link plugin (the "deep-link" feature) and exits; this window comes
        // to the front.
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            use tauri::Manager;
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }));
    }
    let result = builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_deep_link::init())
        .setup(move |app| {
            use tauri::Manager;
            use tauri_plugin_deep_link::DeepLinkExt;
            // The main window is made here rather than from the configuration alone, so that
            // it never leaves the app: navigations and new windows elsewhere are refused (web
            // addresses open in the browser instead).
            let config = app.config().app.windows.iter().find(|w| w.label == "main").cloned();
            let config = config.ok_or("tauri.conf.json describes no window \"main\"")?;
            tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .on_navigation(guard::allow_navigation)
                .on_new_window(|url, _features| {
                    guard::allow_navigation(&url);
                    tauri::webview::NewWindowResponse::Deny
                })
                .build()?;
            webview::tune(app)?;
            // Installers register the scheme (tauri.conf.json's plugins.deep-link); a
            // development build registers itself, except in automated runs.
            #[cfg(any(target_os = "linux", all(debug_assertions, windows)))]
            if cfg!(debug_assertions) && !automated {
                if let Err(error) = app.deep_link().register_all() {
                    eprintln!("quire-desktop: cannot register the quire:// links: {error}");
                }
            }
            let handle = app.handle().clone();
            app.deep_link().on_open_url(move |event| {
                for url in event.urls() {
                    handle.state::<commands::LibraryState>().follow_link(url.as_str());
                }
            });
            let state = app.state::<commands::LibraryState>();
            state.start_daily_backups();
            state.start_index_sync();
            state.start_endpoint(automated);
            for link in &startup_links {
                state.follow_link(link);
            }
            Ok(())
        })
        .manage(commands::LibraryState::new(library))
        .register_asynchronous_uri_scheme_protocol(images::SCHEME, |ctx, request, responder| {
            // Answered off the UI thread: the image is read from SQLite.
            let app = ctx.app_handle().clone();
            tauri::async_runtime::spawn_blocking(move || {
                use tauri::Manager;
                responder.respond(images::respond(&app.state::<commands::LibraryState>(), &request));
            });
        })
        .menu(menu::build)
        .on_menu_event(|app, event| {
            use tauri::Manager;
            let id = event.id().0.clone();
            app.state::<commands::LibraryState>().events.send(events::AppEvent::Menu { id });
        })
        .on_window_event(|window, event| {
            use tauri::Manager;
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                window.state::<commands::LibraryState>().offer_drop(paths.clone());
            }
        })
        .invoke_handler(guard::own_origin_only(tauri::generate_handler![
            commands::list_articles,
            commands::count_articles,
            commands::get_article,
            commands::list_tags,
            commands::search,
            commands::topic,
            commands::saved_searches,
            commands::add_highlight,
            commands::update_highlight,
            commands::delete_highlight,
            commands::reattach_highlight,
            commands::set_status,
            commands::set_favorite,
            commands::set_progress,
            commands::tag_article,
            commands::untag_article,
            commands::save_search,
            commands::delete_saved_search,
            commands::clip,
            commands::add_sample,
            commands::import_dialog,
            commands::import_dropped,
            commands::import_apps,
            commands::import_from_app,
            commands::import_dropped_from_app,
            commands::refetch_article,
            commands::cancel_import,
            commands::export_pdf,
            commands::export_to,
            commands::open_exported,
            commands::reveal_exported,
            commands::copy_citation,
            commands::browser_connection,
            commands::pair_browser,
            commands::revoke_browser,
            commands::open_link,
            commands::list_backups,
            commands::backup_now,
            commands::restore_backup,
            commands::subscribe,
        ]))
        .run(tauri::generate_context!("../tauri.conf.json"));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quire-desktop: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Finds `--library PATH` or `--library=PATH`. Other arguments are ignored: WebKitWebDriver
/// launches the app with its own (`--automation`).
fn library_path_from_args(mut args: impl Iterator<Item = std::ffi::OsString>) -> Result<Option<PathBuf>, String> {
    let mut path = None;
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "--library" {
            let value = args.next().ok_or("--library needs a PATH")?;
            path = Some(PathBuf::from(value));
        } else if let Some(value) = text.strip_prefix("--library=") {
            path = Some(PathBuf::from(value));
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::library_path_from_args;
    use std::path::PathBuf;

    fn parse(args: &[&str]) -> Result<Option<PathBuf>, String> {
        library_path_from_args(args.iter().map(Into::into))
    }

    #[test]
    fn library_flag_in_both_spellings() {
        assert_eq!(parse(&[]), Ok(None));
        assert_eq!(parse(&["--library", "/tmp/a.sqlite3"]), Ok(Some("/tmp/a.sqlite3".into())));
        assert_eq!(parse(&["--library=/tmp/b.sqlite3"]), Ok(Some("/tmp/b.sqlite3".into())));
        assert!(parse(&["--library"]).is_err());
        assert_eq!(parse(&["--automation"]), Ok(None));
    }
}
