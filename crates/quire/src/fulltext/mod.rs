//! The full-text index: a tantivy index in a folder beside the library
//! (`<library file>.index/`), derived from SQLite, which stays the source of truth.
//!
//! Why tantivy: SQLite's FTS5 ranks every match before it knows the best fifty (a common word
//! at 100,000 articles took 155 ms to rank, whatever the limit), expands prefixes by merging
//! every matching word's list, and keeps a third copy of every text. Tantivy ranks with
//! block-max WAND (it stops scoring documents that cannot reach the top), keeps no text (only
//! the words and their positions), and opens by mapping its files.
//!
//! Staying true to SQLite: each change to what an article's entry holds is journaled in the
//! same SQLite transaction (`fulltext_changes`, by triggers); the index records, with each of
//! its commits, the last change it applied and the library generation it was built from. A
//! process that writes catches the index up ([`Library::sync_index`]); a search that finds
//! changes not applied yet (another process holds the index's writer) leaves those articles
//! out of the index's answer and matches them directly. A new generation (a restore) or a
//! missing or damaged index means a rebuild from SQLite (also `quire reindex`).

pub(crate) mod query;
pub(crate) mod text;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING};
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument};

use crate::store::fulltext::{self as journal, Entry};
use crate::{Error, Library, Result};

pub(crate) use query::Plan;

/// The weights of the text fields: title, byline, text, quotes, notes.
pub(crate) const WEIGHTS: [f32; 5] = [10.0, 4.0, 1.0, 3.0, 3.0];

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) title: Field,
    pub(crate) byline: Field,
    pub(crate) body: Field,
    pub(crate) quotes: Field,
    pub(crate) notes: Field,
    /// Short prefixes of every word of the texts above (see `text::SHORT_PREFIX`).
    pub(crate) prefix: Field,
    /// Tag keys with their ancestors ("a/b" is "a" and "a/b").
    pub(crate) tag: Field,
    /// Site name and address, lower case.
    pub(crate) site: Field,
    /// `status:unread`…, `favorite`, `highlights`, `notes`.
    pub(crate) flag: Field,
    /// Seconds since the epoch it was clipped: newest first when nothing ranks.
    pub(crate) clipped: Field,
    /// A digest of the entry it was made from, to check the index against the library.
    pub(crate) fingerprint: Field,
}

impl Fields {
    /// The text fields with their weights (as FTS5's bm25 weights were: title 10, byline 4,
    /// text 1, quotes and notes 3).
    pub(crate) fn weighted(&self) -> [(Field, f32); 5] {
        let [title, byline, body, quotes, notes] = WEIGHTS;
        [(self.title, title), (self.byline, byline), (self.body, body), (self.quotes, quotes), (self.notes, notes)]
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(text::ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let prefix = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(text::PREFIX_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST),
        title: b.add_text_field("title", text.clone()),
        byline: b.add_text_field("byline", text.clone()),
        body: b.add_text_field("body", text.clone()),
        quotes: b.add_text_field("quotes", text.clone()),
        notes: b.add_text_field("notes", text),
        prefix: b.add_text_field("prefix", prefix),
        tag: b.add_text_field("tag", STRING),
        site: b.add_text_field("site", STRING),
        flag: b.add_text_field("flag", STRING),
        clipped: b.add_i64_field("clipped", FAST),
        fingerprint: b.add_u64_field("fingerprint", FAST),
    };
    (b.build(), fields)
}

/// What the index holds, recorded with each commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    /// The library content's generation it was built from.
    pub(crate) generation: String,
    /// The last change it applied.
    pub(crate) seq: i64,
    /// The article of that change (0 when there was none).
    #[serde(default)]
    pub(crate) article: i64,
    /// How entries were made ([`ENTRY_FORMAT`]); another format means a rebuild.
    #[serde(default)]
    pub(crate) format: u32,
}

/// How this build makes an index entry: 2 keeps an article's quotes (and notes) apart by a
/// gap of one position. Bumped whenever the same library would give other entries.
pub(crate) const ENTRY_FORMAT: u32 = 2;

