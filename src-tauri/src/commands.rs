//! The app's Tauri commands: each one is a thin call into the `quire` library.
//!
//! `build.rs` reads the `#[tauri::command]`s of this file and generates their `allow-*`
//! permissions; `command_list.rs` tests that `main.rs`, `capabilities/main.json` and the UI's
//! `api.ts` list every one. Commands hand clipped content to the UI only as the typed
//! document model. Nothing the webview sends is ever used as a file path: files to import and
//! the destination of an export come from native dialogs or drops, handled here in Rust.
//!
//! Every command that touches the library runs it on a `spawn_blocking` thread (SQLite, files
//! and the network never run on the UI thread or an async worker); long work (clipping,
//! imports, exports) reports progress through a `Channel`, and dialogs block only their own
//! thread.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use quire::{
    AddOutcome, ArticleCount, ArticleFilter, ArticleSummary, ArticleView, BackupEntry, BackupReport, Highlight,
    HighlightEdit, HighlightTarget, ImportEvent, ImportFormat, ImportReport, ImportSummary, NewHighlight, OpenFormat,
    Reach, SavedSearch, SearchHit, SearchRequest, Status, TagCount, Topic, TopicPaging,
};
use serde::ser::SerializeStruct;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::events::{AppEvent, Events};
use crate::{dialogs, links};

/// The open library and what the commands share. The library is shared as it is: it holds its
/// connection only while SQL runs, so a slow clip never blocks listing, searching or reading.
pub struct LibraryState {
    library: Arc<quire::Library>,
    /// Set by `cancel_import` to stop the running import before its next item.
    cancel: Arc<AtomicBool>,
    /// Paths of the last drop on the window, waiting for the UI to import them.
    dropped: Mutex<Vec<PathBuf>>,
    /// The last exported file: the only file `open_exported` opens.
    last_export: Mutex<Option<PathBuf>>,
    /// The backups `list_backups` last returned: `restore_backup` names one by its place here.
    backups: Mutex<Vec<BackupEntry>>,
    clipboard: crate::clipboard::Clipboard,
    /// The local endpoint the browser extension talks to.
    endpoint: crate::browser::Endpoint,
    pub events: Events,
}

impl LibraryState {
    pub fn new(library: quire::Library) -> Self {
        Self {
            library: Arc::new(library),
            cancel: Arc::new(AtomicBool::new(false)),
            dropped: Mutex::new(Vec::new()),
            last_export: Mutex::new(None),
            backups: Mutex::new(Vec::new()),
            clipboard: crate::clipboard::Clipboard::default(),
            endpoint: crate::browser::Endpoint::default(),
            events: Events::default(),
        }
    }

