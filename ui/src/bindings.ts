// Generated from the Rust wire types by `cargo test -p quire typescript_bindings_are_fresh`
// (UPDATE_EXPECT=1 to rewrite). Do not edit by hand.
// Offsets (`start`, `end`) count Unicode scalar values of the canonical text, not UTF-16 units.

export type Document = { blocks: Array<Block>, };

export type Block = { kind: BlockKind, spans: Array<Span>, start: number, end: number, };

export type BlockKind = { "type": "heading", level: number, } | { "type": "paragraph" } | { "type": "quote" } | { "type": "list_item", ordered: boolean, depth: number, } | { "type": "preformatted" } | { "type": "image", src: string, alt: string, };

export type Span = { text: string, marks?: Marks, start: number, };

export type Marks = { emphasis?: boolean, strong?: boolean, code?: boolean, link?: string, };

export type TextQuoteSelector = { exact: string, prefix: string, suffix: string, };

export type TextPositionSelector = { start: number, end: number, };

export type Status = "unread" | "read" | "archived";

export type Color = "yellow" | "green" | "blue" | "pink" | "purple" | "red";

export type ArticleSummary = { id: number, title: string, byline: string | null, site_name: string | null, source_url: string | null, published_at: string | null, clipped_at: string, status: Status, favorite: boolean, word_count: number, highlight_count: number, tags: Array<string>, 
/**
 * Kept only as a link (imported, its page not fetched yet): no text, highlights orphaned.
 */
link_only: boolean, };

export type ArticleView = { canonical_url: string | null, language: string | null, direction: string | null, excerpt: string | null, progress: number, content_hash: string, 
/**
 * Version of the canonical-text function the document was built with.
 */
text_version: number, 
/**
 * A note on the whole article (e.g. an imported page note).
 */
note: string, 
/**
 * For an article kept only as a link: why its page is missing (empty otherwise).
 */
link_reason: string, document: Document, 
/**
 * Ordered by position in the text.
 */
highlights: Array<Highlight>, id: number, title: string, byline: string | null, site_name: string | null, source_url: string | null, published_at: string | null, clipped_at: string, status: Status, favorite: boolean, word_count: number, highlight_count: number, tags: Array<string>, 
/**
 * Kept only as a link (imported, its page not fetched yet): no text, highlights orphaned.
 */
link_only: boolean, };

export type Highlight = { id: number, article_id: number, quote: TextQuoteSelector, 
/**
 * For an orphan, where the quote was before it disappeared.
 */
position: TextPositionSelector, text_version: number, 
/**
 * How the highlight last anchored to its article's text; orphans are not drawn.
 */
anchor: AnchorKind, color: Color, note: string, tags: Array<string>, created_at: string, updated_at: string, };

export type HighlightInContext = { article_title: string, site_name: string | null, published_at: string | null, id: number, article_id: number, quote: TextQuoteSelector, 
/**
 * For an orphan, where the quote was before it disappeared.
 */
position: TextPositionSelector, text_version: number, 
/**
 * How the highlight last anchored to its article's text; orphans are not drawn.
 */
anchor: AnchorKind, color: Color, note: string, tags: Array<string>, created_at: string, updated_at: string, };

export type TagCount = { name: string, 
/**
 * Articles tagged with this tag or a sub-tag.
 */
articles: number, 
/**
 * Highlights tagged with this tag or a sub-tag.
 */
highlights: number, 
/**
 * False for a parent that exists only through its children ("NATO" of "NATO/Finland").
 */
explicit: boolean, };

export type Field = "title" | "byline" | "body" | "quote" | "note";

export type SnippetPart = { text: string, hit: boolean, };

export type SearchHit = { article: ArticleSummary, 
/**
 * bm25 score: lower is better (as SQLite reports it).
 */
rank: number, matched_in: Array<Field>, 
/**
 * From the best field that matched; empty when the query had only filters.
 */
snippet: Array<SnippetPart>, 
/**
 * Highlights of the article whose quote or note matched the query's words.
 */
highlights: Array<Highlight>, };

export type AddOutcome = { id: number, title: string, 
/**
 * False when the same content (or the same canonical URL) was already in the library.
 */
created: boolean, warnings: Array<string>, 
/**
 * When an existing article was updated: what happened to each of its highlights.
 */
reanchored: ReanchorReport | null, };

export type AnchorKind = { "kind": "exact" } | { "kind": "moved" } | { "kind": "fuzzy", distance: number, } | { "kind": "orphan" };

export type ReanchorReport = { article_id: number, 
/**
 * False when the new text is the same as the old: nothing moved.
 */
text_changed: boolean, exact: number, moved: number, fuzzy: number, orphaned: number, highlights: Array<ReanchoredHighlight>, };

export type ReanchoredHighlight = { id: number, 
/**
 * The quote as it was before.
 */
before: string, 
/**
 * The quote now (for a fuzzy match, the edited text it now covers); empty for an orphan.
 */
after: string, anchor: AnchorKind, };

export type Sort = "clipped" | "published" | "title" | "site";