/// An open index (cheap to clone: the handles share the open files).
#[derive(Clone)]
pub(crate) struct FullText {
    index: Index,
    reader: IndexReader,
    pub(crate) fields: Fields,
    dir: PathBuf,
}

/// Where the index of the library at `library` lives.
pub fn index_folder(library: &Path) -> PathBuf {
    let name = library.file_name().map_or_else(|| "library".into(), |n| n.to_string_lossy().into_owned());
    library.with_file_name(format!("{name}.index"))
}

fn index_error(dir: &Path, e: impl std::fmt::Display) -> Error {
    Error::Index { path: dir.to_owned(), why: e.to_string() }
}

impl FullText {
    /// Opens the index in `dir`, creating it (empty) when there is none; an index this build
    /// cannot read (another schema, damaged files) is replaced by an empty one, to be rebuilt.
    pub(crate) fn open(dir: &Path) -> Result<FullText> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
        if dir.join("meta.json").exists() {
            // tantivy can panic on damaged files: that is a damaged index, not a crash.
            let opened = std::panic::catch_unwind(|| Self::try_open(dir)).ok().flatten();
            if let Some(opened) = opened {
                return Ok(opened);
            }
        }
        // Nothing worth keeping (none yet, another schema, damaged files): clear the folder
        // and start over; the library rebuilds it.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let (schema, _) = schema();
        Index::create_in_dir(dir, schema).map_err(|e| index_error(dir, e))?;
        Self::try_open(dir).ok_or_else(|| index_error(dir, "a new index could not be opened"))
    }

    /// Opens an existing index, if it is of this schema and every segment can be read.
    fn try_open(dir: &Path) -> Option<FullText> {
        let (schema, fields) = schema();
        let index = Index::open_in_dir(dir).ok().filter(|index| index.schema() == schema)?;
        index.tokenizers().register(text::ANALYZER, text::analyzer());
        index.tokenizers().register(text::PREFIX_ANALYZER, text::prefix_analyzer());
        let reader: IndexReader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().ok()?;
        let searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            segment.fast_fields().u64("id").ok()?;
            segment.inverted_index(fields.body).ok()?;
        }
        index.load_metas().ok()?;
        Some(FullText { index, reader, fields, dir: dir.to_owned() })
    }

    /// Forgets an index found damaged while searching: the next use builds it again.
    pub(crate) fn discard(self) {
        let _ = std::fs::remove_file(self.dir.join("meta.json"));
    }

    /// What it holds (`None`: nothing yet).
    pub(crate) fn state(&self) -> Result<Option<State>> {
        let metas = self.index.load_metas().map_err(|e| index_error(&self.dir, e))?;
        Ok(metas.payload.and_then(|p| serde_json::from_str(&p).ok()))
    }

    /// The index's writer, or `None` when another process holds it.
    fn writer(&self, threads: usize) -> Result<Option<IndexWriter>> {
        match self.index.writer_with_num_threads(threads, threads * 40_000_000) {
            Ok(writer) => Ok(Some(writer)),
            Err(tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _)) => Ok(None),
            Err(e) => Err(index_error(&self.dir, e)),
        }
    }

    /// An article's entry. Texts go in as they are and tantivy splits them with the registered
    /// analyzers (text fields, and the `prefix` field with every text's short prefixes); an
    /// article's quotes, and its notes, are values of their field one by one, so that tantivy
    /// leaves a gap of one position between them (`text::words_of_parts` does the same when
    /// matching outside the index). (Handing tantivy words split here costs more: it keeps
    /// pre-split text as JSON until it indexes it.)
    fn document(&self, entry: &Entry) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, entry.id as u64);
        for (field, value) in [(f.title, &entry.title), (f.byline, &entry.byline), (f.body, &entry.body)] {
            if !value.is_empty() {
                doc.add_text(field, value);
                doc.add_text(f.prefix, value);
            }
        }
        for (field, value) in [(f.quotes, &entry.quotes), (f.notes, &entry.notes)] {
            for part in value.split(text::PART_SEPARATOR).filter(|p| !p.is_empty()) {
                doc.add_text(field, part);
                doc.add_text(f.prefix, part);
            }
        }
        let mut tags: Vec<&str> = Vec::new();
        for key in &entry.tags {
            let mut end = 0;
            for segment in key.split('/') {
                end += segment.len();
                tags.push(&key[..end]);
                end += 1;
            }
        }
        tags.sort_unstable();
        tags.dedup();
        for tag in tags {
            doc.add_text(f.tag, tag);
        }
        for site in &entry.sites {
            doc.add_text(f.site, site);
        }
        doc.add_text(f.flag, query::status_flag(entry.status));
        if entry.favorite {
            doc.add_text(f.flag, query::FAVORITE);
        }
        if entry.has_highlights {
            doc.add_text(f.flag, query::HAS_HIGHLIGHTS);
        }
        if entry.has_notes {
            doc.add_text(f.flag, query::HAS_NOTES);
        }
        doc.add_i64(f.clipped, journal::clipped_seconds(&entry.clipped_at));
        doc.add_u64(f.fingerprint, fingerprint(entry));
        doc
    }

    /// Every entry's article id and fingerprint, as the index holds them.
    fn contents(&self) -> Result<Vec<(i64, u64)>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let ids = fast.u64("id").map_err(|e| index_error(&self.dir, e))?;
            let prints = fast.u64("fingerprint").map_err(|e| index_error(&self.dir, e))?;
            for doc in segment.doc_ids_alive() {
                if let (Some(id), Some(print)) = (ids.first(doc), prints.first(doc)) {
                    out.push((id as i64, print));
                }
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// The best `limit` article ids for a plan, with their scores (higher is better), leaving
    /// out `skip`; by score when the plan has words, else newest clipped first.
    pub(crate) fn search(&self, plan: &Plan, skip: &HashSet<i64>, limit: usize) -> Result<Vec<(i64, f32)>> {
        // Another process (or another library value) may have committed since.
        self.reader.reload().map_err(|e| index_error(&self.dir, e))?;
        let searcher = self.reader.searcher();
        let q = plan.to_query(&self.fields, &searcher).map_err(|e| index_error(&self.dir, e))?;
        // Never more than the index holds (an export asks for "all").
        let wanted = limit.min(searcher.num_docs() as usize).saturating_add(skip.len()).max(1);
        let addresses: Vec<(f32, tantivy::DocAddress)> = if plan.ranks() {
            searcher.search(&q, &TopDocs::with_limit(wanted).order_by_score()).map_err(|e| index_error(&self.dir, e))?
        } else {
            let by_date = TopDocs::with_limit(wanted).order_by_fast_field::<i64>("clipped", Order::Desc);
            searcher
                .search(&q, &by_date)
                .map_err(|e| index_error(&self.dir, e))?
                .into_iter()
                .map(|(_, address)| (0.0, address))
                .collect()
        };
        let mut out = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let segment = searcher.segment_reader(address.segment_ord);
            let ids = segment.fast_fields().u64("id").map_err(|e| index_error(&self.dir, e))?;
            if let Some(id) = ids.first(address.doc_id) {
                let id = id as i64;
                if !skip.contains(&id) {
                    out.push((id, score));
                }
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Document frequency and count, for scoring articles matched outside the index.
    pub(crate) fn idf(&self, field: Field, form: &str) -> f32 {
        let searcher = self.reader.searcher();
        let n = searcher.num_docs().max(1) as f32;
        let df = searcher.doc_freq(&tantivy::Term::from_field_text(field, form)).unwrap_or(0) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }
}

/// A digest of everything an entry holds (the first 8 bytes of a SHA-256).
fn fingerprint(entry: &Entry) -> u64 {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [&entry.title, &entry.byline, &entry.body, &entry.quotes, &entry.notes, &entry.clipped_at] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let mut tags = entry.tags.clone();
    tags.sort();
    for part in tags.iter().chain(&entry.sites) {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.update([entry.status as u8, u8::from(entry.favorite), u8::from(entry.has_highlights), u8::from(entry.has_notes)]);
    let digest = h.finalize();
    u64::from_le_bytes(digest[..8].try_into().unwrap_or([0; 8]))
}

/// The index as a library keeps it: opened on first use. Catching up and rebuilding happen
/// one at a time per library (`sync`), on a clone of the open index, so that searches are
/// never held up by a rebuild: they see `building` and answer without the index.
#[derive(Default)]
pub(crate) struct Slot {
    open: Mutex<Option<FullText>>,
    sync: Mutex<()>,
    building: Mutex<Option<IndexProgress>>,
}

/// Clears the rebuild's progress when the rebuild ends, however it ends.
struct Building<'a>(&'a Mutex<Option<IndexProgress>>);

impl Building<'_> {
    fn set(&self, progress: IndexProgress) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(progress);
    }
}

