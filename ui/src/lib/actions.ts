/**
 * What the user does, across the stores of `state.svelte.ts`: navigating, filtering, saved
 * searches, clipping, importing, exporting, and the menu's actions (the same whether they come
 * from the native menu, a shortcut or a button).
 */
import { tick } from "svelte";
import type { ArticleView, Format, ImportEvent, ImportReport, ImportSummary, SavedSearch } from "../bindings";
import type { AppEvent, ExportScope } from "../desktop-bindings";
import * as api from "./api";
import { APP_IMPORT_HINTS, EXPORT_HINTS, toCommandError } from "./api";
import { firstFormat } from "./exporting";
import { notStarted, progressAfter } from "./importReport";
import { isMenuAction, type MenuAction } from "./menu";
import { hasSearchText, type ListFilters } from "./query";
import { stepFontSize, type Settings, type Theme } from "./settings";
import {
  dialogs,
  library,
  nav,
  prefs,
  refreshAll,
  refreshList,
  refreshSidebar,
  runSearch,
  search,
  type ExportFlow,
} from "./state.svelte";
import { onFromBrowser, openBrowser } from "./pairing";

// ---- navigation ------------------------------------------------------------------------------

/** The article being opened: asked for before the screen changes, so that the command runs
 * while the list makes way for the reader. */
let opening: { id: number; view: Promise<ArticleView> } | null = null;

export function openArticle(id: number) {
  const view = api.getArticle(id);
  view.catch(() => {}); // the reader reports a failure when it takes the article
  opening = { id, view };
  library.restore = { scrollTop: library.scrollTop, id };
  nav.route = { view: "reader", id };
}

/** The article `id` for the reader: the one `openArticle` asked for, or asked for now. */
export function articleFor(id: number): Promise<ArticleView> {
  const pending = opening?.id === id ? opening.view : null;
  opening = null;
  return pending ?? api.getArticle(id);
}

export function openTopic(tag: string) {
  nav.topicArticles = null;
  nav.route = { view: "topic", tag };
}

export async function backToLibrary() {
  nav.route = { view: "library" };
  await refreshAll();
}

export async function setFilters(next: ListFilters) {
  library.filters = next;
  library.restore = null;
  library.scrollTop = 0;
  library.activeSaved = null;
  nav.route = { view: "library" };
  await refreshList();
  if (hasSearchText(search.typed)) await runSearch();
}

export function setSort(sort: typeof library.sort) {
  library.sort = sort;
  library.restore = null;
}

export async function focusSearch() {
  if (nav.route.view !== "library") nav.route = { view: "library" };
  await tick();
  search.box?.focus();
  search.box?.select();
}

// ---- saved searches and tags -------------------------------------------------------------

export async function saveCurrentSearch() {
  const name = search.typed.trim();
  if (!name) return;
  try {
    const s = await api.saveSearch(name, { text: name, filter: library.filter, as_you_type: false });
    library.activeSaved = s.id;
    await refreshSidebar();
  } catch (e) {
    search.error = toCommandError(e).message;
  }
}

export async function openSaved(s: SavedSearch) {
  nav.route = { view: "library" };
  library.filters = { tag: s.tag, status: s.status, favorite: s.favorite ?? undefined };
  search.typed = s.query;
  library.activeSaved = s.id;
  await refreshList();
  await runSearch();
}

export async function deleteSaved(s: SavedSearch) {
  try {
    await api.deleteSavedSearch(Number(s.id));
    if (library.activeSaved === s.id) library.activeSaved = null;
    await refreshSidebar();
  } catch (e) {
    dialogs.notice = toCommandError(e).message;
  }
}

export async function dropOnTag(tag: string, id: number) {
  try {
    await api.tagArticle(id, [tag]);
    dialogs.notice = `Tagged “${tag}”.`;
    await refreshAll();
  } catch (e) {
    dialogs.notice = toCommandError(e).message;
  }
}

// ---- clipping and importing --------------------------------------------------------------

