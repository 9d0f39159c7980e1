//! The app's Tauri commands: each one is a thin call into the `quire` library.
//!
//! Every command is listed in `build.rs` (which generates its `allow-*` permission) and allowed
//! in `capabilities/main.json`. Commands only *read* clipped content and hand it to the UI as
//! the typed document model; nothing the webview sends is ever interpreted as HTML or a path.

use std::sync::{Mutex, MutexGuard};

use serde::ser::SerializeStruct;
use tauri::State;

/// The open library, shared by all commands.
pub struct LibraryState(pub Mutex<quire::Library>);

impl LibraryState {
    pub fn new(library: quire::Library) -> Self {
        Self(Mutex::new(library))
    }

    fn lock(&self) -> Result<MutexGuard<'_, quire::Library>, CommandError> {
        self.0.lock().map_err(|_| CommandError::Poisoned)
    }

    /// A stored image, for the `quire-image` protocol.
    pub fn image(&self, hash: &str) -> Result<quire::StoredImage, CommandError> {
        Ok(self.lock()?.image(hash)?)
    }
}

/// The one error type of every command; the UI receives it as `{ kind, message }`.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Library(#[from] quire::Error),
    #[error("the library is unavailable after an earlier failure; restart Quire")]
    Poisoned,
}

impl CommandError {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Library(error) => error.kind(),
            Self::Poisoned => "internal",
        }
    }
}

impl serde::Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("CommandError", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

type CommandResult<T> = Result<T, CommandError>;

/// Every article of the library, newest first.
#[tauri::command(async)]
pub fn list_articles(library: State<'_, LibraryState>) -> CommandResult<Vec<quire::ArticleSummary>> {
    Ok(library.lock()?.list_articles(&quire::ArticleFilter::default())?)
}

/// One article with its document and highlights, for the reader.
#[tauri::command(async)]
pub fn get_article(library: State<'_, LibraryState>, id: i64) -> CommandResult<quire::ArticleView> {
    Ok(library.lock()?.article(id)?)
}
