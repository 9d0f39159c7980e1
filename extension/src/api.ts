/**
 * The client of Quire's local endpoint (API v1, see the project's endpoint-api.md): pairing,
 * port discovery over 47711..47715, and every failure turned into plain words.
 *
 * Another program may listen on one of Quire's ports (another user of the computer, while
 * Quire is closed or on a fallback port). So the token, and every page, go only to a port
 * whose server has first proved that it holds the token, for that port: `POST /v1/hello` with
 * the token's id and a fresh nonce, answered by HMAC-SHA256(key = SHA-256(token),
 * "quire-endpoint-v1" || nonce || port), which a squatter cannot compute and a relay to Quire
 * on another port gets wrong. Pairing goes straight to the port the code names (its last
 * letter), never to whatever answers first.
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
  notProven:
    "No program on ports 47711 to 47715 proved that it is your Quire, so nothing was sent. If Quire is running, this browser's pairing may have been revoked: pair again in the extension's options. If Quire shows a warning that another program is on its port, that program is not Quire.",
  pairAgain:
    "This browser was paired with an older version of the extension. Pair it again in the extension's options (get a new code from Quire): the extension now checks that it talks to your Quire before sending anything.",
  otherPort:
    "This code is for Quire on a port of its own: type that port (Quire shows it next to the code) in the Port field, then Pair.",
  badRequest:
    "Quire could not read what the extension sent. This is a bug in the extension; please report it.",
} as const;

export interface Settings {
  token: string | undefined;
  /** The token's id in Quire's library: what `POST /v1/hello` names. */
  tokenId: number | undefined;
  port: number;
}

/** How long a port whose server proved itself is trusted without a new hello. */
export const VERIFIED_FOR_MS = 30_000;

/** The last port proved, for this token (kept while the service worker or page lives). */
let verified: { token: string; port: number; at: number } | undefined;

/** Forgets the proved port (tests; unpairing). */
export function forgetVerifiedPort(): void {
  verified = undefined;
}

export interface ClientOptions {
  fetch: typeof fetch;
  /** Called when discovery finds Quire on another port than the stored one. */
  onPort?: (port: number) => void | Promise<void>;
  /** Milliseconds a probe (status, pairing) may take. */
  probeTimeoutMs?: number;
}

/** The letters of a pairing code (no 0/O, 1/I/L, U or V/W look-alikes). */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTXYZ";

/**
 * The port a pairing code is for: its last letter is CODE_ALPHABET[7 * r + m], m 0..4 for
 * 47711..47715 and 5 for "another port" (which the user types); null when it is no code.
 */
export function codePort(code: string): { port: number } | { other: true } | null {
  const c = code.toUpperCase().replace(/[^0-9A-Z]/g, "");
  if (c.length !== 8 || [...c].some((ch) => !CODE_ALPHABET.includes(ch))) return null;
  const marker = CODE_ALPHABET.indexOf(c.charAt(7)) % 7;
  if (marker < 5) return { port: DEFAULT_PORT + marker };
  return marker === 5 ? { other: true } : null;
}