export type SavedSearch = { id: number, name: string, 
/**
 * The words as the user typed them (Quire's query language).
 */
query: string, 
/**
 * The sidebar's filter when the search was saved: a tag (and its sub-tags), a status,
 * favorites only.
 */
tag: string | null, status: Status | null, favorite: boolean | null, created_at: string, };

export type Topic = { tag: string, 
/**
 * Number of highlights in the whole topic.
 */
highlights: number, 
/**
 * Number of articles in the whole topic.
 */
article_count: number, 
/**
 * The articles of the page asked for, newest clipped first.
 */
articles: Array<TopicArticle>, };

export type TopicArticle = { article: ArticleSummary, highlights: Array<Highlight>, };

export type TopicPaging = { limit?: number, offset: number, };

export type ImportEvent = { "event": "started", total: number, } | { "event": "item", index: number, name: string, outcome: ItemOutcome, };

export type ItemOutcome = { "result": "added", id: number, title: string, warnings: Array<string>, } | { "result": "duplicate", id: number, title: string, } | { "result": "failed", reason: string, } | { "result": "link_only", id: number, title: string, reason: string, };

export type ImportSummary = { added: number[], duplicates: number[], 
/**
 * `(name, reason)` of each item that could not be added.
 */
failed: Array<[string, string]>, 
/**
 * True when the import was stopped before the end; what was added stays.
 */
cancelled: boolean, };

export type ArticleFilter = { 
/**
 * Only articles carrying this tag or one of its sub-tags.
 */
tag?: string, status?: Status, favorite?: boolean, sort?: Sort, 
/**
 * At most this many, after skipping `offset` (the desktop list loads pages).
 */
limit?: number, offset?: number, };

export type HighlightTarget = { "type": "quote", exact: string, prefix: string | null, suffix: string | null, occurrence: number | null, } | { "type": "range", start: number, end: number, };

export type NewHighlight = { article_id: number, target: HighlightTarget, color: Color, note: string, tags: Array<string>, };

export type HighlightEdit = { note?: string, color?: Color, 
/**
 * Replaces the highlight's tags.
 */
tags?: Array<string>, };

export type ArticleCount = { articles: number, highlights: number, };

export type ExportReport = { path: string, articles: number, highlights: number, pages: number, bytes: number, warnings: Array<string>, };

export type ErrorKind = "not_found" | "quote_not_found" | "ambiguous_quote" | "conflict" | "invalid_input" | "invalid_query" | "unsupported" | "io" | "network" | "cancelled" | "export" | "library" | "database" | "busy";

export type SearchRequest = { text: string, filter: ArticleFilter, 
/**
 * The text is still being typed: its last word matches as a prefix ([`as_you_type`]).
 */
as_you_type: boolean, };

export type ImportReport = { 
/**
 * The app the file came from (`pocket`, …).
 */
format: string, 
/**
 * Items the file holds.
 */
items: number, added: Array<ImportedArticle>, 
/**
 * Articles that were already in the library (they got only new highlights).
 */
already: Array<ImportedArticle>, 
/**
 * Added as links only (counted in `added` too).
 */
link_only: Array<LinkOnlyArticle>, highlights: HighlightTally, orphans: Array<ImportedOrphan>, 
/**
 * Rows and items not imported, with where and why.
 */
skipped: Array<Skipped>, 
/**
 * Stopped before the end: what was imported stays, complete.
 */
cancelled: boolean, };

export type ImportedArticle = { id: number, title: string, };

export type LinkOnlyArticle = { id: number, title: string, url: string | null, reason: string, };

export type ImportedOrphan = { article_id: number, highlight_id: number, quote: string, };

export type HighlightTally = { exact: number, fuzzy: number, orphaned: number, 
/**
 * Already in the library (imported before).
 */
already: number, };

export type Skipped = { 
/**
 * Where in the file, for a person: "row 12", "part_000001.csv row 3", "entry 7 (line 40)".
 */
at: string, reason: string, };

export type Format = "pocket" | "omnivore" | "instapaper" | "readwise" | "hypothesis" | "kindle" | "wallabag" | "bookmarks" | "w3c";

export type OpenFormat = "md" | "w3c" | "csl" | "bibtex" | "csv" | "archive";

export type FormatReport = { path: string, articles: number, highlights: number, 
/**
 * The files written (for Markdown: the notes, the dossier and the images).
 */
files: number, };

export type BackupKind = "manual" | "daily" | "before_migration";

export type BackupEntry = { path: string, kind: BackupKind, 
/**
 * When it was made, RFC 3339 UTC (from its name).
 */
taken_at: string, bytes: number, };

export type BackupReport = { path: string, bytes: number, schema: number, articles: number, highlights: number, tags: number, };

export type RestoreReport = { 
/**
 * The library as it is now.
 */
restored: BackupReport, 
/**
 * Where the library as it was before is kept.
 */
before: string, };

export type TokenInfo = { id: number, 
/**
 * Who it was given to: a name chosen for it, or the client that paired.
 */
name: string, created_at: string, 
/**
 * The last time it was presented (to the minute), if ever.
 */
last_used_at: string | null, };
