//! The native menu bar. Items the UI handles are sent to it as `AppEvent::Menu { id }`; the
//! ids are the `MenuId` strings below, and the UI's `ui/src/lib/menu.ts` handles each one.
//! Accelerators come from the shortcut table (`shortcuts.rs`), which the UI's key handling and
//! help overlay read too.

use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Wry};

use crate::shortcuts::{self, Shortcut};

/// `(id, label)` of the File menu's own items, in order (`None` = separator).
const FILE: &[Option<(&str, &str)>] = &[
    Some(("clip", "Clip Address or Text…")),
    Some(("import-files", "Import Files…")),
    Some(("import-folder", "Import Folder…")),
    Some(("import-app", "Import from Another App…")),
    Some(("add-sample", "Add the Sample Article")),
    None,
    Some(("export-pdf", "Export…")),
    Some(("export-library", "Export Library…")),
    None,
    Some(("browser", "Connect a Browser…")),
    Some(("backups", "Backups…")),
];

const VIEW: &[Option<(&str, &str)>] = &[
    Some(("show-library", "Library")),
    Some(("focus-search", "Search")),
    None,
    Some(("theme-system", "Theme: Follow the System")),
    Some(("theme-light", "Theme: Light")),
    Some(("theme-sepia", "Theme: Sepia")),
    Some(("theme-dark", "Theme: Dark")),
    None,
    Some(("text-larger", "Larger Text")),
    Some(("text-smaller", "Smaller Text")),
];

const HELP: &[Option<(&str, &str)>] = &[Some(("shortcuts", "Keyboard Shortcuts"))];

fn submenu(
    app: &AppHandle,
    title: &str,
    items: &[Option<(&str, &str)>],
    table: &[Shortcut],
) -> tauri::Result<tauri::menu::Submenu<Wry>> {
    let mut builder = SubmenuBuilder::new(app, title);
    for item in items {
        builder = match item {
            Some((id, label)) => {
                let mut entry = MenuItemBuilder::with_id(*id, *label);
                if let Some(accelerator) = shortcuts::accelerator(table, id) {
                    entry = entry.accelerator(accelerator);
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
    let table = shortcuts::table();
    let file = submenu(app, "File", FILE, &table)?;
    let edit = SubmenuBuilder::new(app, "Edit").undo().redo().separator().cut().copy().paste().select_all().build()?;
    let view = submenu(app, "View", VIEW, &table)?;
    let help = submenu(app, "Help", HELP, &table)?;
    MenuBuilder::new(app).items(&[&file, &edit, &view, &help]).build()
}

/// Every id the UI must handle (checked against `ui/src/lib/menu.ts` by a test).
#[cfg(test)]
fn ids() -> impl Iterator<Item = &'static str> {
    FILE.iter().chain(VIEW).chain(HELP).flatten().map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use crate::shortcuts;

    #[test]
    fn the_ui_handles_every_menu_item() {
        let ui = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/menu.ts"))
            .expect("ui/src/lib/menu.ts");
        for id in super::ids() {
            assert!(ui.contains(&format!("\"{id}\"")), "ui/src/lib/menu.ts handles the menu item {id:?}");
        }
    }

    /// Shortcuts that act inside one component (the popover), not on the whole window, and so
    /// have no menu item.
    const IN_PLACE: &[&str] = &["save-highlight"];

    /// A `Ctrl+` shortcut of the table is an accelerator, so it must belong to a menu item
    /// (else the menu and the window's key handling would disagree about it), and every menu
    /// item that the table gives keys shows them.
    #[test]
    fn menu_accelerators_and_the_shortcut_table_agree() {
        let table = shortcuts::table();
        let ids: Vec<&str> = super::ids().collect();
        for row in &table {
            let ctrl = row.keys.iter().any(|k| k.starts_with("Ctrl+"));
            if ctrl && !IN_PLACE.contains(&row.action.as_str()) {
                assert!(ids.contains(&row.action.as_str()), "{:?} has Ctrl keys but no menu item", row.action);
            }
        }
        let accelerators: Vec<(&str, String)> =
            ids.iter().filter_map(|id| Some((*id, shortcuts::accelerator(&table, id)?))).collect();
        assert_eq!(
            accelerators,
            [
                ("clip", "CmdOrCtrl+L".to_owned()),
                ("import-files", "CmdOrCtrl+O".to_owned()),
                ("import-folder", "CmdOrCtrl+Shift+O".to_owned()),
                ("export-pdf", "CmdOrCtrl+E".to_owned()),
                ("show-library", "CmdOrCtrl+1".to_owned()),
                ("focus-search", "CmdOrCtrl+F".to_owned()),
                ("text-larger", "CmdOrCtrl+=".to_owned()),
                ("text-smaller", "CmdOrCtrl+-".to_owned()),
            ],
            "the menu shows the accelerators it showed before the table existed"
        );
    }
}
