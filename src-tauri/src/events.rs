//! Events the app sends to its window without being asked: files dropped on it, menu items
//! chosen. They go through the `Channel` the UI hands to the `subscribe` command, so the
//! window needs no event permissions.

use std::sync::Mutex;

use serde::Serialize;
use tauri::ipc::Channel;

/// Something the UI should react to. The TypeScript twin is `ui/src/desktop-bindings.ts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AppEvent {
    /// Files or folders were dropped on the window; `import_dropped` imports them.
    Dropped { names: Vec<String> },
    /// A menu item was chosen (its id, as in `menu.rs`).
    Menu { id: String },
}

/// The window's subscription.
#[derive(Default)]
pub struct Events(Mutex<Option<Channel<AppEvent>>>);

impl Events {
    pub fn subscribe(&self, channel: Channel<AppEvent>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(channel);
        }
    }

    /// Sends to the window if it has subscribed; an event before that is dropped (the window
    /// subscribes as it starts).
    pub fn send(&self, event: AppEvent) {
        if let Ok(slot) = self.0.lock() {
            if let Some(channel) = slot.as_ref() {
                let _ = channel.send(event);
            }
        }
    }
}

#[cfg(test)]
mod bindings {
    use ts_rs::TS;

    use super::AppEvent;
    use crate::commands::{CommandErrorKind, ImportApp, ShellErrorKind};

    /// `ui/src/desktop-bindings.ts` is generated from the shell's own wire types; this fails
    /// when it is stale (`UPDATE_EXPECT=1` rewrites it).
    #[test]
    fn desktop_bindings_are_fresh() {
        let out = format!(
            "// Generated from src-tauri's wire types by `cargo test -p quire-desktop desktop_bindings_are_fresh`\n\
             // (UPDATE_EXPECT=1 to rewrite). Do not edit by hand.\n\
             import type {{ ErrorKind, Format }} from \"./bindings\";\n\n\
             export {}\n\nexport {}\n\nexport {}\n\nexport {}\n",
            AppEvent::decl(),
            CommandErrorKind::decl(),
            ShellErrorKind::decl(),
            ImportApp::decl()
        );
        expect_test::expect_file!["../../ui/src/desktop-bindings.ts"].assert_eq(&out);
    }
}
