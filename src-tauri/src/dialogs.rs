//! Native dialogs and hand-offs to the system (browser, PDF viewer).
//!
//! Paths always come from here, never from the webview. For automation (the end-to-end tests,
//! scripts), `QUIRE_DIALOG_OPEN` (paths joined like `PATH`) and `QUIRE_DIALOG_SAVE` (one path)
//! answer the open and save dialogs without showing them.

use std::path::{Path, PathBuf};

use quire::OpenFormat;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// Why the system could not be handed something.
#[derive(Debug, thiserror::Error)]
pub enum DialogError {
    /// The address is not a plain web link, so it is not handed to the browser.
    #[error("Quire only opens web links (http or https) in your browser; {0:?} is not one")]
    NotWebLink(String),
    /// The system refused to open it.
    #[error("{0}")]
    CannotOpen(String),
}

/// Scripted answer to the open dialog.
pub const OPEN_ENV: &str = "QUIRE_DIALOG_OPEN";
/// Scripted answer to the save dialog.
pub const SAVE_ENV: &str = "QUIRE_DIALOG_SAVE";

const IMPORTABLE: &[&str] = &["html", "htm", "xhtml", "mhtml", "mht", "txt", "md", "markdown"];

/// Files (or one folder) to import; `None` when the user cancelled.
pub fn pick_import(app: &AppHandle, folder: bool) -> Option<Vec<PathBuf>> {
    if let Some(scripted) = std::env::var_os(OPEN_ENV) {
        return Some(std::env::split_paths(&scripted).collect());
    }
    let dialog = app.dialog().file().set_title(if folder { "Import a folder" } else { "Import files" });
    let picked = if folder {
        dialog.blocking_pick_folder().map(|p| vec![p])
    } else {
        dialog.add_filter("Web pages and text", IMPORTABLE).blocking_pick_files()
    };
    picked.map(|paths| paths.into_iter().filter_map(|p| p.into_path().ok()).collect())
}

/// What other apps export: zips (Pocket, Omnivore), CSV (Pocket, Instapaper, Readwise), JSON
/// (Hypothesis, wallabag), text (Kindle's clippings) and HTML (Pocket's older export, bookmarks).
const EXPORTS: &[&str] = &["zip", "csv", "json", "txt", "html", "htm"];

/// Another app's export file, for the app `label` (or any app); `None` when the user
/// cancelled. A scripted answer gives its first path.
pub fn pick_app_export(app: &AppHandle, label: Option<&str>) -> Option<PathBuf> {
    if let Some(scripted) = std::env::var_os(OPEN_ENV) {
        return std::env::split_paths(&scripted).next();
    }
    let title = match label {
        Some(label) => format!("Import from {label}"),
        None => "Import from another app".to_owned(),
    };
    let picked =
        app.dialog().file().set_title(title).add_filter("Exports of other apps", EXPORTS).blocking_pick_file()?;
    picked.into_path().ok()
}

/// Where to write an export; `None` when the user cancelled. Always ends in `.pdf`.
pub fn pick_export(app: &AppHandle, suggested_name: &str) -> Option<PathBuf> {
    let path = match std::env::var_os(SAVE_ENV) {
        Some(scripted) => PathBuf::from(scripted),
        None => app
            .dialog()
            .file()
            .set_title("Export PDF")
            .set_file_name(pdf_file_name(suggested_name))
            .add_filter("PDF", &["pdf"])
            .blocking_save_file()?
            .into_path()
            .ok()?,
    };
    Some(if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
        path
    } else {
        path.with_extension("pdf")
    })
}

/// Where to write an export to an open format; `None` when the user cancelled. Markdown
/// is a folder (the notes and their images go into it); a file always ends in the format's
/// extension.
pub fn pick_format_export(app: &AppHandle, format: OpenFormat, suggested_name: &str) -> Option<PathBuf> {
    let (label, extension) = format_file(format);
    let scripted = std::env::var_os(SAVE_ENV).map(PathBuf::from);
    if format == OpenFormat::Md {
        return match scripted {
            Some(path) => Some(path),
            None => {
                app.dialog().file().set_title("Export Markdown into a folder").blocking_pick_folder()?.into_path().ok()
            }
        };
    }
    let path = match scripted {
        Some(path) => path,
        None => app
            .dialog()
            .file()
            .set_title(format!("Export {label}"))
            .set_file_name(file_name(suggested_name, extension))
            .add_filter(label, &[extension])
            .blocking_save_file()?
            .into_path()
            .ok()?,
    };
    Some(if path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension)) {
        path
    } else {
        path.with_extension(extension)
    })
}

