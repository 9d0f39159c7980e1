//! The native menu bar. Items the UI handles are sent to it as `AppEvent::Menu { id }`; the
//! ids are the `MenuId` strings below, and the UI's `ui/src/lib/menu.ts` handles each one.

use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Wry};

/// `(id, label, accelerator)` of the File menu's own items, in order (`None` = separator).
const FILE: &[Option<(&str, &str, Option<&str>)>] = &[
    Some(("clip", "Clip Address or Text…", Some("CmdOrCtrl+L"))),
    Some(("import-files", "Import Files…", Some("CmdOrCtrl+O"))),
    Some(("import-folder", "Import Folder…", Some("CmdOrCtrl+Shift+O"))),
    Some(("add-sample", "Add the Sample Article", None)),
    None,
    Some(("export-pdf", "Export PDF…", Some("CmdOrCtrl+E"))),
];

const VIEW: &[Option<(&str, &str, Option<&str>)>] = &[
    Some(("show-library", "Library", Some("CmdOrCtrl+1"))),
    Some(("focus-search", "Search", Some("CmdOrCtrl+F"))),
    None,
    Some(("theme-system", "Theme: Follow the System", None)),
    Some(("theme-light", "Theme: Light", None)),
    Some(("theme-sepia", "Theme: Sepia", None)),
    Some(("theme-dark", "Theme: Dark", None)),
    None,
    Some(("text-larger", "Larger Text", Some("CmdOrCtrl+="))),
    Some(("text-smaller", "Smaller Text", Some("CmdOrCtrl+-"))),
];

const HELP: &[Option<(&str, &str, Option<&str>)>] = &[Some(("shortcuts", "Keyboard Shortcuts", None))];

fn submenu(
    app: &AppHandle,
    title: &str,
    items: &[Option<(&str, &str, Option<&str>)>],
) -> tauri::Result<tauri::menu::Submenu<Wry>> {
    let mut builder = SubmenuBuilder::new(app, title);
    for item in items {
        builder = match item {
            Some((id, label, accelerator)) => {
                let mut entry = MenuItemBuilder::with_id(*id, *label);
                if let Some(accelerator) = accelerator {
                    entry = entry.accelerator(*accelerator);
                }
                builder.item(&entry.build(app)?)
            }
            None => builder.separator(),
        };
    }
    if title == "File" {
        builder = builder.separator().quit();
    }
    builder.build()
}

/// File, Edit (the system's items), View and Help.
pub fn build(app: &AppHandle) -> tauri::Result<Menu<Wry>> {
    let file = submenu(app, "File", FILE)?;
    let edit = SubmenuBuilder::new(app, "Edit").undo().redo().separator().cut().copy().paste().select_all().build()?;
    let view = submenu(app, "View", VIEW)?;
    let help = submenu(app, "Help", HELP)?;
    MenuBuilder::new(app).items(&[&file, &edit, &view, &help]).build()
}

/// Every id the UI must handle (checked against `ui/src/lib/menu.ts` by a test).
#[cfg(test)]
fn ids() -> impl Iterator<Item = &'static str> {
    FILE.iter().chain(VIEW).chain(HELP).flatten().map(|(id, _, _)| *id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_ui_handles_every_menu_item() {
        let ui = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/menu.ts"))
            .expect("ui/src/lib/menu.ts");
        for id in super::ids() {
            assert!(ui.contains(&format!("\"{id}\"")), "ui/src/lib/menu.ts handles the menu item {id:?}");
        }
    }
}
