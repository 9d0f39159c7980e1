// Generated from src-tauri's wire types by `cargo test -p quire-desktop desktop_bindings_are_fresh`
// (UPDATE_EXPECT=1 to rewrite). Do not edit by hand.
import type { ArticleFilter, ErrorKind, Format } from "./bindings";

export type AppEvent = { "type": "dropped", names: Array<string>, } | { "type": "menu", id: string, } | { "type": "open", article: number, highlight: number | null, } | { "type": "notice", message: string, };

export type CommandErrorKind = ErrorKind | ShellErrorKind;

export type ShellErrorKind = "system" | "internal";

export type ImportApp = { format: Format, label: string, how_to: string, };

export type ExportScope = { "kind": "article", id: number, } | { "kind": "tag", tag: string, } | { "kind": "search", query: string, filter: ArticleFilter, } | { "kind": "library" };

export type MarkdownChoice = "plain" | "obsidian" | "logseq";

export type CitationChoice = "apa" | "chicago" | "mla" | "harvard";

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
