/**
 * The client of Quire's local endpoint (API v1, see the project's endpoint-api.md): pairing,
 * port discovery over 47711..47715, and every failure turned into plain words.
 *
 * Pure: it takes `fetch` and the settings, and reports a port change through a callback, so
 * it runs the same in the background, the options page and the unit tests.
 */

export const DEFAULT_PORT = 47711;
export const PORTS: readonly number[] = [47711, 47712, 47713, 47714, 47715];
/** The endpoint's body limit for pages and highlights (50 MiB). */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

export type Color = "yellow" | "green" | "blue" | "pink" | "purple";
export const COLORS: readonly Color[] = ["yellow", "green", "blue", "pink", "purple"];

export interface Image {
  url: string;
  mime: string;
  data_base64: string;
}

export interface PageBody {
  url: string;
  html: string;
  title?: string;
  language?: string;
  images?: Image[];
  tags?: string[];
}

export interface HighlightBody {
  url: string;
  html?: string;
  title?: string;
  language?: string;
  images?: Image[];
  selector: { exact: string; prefix?: string; suffix?: string };
  color?: Color;
  note?: string;
  tags?: string[];
}

export interface Status {
  api: number;
  version: string;
  articles: number;
}

export interface SavedPage {
  id: number;
  title: string;
  duplicate: boolean;
}

export interface SavedHighlight {
  article_id: number;
  highlight_id: number;
  anchor: "exact" | "fuzzy" | "orphan";
  page_saved: boolean;
}

export interface TagInfo {
  name: string;
  articles: number;
  highlights: number;
}

export type ErrorKind =
  | "not-paired"
  | "not-running"
  | "unauthorized"
  | "bad-code"
  | "too-large"
  | "rate-limited"
  | "refused"
  | "rejected"
  | "not-found"
  | "unexpected";

/** A failure, with a message for the user in plain words. */
export class QuireError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "QuireError";
  }
}

export const MESSAGES = {
  notPaired:
    "This browser is not paired with Quire yet. Open the extension's options and enter the pairing code that the Quire app's settings or `quire pair` show.",
  notRunning:
    "Quire is not running, or its connection for the browser is off. Start the Quire app (or run `quire serve`) and try again.",
  unauthorized:
    "Quire no longer accepts this browser (its access was revoked, or this is another library). Pair again in the extension's options.",
  badCode:
    "Quire did not accept this pairing code: it may be mistyped, already used, or older than 10 minutes. Get a new one in the Quire app's settings or with `quire pair`.",
  tooLarge: "This page is too large to send to Quire (over 50 MB).",
  rateLimited: "Too many requests to Quire at once. Wait a few seconds and try again.",
  refused:
    "Quire refused the request from this browser. Check that the port in the extension's options is Quire's and that nothing else is listening on it.",
  badRequest:
    "Quire could not read what the extension sent. This is a bug in the extension; please report it.",
} as const;

export interface Settings {
  token: string | undefined;
  port: number;
}

export interface ClientOptions {
  fetch: typeof fetch;
  /** Called when discovery finds Quire on another port than the stored one. */
  onPort?: (port: number) => void | Promise<void>;
  /** Milliseconds a probe (status, pairing) may take. */
  probeTimeoutMs?: number;
}

/** "k7qf 3m9d" → "K7QF-3M9D"; the endpoint accepts either form, this is what is shown back. */
export function normalizeCode(code: string): string {
  const c = code.toUpperCase().replace(/[^0-9A-Z]/g, "");
  return c.length === 8 ? `${c.slice(0, 4)}-${c.slice(4)}` : c;
}

function ordered(first: number): number[] {
  return [first, ...PORTS.filter((p) => p !== first)];
}

type Reply = { kind: "response"; response: Response } | { kind: "unreachable" };

export class QuireClient {
  private readonly fetchFn: typeof fetch;

  constructor(
    private settings: Settings,
    private readonly options: ClientOptions,
  ) {
    // Called unbound: `fetch` must not be invoked as a method of the options object.
    const f = options.fetch;
    this.fetchFn = (input, init) => f(input, init);
  }

  get port(): number {
    return this.settings.port;
  }