    /// Keeps the daily backup (the library decides whether one is due and which old ones go):
    /// a first check a minute after start, so opening the app is never slowed by a copy, then
    /// every hour while the app runs. A failure is reported on stderr and tried again later.
    pub fn start_daily_backups(&self) {
        let library = self.library.clone();
        let _ = std::thread::Builder::new().name("quire-daily-backup".into()).spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(60));
            loop {
                if let Err(e) = library.daily_backup(quire::Retention::default()) {
                    eprintln!("quire-desktop: the daily backup failed: {e}");
                }
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        });
    }

    /// Catches the search index up with the library on a thread of its own (a rebuild after
    /// an upgrade or a restore takes a while at 100,000 articles); searches meanwhile answer
    /// without it, or say it is being built. The window is told when it is ready.
    pub fn start_index_sync(&self) {
        let library = self.library.clone();
        let events = self.events.clone();
        let _ = std::thread::Builder::new().name("quire-index".into()).spawn(move || {
            // Another process (a CLI import) or this app's own catching up may hold the index
            // for a moment: wait for it rather than leave a rebuild undone.
            for _ in 0..600 {
                match library.sync_index() {
                    Ok(done) if done.busy => std::thread::sleep(std::time::Duration::from_secs(1)),
                    Ok(done) => {
                        if done.updated > 0 || done.rebuilt {
                            events.send(AppEvent::IndexReady);
                        }
                        return;
                    }
                    Err(e) => {
                        eprintln!("quire-desktop: the search index could not be brought up to date: {e}");
                        return;
                    }
                }
            }
        });
    }

    /// Starts the local endpoint for the browser extension (see `browser.rs`).
    pub fn start_endpoint(&self, automated: bool) {
        self.endpoint.start(self.library.clone(), self.events.clone(), automated);
    }

    /// The last exported file or folder: the only one `open_exported` and `reveal_exported`
    /// open.
    fn last_exported(&self) -> CommandResult<PathBuf> {
        let path = self.last_export.lock().map_err(|_| CommandError::Poisoned)?.clone();
        path.ok_or_else(|| CommandError::Refused("nothing has been exported yet".into()))
    }

    /// Follows a `quire://` link the system handed to the app: a highlight or article of the
    /// open library is opened in the window (after checking it exists); anything else becomes a
    /// notice. The lookup runs off the calling thread.
    pub fn follow_link(&self, link: &str) {
        let target = match links::parse(link) {
            Ok(target) => target,
            Err(error) => {
                self.events.send(AppEvent::Notice { message: format!("{error}.") });
                return;
            }
        };
        let library = Arc::clone(&self.library);
        let events = self.events.clone();
        tauri::async_runtime::spawn_blocking(move || events.send(resolve_link(&library, target)));
    }

    /// A stored image, for the `quire-image` protocol.
    pub fn image(&self, hash: &str) -> Result<quire::StoredImage, CommandError> {
        Ok(self.library.image(hash)?)
    }

    /// Keeps the paths dropped on the window and tells the UI, which asks to import them.
    pub fn offer_drop(&self, paths: Vec<PathBuf>) {
        let names = paths.iter().map(|p| p.file_name().unwrap_or(p.as_os_str()).to_string_lossy().into()).collect();
        if let Ok(mut dropped) = self.dropped.lock() {
            *dropped = paths;
        }
        self.events.send(AppEvent::Dropped { names });
    }

    /// Runs `work` with the library on a blocking thread (SQLite, network and files never run
    /// on the UI thread or an async worker).
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&quire::Library) -> Result<T, CommandError> + Send + 'static,
    ) -> CommandResult<T> {
        let library = Arc::clone(&self.library);
        tauri::async_runtime::spawn_blocking(move || work(&library))
            .await
            .map_err(|e| CommandError::Internal(e.to_string()))?
    }

    /// Runs a bulk import, streaming its progress; `cancel_import` stops it.
    async fn import(&self, paths: Vec<PathBuf>, on_event: Channel<ImportEvent>) -> CommandResult<ImportSummary> {
        let cancel = Arc::clone(&self.cancel);
        cancel.store(false, Ordering::SeqCst);
        self.blocking(move |library| {
            let mut progress = |event: &ImportEvent| {
                // The window may be gone; the import goes on and its summary is the result.
                let _ = on_event.send(event.clone());
            };
            let sources: Vec<quire::AddSource> = paths.into_iter().map(quire::AddSource::Path).collect();
            Ok(library.add_all(&sources, &quire::AddOptions::default(), &mut progress, &cancel))
        })
        .await
    }

    /// Runs the import of another app's export file, streaming its progress; `cancel_import`
    /// stops it. Pages the file names without keeping them are fetched, politely.
    async fn import_app_export(
        &self,
        path: PathBuf,
        from: Option<ImportFormat>,
        on_event: Channel<ImportEvent>,
    ) -> CommandResult<ImportReport> {
        let cancel = Arc::clone(&self.cancel);
        cancel.store(false, Ordering::SeqCst);
        self.blocking(move |library| {
            let mut progress = |event: &ImportEvent| {
                let _ = on_event.send(event.clone());
            };
            let options = quire::ImportOptions {
                from,
                fetch: true,
                network: fetch_config(Reach::default()),
                ..Default::default()
            };
            Ok(library.import_file(&path, &options, &mut progress, &cancel)?)
        })
        .await
    }

    /// The one file last dropped on the window (taken: a second call finds nothing).
    fn take_dropped_file(&self) -> CommandResult<PathBuf> {
        let mut paths = std::mem::take(&mut *self.dropped.lock().map_err(|_| CommandError::Poisoned)?);
        match (paths.pop(), paths.is_empty()) {
            (Some(path), true) => Ok(path),
            (None, _) => Err(CommandError::Refused("nothing was dropped on the window to import".into())),
            (Some(_), false) => {
                Err(CommandError::Refused("drop one export file at a time to import it from another app".into()))
            }
        }
    }
}