export function openClip() {
  dialogs.clip = { busy: false, error: null };
}

/** Clips from the clip box, or a link dropped on the window (then without the box). */
export async function clipInput(input: string) {
  if (dialogs.clip) dialogs.clip = { busy: true, error: null };
  try {
    const outcome = await api.clip(input);
    dialogs.clip = null;
    dialogs.notice = outcome.created ? `Added “${outcome.title}”.` : `“${outcome.title}” is already in your library.`;
    await refreshAll();
    openArticle(Number(outcome.id));
  } catch (e) {
    const message = toCommandError(e).message;
    // In the clip box, the box says it; a dropped link (no box) gets a notice.
    if (dialogs.clip) dialogs.clip = { busy: false, error: message };
    else dialogs.notice = `Could not clip the dropped link: ${message}`;
  }
}

export async function addSample() {
  try {
    const outcome = await api.addSample();
    await refreshAll();
    openArticle(Number(outcome.id));
  } catch (e) {
    dialogs.notice = toCommandError(e).message;
  }
}

async function runImport(start: (onEvent: (e: ImportEvent) => void) => Promise<ImportSummary | null>) {
  dialogs.importing = { total: null, items: [], summary: null, error: null };
  const onEvent = (event: ImportEvent) => {
    const importing = dialogs.importing;
    if (!importing) return;
    if (event.event === "started") importing.total = event.total;
    else importing.items.push({ name: event.name, outcome: event.outcome });
  };
  try {
    const summary = await start(onEvent);
    if (summary === null) dialogs.importing = null;
    else if (dialogs.importing) dialogs.importing.summary = summary;
  } catch (e) {
    if (dialogs.importing) dialogs.importing.error = toCommandError(e).message;
  }
  await refreshAll();
}

export const importFiles = (folder: boolean) => runImport((onEvent) => api.importDialog(folder, onEvent));

// ---- importing from another app ------------------------------------------------------------

/** Opens the "Import from another app" dialog at its list of apps. */
export function openAppImport() {
  if (!dialogs.appImport?.running) dialogs.appImport = { from: null, running: null, report: null, error: null };
}

export function chooseImportApp(from: Format | null) {
  if (dialogs.appImport && !dialogs.appImport.running) dialogs.appImport.from = from;
}

/** Imports the export the user picks in the native dialog (or dropped), as the chosen app's. */
async function runAppImport(start: (from: Format | null, onEvent: (e: ImportEvent) => void) => Promise<ImportReport | null>) {
  const current = dialogs.appImport;
  if (!current || current.running) return;
  current.running = notStarted();
  current.error = null;
  const onEvent = (event: ImportEvent) => {
    const running = dialogs.appImport?.running;
    if (running && dialogs.appImport) dialogs.appImport.running = progressAfter(running, event);
  };
  try {
    const report = await start(current.from, onEvent);
    if (dialogs.appImport) {
      dialogs.appImport.running = null;
      dialogs.appImport.report = report; // null: the file dialog was cancelled, back to the list
    }
  } catch (e) {
    if (dialogs.appImport) {
      dialogs.appImport.running = null;
      dialogs.appImport.error = toCommandError(e, APP_IMPORT_HINTS).message;
    }
  }
  await refreshAll();
}

export const importFromApp = () => runAppImport(api.importFromApp);

/** Opens an article from the import's report (the dialog closes). */
export function openImported(id: number) {
  dialogs.appImport = null;
  openArticle(id);
}