impl Drop for Building<'_> {
    fn drop(&mut self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl Slot {
    fn get(&self, library: &Path) -> Result<MutexGuard<'_, Option<FullText>>> {
        let mut slot = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(FullText::open(&index_folder(library))?);
        }
        Ok(slot)
    }
}

/// What catching the index up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct IndexSync {
    /// Articles whose entry was written again (or removed).
    pub updated: usize,
    /// The whole index was built again.
    pub rebuilt: bool,
    /// Another process, or another thread of this one, is writing the index: nothing was done
    /// (searches stay right: they match what it has not applied yet).
    pub busy: bool,
}

/// Progress of a rebuild: `done` of `total` articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexProgress {
    pub done: usize,
    pub total: usize,
}

/// How the index compares with the library ([`Library::check_index`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndexCheck {
    /// Articles of the library the index does not hold.
    pub missing: Vec<i64>,
    /// Entries of articles the library does not hold.
    pub extra: Vec<i64>,
    /// Entries that differ from what the library holds now.
    pub stale: Vec<i64>,
    /// Entries held more than once.
    pub doubled: Vec<i64>,
    /// Changes journaled that the index has not applied yet (they are not counted as stale).
    pub pending: usize,
}

impl IndexCheck {
    /// True when the index holds exactly the library (after its pending changes).
    pub fn agrees(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.stale.is_empty() && self.doubled.is_empty()
    }
}