/// Which articles an export takes: what the screen shows.
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportScope {
    /// The article in the reader.
    Article {
        #[ts(type = "number")]
        id: i64,
    },
    /// A topic, or the list filtered by a tag: every article with the tag or a sub-tag.
    Tag { tag: String },
    /// The articles the search finds (its words, in Quire's query language) among those the
    /// list's filter picks.
    Search { query: String, filter: ArticleFilter },
    /// Every article of the library.
    Library,
}

impl ExportScope {
    fn selection(self) -> quire::Selection {
        match self {
            Self::Article { id } => quire::Selection { ids: vec![id], ..Default::default() },
            Self::Tag { tag } => quire::Selection { tag: Some(tag), ..Default::default() },
            Self::Search { query, filter } => quire::Selection { query: Some(query), filter, ..Default::default() },
            Self::Library => quire::Selection { all: true, ..Default::default() },
        }
    }
}

/// The flavour of a Markdown export (`quire::MarkdownStyle`, which is not a wire type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum MarkdownChoice {
    Plain,
    Obsidian,
    Logseq,
}

impl MarkdownChoice {
    #[cfg(test)]
    pub const ALL: [MarkdownChoice; 3] = [Self::Plain, Self::Obsidian, Self::Logseq];

    fn style(self) -> quire::MarkdownStyle {
        match self {
            Self::Plain => quire::MarkdownStyle::Plain,
            Self::Obsidian => quire::MarkdownStyle::Obsidian,
            Self::Logseq => quire::MarkdownStyle::Logseq,
        }
    }
}

/// A citation style (`quire::CitationStyle`, which is not a wire type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum CitationChoice {
    Apa,
    Chicago,
    Mla,
    Harvard,
}

impl CitationChoice {
    #[cfg(test)]
    pub const ALL: [CitationChoice; 4] = [Self::Apa, Self::Chicago, Self::Mla, Self::Harvard];

    fn style(self) -> quire::CitationStyle {
        match self {
            Self::Apa => quire::CitationStyle::Apa,
            Self::Chicago => quire::CitationStyle::Chicago,
            Self::Mla => quire::CitationStyle::Mla,
            Self::Harvard => quire::CitationStyle::Harvard,
        }
    }
}

/// An app whose exports Quire reads, as the import dialog lists it: its name and which file
/// to give (both from `quire::ImportFormat`, the one place they are written).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct ImportApp {
    pub format: ImportFormat,
    pub label: String,
    pub how_to: String,
}

/// The app the webview chose, by its name (`omnivore`, …); `None` detects it from the file.
fn chosen_format(from: Option<&str>) -> CommandResult<Option<ImportFormat>> {
    from.map(|name| name.parse::<ImportFormat>().map_err(|e| CommandError::Refused(e.to_string()))).transpose()
}

/// What the window is told about a link: open this article (and highlight), or why not.
fn resolve_link(library: &quire::Library, target: links::LinkTarget) -> AppEvent {
    let found = match target {
        links::LinkTarget::Highlight(id) => library.highlight(id).map(|h| (h.article_id, Some(h.id))),
        links::LinkTarget::Article(id) => library.article_summary(id).map(|a| (a.id, None)),
    };
    match found {
        Ok((article, highlight)) => AppEvent::Open { article, highlight },
        Err(error) if error.kind() == quire::ErrorKind::NotFound => AppEvent::Notice {
            message: match target {
                links::LinkTarget::Highlight(id) => {
                    format!("The link names highlight {id}, which is not in this library.")
                }
                links::LinkTarget::Article(id) => format!("The link names article {id}, which is not in this library."),
            },
        },
        Err(error) => AppEvent::Notice { message: format!("Quire could not follow the link: {error}.") },
    }
}

