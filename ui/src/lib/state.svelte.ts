/**
 * The app's state, in small stores the components read and the actions (`actions.ts`) change:
 * where the user is (`nav`), what the library list shows (`library`), the search as you type
 * (`search`), the dialogs and notices (`dialogs`) and the reading preferences (`prefs`).
 * Components render these and call actions; none keeps a copy.
 */
import type { ArticleFilter, ExportReport, Format, ImportReport, ImportSummary, ItemOutcome, SavedSearch, SearchHit, Sort, TagCount } from "../bindings";
import type { BrowserConnection, ExportScope } from "../desktop-bindings";
import type { BackupEntry, BackupReport, FormatReport, OpenFormat, RestoreReport } from "../bindings";
import * as api from "./api";
import type { ExportChoice } from "./exporting";
import { toCommandError, type CommandError } from "./api";
import type { RunningImport } from "./importReport";
import { hasSearchText, type ListFilters } from "./query";
import { loadSettings, storeSettings, type Settings } from "./settings";

export type Route = { view: "library" } | { view: "reader"; id: number } | { view: "topic"; tag: string };

/** Where the list was when an article was opened: its scroll position and the row to focus. */
export interface ListPosition {
  scrollTop: number;
  id: number | null;
}

class Nav {
  route = $state<Route>({ view: "library" });
  /** The title of the article in the reader (the export's file name). */
  readerTitle = $state("Article");
  /** The articles of the topic on screen, once loaded (what exporting it exports). */
  topicArticles = $state.raw<{ tag: string; ids: number[] } | null>(null);
}

class LibraryState {
  filters = $state<ListFilters>({});
  sort = $state<Sort>("clipped");
  /** Bumped whenever the library changed: the list reloads what it shows. */
  refresh = $state(0);
  /** Whether the library has no article at all (`null` until known). */
  empty = $state<boolean | null>(null);
  tags = $state<TagCount[]>([]);
  saved = $state<SavedSearch[]>([]);
  /** The saved search being shown. */
  activeSaved = $state<number | null>(null);
  /** Where the list is scrolled (kept when an article is opened). */
  scrollTop = 0;
  /** Where the list returns to when it is shown again. */
  restore = $state<ListPosition | null>(null);

  /** Tags the user created (for autocompletion). */
  allTags = $derived(this.tags.filter((t) => t.explicit).map((t) => t.name));

  /** Which articles the list shows, in which order. */
  filter = $derived<ArticleFilter>({
    tag: this.filters.tag ?? undefined,
    status: this.filters.status ?? undefined,
    favorite: this.filters.favorite ? true : undefined,
    sort: this.sort,
  });
}

const FIRST_RESULTS = 50;

class SearchState {
  /** What is in the search box. */
  typed = $state("");
  hits = $state.raw<SearchHit[] | null>(null);
  /** The query the shown results answer. */
  query = $state("");
  busy = $state(false);
  error = $state<string | null>(null);
  /** Results asked for: a first screenful while typing, more on request. */
  limit = $state(FIRST_RESULTS);
  /** The search box (focused by `/` and Ctrl+F). */
  box = $state<HTMLInputElement>();

  /** Whether more results may exist than are shown. */
  hasMore = $derived(this.hits !== null && this.hits.length >= this.limit);
}

export interface ImportProgress {
  total: number | null;
  items: { name: string; outcome: ItemOutcome }[];
  summary: ImportSummary | null;
  error: string | null;
}

/** The "Import from another app" dialog: choosing the app, importing, then its report. */
export interface AppImport {
  /** The app chosen in the list; `null` detects it from the file. */
  from: Format | null;
  /** Set once a file was chosen (or dropped) and the import runs. */
  running: RunningImport | null;
  report: ImportReport | null;
  error: string | null;
}

/** The Export dialog: choosing the format for a scope, exporting, then what was written. */
export interface ExportFlow {
  scope: ExportScope;
  /** The scope's name: the suggested file name, and the article's title in the heading. */
  name: string;
  format: ExportChoice;
  busy: boolean;
  /** What was written (a PDF, or an open format). */
  done: { pdf: ExportReport } | { open: FormatReport; format: OpenFormat } | null;
  error: string | null;
}

/** The Backups dialog: the backups beside the library, backing up now, restoring one. */
export interface BackupsFlow {
  /** As `list_backups` last returned them (a restore names one by its index here). */
  entries: BackupEntry[] | null;
  busy: boolean;
  /** The backup just made. */
  made: BackupReport | null;
  /** The restore just done. */
  restored: RestoreReport | null;
  /** The index of the backup whose restore waits for confirmation. */
  confirm: number | null;
  error: string | null;
}