/** Drops and menu items, sent by the shell. */
export function onAppEvent(event: AppEvent) {
  if (event.type === "dropped") {
    // A file dropped while the app list is open is that app's export; otherwise files to add.
    const choosing = dialogs.appImport && !dialogs.appImport.running && !dialogs.appImport.report;
    if (choosing) void runAppImport(api.importDroppedFromApp);
    else if (!dialogs.importing && !dialogs.appImport) void runImport((onEvent) => api.importDropped(onEvent));
  } else if (event.type === "menu" && isMenuAction(event.id)) {
    void menuAction(event.id);
  } else if (event.type === "open") {
    openFromLink(event.article, event.highlight);
  } else if (event.type === "notice") {
    dialogs.notice = event.message;
  } else if (event.type === "from_browser") {
    void onFromBrowser(event);
  } else if (event.type === "index_ready") {
    // A search answered "the index is being built" meanwhile: answer it now.
    if (hasSearchText(search.typed)) void runSearch();
  }
}

/** Links dragged from a browser arrive as HTML drops (files come as app events). */
export function onDrop(event: DragEvent) {
  const uris = event.dataTransfer?.getData("text/uri-list");
  const url = uris?.split(/\r?\n/).find((l) => l && !l.startsWith("#"));
  if (url && /^https?:\/\//i.test(url)) {
    event.preventDefault();
    void clipInput(url);
  }
}

// ---- export ------------------------------------------------------------------------------

/** Opens the Export dialog for a scope (what the screen shows). */
export function openExport(scope: ExportScope, name: string) {
  if (dialogs.exporting?.busy) return;
  dialogs.exporting = { scope, name, format: firstFormat(), busy: false, done: null, error: null };
}

/** Exports in the chosen format; Rust asks where in the native dialog. */
export async function runExport() {
  const flow = dialogs.exporting;
  if (!flow || flow.busy) return;
  flow.busy = true;
  flow.error = null;
  const { scope, name, format } = flow;
  try {
    let done: ExportFlow["done"];
    if (format === "pdf") {
      const report = await api.exportPdf(scope, name);
      done = report ? { pdf: report } : null;
    } else {
      const { markdown, citation } = prefs.settings;
      const report = await api.exportTo(format, scope, markdown, citation, name);
      done = report ? { open: report, format } : null;
    }
    if (dialogs.exporting) {
      dialogs.exporting.busy = false;
      dialogs.exporting.done = done; // null: the save dialog was cancelled, back to the choice
    }
  } catch (e) {
    if (dialogs.exporting) {
      dialogs.exporting.busy = false;
      dialogs.exporting.error = toCommandError(e, EXPORT_HINTS).message;
    }
  }
}

/** Exports what is on screen: the article, the topic, the tag the list is filtered by, or the search. */
export function exportCurrent() {
  const route = nav.route;
  if (route.view === "reader") openExport({ kind: "article", id: route.id }, nav.readerTitle);
  else if (route.view === "topic") openExport({ kind: "tag", tag: route.tag }, route.tag);
  else if (search.hits !== null && hasSearchText(search.typed)) exportSearch();
  else if (library.filters.tag) openExport({ kind: "tag", tag: library.filters.tag }, library.filters.tag);
  else openExport({ kind: "library" }, "Quire library");
}

/** Exports the articles the search finds. */
export function exportSearch() {
  const query = search.typed.trim();
  if (query) openExport({ kind: "search", query, filter: { ...library.filter } }, query);
}

/** Copies a highlight's quote with its citation (or the article's citation) to the clipboard. */
export async function copyCitation(article: number, highlight: number | null) {
  const style = prefs.settings.citation;
  try {
    dialogs.copied = await api.copyCitation(article, highlight, style);
    dialogs.notice = highlight === null ? "Copied the citation." : "Copied the quote with its citation.";
  } catch (e) {
    dialogs.notice = `Could not copy the citation: ${toCommandError(e).message}`;
  }
}

/** What a `quire://` link opens: the article, at its highlight. */
function openFromLink(article: number, highlight: number | null) {
  dialogs.revealHighlight = highlight;
  if (nav.route.view === "reader" && nav.route.id === article) {
    dialogs.revealSeq++;
    return;
  }
  openArticle(article);
}

export async function revealExported() {
  try {
    await api.revealExported();
  } catch (e) {
    dialogs.notice = toCommandError(e).message;
  }
}

