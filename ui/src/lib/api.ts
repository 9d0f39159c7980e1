/** Typed wrappers over the app's Tauri commands (see src-tauri/src/commands.rs). */
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  AddOutcome,
  ArticleCount,
  ExportReport,
  ArticleFilter,
  ArticleSummary,
  ArticleView,
  Highlight,
  HighlightEdit,
  HighlightTarget,
  Format,
  ImportEvent,
  ImportReport,
  ImportSummary,
  NewHighlight,
  SavedSearch,
  SearchHit,
  SearchRequest,
  Status,
  TagCount,
  Topic,
  TopicPaging,
  BackupEntry,
  BackupReport,
  FormatReport,
  OpenFormat,
  RestoreReport,
} from "../bindings";
import type {
  AppEvent,
  BrowserConnection,
  CitationChoice,
  CommandErrorKind,
  ExportScope,
  ImportApp,
  MarkdownChoice,
} from "../desktop-bindings";

/** The one error shape every command rejects with. */
export interface CommandError {
  kind: CommandErrorKind;
  message: string;
}

/**
 * What to do next, in the app's own words (its buttons and screens), for the kinds of error
 * whose library message cannot say it: the library's messages name no shell.
 */
export const HINTS: Partial<Record<CommandErrorKind, string>> = {
  not_found: "It may have been deleted: go back to the library and look again.",
  network: "Check the address and your connection, then try again.",
  unsupported: "Quire imports .html, .htm, .mhtml, .txt and .md files and clips web pages.",
  io: "Check that the file or folder exists and that Quire may read it.",
  library: "Quire could not use its library file: restart Quire, and check the disk if it happens again.",
  database: "Quire could not use its library file: restart Quire, and check the disk if it happens again.",
  internal: "This is a bug in Quire: restart Quire and try again.",
};

/** The hints of an import from another app, where a file Quire does not know is an export. */
export const APP_IMPORT_HINTS: Partial<Record<CommandErrorKind, string>> = {
  ...HINTS,
  unsupported: "Choose the app it came from in the list, and check that it is the file its instructions name.",
  invalid_input: "Check that it is the file the app's instructions name; download the export again if it is damaged.",
};

/** The hints of an export, where a file problem is about the place chosen. */
export const EXPORT_HINTS: Partial<Record<CommandErrorKind, string>> = {
  ...HINTS,
  io: "Nothing in your library changed. Check that the folder exists and that Quire may write there, or choose another place.",
  invalid_input: "Nothing was written.",
};

/** The message with the app's hint for its kind, when it has one. */
export function withHint(kind: CommandErrorKind, message: string, hints = HINTS): string {
  const hint = hints[kind];
  return hint ? `${message}. ${hint}` : message;
}

/** Normalizes anything a command rejected with into a {@link CommandError}, with the app's hint. */
export function toCommandError(error: unknown, hints = HINTS): CommandError {
  if (typeof error === "object" && error !== null && "kind" in error && "message" in error) {
    const kind = error.kind as CommandErrorKind;
    return { kind, message: withHint(kind, String(error.message), hints) };
  }
  return { kind: "internal", message: withHint("internal", String(error), hints) };
}

export const listArticles = (filter: ArticleFilter) => invoke<ArticleSummary[]>("list_articles", { filter });
export const countArticles = (filter: ArticleFilter) => invoke<ArticleCount>("count_articles", { filter });
export const getArticle = (id: number) => invoke<ArticleView>("get_article", { id });
export const listTags = () => invoke<TagCount[]>("list_tags");
export const search = (request: SearchRequest) => invoke<SearchHit[]>("search", { request });
export const topic = (tag: string, paging: TopicPaging) => invoke<Topic>("topic", { tag, paging });
export const savedSearches = () => invoke<SavedSearch[]>("saved_searches");
export const saveSearch = (name: string, request: SearchRequest) =>
  invoke<SavedSearch>("save_search", { name, request });
export const deleteSavedSearch = (id: number) => invoke<void>("delete_saved_search", { id });

