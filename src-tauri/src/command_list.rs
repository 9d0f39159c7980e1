//! The app's command names, read from `commands.rs` (the `#[tauri::command]` functions): the
//! one list. `build.rs` generates their `allow-` permissions from it, and the tests below
//! check the lists that cannot be derived from it (the handler in `main.rs`, the capability
//! file, the UI's wrappers in `ui/src/lib/api.ts`) against it.

/// The names of the `#[tauri::command]` functions in `source`, in order.
pub fn command_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[tauri::command") {
            pending = true;
        } else if pending && !line.starts_with("#[") && !line.starts_with("//") {
            if let Some((_, rest)) = line.split_once("fn ") {
                names.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
            }
            pending = false;
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::command_names;

    fn read(path: &str) -> String {
        let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
    }

    fn commands() -> Vec<String> {
        command_names(&read("src/commands.rs"))
    }

    /// Compares a list with the commands, naming what is missing and what is extra.
    fn assert_same(what: &str, mut listed: Vec<String>) {
        let mut expected = commands();
        expected.sort();
        listed.sort();
        let missing: Vec<&String> = expected.iter().filter(|c| !listed.contains(c)).collect();
        let extra: Vec<&String> = listed.iter().filter(|c| !expected.contains(c)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{what} disagrees with the #[tauri::command]s of src/commands.rs: missing {missing:?}, extra {extra:?}"
        );
        let mut unique = listed.clone();
        unique.dedup();
        assert_eq!(unique, listed, "{what} lists a command twice");
    }

    #[test]
    fn commands_are_found_in_their_source() {
        let names = commands();
        assert!(names.len() >= 20, "{names:?}");
        assert_eq!(names.first().map(String::as_str), Some("list_articles"));
        assert!(names.iter().all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        let source = "#[tauri::command]\n/// Doc.\n#[allow(dead_code)]\npub async fn a_b(x: i64) {}\nfn helper() {}\n\
                      #[tauri::command]\npub fn c(state: State<'_, S>) {}\n";
        assert_eq!(command_names(source), ["a_b", "c"]);
    }

    #[test]
    fn the_handler_registers_every_command() {
        let main = read("src/main.rs");
        let start = main.find("generate_handler![").expect("main.rs calls generate_handler!");
        let list = &main[start..];
        let list = &list[..list.find(']').expect("generate_handler![…] is closed")];
        let names =
            list.split("commands::").skip(1).map(|s| s.trim().trim_end_matches(',').trim().to_owned()).collect();
        assert_same("generate_handler! in src/main.rs", names);
    }

    #[test]
    fn the_capability_allows_every_command() {
        let capability: serde_json::Value =
            serde_json::from_str(&read("capabilities/main.json")).expect("capabilities/main.json is JSON");
        let permissions = capability["permissions"].as_array().expect("a permissions list");
        let names = permissions
            .iter()
            .map(|p| {
                let p = p.as_str().expect("permissions are identifiers");
                p.strip_prefix("allow-").unwrap_or_else(|| panic!("only allow- permissions, not {p}")).replace('-', "_")
            })
            .collect();
        assert_same("capabilities/main.json", names);
    }

    #[test]
    fn the_ui_wraps_every_command() {
        let api = read("../ui/src/lib/api.ts");
        let names = api
            .split("invoke")
            .skip(1)
            .filter(|call| call.starts_with('<') || call.starts_with('('))
            .map(|call| {
                let quoted = &call[call.find('"').expect("invoke names its command") + 1..];
                quoted[..quoted.find('"').expect("a closed string")].to_owned()
            })
            .collect();
        assert_same("ui/src/lib/api.ts", names);
    }
}