/// Holds the index's writer (see [`Library::hold_index`]).
pub struct IndexHold(#[allow(dead_code)] IndexWriter);

/// How far a sync may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyncMode {
    /// Apply the changes, or rebuild when the index does not describe the library.
    CatchUpOrRebuild,
    /// Apply the changes; leave a needed rebuild to another thread.
    CatchUpOnly,
    /// Rebuild, whatever the index holds.
    Rebuild,
}

/// Who builds the index again when it must be rebuilt (after a restore, an upgrade, damage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IndexUpkeep {
    /// The first search that needs it (the CLI: one command, one answer).
    #[default]
    InSearches,
    /// A thread of the caller's that calls [`Library::sync_index`] (the desktop app); searches
    /// meanwhile never rebuild: they answer without the index, or say it is being built.
    OnItsOwnThread,
}

/// Articles per batch read from SQLite while (re)indexing.
const BATCH: usize = 500;

impl Library {
    pub(crate) fn fulltext(&self) -> Result<MutexGuard<'_, Option<FullText>>> {
        self.fulltext.get(self.path())
    }

    /// Brings the search index up to date with the library: applies the changes it has not
    /// seen, or rebuilds it when it was built from other content (a restore), is missing or
    /// cannot be read. Returns at once, doing nothing, when another process is writing it.
    pub fn sync_index(&self) -> Result<IndexSync> {
        self.sync_index_with(SyncMode::CatchUpOrRebuild, &mut |_| {})
    }

    /// Builds the search index again from the library, whatever it holds.
    pub fn reindex(&self, progress: &mut dyn FnMut(IndexProgress)) -> Result<IndexSync> {
        self.sync_index_with(SyncMode::Rebuild, progress)
    }

    /// What a search does first: catch up (or, when the library says so, rebuild) the index.
    pub(crate) fn sync_before_search(&self) -> Result<IndexSync> {
        match self.index_upkeep {
            IndexUpkeep::InSearches => self.sync_index(),
            IndexUpkeep::OnItsOwnThread => self.sync_index_with(SyncMode::CatchUpOnly, &mut |_| {}),
        }
    }

    /// Whether the index may be set aside as damaged now: only when no sync of this library
    /// is running on it (the caller keeps the guard while it discards).
    pub(crate) fn may_discard_index(&self) -> Option<std::sync::MutexGuard<'_, ()>> {
        match self.fulltext.sync.try_lock() {
            Ok(guard) => Some(guard),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// How far the rebuild this process is running has come (`None`: none is running).
    pub fn index_building(&self) -> Option<IndexProgress> {
        *self.fulltext.building.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn sync_index_with(&self, mode: SyncMode, progress: &mut dyn FnMut(IndexProgress)) -> Result<IndexSync> {
        let rebuild = mode == SyncMode::Rebuild;
        // One sync at a time in this process; another thread's is as good as this one's (a
        // search matches what it has not applied yet), so this one does not wait for it.
        let _sync = match self.fulltext.sync.try_lock() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(IndexSync { busy: true, ..Default::default() }),
        };
        let Some(ft) = self.fulltext()?.clone() else { return Ok(IndexSync::default()) };
        let ft = &ft;
        // Nothing to do (the common case, before every search): decided without the writer.
        let known = ft.state()?;
        let usable = match &known {
            Some(state) => self.applies_to_library(state)?,
            None => false,
        };
        if !rebuild && usable {
            let last = journal::last_change(self.store().read())?;
            if known.as_ref().is_some_and(|s| s.seq >= last) {
                return Ok(IndexSync::default());
            }
        }
        if !usable && mode == SyncMode::CatchUpOnly {
            // A rebuild is another thread's job (`IndexUpkeep::OnItsOwnThread`).
            return Ok(IndexSync::default());
        }
        let threads = if rebuild || !usable { 2 } else { 1 };
        let Some(mut writer) = ft.writer(threads)? else { return Ok(IndexSync { busy: true, ..Default::default() }) };
        // Files of a writer that was killed before its commit are not part of the index, but
        // their names (segment and operation numbers) are the ones this writer is about to
        // use: they go first.
        let _ = writer.garbage_collect_files().wait();
        // With the writer held, the index cannot change under us: read what it holds and what
        // the library holds now.
        let state = ft.state()?;
        let rebuild = rebuild
            || match &state {
                Some(state) => !self.applies_to_library(state)?,
                None => true,
            };
        if rebuild && mode == SyncMode::CatchUpOnly {
            return Ok(IndexSync::default());
        }
        let (generation, last) = {
            let store = self.store();
            (journal::generation(store.read())?, journal::last_change(store.read())?)
        };
        let (ids, upto) = if rebuild {
            (journal::all_ids(self.store().read())?, last)
        } else {
            let seq = state.as_ref().map_or(0, |s| s.seq);
            journal::changed_since(self.store().read(), seq)?
        };
        if !rebuild && ids.is_empty() {
            return Ok(IndexSync::default());
        }
        let failed = |e: tantivy::TantivyError| index_error(&ft.dir, e);
        let total = ids.len();
        let building = Building(&self.fulltext.building);
        if rebuild {
            building.set(IndexProgress { done: 0, total });
            writer.delete_all_documents().map_err(failed)?;
        }
        for (n, chunk) in ids.chunks(BATCH).enumerate() {
            let entries = journal::entries(self.store().read(), chunk)?;
            for id in chunk {
                if !rebuild {
                    writer.delete_term(tantivy::Term::from_field_u64(ft.fields.id, *id as u64));
                }
            }
            for entry in &entries {
                writer.add_document(ft.document(entry)).map_err(failed)?;
            }
            let now = IndexProgress { done: (n * BATCH + chunk.len()).min(total), total };
            if rebuild {
                building.set(now);
            }
            progress(now);
        }
        let article = journal::change_at(self.store().read(), upto)?.unwrap_or(0);
        let payload = serde_json::to_string(&State { generation, seq: upto, article, format: ENTRY_FORMAT })
            .map_err(|e| Error::Serialize { what: "the index state", source: e })?;
        let mut commit = writer.prepare_commit().map_err(failed)?;
        commit.set_payload(&payload);
        commit.commit().map_err(failed)?;
        writer.wait_merging_threads().map_err(failed)?;
        ft.reader.reload().map_err(failed)?;
        // The journal before what was applied is no longer needed; the last change applied
        // stays, so that a library whose journal went back (a commit lost, a file copied back)
        // is noticed.
        drop(building);
        self.store().write(|tx| journal::prune(tx, upto))?;
        Ok(IndexSync { updated: total, rebuilt: rebuild, busy: false })
    }

    /// Whether an index's state describes this library: the same content generation, and the
    /// last change it applied is still the journal's change of that number (it is missing or
    /// another when the library lost commits or was copied back from elsewhere).
    fn applies_to_library(&self, state: &State) -> Result<bool> {
        let store = self.store();
        let conn = store.read();
        if state.format != ENTRY_FORMAT || state.generation != journal::generation(conn)? {
            return Ok(false);
        }
        Ok(state.seq == 0 || journal::change_at(conn, state.seq)? == Some(state.article))
    }

    /// Compares the index with the library, entry by entry: which articles it misses, holds
    /// in excess or holds as they were before a change it has not applied. Articles with
    /// changes still to apply are left out of the comparison (and counted).
    pub fn check_index(&self) -> Result<IndexCheck> {
        let slot = self.fulltext()?;
        let Some(ft) = slot.as_ref() else { return Ok(IndexCheck::default()) };
        ft.reader.reload().map_err(|e| index_error(&ft.dir, e))?;
        let pending: HashSet<i64> = self.unindexed(ft)?.unwrap_or_default().into_iter().collect();
        let held = ft.contents()?;
        let ids = journal::all_ids(self.store().read())?;
        let mut check = IndexCheck { pending: pending.len(), ..Default::default() };
        let mut in_index: std::collections::HashMap<i64, u64> = std::collections::HashMap::new();
        for (id, print) in &held {
            if in_index.insert(*id, *print).is_some() {
                check.doubled.push(*id);
            }
        }
        let library: HashSet<i64> = ids.iter().copied().collect();
        check.extra = in_index.keys().filter(|id| !library.contains(id) && !pending.contains(id)).copied().collect();
        check.extra.sort_unstable();
        for chunk in ids.chunks(BATCH) {
            for entry in journal::entries(self.store().read(), chunk)? {
                if pending.contains(&entry.id) {
                    continue;
                }
                match in_index.get(&entry.id) {
                    None => check.missing.push(entry.id),
                    Some(print) if *print != fingerprint(&entry) => check.stale.push(entry.id),
                    Some(_) => {}
                }
            }
        }
        Ok(check)
    }

    /// Holds the index's writer until the returned value is dropped, as another process
    /// writing the index would (for tests of searches while the index lags behind).
    #[doc(hidden)]
    pub fn hold_index(&self) -> Result<Option<IndexHold>> {
        let slot = self.fulltext()?;
        let Some(ft) = slot.as_ref() else { return Ok(None) };
        Ok(ft.writer(1)?.map(IndexHold))
    }

    /// The articles changed since the index's last commit (each once): what a search must
    /// match outside the index. All of them when the index is of another generation.
    pub(crate) fn unindexed(&self, ft: &FullText) -> Result<Option<Vec<i64>>> {
        match ft.state()? {
            Some(state) if self.applies_to_library(&state)? => {
                Ok(Some(journal::changed_since(self.store().read(), state.seq)?.0))
            }
            _ => Ok(None),
        }
    }
}
