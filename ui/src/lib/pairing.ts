/**
 * The "Connect a Browser" dialog's actions: what the endpoint says, a pairing code for the
 * extension's options page, revoking a browser; and the window's news of what the extension
 * saved.
 */
import type { AppEvent } from "../desktop-bindings";
import * as api from "./api";
import { toCommandError } from "./api";
import { dialogs, refreshAll } from "./state.svelte";

/** How long a pairing code works (the library's `PAIRING_CODE_MINUTES`). */
export const PAIRING_MINUTES = 10;

export async function openBrowser() {
  if (dialogs.browser?.busy) return;
  dialogs.browser = { connection: null, code: null, busy: false, error: null };
  await loadConnection();
}

async function loadConnection() {
  try {
    const connection = await api.browserConnection();
    if (dialogs.browser) dialogs.browser.connection = connection;
  } catch (e) {
    if (dialogs.browser) dialogs.browser.error = toCommandError(e).message;
  }
}

export async function pairBrowser(now: () => number = Date.now) {
  const flow = dialogs.browser;
  if (!flow || flow.busy) return;
  flow.busy = true;
  flow.error = null;
  try {
    const code = await api.pairBrowser();
    if (dialogs.browser) dialogs.browser.code = { code, until: now() + PAIRING_MINUTES * 60_000 };
  } catch (e) {
    if (dialogs.browser) dialogs.browser.error = toCommandError(e).message;
  }
  if (dialogs.browser) dialogs.browser.busy = false;
}

export async function revokeBrowser(id: number) {
  const flow = dialogs.browser;
  if (!flow || flow.busy) return;
  flow.busy = true;
  flow.error = null;
  try {
    const connection = await api.revokeBrowser(id);
    if (dialogs.browser) dialogs.browser.connection = connection;
  } catch (e) {
    if (dialogs.browser) dialogs.browser.error = toCommandError(e).message;
  }
  if (dialogs.browser) dialogs.browser.busy = false;
}

export function closeBrowser() {
  if (dialogs.browser && !dialogs.browser.busy) dialogs.browser = null;
}

/** What to tell the user when the extension saved something. */
export function fromBrowserNotice(event: Extract<AppEvent, { type: "from_browser" }>): string {
  const title = event.title ? `“${event.title}”` : "the page";
  if (event.highlight !== null) {
    return event.duplicate ? `Highlight added from the browser to ${title}.` : `Saved ${title} from the browser, with a highlight.`;
  }
  return event.duplicate ? `${title[0].toUpperCase()}${title.slice(1)} is already in your library.` : `Saved ${title} from the browser.`;
}

/** The extension saved something: the list and tags reload, and the user is told. */
export async function onFromBrowser(event: Extract<AppEvent, { type: "from_browser" }>) {
  dialogs.notice = fromBrowserNotice(event);
  await refreshAll();
  // A dialog showing the paired browsers shows when they were last used.
  if (dialogs.browser && !dialogs.browser.busy) await loadConnection();
}

/** "in 9 minutes", "in less than a minute", "expired". */
export function expiresIn(until: number, now: number): string {
  const minutes = Math.min(PAIRING_MINUTES, Math.ceil((until - now) / 60_000));
  if (until <= now) return "expired";
  if (minutes <= 1) return "for less than a minute";
  return `for ${minutes} more minutes`;
}