const HELLO_CONTEXT = new TextEncoder().encode("quire-endpoint-v1");

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The proof a real Quire on `port` answers to `nonce` for `token`. */
export async function expectedProof(token: string, nonce: Uint8Array, port: number): Promise<string> {
  const key = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  const hmacKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const message = new Uint8Array(HELLO_CONTEXT.length + nonce.length + 2);
  message.set(HELLO_CONTEXT, 0);
  message.set(nonce, HELLO_CONTEXT.length);
  new DataView(message.buffer).setUint16(HELLO_CONTEXT.length + nonce.length, port, false);
  return hex(new Uint8Array(await crypto.subtle.sign("HMAC", hmacKey, message)));
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

  private async send(
    port: number,
    method: string,
    path: string,
    body?: unknown,
    timeoutMs?: number,
    withToken = true,
  ): Promise<Reply> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (withToken && this.settings.token) headers.Authorization = `Bearer ${this.settings.token}`;
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

  /**
   * Asks the server on `port` to prove that it holds our token, for that port; sends neither
   * the token nor anything else. "proven", "wrong" (it answered, but without the proof: not
   * our Quire, or the token was revoked) or "unreachable".
   */
  async hello(port: number, token = this.settings.token, tokenId = this.settings.tokenId): Promise<"proven" | "wrong" | "unreachable"> {
    if (!token || tokenId === undefined) return "wrong";
    const nonce = crypto.getRandomValues(new Uint8Array(32));
    const reply = await this.send(port, "POST", "/v1/hello", { token_id: tokenId, nonce: hex(nonce) }, this.options.probeTimeoutMs ?? 3000, false);
    if (reply.kind === "unreachable") return "unreachable";
    if (!reply.response.ok) return "wrong";
    let proof: unknown;
    try {
      proof = ((await reply.response.json()) as { proof?: unknown }).proof;
    } catch {
      return "wrong";
    }
    if (typeof proof !== "string") return "wrong";
    return proof.toLowerCase() === (await expectedProof(token, nonce, port)) ? "proven" : "wrong";
  }

  /** The port where a server proved that it is our Quire: the one proved lately, else the stored one, then 47711..47715. */
  private async provenPort(skip?: number): Promise<number> {
    const token = this.settings.token as string;
    if (verified && verified.token === token && verified.port !== skip && Date.now() - verified.at < VERIFIED_FOR_MS) {
      return verified.port;
    }
    verified = undefined;
    let answered = false;
    for (const port of ordered(this.settings.port)) {
      if (port === skip) continue;
      const result = await this.hello(port);
      if (result === "proven") {
        verified = { token, port, at: Date.now() };
        await this.usePort(port);
        return port;
      }
      if (result === "wrong") answered = true;
    }
    if (answered) throw new QuireError("unauthorized", MESSAGES.notProven, 401);
    throw new QuireError("not-running", MESSAGES.notRunning);
  }

  private async usePort(port: number): Promise<void> {
    if (port !== this.settings.port) {
      this.settings = { ...this.settings, port };
      await this.options.onPort?.(port);
    }
  }

  /**
   * An authenticated call, sent only to a port whose server proved that it is our Quire; when
   * that port stops answering, Quire is looked for again (with hello) before one retry.
   */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.settings.token) throw new QuireError("not-paired", MESSAGES.notPaired);
    if (this.settings.tokenId === undefined) throw new QuireError("not-paired", MESSAGES.pairAgain);
    let port = await this.provenPort();
    let reply = await this.send(port, method, path, body);
    if (reply.kind === "unreachable") {
      verified = undefined;
      port = await this.provenPort();
      reply = await this.send(port, method, path, body);
    }
    if (reply.kind === "unreachable") {
      verified = undefined;
      throw new QuireError("not-running", MESSAGES.notRunning);
    }
    if (reply.response.status === 401) verified = undefined;
    return (await parse(reply.response)) as T;
  }

  /**
   * Exchanges a pairing code for a token at the port the code names (or, for a code of
   * "another port", the port set in the options), and only there; then checks, with hello,
   * that the server holds the token it gave, before anything else is sent.
   */
  async pair(code: string, client: string): Promise<{ token: string; tokenId: number; port: number }> {
    const normalized = normalizeCode(code);
    const where = codePort(normalized);
    if (!/^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(normalized) || where === null) {
      throw new QuireError("bad-code", "A pairing code has 8 letters and digits, like K7QF-3M9D.");
    }
    if ("other" in where && PORTS.includes(this.settings.port)) throw new QuireError("bad-code", MESSAGES.otherPort);
    const port = "port" in where ? where.port : this.settings.port;
    const reply = await this.send(port, "POST", "/v1/pair", { code: normalized, client }, this.options.probeTimeoutMs ?? 3000, false);
    if (reply.kind === "unreachable") throw new QuireError("not-running", MESSAGES.notRunning);
    const r = reply.response;
    if (r.status === 401) throw new QuireError("bad-code", MESSAGES.badCode, 401);
    if (r.status === 429) throw new QuireError("rate-limited", MESSAGES.rateLimited, 429);
    if (!r.ok) throw new QuireError("refused", MESSAGES.refused, r.status);
    const json = (await parse(r)) as { token?: unknown; token_id?: unknown };
    if (typeof json.token !== "string" || json.token.length < 20 || typeof json.token_id !== "number") {
      throw new QuireError("unexpected", `The program on port ${port} answered, but not like Quire. Check the port.`);
    }
    if ((await this.hello(port, json.token, json.token_id)) !== "proven") {
      throw new QuireError("unexpected", `The program on port ${port} did not prove that it is Quire; nothing else was sent to it.`);
    }
    this.settings = { token: json.token, tokenId: json.token_id, port };
    verified = { token: json.token, port, at: Date.now() };
    await this.options.onPort?.(port);
    return { token: json.token, tokenId: json.token_id, port };
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