/// The one error type of every command; the UI receives it as `{ kind, message }`.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Library(#[from] quire::Error),
    #[error("Quire is in a bad state after an earlier failure; restart Quire")]
    Poisoned,
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    System(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// What kind of error a command failed with: the library's kinds, and the shell's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(untagged)]
pub enum CommandErrorKind {
    Library(quire::ErrorKind),
    Shell(ShellErrorKind),
}

/// The shell's own kinds of error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ShellErrorKind {
    /// The system (a dialog, the browser, the file viewer) failed.
    System,
    /// A bug or a failure of Quire itself.
    Internal,
}

impl CommandError {
    pub fn kind(&self) -> CommandErrorKind {
        match self {
            Self::Library(error) => CommandErrorKind::Library(error.kind()),
            Self::Refused(_) => CommandErrorKind::Library(quire::ErrorKind::InvalidInput),
            Self::System(_) => CommandErrorKind::Shell(ShellErrorKind::System),
            Self::Poisoned | Self::Internal(_) => CommandErrorKind::Shell(ShellErrorKind::Internal),
        }
    }
}

impl serde::Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("CommandError", 2)?;
        s.serialize_field("kind", &self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

impl From<dialogs::DialogError> for CommandError {
    fn from(error: dialogs::DialogError) -> Self {
        match error {
            dialogs::DialogError::NotWebLink(_) => Self::Refused(error.to_string()),
            dialogs::DialogError::CannotOpen(message) => Self::System(message),
        }
    }
}

type CommandResult<T> = Result<T, CommandError>;

// ---- reading -----------------------------------------------------------------------------

/// The articles of the library that pass the filter, in its order.
#[tauri::command]
pub async fn list_articles(
    state: State<'_, LibraryState>,
    filter: ArticleFilter,
) -> CommandResult<Vec<ArticleSummary>> {
    state.blocking(move |library| Ok(library.list_articles(&filter)?)).await
}

/// How many articles the filter selects (the list loads them a page at a time).
#[tauri::command]
pub async fn count_articles(state: State<'_, LibraryState>, filter: ArticleFilter) -> CommandResult<ArticleCount> {
    state.blocking(move |library| Ok(library.count_articles(&filter)?)).await
}

/// One article with its document and highlights, for the reader.
#[tauri::command]
pub async fn get_article(state: State<'_, LibraryState>, id: i64) -> CommandResult<ArticleView> {
    state.blocking(move |library| Ok(library.article(id)?)).await
}

/// Every tag with its counts, for the sidebar.
#[tauri::command]
pub async fn list_tags(state: State<'_, LibraryState>) -> CommandResult<Vec<TagCount>> {
    state.blocking(move |library| Ok(library.tags()?)).await
}

/// Full-text search over articles, quotes and notes: the words typed and the sidebar's filter.
#[tauri::command]
pub async fn search(state: State<'_, LibraryState>, request: SearchRequest) -> CommandResult<Vec<SearchHit>> {
    state.blocking(move |library| Ok(library.search_with(&request)?)).await
}

/// A page of a topic: the quotes carrying a tag or one of its sub-tags, grouped by article.
#[tauri::command]
pub async fn topic(state: State<'_, LibraryState>, tag: String, paging: TopicPaging) -> CommandResult<Topic> {
    state.blocking(move |library| Ok(library.topic(&tag, paging)?)).await
}

#[tauri::command]
pub async fn saved_searches(state: State<'_, LibraryState>) -> CommandResult<Vec<SavedSearch>> {
    state.blocking(move |library| Ok(library.saved_searches()?)).await
}

// ---- highlights --------------------------------------------------------------------------

#[tauri::command]
pub async fn add_highlight(state: State<'_, LibraryState>, highlight: NewHighlight) -> CommandResult<Highlight> {
    state.blocking(move |library| Ok(library.add_highlight(&highlight)?)).await
}

#[tauri::command]
pub async fn update_highlight(
    state: State<'_, LibraryState>,
    id: i64,
    edit: HighlightEdit,
) -> CommandResult<Highlight> {
    state.blocking(move |library| Ok(library.update_highlight(id, &edit)?)).await
}

#[tauri::command]
pub async fn delete_highlight(state: State<'_, LibraryState>, id: i64) -> CommandResult<()> {
    state.blocking(move |library| Ok(library.delete_highlight(id)?)).await
}

/// Attaches an orphan (or any highlight) to new text of its article.
#[tauri::command]
pub async fn reattach_highlight(
    state: State<'_, LibraryState>,
    id: i64,
    target: HighlightTarget,
) -> CommandResult<Highlight> {
    state.blocking(move |library| Ok(library.reattach_highlight(id, &target)?)).await
}

// ---- articles ----------------------------------------------------------------------------

#[tauri::command]
pub async fn set_status(state: State<'_, LibraryState>, id: i64, status: Status) -> CommandResult<()> {
    state.blocking(move |library| Ok(library.set_status(id, status)?)).await
}

#[tauri::command]
pub async fn set_favorite(state: State<'_, LibraryState>, id: i64, favorite: bool) -> CommandResult<()> {
    state.blocking(move |library| Ok(library.set_favorite(id, favorite)?)).await
}

/// Remembers how far the article was read (0..=1).
#[tauri::command]
pub async fn set_progress(state: State<'_, LibraryState>, id: i64, progress: f64) -> CommandResult<()> {
    state.blocking(move |library| Ok(library.set_progress(id, progress)?)).await
}

/// Adds tags to an article; returns its tags.
#[tauri::command]
pub async fn tag_article(state: State<'_, LibraryState>, id: i64, tags: Vec<String>) -> CommandResult<Vec<String>> {
    state.blocking(move |library| Ok(library.tag_article(id, &tags)?)).await
}

/// Removes tags from an article; returns its tags.
#[tauri::command]
pub async fn untag_article(state: State<'_, LibraryState>, id: i64, tags: Vec<String>) -> CommandResult<Vec<String>> {
    state.blocking(move |library| Ok(library.untag_article(id, &tags)?)).await
}

#[tauri::command]
pub async fn save_search(
    state: State<'_, LibraryState>,
    name: String,
    request: SearchRequest,
) -> CommandResult<SavedSearch> {
    state.blocking(move |library| Ok(library.save_search(&name, &request)?)).await
}

#[tauri::command]
pub async fn delete_saved_search(state: State<'_, LibraryState>, id: i64) -> CommandResult<()> {
    state.blocking(move |library| Ok(library.delete_saved_search(id)?)).await
}

// ---- adding ------------------------------------------------------------------------------

/// Names the end-to-end tests resolve to their local server (`name=127.0.0.1:port`, several
/// joined by commas), as `FetchConfig::static_hosts` does in the library's tests; like
/// `QUIRE_DIALOG_OPEN`, it is the environment of whoever starts the app, never a page's.
pub const STATIC_HOSTS_ENV: &str = "QUIRE_STATIC_HOSTS";

/// The network settings of every fetch the app makes, reaching private hosts only as `reach`
/// allows.
fn fetch_config(reach: Reach) -> quire::FetchConfig {
    let static_hosts = std::env::var(STATIC_HOSTS_ENV).ok().map(|hosts| parse_static_hosts(&hosts));
    quire::FetchConfig { reach, static_hosts, ..Default::default() }
}

fn parse_static_hosts(hosts: &str) -> Vec<(String, std::net::SocketAddr)> {
    hosts
        .split(',')
        .filter_map(|entry| entry.split_once('='))
        .filter_map(|(name, addr)| Some((name.trim().to_owned(), addr.trim().parse().ok()?)))
        .collect()
}

/// The clip box (and a link dropped on the window): a web address is fetched and clipped,
/// anything else is pasted HTML or text. The address is the user's own, so it may be on this
/// computer or the local network; what its page links to or redirects to may not.
#[tauri::command]
pub async fn clip(state: State<'_, LibraryState>, input: String) -> CommandResult<AddOutcome> {
    state
        .blocking(move |library| {
            let fetch = fetch_config(Reach::typed([input.as_str()]));
            Ok(library.add(&quire::AddSource::Pasted(input), &quire::AddOptions { fetch, ..Default::default() })?)
        })
        .await
}

/// Adds the bundled sample article (the empty library's one-click start).
#[tauri::command]
pub async fn add_sample(state: State<'_, LibraryState>) -> CommandResult<AddOutcome> {
    state.blocking(|library| Ok(library.add_sample_article()?)).await
}

/// Asks for files (or a folder) in a native dialog and imports them; `None` when the user
/// cancelled the dialog.
#[tauri::command]
pub async fn import_dialog(
    app: AppHandle,
    state: State<'_, LibraryState>,
    folder: bool,
    on_event: Channel<ImportEvent>,
) -> CommandResult<Option<ImportSummary>> {
    let picked = tauri::async_runtime::spawn_blocking(move || dialogs::pick_import(&app, folder))
        .await
        .map_err(|e| CommandError::Internal(e.to_string()))?;
    match picked {
        Some(paths) => Ok(Some(state.import(paths, on_event).await?)),
        None => Ok(None),
    }
}

/// Imports what was last dropped on the window.
#[tauri::command]
pub async fn import_dropped(
    state: State<'_, LibraryState>,
    on_event: Channel<ImportEvent>,
) -> CommandResult<ImportSummary> {
    let paths = std::mem::take(&mut *state.dropped.lock().map_err(|_| CommandError::Poisoned)?);
    if paths.is_empty() {
        return Err(CommandError::Refused("nothing was dropped on the window to import".into()));
    }
    state.import(paths, on_event).await
}

/// The apps whose exports Quire imports, in the order the dialog lists them.
#[tauri::command]
pub fn import_apps() -> Vec<ImportApp> {
    ImportFormat::ALL
        .iter()
        .map(|&format| ImportApp { format, label: format.label().to_owned(), how_to: format.how_to().to_owned() })
        .collect()
}

/// Asks for another app's export file in a native dialog and imports it, as the app `from`
/// wrote it (`None` detects the app); `None` when the user cancelled the dialog.
#[tauri::command]
pub async fn import_from_app(
    app: AppHandle,
    state: State<'_, LibraryState>,
    from: Option<String>,
    on_event: Channel<ImportEvent>,
) -> CommandResult<Option<ImportReport>> {
    let from = chosen_format(from.as_deref())?;
    let label = from.map(ImportFormat::label);
    let picked = tauri::async_runtime::spawn_blocking(move || dialogs::pick_app_export(&app, label))
        .await
        .map_err(|e| CommandError::Internal(e.to_string()))?;
    match picked {
        Some(path) => Ok(Some(state.import_app_export(path, from, on_event).await?)),
        None => Ok(None),
    }
}

/// Imports the export file last dropped on the window, as the app `from` wrote it (`None`
/// detects the app).
#[tauri::command]
pub async fn import_dropped_from_app(
    state: State<'_, LibraryState>,
    from: Option<String>,
    on_event: Channel<ImportEvent>,
) -> CommandResult<ImportReport> {
    let from = chosen_format(from.as_deref())?;
    let path = state.take_dropped_file()?;
    state.import_app_export(path, from, on_event).await
}

/// Fetches the page of an article an import kept only as a link, and completes it.
#[tauri::command]
pub async fn refetch_article(state: State<'_, LibraryState>, id: i64) -> CommandResult<AddOutcome> {
    state.blocking(move |library| Ok(library.refetch(id, &fetch_config(Reach::default()))?)).await
}

/// Stops the running import before its next item; what was added stays.
#[tauri::command]
pub fn cancel_import(state: State<'_, LibraryState>) {
    state.cancel.store(true, Ordering::SeqCst);
}

// ---- export and the outside world --------------------------------------------------------

/// Exports the articles of `scope` (an article, a topic, a search's results, the library) to
/// a PDF whose place the user picks in the native save dialog; `None` when the dialog was
/// cancelled.
#[tauri::command]
pub async fn export_pdf(
    app: AppHandle,
    state: State<'_, LibraryState>,
    scope: ExportScope,
    suggested_name: String,
) -> CommandResult<Option<quire::ExportReport>> {
    let Some(path) = tauri::async_runtime::spawn_blocking(move || dialogs::pick_export(&app, &suggested_name))
        .await
        .map_err(|e| CommandError::Internal(e.to_string()))?
    else {
        return Ok(None);
    };
    let quire::Selection { ids, tag, query, filter, all } = scope.selection();
    let request = quire::ExportRequest { ids, tag, query, filter, all, path, options: quire::PdfOptions::default() };
    let report = state.blocking(move |library| Ok(library.export_pdf(&request)?)).await?;
    *state.last_export.lock().map_err(|_| CommandError::Poisoned)? = Some(report.path.clone());
    Ok(Some(report))
}

/// Exports the articles of `scope` to an open format (`md`, `w3c`, `csl`, `bibtex`, `csv`)
/// where the user picks in the native save dialog (for Markdown, a folder); `None` when the
/// dialog was cancelled.
#[tauri::command]
pub async fn export_to(
    app: AppHandle,
    state: State<'_, LibraryState>,
    format: String,
    scope: ExportScope,
    style: MarkdownChoice,
    citation: CitationChoice,
    suggested_name: String,
) -> CommandResult<Option<quire::FormatReport>> {
    let format = format.parse::<OpenFormat>().map_err(|e| CommandError::Refused(e.to_string()))?;
    let Some(path) =
        tauri::async_runtime::spawn_blocking(move || dialogs::pick_format_export(&app, format, &suggested_name))
            .await
            .map_err(|e| CommandError::Internal(e.to_string()))?
    else {
        return Ok(None);
    };
    let request = quire::FormatRequest {
        format,
        selection: scope.selection(),
        path,
        style: style.style(),
        citation: citation.style(),
    };
    let report = state.blocking(move |library| Ok(library.export_to(&request)?)).await?;
    *state.last_export.lock().map_err(|_| CommandError::Poisoned)? = Some(report.path.clone());
    Ok(Some(report))
}

/// Opens the last export (a file, or the Markdown folder) with the system's application.
#[tauri::command]
pub fn open_exported(state: State<'_, LibraryState>) -> CommandResult<()> {
    Ok(dialogs::open_path(&state.last_exported()?)?)
}

/// Shows the last export in the system's file manager.
#[tauri::command]
pub fn reveal_exported(state: State<'_, LibraryState>) -> CommandResult<()> {
    Ok(dialogs::reveal_path(&state.last_exported()?)?)
}

/// Puts a highlight's quote with its article's citation (or, without a highlight, the
/// article's citation) on the system clipboard, ready to paste, and returns the text. The
/// clipboard is written here, so the webview needs no clipboard permission.
#[tauri::command]
pub async fn copy_citation(
    state: State<'_, LibraryState>,
    article: i64,
    highlight: Option<i64>,
    style: CitationChoice,
) -> CommandResult<String> {
    let text = state.blocking(move |library| Ok(library.cite(article, highlight, style.style())?)).await?;
    state.clipboard.write(&text)?;
    Ok(text)
}

/// Opens an article's link in the system browser: http and https addresses only.
#[tauri::command]
pub fn open_link(url: String) -> CommandResult<()> {
    Ok(dialogs::open_web_link(&url)?)
}

// ---- backups -----------------------------------------------------------------------------

/// The backups beside the library, newest first; `restore_backup` names one by its index here.
#[tauri::command]
pub async fn list_backups(state: State<'_, LibraryState>) -> CommandResult<Vec<BackupEntry>> {
    let entries = state.blocking(|library| Ok(quire::list_backups(library.path())?)).await?;
    *state.backups.lock().map_err(|_| CommandError::Poisoned)? = entries.clone();
    Ok(entries)
}

/// Backs the library up now, to the backups folder beside it; says what the backup holds.
#[tauri::command]
pub async fn backup_now(state: State<'_, LibraryState>) -> CommandResult<BackupReport> {
    state.blocking(|library| Ok(library.backup(None)?)).await
}

/// Restores the backup at `index` of the list `list_backups` last returned (`taken_at` must
/// agree, so a list changed meanwhile restores nothing). The library checks the backup (a bad
/// one is refused and nothing changes), keeps the library as it was beside it, and puts the
/// backup's content into the open library, so the app goes on without a restart. The webview
/// never names a file.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, LibraryState>,
    index: usize,
    taken_at: String,
) -> CommandResult<quire::RestoreReport> {
    let chosen = state.backups.lock().map_err(|_| CommandError::Poisoned)?.get(index).cloned();
    let chosen = chosen
        .filter(|entry| entry.taken_at == taken_at)
        .ok_or_else(|| CommandError::Refused("that backup is no longer in the list; open Backups again".into()))?;
    state
        .blocking(move |library| {
            // Still there, as listed now.
            let listed = quire::list_backups(library.path())?;
            if !listed.iter().any(|entry| entry.path == chosen.path && entry.kind == chosen.kind) {
                return Err(CommandError::Refused("that backup is no longer in the backups folder".into()));
            }
            Ok(quire::restore(library.path(), &chosen.path)?)
        })
        .await
        .inspect(|_| state.start_index_sync())
}