  private async send(port: number, method: string, path: string, body?: unknown, timeoutMs?: number): Promise<Reply> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.settings.token && path !== "/v1/pair") headers.Authorization = `Bearer ${this.settings.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    try {
      const response = await this.fetchFn(`http://127.0.0.1:${port}${path}`, {
        method,
        headers,
        body: payload,
        credentials: "omit",
        cache: "no-store",
        redirect: "error",
        signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
      });
      return { kind: "response", response };
    } catch {
      return { kind: "unreachable" };
    }
  }

  /** Finds the port where Quire accepts our token (stored port first). */
  private async discover(skip?: number): Promise<{ port: number } | { unauthorized: boolean }> {
    let unauthorized = false;
    for (const port of ordered(this.settings.port)) {
      if (port === skip) continue;
      const reply = await this.send(port, "GET", "/v1/status", undefined, this.options.probeTimeoutMs ?? 3000);
      if (reply.kind === "unreachable") continue;
      if (reply.response.ok) {
        await this.usePort(port);
        return { port };
      }
      if (reply.response.status === 401) unauthorized = true;
    }
    return { unauthorized };
  }

  private async usePort(port: number): Promise<void> {
    if (port !== this.settings.port) {
      this.settings = { ...this.settings, port };
      await this.options.onPort?.(port);
    }
  }

  /** An authenticated call; finds Quire on another port when the stored one does not answer or refuses the token. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.settings.token) throw new QuireError("not-paired", MESSAGES.notPaired);
    let reply = await this.send(this.settings.port, method, path, body);
    if (reply.kind === "unreachable" || reply.response.status === 401) {
      const tried = this.settings.port;
      const firstUnauthorized = reply.kind === "response";
      const found = await this.discover(tried);
      if ("port" in found) {
        reply = await this.send(found.port, method, path, body);
      } else if (firstUnauthorized || found.unauthorized) {
        throw new QuireError("unauthorized", MESSAGES.unauthorized, 401);
      } else {
        throw new QuireError("not-running", MESSAGES.notRunning);
      }
    }
    if (reply.kind === "unreachable") throw new QuireError("not-running", MESSAGES.notRunning);
    return (await parse(reply.response)) as T;
  }

  /** Exchanges a pairing code for a token, trying the stored port first, then the others. */
  async pair(code: string, client: string): Promise<{ token: string; port: number }> {
    const normalized = normalizeCode(code);
    if (!/^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(normalized)) {
      throw new QuireError("bad-code", "A pairing code has 8 letters and digits, like K7QF-3M9D.");
    }
    let refused = false;
    let reached = false;
    for (const port of ordered(this.settings.port)) {
      const reply = await this.send(port, "POST", "/v1/pair", { code: normalized, client }, this.options.probeTimeoutMs ?? 3000);
      if (reply.kind === "unreachable") continue;
      reached = true;
      const r = reply.response;
      if (r.ok) {
        const json = (await parse(r)) as { token?: unknown };
        if (typeof json.token !== "string" || json.token.length < 20) {
          throw new QuireError("unexpected", "The program on this port answered, but not like Quire. Check the port.");
        }
        this.settings = { token: json.token, port };
        await this.options.onPort?.(port);
        return { token: json.token, port };
      }
      if (r.status === 401) refused = true;
      // 429 (too many attempts) means this is Quire; do not try the code elsewhere.
      if (r.status === 429) throw new QuireError("rate-limited", MESSAGES.rateLimited, 429);
    }
    if (refused) throw new QuireError("bad-code", MESSAGES.badCode, 401);
    if (reached) throw new QuireError("refused", MESSAGES.refused);
    throw new QuireError("not-running", MESSAGES.notRunning);
  }

  status(): Promise<Status> {
    return this.call<Status>("GET", "/v1/status");
  }

  savePage(body: PageBody): Promise<SavedPage> {
    return this.call<SavedPage>("POST", "/v1/pages", body);
  }

  saveHighlight(body: HighlightBody): Promise<SavedHighlight> {
    return this.call<SavedHighlight>("POST", "/v1/highlights", body);
  }

  async tags(): Promise<TagInfo[]> {
    const r = await this.call<{ tags?: TagInfo[] }>("GET", "/v1/tags");
    return Array.isArray(r.tags) ? r.tags : [];
  }
}

/** The JSON of a successful response, or the failure in plain words. */
async function parse(r: Response): Promise<unknown> {
  if (r.ok) {
    try {
      return await r.json();
    } catch {
      throw new QuireError("unexpected", "Quire's answer could not be read. Check that the port in the options is Quire's.", r.status);
    }
  }
  let serverMessage = "";
  try {
    const text = await r.text();
    if (text) {
      const json = JSON.parse(text) as { error?: unknown };
      if (typeof json.error === "string") serverMessage = json.error;
    }
  } catch {
    // No body or not JSON: the status code says it all.
  }
  switch (r.status) {
    case 401:
      throw new QuireError("unauthorized", MESSAGES.unauthorized, 401);
    case 403:
      throw new QuireError("refused", MESSAGES.refused, 403);
    case 404:
      throw new QuireError("not-found", serverMessage || "Quire does not know this request; it may be an older version. Update Quire.", 404);
    case 413:
      throw new QuireError("too-large", MESSAGES.tooLarge, 413);
    case 429:
      throw new QuireError("rate-limited", MESSAGES.rateLimited, 429);
    case 400:
    case 415:
      throw new QuireError("unexpected", MESSAGES.badRequest, r.status);
    case 422:
      throw new QuireError("rejected", serverMessage || "Quire could not save this page.", 422);
    default:
      throw new QuireError("unexpected", serverMessage || `Quire answered with an error (HTTP ${r.status}). Try again; if it persists, check Quire.`, r.status);
  }
}

/** The size `body` will have on the wire, in bytes (UTF-8). */
export function jsonSize(body: unknown): number {
  return new TextEncoder().encode(JSON.stringify(body)).length;
}

/**
 * Drops images from the end until the body fits the endpoint's limit; throws when even the
 * page alone is too large. Returns how many images were dropped.
 */
export function fitBody<T extends { images?: Image[] }>(body: T, limit: number = MAX_BODY_BYTES): number {
  const images = body.images ?? [];
  let size = jsonSize({ ...body, images: [] });
  if (size > limit) throw new QuireError("too-large", MESSAGES.tooLarge);
  let kept = 0;
  for (const image of images) {
    const add = jsonSize(image) + 1;
    if (size + add > limit) break;
    size += add;
    kept++;
  }
  const dropped = images.length - kept;
  if (body.images) body.images = images.slice(0, kept);
  return dropped;
}