/// The name of a format in a dialog, and its file extension.
pub fn format_file(format: OpenFormat) -> (&'static str, &'static str) {
    match format {
        OpenFormat::Md => ("Markdown", "md"),
        OpenFormat::W3c => ("W3C Web Annotations", "jsonld"),
        OpenFormat::Csl => ("CSL-JSON", "json"),
        OpenFormat::Bibtex => ("BibTeX", "bib"),
        OpenFormat::Csv => ("CSV", "csv"),
        OpenFormat::Archive => ("Quire archive", "zip"),
    }
}

/// A file name from an article title: no path separators or characters Windows refuses.
pub fn pdf_file_name(title: &str) -> String {
    file_name(title, "pdf")
}

/// A file name from a title and an extension: no path separators or characters Windows refuses.
pub fn file_name(title: &str, extension: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let short: String = cleaned.chars().take(80).collect();
    let short = short.trim_end_matches(['.', ' ']);
    format!("{}.{extension}", if short.is_empty() { "Quire export" } else { short })
}

/// Shows a file (or folder) in the system's file manager.
pub fn reveal_path(path: &Path) -> Result<(), DialogError> {
    tauri_plugin_opener::reveal_item_in_dir(path)
        .map_err(|e| DialogError::CannotOpen(format!("cannot show {} in its folder: {e}", path.display())))
}

/// Opens a file with the system's default application.
pub fn open_path(path: &Path) -> Result<(), DialogError> {
    tauri_plugin_opener::open_path(path, None::<&str>)
        .map_err(|e| DialogError::CannotOpen(format!("cannot open {}: {e}", path.display())))
}

/// Opens a web address in the system browser after checking it is http or https.
pub fn open_web_link(url: &str) -> Result<(), DialogError> {
    let checked = checked_web_link(url)?;
    tauri_plugin_opener::open_url(&checked, None::<&str>)
        .map_err(|e| DialogError::CannotOpen(format!("cannot open the browser: {e}")))
}

/// The link without bidi controls and zero-width characters (what opens is what was shown),
/// if it is then an absolute http(s) address without credentials.
pub fn checked_web_link(url: &str) -> Result<String, DialogError> {
    let visible = quire::address::without_invisible(url);
    let rest = visible.split_once("://").map_or("", |(_, rest)| rest);
    let host_part = rest.split(['/', '?', '#']).next().unwrap_or("");
    let blank = visible.chars().any(char::is_whitespace);
    if !quire::address::is_web(&visible) || blank || host_part.is_empty() || host_part.contains('@') {
        return Err(DialogError::NotWebLink(url.to_owned()));
    }
    Ok(visible.into_owned())
}

#[cfg(test)]
mod tests {
    use super::{checked_web_link, file_name, format_file, pdf_file_name};

    #[test]
    fn only_plain_web_links_are_opened() {
        assert!(checked_web_link("https://worlddesk.example/2023/07/12/ukraine/").is_ok());
        assert!(checked_web_link("HTTP://example.com").is_ok());
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://",
            "https://user:pw@example.com/",
            "ftp://example.com",
            "https://exa mple.com",
            "/relative",
            "\u{202e}javascript:alert(1)",
            "java\u{200b}script:alert(1)",
        ] {
            assert!(checked_web_link(bad).is_err(), "{bad} is refused");
        }
        // Bidi overrides and zero-width characters never reach the browser.
        assert_eq!(
            checked_web_link("https://exa\u{200b}mple.org/\u{202e}gro.live\u{202c}").unwrap(),
            "https://example.org/gro.live"
        );
        assert_eq!(checked_web_link("\u{2066}https://a.example/x\u{2069}").unwrap(), "https://a.example/x");
    }

    #[test]
    fn file_names_from_titles() {
        assert_eq!(pdf_file_name("Ukraine is now closer to NATO: a/b?"), "Ukraine is now closer to NATO a b.pdf");
        assert_eq!(pdf_file_name("  ..."), "Quire export.pdf");
        assert_eq!(pdf_file_name(&"x".repeat(200)).len(), 84);
        assert_eq!(file_name("NATO accession", format_file(quire::OpenFormat::Csl).1), "NATO accession.json");
        assert_eq!(file_name("a\\b", format_file(quire::OpenFormat::Bibtex).1), "a b.bib");
    }
}
