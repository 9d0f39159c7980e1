//! The keyboard shortcut table, `ui/src/lib/shortcuts.json`: the one place shortcuts are
//! defined. The native menu takes its accelerators from it; the UI takes its key handling and
//! the help overlay from the same file (`ui/src/lib/shortcuts.ts`).

use serde::Deserialize;

/// The table's text, compiled in.
const TABLE: &str = include_str!("../../ui/src/lib/shortcuts.json");

/// One row of the table: an action and the keys that trigger it, as the help overlay shows
/// them (`Ctrl+L`, `j`, `ArrowDown`, `Esc`).
#[derive(Debug, Deserialize)]
pub struct Shortcut {
    pub action: String,
    pub keys: Vec<String>,
}

/// Every row of the table.
pub fn table() -> Vec<Shortcut> {
    serde_json::from_str(TABLE).expect("ui/src/lib/shortcuts.json is a list of shortcuts (checked by a test)")
}

/// The menu accelerator of an action: its first `Ctrl+` key, with `Ctrl` meaning Cmd on macOS.
pub fn accelerator(table: &[Shortcut], action: &str) -> Option<String> {
    let row = table.iter().find(|s| s.action == action)?;
    row.keys.iter().find_map(|k| k.strip_prefix("Ctrl+")).map(|rest| format!("CmdOrCtrl+{rest}"))
}

#[cfg(test)]
mod tests {
    use super::{accelerator, table};

    #[test]
    fn the_table_parses_and_names_each_action_once() {
        let rows = table();
        assert!(!rows.is_empty());
        let mut actions: Vec<&str> = rows.iter().map(|s| s.action.as_str()).collect();
        actions.sort_unstable();
        let before = actions.len();
        actions.dedup();
        assert_eq!(actions.len(), before, "an action appears twice in ui/src/lib/shortcuts.json");
        let mut keys: Vec<&str> = rows.iter().flat_map(|s| s.keys.iter().map(String::as_str)).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a key triggers two actions in ui/src/lib/shortcuts.json");
    }

    #[test]
    fn accelerators_come_from_the_ctrl_keys() {
        let rows = table();
        assert_eq!(accelerator(&rows, "clip").as_deref(), Some("CmdOrCtrl+L"));
        assert_eq!(accelerator(&rows, "import-folder").as_deref(), Some("CmdOrCtrl+Shift+O"));
        assert_eq!(accelerator(&rows, "focus-search").as_deref(), Some("CmdOrCtrl+F"));
        assert_eq!(accelerator(&rows, "shortcuts"), None, "\"?\" is no accelerator");
        assert_eq!(accelerator(&rows, "add-sample"), None);
    }
}