// ---- the browser extension ------------------------------------------------------------------

/// The browser connection as the "Connect a Browser" dialog shows it.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct BrowserConnection {
    pub endpoint: crate::browser::EndpointStatus,
    /// The browsers (and scripts) given a token, newest first.
    pub tokens: Vec<quire::TokenInfo>,
}

/// The endpoint's port (or why it is off) and the paired browsers.
#[tauri::command]
pub async fn browser_connection(state: State<'_, LibraryState>) -> CommandResult<BrowserConnection> {
    let endpoint = state.endpoint.status();
    let tokens = state.blocking(|library| Ok(library.tokens()?)).await?;
    Ok(BrowserConnection { endpoint, tokens })
}

/// A new pairing code for the extension's options page (valid 10 minutes, once).
#[tauri::command]
pub async fn pair_browser(state: State<'_, LibraryState>) -> CommandResult<String> {
    // A code for this app's own port (its last letter tells the extension where to go); no
    // code while nothing listens for the extension.
    let status = state.endpoint.status();
    let Some(port) = status.port else {
        let why = status.problem.unwrap_or_else(|| "it did not start".to_owned());
        return Err(CommandError::Refused(format!("the browser connection is off ({why}), so a code would not work")));
    };
    state.blocking(move |library| Ok(library.new_pairing_code_for(port)?)).await
}

