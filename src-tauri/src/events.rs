//! Events the app sends to its window without being asked: files dropped on it, menu items
//! chosen. They go through the `Channel` the UI hands to the `subscribe` command, so the
//! window needs no event permissions.

use std::sync::{Arc, Mutex};

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
    /// A `quire://` link named this article (and highlight) of the open library: both checked
    /// to exist before the event is sent.
    Open {
        #[ts(type = "number")]
        article: i64,
        #[ts(type = "number | null")]
        highlight: Option<i64>,
    },
    /// A link Quire does not open: what to tell the user (nothing else happens).
    Notice { message: String },
    /// The browser extension saved a page (`highlight: null`) or a selection into the library;
    /// `duplicate`: the page was already there.
    FromBrowser {
        #[ts(type = "number")]
        article: i64,
        title: String,
        #[ts(type = "number | null")]
        highlight: Option<i64>,
        duplicate: bool,
    },
    /// The search index was brought up to date (rebuilt after an upgrade or a restore):
    /// searches answered meanwhile can be run again.
    IndexReady,
}

/// The window's subscription, and the links that arrived before it.
#[derive(Default, Clone)]
pub struct Events(Arc<Mutex<Subscription>>);

#[derive(Default)]
struct Subscription {
    channel: Option<Channel<AppEvent>>,
    /// Link events sent before the window first subscribed (the links the app was started
    /// with): given to every subscription, so that a page that loads again (WebDriver's
    /// start does that) still opens them.
    startup: Vec<AppEvent>,
}

/// At most this many link events wait for the window.
const MAX_WAITING: usize = 8;

impl Events {
    pub fn subscribe(&self, channel: Channel<AppEvent>) {
        if let Ok(mut slot) = self.0.lock() {
            for event in &slot.startup {
                let _ = channel.send(event.clone());
            }
            slot.channel = Some(channel);
        }
    }

    /// Sends to the window if it has subscribed; a drop or menu event before that is dropped
    /// (the window subscribes as it starts), a link's waits for the window.
    pub fn send(&self, event: AppEvent) {
        if let Ok(mut slot) = self.0.lock() {
            match slot.channel.as_ref() {
                Some(channel) => {
                    let _ = channel.send(event);
                }
                None if matches!(event, AppEvent::Open { .. } | AppEvent::Notice { .. })
                    && slot.startup.len() < MAX_WAITING =>
                {
                    slot.startup.push(event);
                }
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod bindings {
    use ts_rs::TS;

    use super::AppEvent;
    use crate::commands::{CitationChoice, CommandErrorKind, ExportScope, ImportApp, MarkdownChoice, ShellErrorKind};

    /// `ui/src/desktop-bindings.ts` is generated from the shell's own wire types; this fails
    /// when it is stale (`UPDATE_EXPECT=1` rewrites it).
    #[test]
    fn desktop_bindings_are_fresh() {
        let decls = [
            AppEvent::decl(),
            CommandErrorKind::decl(),
            ShellErrorKind::decl(),
            ImportApp::decl(),
            ExportScope::decl(),
            MarkdownChoice::decl(),
            CitationChoice::decl(),
            crate::browser::EndpointStatus::decl(),
            crate::commands::BrowserConnection::decl(),
        ];
        let mut out = String::from(
            "// Generated from src-tauri's wire types by `cargo test -p quire-desktop desktop_bindings_are_fresh`\n\
             // (UPDATE_EXPECT=1 to rewrite). Do not edit by hand.\n\
             import type { ArticleFilter, ErrorKind, Format, TokenInfo } from \"./bindings\";\n",
        );
        for decl in decls {
            out.push_str("\nexport ");
            out.push_str(&decl);
            out.push('\n');
        }
        expect_test::expect_file!["../../ui/src/desktop-bindings.ts"].assert_eq(&out);
    }
}