/** The "Connect a Browser" dialog: the endpoint, a pairing code, the paired browsers. */
export interface BrowserFlow {
  connection: BrowserConnection | null;
  /** The code just made for the extension's options page, and when it stops working. */
  code: { code: string; until: number } | null;
  busy: boolean;
  error: string | null;
}

class Dialogs {
  clip = $state<{ busy: boolean; error: string | null } | null>(null);
  help = $state(false);
  importing = $state<ImportProgress | null>(null);
  appImport = $state<AppImport | null>(null);
  exporting = $state<ExportFlow | null>(null);
  backups = $state<BackupsFlow | null>(null);
  browser = $state<BrowserFlow | null>(null);
  /** The text last put on the clipboard by "Copy with citation" (kept for the page's tests). */
  copied = $state<string | null>(null);
  /** The highlight a `quire://` link asked the reader to show, and a counter to ask again. */
  revealHighlight = $state<number | null>(null);
  revealSeq = $state(0);
  /** A short message that goes away by itself. */
  notice = $state<string | null>(null);
  /** The library could not be read: shown instead of any screen. */
  loadError = $state<CommandError | null>(null);

  /** Whether a dialog has the keyboard (window shortcuts wait). */
  anyOpen = $derived(
    this.clip !== null || this.help || this.importing !== null || this.appImport !== null || this.exporting !== null ||
      this.backups !== null || this.browser !== null,
  );
}

class Prefs {
  settings = $state<Settings>(loadSettings());
}

export const nav = new Nav();
export const library = new LibraryState();
export const search = new SearchState();
export const dialogs = new Dialogs();
export const prefs = new Prefs();

/** The list's heading: the saved search, tag or view shown. */
export function listTitle(): string {
  const f = library.filters;
  if (library.activeSaved !== null) return library.saved.find((s) => s.id === library.activeSaved)?.name ?? "Search";
  if (f.tag) return f.tag;
  if (f.favorite) return "Favorites";
  if (f.status) return f.status[0].toUpperCase() + f.status.slice(1);
  return search.hits !== null ? "Search" : "Library";
}

// ---- loading ---------------------------------------------------------------------------

export async function refreshList() {
  try {
    const all = await api.countArticles({});
    library.empty = all.articles === 0;
    library.refresh++;
    dialogs.loadError = null;
  } catch (e) {
    dialogs.loadError = toCommandError(e);
  }
}

export async function refreshSidebar() {
  try {
    [library.tags, library.saved] = await Promise.all([api.listTags(), api.savedSearches()]);
  } catch (e) {
    dialogs.loadError = toCommandError(e);
  }
}

/** Reloads everything the library screens show, and the search results. */
export async function refreshAll() {
  await Promise.all([refreshList(), refreshSidebar()]);
  if (hasSearchText(search.typed)) await runSearch();
}

// ---- search as you type ------------------------------------------------------------------

let searchTimer: ReturnType<typeof setTimeout> | undefined;
let searchSeq = 0;

/** The search box changed. */
export function searchTyped() {
  library.activeSaved = null;
  clearTimeout(searchTimer);
  if (!hasSearchText(search.typed)) {
    search.hits = null;
    search.error = null;
    return;
  }
  // Short enough that results follow the last keystroke within 100 ms (BENCHMARKS.md).
  search.limit = FIRST_RESULTS;
  searchTimer = setTimeout(runSearch, 25);
}

export async function runSearch() {
  const seq = ++searchSeq;
  search.busy = true;
  const query = search.typed;
  const filter = { ...library.filter, limit: search.limit };
  try {
    const result = await api.search({ text: query, filter, as_you_type: true });
    if (seq !== searchSeq) return;
    search.hits = result;
    search.query = query;
    search.error = null;
  } catch (e) {
    if (seq !== searchSeq) return;
    search.error = toCommandError(e).message;
  } finally {
    if (seq === searchSeq) search.busy = false;
  }
}

export function moreResults() {
  search.limit += 100;
  void runSearch();
}

export function clearSearch() {
  search.typed = "";
  searchTyped();
}

// ---- preferences -------------------------------------------------------------------------

/**
 * Applies the theme (live: "system" follows the OS's light or dark choice) and keeps the
 * preferences; returns the cleanup.
 */
export function followPreferences(): () => void {
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const osDark = $state({ dark: systemDark.matches });
  const follow = (e: MediaQueryListEvent) => (osDark.dark = e.matches);
  systemDark.addEventListener("change", follow);
  const stop = $effect.root(() => {
    $effect(() => {
      const s = prefs.settings;
      const theme = s.theme === "system" ? (osDark.dark ? "dark" : "light") : s.theme;
      document.documentElement.setAttribute("data-theme", theme);
      storeSettings(s);
    });
  });
  return () => {
    stop();
    systemDark.removeEventListener("change", follow);
  };
}