export const addHighlight = (highlight: NewHighlight) => invoke<Highlight>("add_highlight", { highlight });
export const updateHighlight = (id: number, edit: HighlightEdit) => invoke<Highlight>("update_highlight", { id, edit });
export const deleteHighlight = (id: number) => invoke<void>("delete_highlight", { id });
export const reattachHighlight = (id: number, target: HighlightTarget) =>
  invoke<Highlight>("reattach_highlight", { id, target });

export const setStatus = (id: number, status: Status) => invoke<void>("set_status", { id, status });
export const setFavorite = (id: number, favorite: boolean) => invoke<void>("set_favorite", { id, favorite });
export const setProgress = (id: number, progress: number) => invoke<void>("set_progress", { id, progress });
export const tagArticle = (id: number, tags: string[]) => invoke<string[]>("tag_article", { id, tags });
export const untagArticle = (id: number, tags: string[]) => invoke<string[]>("untag_article", { id, tags });

export const clip = (input: string) => invoke<AddOutcome>("clip", { input });
export const addSample = () => invoke<AddOutcome>("add_sample");

function channel<T>(onEvent: (event: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = onEvent;
  return c;
}

export const importDialog = (folder: boolean, onEvent: (e: ImportEvent) => void) =>
  invoke<ImportSummary | null>("import_dialog", { folder, onEvent: channel(onEvent) });
export const importDropped = (onEvent: (e: ImportEvent) => void) =>
  invoke<ImportSummary>("import_dropped", { onEvent: channel(onEvent) });
export const cancelImport = () => invoke<void>("cancel_import");
export const importApps = () => invoke<ImportApp[]>("import_apps");
/** Another app's export, chosen in the native open dialog; `from: null` detects the app. */
export const importFromApp = (from: Format | null, onEvent: (e: ImportEvent) => void) =>
  invoke<ImportReport | null>("import_from_app", { from, onEvent: channel(onEvent) });
export const importDroppedFromApp = (from: Format | null, onEvent: (e: ImportEvent) => void) =>
  invoke<ImportReport>("import_dropped_from_app", { from, onEvent: channel(onEvent) });
export const refetchArticle = (id: number) => invoke<AddOutcome>("refetch_article", { id });

export const exportPdf = (scope: ExportScope, suggestedName: string) =>
  invoke<ExportReport | null>("export_pdf", { scope, suggestedName });
/** An export to an open format, placed by the user in the native save (or folder) dialog. */
export const exportTo = (
  format: OpenFormat,
  scope: ExportScope,
  style: MarkdownChoice,
  citation: CitationChoice,
  suggestedName: string,
) => invoke<FormatReport | null>("export_to", { format, scope, style, citation, suggestedName });
export const openExported = () => invoke<void>("open_exported");
export const revealExported = () => invoke<void>("reveal_exported");
/** A highlight's quote with its citation (or the article's citation), ready to paste. */
/** Puts the quote with its citation (or the article's citation) on the clipboard; returns it. */
export const copyCitation = (article: number, highlight: number | null, style: CitationChoice) =>
  invoke<string>("copy_citation", { article, highlight, style });
export const openLink = (url: string) => invoke<void>("open_link", { url });
/** The backups beside the library, newest first. */
export const listBackups = () => invoke<BackupEntry[]>("list_backups");
/** A backup now, in the backups folder; what it holds. */
export const backupNow = () => invoke<BackupReport>("backup_now");
/**
 * Restores the backup at `index` of the last `listBackups` result (`takenAt` must agree): the
 * app checks it, then restarts and restores it before opening the library.
 */
export const restoreBackup = (index: number, takenAt: string) =>
  invoke<RestoreReport>("restore_backup", { index, takenAt });
export const browserConnection = () => invoke<BrowserConnection>("browser_connection");
/** A pairing code for the browser extension's options page (valid 10 minutes, once). */
export const pairBrowser = () => invoke<string>("pair_browser");
export const revokeBrowser = (id: number) => invoke<BrowserConnection>("revoke_browser", { id });
export const subscribe = (onEvent: (e: AppEvent) => void) => invoke<void>("subscribe", { onEvent: channel(onEvent) });