export async function openExported() {
  try {
    await api.openExported();
  } catch (e) {
    dialogs.notice = toCommandError(e).message;
  }
}

// ---- preferences and the menu ------------------------------------------------------------

export function setPrefs(change: Partial<Settings>) {
  prefs.settings = { ...prefs.settings, ...change };
}

export const setTheme = (theme: Theme) => setPrefs({ theme });

const THEMES: Partial<Record<MenuAction, Theme>> = {
  "theme-system": "system",
  "theme-light": "light",
  "theme-sepia": "sepia",
  "theme-dark": "dark",
};

// ---- backups -----------------------------------------------------------------------------

async function loadBackups() {
  const flow = dialogs.backups;
  if (!flow) return;
  try {
    const entries = await api.listBackups();
    if (dialogs.backups) dialogs.backups.entries = entries;
  } catch (e) {
    if (dialogs.backups) dialogs.backups.error = toCommandError(e).message;
  }
}

export async function openBackups() {
  if (dialogs.backups?.busy) return;
  dialogs.backups = { entries: null, busy: false, made: null, restored: null, confirm: null, error: null };
  await loadBackups();
}

export async function backupNow() {
  const flow = dialogs.backups;
  if (!flow || flow.busy) return;
  flow.busy = true;
  flow.error = null;
  flow.made = null;
  flow.restored = null;
  flow.confirm = null;
  try {
    const made = await api.backupNow();
    if (dialogs.backups) dialogs.backups.made = made;
  } catch (e) {
    if (dialogs.backups) dialogs.backups.error = toCommandError(e).message;
  }
  if (dialogs.backups) dialogs.backups.busy = false;
  await loadBackups();
}

/** Asks to confirm restoring the backup at `index` (`null` takes the question back). */
export function confirmRestore(index: number | null) {
  if (dialogs.backups && !dialogs.backups.busy) dialogs.backups.confirm = index;
}

/** Restores the confirmed backup: the library checks it, keeps the library as it was, and
 * puts the backup's content in place; the app goes on with the restored library. */
export async function restoreConfirmed() {
  const flow = dialogs.backups;
  if (!flow || flow.busy || flow.confirm === null || !flow.entries) return;
  const index = flow.confirm;
  const entry = flow.entries[index];
  if (!entry) return;
  flow.busy = true;
  flow.error = null;
  flow.made = null;
  flow.restored = null;
  try {
    const report = await api.restoreBackup(index, entry.taken_at);
    if (dialogs.backups) dialogs.backups.restored = report;
  } catch (e) {
    if (dialogs.backups) dialogs.backups.error = toCommandError(e).message;
  }
  if (dialogs.backups) {
    dialogs.backups.busy = false;
    dialogs.backups.confirm = null;
  }
  // What was open may not exist in the restored library: back to the list, reloaded.
  await backToLibrary();
  await loadBackups();
}

export function closeBackups() {
  if (dialogs.backups && !dialogs.backups.busy) dialogs.backups = null;
}

/** What a menu item (or its shortcut, or its button) does. */
export async function menuAction(action: MenuAction) {
  const theme = THEMES[action];
  if (theme) return setTheme(theme);
  switch (action) {
    case "clip":
      return openClip();
    case "import-files":
      return importFiles(false);
    case "import-folder":
      return importFiles(true);
    case "import-app":
      return openAppImport();
    case "add-sample":
      return addSample();
    case "export-pdf":
      return exportCurrent();
    case "export-library":
      return openExport({ kind: "library" }, "Quire library");
    case "backups":
      return openBackups();
    case "browser":
      return openBrowser();
    case "show-library":
      return backToLibrary();
    case "focus-search":
      return focusSearch();
    case "text-larger":
      return setPrefs({ fontSize: stepFontSize(prefs.settings.fontSize, 1) });
    case "text-smaller":
      return setPrefs({ fontSize: stepFontSize(prefs.settings.fontSize, -1) });
    case "shortcuts":
      dialogs.help = true;
      return;
  }
}
