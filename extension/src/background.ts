/**
 * The background (a service worker in Chromium, an event page in Firefox). It does nothing
 * until the user asks: the toolbar button (the popup asks it to save), the context menu, or a
 * keyboard shortcut. Then it reads the tab (script injected into that tab only) and sends the
 * page to Quire on 127.0.0.1.
 */
import browser from "webextension-polyfill";
import { fitBody, QuireError, type Color, type HighlightBody, type PageBody } from "./api";
import type { CaptureLimits, PageCapture, SelectionCapture } from "./capture";
import { DEFAULT_LIMITS } from "./capture";
import { client, restrictStorage } from "./settings";
import { pendingKey, statusKey, type Message, type OpStatus, type PendingHighlight, type PopupView } from "./state";

const MENU_PAGE = "quire-save-page";
const MENU_SELECTION = "quire-save-selection";
const COMMAND_SELECTION = "save-selection";
/** A pending highlight older than this is forgotten. */
const PENDING_MAX_AGE_MS = 30 * 60 * 1000;
/** The popup opened this soon after a save shows that save instead of starting another. */
const RECENT_MS = 60 * 1000;

const NOT_SCRIPTABLE =
  "The browser does not let extensions read this page (a browser page, the extension store, or a built-in viewer). Save pages from the web.";

function plain(e: unknown): { message: string; kind: string } {
  if (e instanceof QuireError) return { message: e.message, kind: e.kind };
  const text = e instanceof Error ? e.message : String(e);
  if (/cannot access|cannot be scripted|missing host permission|permission to access|no tab with id|extensions gallery|chrome:\/\/|about:/i.test(text)) {
    return { message: NOT_SCRIPTABLE, kind: "not-scriptable" };
  }
  return { message: `Something went wrong: ${text}`, kind: "unexpected" };
}

async function setStatus(tabId: number, status: OpStatus): Promise<void> {
  await browser.storage.session.set({ [statusKey(tabId)]: status });
  const badge = status.state === "working" ? "…" : status.state === "error" ? "!" : "✓";
  const color = status.state === "error" ? "#b3261e" : status.state === "working" ? "#6b6b6b" : "#1e7d32";
  try {
    await browser.action.setBadgeBackgroundColor({ tabId, color });
    await browser.action.setBadgeText({ tabId, text: badge });
  } catch {
    // The tab is gone.
  }
}

/** Runs the capture script's function in the tab (after injecting it there). */
async function inTab<T>(tabId: number, call: "page" | "selection", limits?: CaptureLimits): Promise<T> {
  await browser.scripting.executeScript({ target: { tabId }, files: ["content.js"] });
  const func =
    call === "page"
      ? (l: CaptureLimits) => globalThis.__quireCapture!.page(l)
      : () => globalThis.__quireCapture!.selection();
  const [result] = await browser.scripting.executeScript({
    target: { tabId },
    func: func as (...args: unknown[]) => unknown,
    args: call === "page" ? [limits ?? DEFAULT_LIMITS] : [],
  });
  if (!result || result.result === undefined) throw new Error(NOT_SCRIPTABLE);
  return result.result as T;
}

/** Save page: captures the tab and sends it to Quire. Resolves with the final status (also stored for the popup). */
export async function savePage(tabId: number): Promise<OpStatus> {
  await setStatus(tabId, { op: "page", state: "working", at: Date.now() });
  let status: OpStatus;
  try {
    const capture = await inTab<PageCapture>(tabId, "page");
    const body: PageBody = { url: capture.url, html: capture.html, title: capture.title, images: capture.images };
    if (capture.language) body.language = capture.language;
    const dropped = fitBody(body);
    const saved = await (await client()).savePage(body);
    status = {
      op: "page",
      state: "done",
      at: Date.now(),
      articleId: saved.id,
      title: saved.title,
      duplicate: saved.duplicate,
      skippedImages: capture.skippedImages + dropped,
    };
  } catch (e) {
    status = { op: "page", state: "error", at: Date.now(), ...plain(e) };
  }
  await setStatus(tabId, status);
  return status;
}

/**
 * Save selection as highlight, first step: reads the selection as a quote selector and keeps
 * it until the user picks color, note and tags in the popup. Resolves with the pending
 * highlight, or the error (also stored as the tab's status).
 */
export async function startHighlight(tabId: number): Promise<PendingHighlight | OpStatus> {
  await browser.storage.session.remove(pendingKey(tabId));
  try {
    const sel = await inTab<SelectionCapture>(tabId, "selection");
    if (!sel.ok) throw new QuireError("unexpected", sel.error);
    const pending: PendingHighlight = { tabId, url: sel.url, title: sel.title, selector: sel.selector, at: Date.now() };
    await browser.storage.session.set({ [pendingKey(tabId)]: pending });
    await browser.storage.session.remove(statusKey(tabId));
    await browser.action.setBadgeText({ tabId, text: "" }).catch(() => undefined);
    return pending;
  } catch (e) {
    const status: OpStatus = { op: "highlight", state: "error", at: Date.now(), ...plain(e) };
    await setStatus(tabId, status);
    return status;
  }
}

export async function pendingHighlight(tabId: number): Promise<PendingHighlight | undefined> {
  const key = pendingKey(tabId);
  const p = (await browser.storage.session.get(key))[key] as PendingHighlight | undefined;
  if (p && Date.now() - p.at > PENDING_MAX_AGE_MS) {
    await browser.storage.session.remove(key);
    return undefined;
  }
  return p;
}

