/**
 * The pairing token, its id and the port, kept in `storage.local` (this device only, never
 * synced), which only the extension's own pages and worker may read (`restrictStorage`).
 */
import browser from "webextension-polyfill";
import { DEFAULT_PORT, forgetVerifiedPort, QuireClient, QuireError, type Settings } from "./api";

export async function loadSettings(): Promise<Settings> {
  const s = await browser.storage.local.get(["token", "tokenId", "port"]);
  const port = typeof s.port === "number" && Number.isInteger(s.port) ? s.port : DEFAULT_PORT;
  const token = typeof s.token === "string" && s.token ? s.token : undefined;
  const tokenId = typeof s.tokenId === "number" && Number.isInteger(s.tokenId) ? s.tokenId : undefined;
  return { token, tokenId, port };
}

export async function saveSettings(settings: Partial<Settings>): Promise<void> {
  const values: Record<string, unknown> = {};
  if (settings.port !== undefined) values.port = settings.port;
  if (settings.token !== undefined) values.token = settings.token;
  if (settings.tokenId !== undefined) values.tokenId = settings.tokenId;
  await browser.storage.local.set(values);
}

export async function forgetToken(): Promise<void> {
  forgetVerifiedPort();
  await browser.storage.local.remove(["token", "tokenId"]);
}

/**
 * Keeps `storage.local` (the token) from content scripts: only the extension's pages and
 * worker may read it. Chromium has `setAccessLevel` (and lets content scripts read
 * `storage.local` without it); Firefox has no such call, and never gives `storage.local`'s
 * contents to a page.
 */
export async function restrictStorage(): Promise<void> {
  const local = (globalThis as { chrome?: { storage?: { local?: { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> } } } })
    .chrome?.storage?.local;
  if (typeof local?.setAccessLevel !== "function") return;
  try {
    await local.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" });
  } catch {
    // An older browser without it for storage.local: nothing more to do.
  }
}

/** Where the extension may send requests: Quire's endpoint on this computer, nothing else. */
export const QUIRE_ORIGINS = ["http://127.0.0.1/*", "http://localhost/*"];

/** The client with the stored token; fails in plain words when the browser has not granted access to 127.0.0.1 (Firefox asks). */
export async function client(): Promise<QuireClient> {
  if (!(await browser.permissions.contains({ origins: QUIRE_ORIGINS }))) {
    throw new QuireError(
      "refused",
      "The extension is not allowed to talk to Quire on this computer yet. Open its options and press Pair or Test connection to allow it.",
    );
  }
  return unchecked();
}

/** The client with the stored token, without the permission check (for the options page, which asks first). */
export async function unchecked(): Promise<QuireClient> {
  const settings = await loadSettings();
  return new QuireClient(settings, {
    fetch: (input, init) => fetch(input, init),
    onPort: (port) => saveSettings({ port }),
  });
}

/** "Chromium 131 on Linux": how this browser is listed among the app's paired clients. */
export function clientName(): string {
  const ua = navigator.userAgent;
  const browserName =
    ua.match(/Firefox\/(\d+)/) ? `Firefox ${RegExp.$1}` :
    ua.match(/Edg\/(\d+)/) ? `Edge ${RegExp.$1}` :
    ua.match(/OPR\/(\d+)/) ? `Opera ${RegExp.$1}` :
    ua.match(/Chrom(?:e|ium)\/(\d+)/) ? `Chromium ${RegExp.$1}` : "A browser";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /Linux|X11/.test(ua) ? "Linux" : "another system";
  return `${browserName} on ${os}`;
}