/// Revokes a browser's (or a script's) token: its next request is refused.
#[tauri::command]
pub async fn revoke_browser(state: State<'_, LibraryState>, id: i64) -> CommandResult<BrowserConnection> {
    state.blocking(move |library| Ok(library.revoke_token(id)?)).await?;
    browser_connection(state).await
}

/// Subscribes the window to app events (drops, menu items); the last subscriber wins.
#[tauri::command]
pub fn subscribe(state: State<'_, LibraryState>, on_event: Channel<AppEvent>) {
    state.events.subscribe(on_event);
}

#[cfg(test)]
mod tests {
    use super::{CitationChoice, ExportScope, MarkdownChoice};

    /// The shell's names of styles are the library's: each parses back to the style it maps to.
    #[test]
    fn style_names_are_the_librarys() {
        for choice in MarkdownChoice::ALL {
            let name = serde_json::to_value(choice).unwrap();
            assert_eq!(quire::MarkdownStyle::parse(name.as_str().unwrap()), Some(choice.style()));
        }
        for choice in CitationChoice::ALL {
            let name = serde_json::to_value(choice).unwrap();
            assert_eq!(name.as_str().unwrap().parse::<quire::CitationStyle>().ok(), Some(choice.style()));
        }
        assert_eq!(quire::MarkdownStyle::ALL.len(), MarkdownChoice::ALL.len());
        assert_eq!(quire::CitationStyle::ALL.len(), CitationChoice::ALL.len());
    }

    #[test]
    fn scopes_select_what_the_screen_shows() {
        let scope: ExportScope = serde_json::from_str(r#"{"kind":"tag","tag":"NATO accession"}"#).unwrap();
        assert_eq!(scope.selection().tag.as_deref(), Some("NATO accession"));
        let scope: ExportScope = serde_json::from_str(r#"{"kind":"library"}"#).unwrap();
        assert!(scope.selection().all);
        let scope: ExportScope = serde_json::from_str(r#"{"kind":"article","id":3}"#).unwrap();
        assert_eq!(scope.selection().ids, [3]);
        let scope: ExportScope =
            serde_json::from_str(r#"{"kind":"search","query":"allies","filter":{"tag":"NATO","limit":50}}"#).unwrap();
        let selection = scope.selection();
        assert_eq!((selection.query.as_deref(), selection.filter.tag.as_deref()), (Some("allies"), Some("NATO")));
        assert!(serde_json::from_str::<ExportScope>(r#"{"kind":"path","path":"/etc"}"#).is_err());
    }
}