/** Save selection as highlight, second step: sends the pending selection with the page (saved first if it is new). */
export async function saveHighlight(tabId: number, color: Color, note: string, tags: string[]): Promise<OpStatus> {
  let status: OpStatus;
  try {
    const pending = await pendingHighlight(tabId);
    if (!pending) throw new QuireError("unexpected", "There is no selection waiting to be saved. Select the text again.");
    await setStatus(tabId, { op: "highlight", state: "working", at: Date.now() });
    const capture = await inTab<PageCapture>(tabId, "page");
    if (capture.url !== pending.url) {
      throw new QuireError("unexpected", "The page changed since you selected the text. Select it again.");
    }
    const body: HighlightBody = {
      url: capture.url,
      html: capture.html,
      title: capture.title,
      images: capture.images,
      selector: pending.selector,
      color,
    };
    if (capture.language) body.language = capture.language;
    if (note.trim()) body.note = note.trim();
    if (tags.length > 0) body.tags = tags;
    fitBody(body);
    const saved = await (await client()).saveHighlight(body);
    await browser.storage.session.remove(pendingKey(tabId));
    status = {
      op: "highlight",
      state: "done",
      at: Date.now(),
      articleId: saved.article_id,
      highlightId: saved.highlight_id,
      anchor: saved.anchor,
      pageSaved: saved.page_saved,
      title: capture.title,
    };
  } catch (e) {
    status = { op: "highlight", state: "error", at: Date.now(), ...plain(e) };
  }
  await setStatus(tabId, status);
  return status;
}

/** What the popup opened on a tab shows; set just before the background opens it. */
let intent: { tabId: number; view: PopupView; at: number } | null = null;

/** Opens the action popup on what was just started; for a highlight, a small window when the popup cannot open. */
function showPopup(tabId: number, view: PopupView): void {
  intent = { tabId, view, at: Date.now() };
  // Called before any await: Firefox opens the popup only while handling the user's action.
  browser.action.openPopup().catch(async () => {
    if (view !== "highlight") return; // The badge shows the result; the toolbar button shows it in full.
    await browser.windows.create({ url: `popup.html?tab=${tabId}`, type: "popup", width: 400, height: 560 });
  });
}

async function popupOpened(tabId: number): Promise<PopupView> {
  if (intent && intent.tabId === tabId && Date.now() - intent.at < 10_000) {
    const view = intent.view;
    intent = null;
    return view;
  }
  if (await pendingHighlight(tabId)) return "highlight";
  const key = statusKey(tabId);
  const status = (await browser.storage.session.get(key))[key] as OpStatus | undefined;
  const recent = status && (status.state === "working" || Date.now() - status.at < RECENT_MS);
  if (!recent) void savePage(tabId);
  return "page";
}

function createMenus(): void {
  browser.contextMenus.removeAll().then(() => {
    browser.contextMenus.create({ id: MENU_PAGE, title: "Save page to Quire", contexts: ["page", "frame", "image"] });
    browser.contextMenus.create({ id: MENU_SELECTION, title: "Save selection as highlight in Quire", contexts: ["selection"] });
  });
}

// The token in storage.local is for the extension's own pages and worker, never a content script.
void restrictStorage();

browser.runtime.onInstalled.addListener(createMenus);
browser.runtime.onStartup.addListener(createMenus);

browser.contextMenus.onClicked.addListener((info, tab) => {
  if (tab?.id === undefined || tab.id < 0) return;
  const tabId = tab.id;
  if (info.menuItemId === MENU_PAGE) {
    showPopup(tabId, "page");
    void savePage(tabId);
  } else if (info.menuItemId === MENU_SELECTION) {
    showPopup(tabId, "highlight");
    void startHighlight(tabId);
  }
});

browser.commands.onCommand.addListener((command, tab) => {
  if (command !== COMMAND_SELECTION || tab?.id === undefined) return;
  showPopup(tab.id, "highlight");
  void startHighlight(tab.id);
});

browser.runtime.onMessage.addListener((raw: unknown) => {
  const msg = raw as Message;
  switch (msg.type) {
    case "popup-opened":
      return popupOpened(msg.tabId);
    case "save-page":
      return savePage(msg.tabId);
    case "save-highlight":
      return saveHighlight(msg.tabId, msg.color, msg.note, msg.tags);
    case "cancel-highlight":
      return browser.storage.session.remove(pendingKey(msg.tabId));
    default:
      return undefined;
  }
});

browser.tabs.onRemoved.addListener((tabId) => {
  void browser.storage.session.remove([statusKey(tabId), pendingKey(tabId)]);
});

browser.tabs.onUpdated.addListener((tabId, change) => {
  // A new page in the tab: the old result and selection no longer apply.
  if (change.status === "loading") {
    void browser.storage.session.remove([statusKey(tabId), pendingKey(tabId)]);
    void browser.action.setBadgeText({ tabId, text: "" }).catch(() => undefined);
  }
});

/** The same functions the menus, shortcut and popup call, for the end-to-end test (and the curious, in the devtools console). */
(globalThis as { quire?: unknown }).quire = { savePage, startHighlight, saveHighlight, pendingHighlight };
