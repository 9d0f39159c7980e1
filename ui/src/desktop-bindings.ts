// Generated from src-tauri's wire types by `cargo test -p quire-desktop desktop_bindings_are_fresh`
// (UPDATE_EXPECT=1 to rewrite). Do not edit by hand.
import type { ArticleFilter, ErrorKind, Format, TokenInfo } from "./bindings";

export type AppEvent = { "type": "dropped", names: Array<string>, } | { "type": "menu", id: string, } | { "type": "open", article: number, highlight: number | null, } | { "type": "notice", message: string, } | { "type": "from_browser", article: number, title: string, highlight: number | null, duplicate: boolean, } | { "type": "index_ready" };

export type CommandErrorKind = ErrorKind | ShellErrorKind;

export type ShellErrorKind = "system" | "internal";

export type ImportApp = { format: Format, label: string, how_to: string, };

export type ExportScope = { "kind": "article", id: number, } | { "kind": "tag", tag: string, } | { "kind": "search", query: string, filter: ArticleFilter, } | { "kind": "library" };

export type MarkdownChoice = "plain" | "obsidian" | "logseq";

export type CitationChoice = "apa" | "chicago" | "mla" | "harvard";

export type EndpointStatus = { 
/**
 * The port it listens on (127.0.0.1), when it runs.
 */
port: number | null, 
/**
 * Why it does not run, in words.
 */
problem: string | null, 
/**
 * What the user should know while it runs (another program holds the default port).
 */
warning: string | null, };

export type BrowserConnection = { endpoint: EndpointStatus, 
/**
 * The browsers (and scripts) given a token, newest first.
 */
tokens: Array<TokenInfo>, };
