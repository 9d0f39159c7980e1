//! The system clipboard, written from Rust ("Copy with citation"), so the webview needs no
//! clipboard permission and the copy does not depend on the web Clipboard API (WebKitGTK can
//! refuse it or leave its promise pending). One `arboard::Clipboard` lives as long as the app:
//! on X11 the app owns what it copied and serves it to whoever pastes while it runs.

use std::sync::Mutex;

use crate::commands::CommandError;

#[derive(Default)]
pub struct Clipboard(Mutex<Option<arboard::Clipboard>>);

impl Clipboard {
    /// Puts `text` on the clipboard.
    pub fn write(&self, text: &str) -> Result<(), CommandError> {
        let mut slot = self.0.lock().map_err(|_| CommandError::Poisoned)?;
        if slot.is_none() {
            *slot = Some(arboard::Clipboard::new().map_err(unavailable)?);
        }
        let clipboard = slot.as_mut().ok_or(CommandError::Poisoned)?;
        if let Err(first) = clipboard.set_text(text) {
            // The connection to the display may have gone stale: one fresh try.
            *slot = None;
            let mut fresh = arboard::Clipboard::new().map_err(|_| unavailable(first))?;
            fresh.set_text(text).map_err(unavailable)?;
            *slot = Some(fresh);
        }
        Ok(())
    }
}

fn unavailable(error: arboard::Error) -> CommandError {
    CommandError::System(format!("the system clipboard is not available ({error})"))
}
