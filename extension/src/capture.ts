/**
 * What runs in the page (injected by the background with `scripting.executeScript`, only on
 * the user's command): the document as rendered, the images it uses fetched from the page's
 * own context (so images behind a login come along), and the selection as a quote selector.
 */

import type { Image } from "./api";
import { selectorFor, type RangeLike, type TextQuoteSelector } from "./selector";

export interface CaptureLimits {
  maxImages: number;
  maxImageBytes: number;
  maxTotalBytes: number;
  /** How long lazy images get to load once asked to. */
  lazyWaitMs: number;
  /** How long one image download may take. */
  imageTimeoutMs: number;
}

export const DEFAULT_LIMITS: CaptureLimits = {
  maxImages: 40,
  maxImageBytes: 5 * 1024 * 1024,
  maxTotalBytes: 25 * 1024 * 1024,
  lazyWaitMs: 2500,
  imageTimeoutMs: 15000,
};

export interface PageCapture {
  url: string;
  title: string;
  language: string | undefined;
  html: string;
  images: Image[];
  /** Images of the page not sent (over a limit, or not loadable from the page); Quire may still fetch public ones. */
  skippedImages: number;
}

export type SelectionCapture =
  | { ok: true; url: string; title: string; selector: TextQuoteSelector }
  | { ok: false; error: string };

/** Attributes lazy-loading scripts keep the real address in, best first. */
const LAZY_SRC = ["data-src", "data-lazy-src", "data-original", "data-hi-res-src", "data-url", "data-lazy", "data-echo"];
const LAZY_SRCSET = ["data-srcset", "data-lazy-srcset"];

/** A tiny inline image or nothing: what lazy-loading scripts put in `src` until the real one loads. */
export function isPlaceholder(src: string | null | undefined): boolean {
  if (!src) return true;
  const s = src.trim();
  if (s === "" || s === "about:blank" || s === "#") return true;
  return s.startsWith("data:") && s.length < 512;
}

/** The largest candidate of a srcset (by width, else density), resolved against `base`. */
export function bestSrcsetCandidate(srcset: string, base: string): string | null {
  let best: { url: string; score: number } | null = null;
  // Candidates are separated by commas followed by whitespace (URLs may contain commas).
  for (const part of srcset.split(/,\s+/)) {
    const [url, descriptor] = part.trim().split(/\s+/, 2);
    if (!url) continue;
    let score = 1;
    const m = descriptor?.match(/^(\d+(?:\.\d+)?)([wx])$/);
    if (m) score = m[2] === "w" ? Number(m[1]) : Number(m[1]) * 1000;
    if (!best || score > best.score) best = { url, score };
  }
  return best ? resolve(best.url, base) : null;
}

function resolve(url: string, base: string): string | null {
  try {
    return new URL(url, base).href;
  } catch {
    return null;
  }
}

/**
 * The address a reader would use for this image: what the browser loaded (`currentSrc`, which
 * honours srcset), unless that is a placeholder, then the lazy-loading attributes, then the
 * largest srcset candidate, then `src`.
 */
export function chosenImageUrl(img: HTMLImageElement, base: string): string | null {
  const current = img.currentSrc || img.getAttribute("src");
  const lowRes = img.complete && img.naturalWidth > 0 && img.naturalWidth < 64;
  if (current && !isPlaceholder(current) && !lowRes) return resolve(current, base);
  for (const attr of LAZY_SRC) {
    const v = img.getAttribute(attr);
    if (v && !isPlaceholder(v)) return resolve(v, base);
  }
  for (const attr of [...LAZY_SRCSET, "srcset"]) {
    const v = img.getAttribute(attr);
    if (v) {
      const best = bestSrcsetCandidate(v, base);
      if (best) return best;
    }
  }
  if (current && !isPlaceholder(current)) return resolve(current, base);
  return null;
}

/** Asks lazy images to load now, and waits (a bounded time) for them. */
export async function wakeLazyImages(doc: Document, waitMs: number): Promise<void> {
  const waiting: Promise<void>[] = [];
  for (const img of Array.from(doc.images)) {
    if (img.loading === "lazy" && !img.complete) {
      img.loading = "eager";
      waiting.push(
        new Promise<void>((done) => {
          img.addEventListener("load", () => done(), { once: true });
          img.addEventListener("error", () => done(), { once: true });
        }),
      );
    }
  }
  if (waiting.length === 0) return;
  await Promise.race([Promise.all(waiting), new Promise((r) => setTimeout(r, waitMs))]);
}

/** Executable scripts are of no use to a reader; JSON data (JSON-LD metadata) is kept. */
function isExecutableScript(script: Element): boolean {
  const type = (script.getAttribute("type") ?? "").trim().toLowerCase();
  return !type.includes("json");
}

/**
 * A copy of the document with every image pointing at the address chosen for it (absolute;
 * srcset, lazy attributes and `<picture>` sources removed so that Quire sees exactly the
 * address whose bytes are sent) and executable scripts removed. Returns the HTML and the
 * chosen addresses, in document order, with whether each image is likely part of the text.
 */
export function serializeDocument(doc: Document): { html: string; images: { url: string; important: boolean }[] } {
  const base = doc.baseURI;
  const live = Array.from(doc.querySelectorAll("img"));
  const choices = live.map((img) => chosenImageUrl(img, base));
  const clone = doc.documentElement.cloneNode(true) as HTMLElement;
  const copies = Array.from(clone.querySelectorAll("img"));
  copies.forEach((img, i) => {
    const url = choices[i];
    if (url) img.setAttribute("src", url);
    for (const attr of [...LAZY_SRC, ...LAZY_SRCSET, "srcset", "sizes", "loading"]) img.removeAttribute(attr);
  });
  for (const source of Array.from(clone.querySelectorAll("picture > source"))) source.remove();
  for (const script of Array.from(clone.querySelectorAll("script"))) {
    if (isExecutableScript(script)) script.remove();
  }
  const doctype = doc.doctype ? `<!DOCTYPE ${doc.doctype.name}>` : "<!DOCTYPE html>";
  const html = `${doctype}\n${clone.outerHTML}`;

  const main = doc.querySelector("article, main, [role=main], [itemprop=articleBody]");
  const images: { url: string; important: boolean }[] = [];
  const seen = new Set<string>();
  live.forEach((img, i) => {
    const url = choices[i];
    if (!url || seen.has(url) || !/^(https?|blob):/.test(url)) return;
    // Tracking pixels and icons are not part of the text.
    if (img.complete && img.naturalWidth > 0 && img.naturalWidth <= 2 && img.naturalHeight <= 2) return;
    seen.add(url);
    images.push({ url, important: main ? main.contains(img) : true });
  });
  return { html, images };
}

const MAGIC: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], "image/png"],
  [[0xff, 0xd8, 0xff], "image/jpeg"],
  [[0x47, 0x49, 0x46, 0x38], "image/gif"],
  [[0x52, 0x49, 0x46, 0x46], "image/webp"],
];

/** The image's MIME type from its header, else its first bytes; null when it is not an image. */
export function imageMime(contentType: string | null, bytes: Uint8Array): string | null {
  const declared = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (declared.startsWith("image/")) return declared;
  for (const [magic, mime] of MAGIC) {
    if (magic.every((b, i) => bytes[i] === b)) return mime;
  }
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart();
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg"))) return "image/svg+xml";
  if (bytes.length > 12 && String.fromCharCode(...bytes.subarray(4, 12)).startsWith("ftypavi")) return "image/avif";
  return null;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Downloads the images, article images first, within the limits; each with the page's
 * cookies. Returns the images in document order and how many were skipped.
 */
export async function fetchImages(
  candidates: { url: string; important: boolean }[],
  limits: CaptureLimits,
  fetcher: Fetcher,
): Promise<{ images: Image[]; skipped: number }> {
  const order = [...candidates.filter((c) => c.important), ...candidates.filter((c) => !c.important)];
  const wanted = order.slice(0, limits.maxImages);
  let skipped = candidates.length - wanted.length;
  let total = 0;
  const got = new Map<string, Image>();
  const queue = [...wanted];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const image = await fetchOne(next.url, limits, fetcher, () => limits.maxTotalBytes - total, (n) => {
        // Checked and counted in one step: the downloads run side by side.
        if (total + n > limits.maxTotalBytes) return false;
        total += n;
        return true;
      });
      if (image) {
        got.set(next.url, image.image);
      } else {
        skipped++;
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const images = candidates.map((c) => got.get(c.url)).filter((i): i is Image => i !== undefined);
  return { images, skipped };
}

async function fetchOne(
  url: string,
  limits: CaptureLimits,
  fetcher: Fetcher,
  room: () => number,
  reserve: (bytes: number) => boolean,
): Promise<{ image: Image; bytes: number } | null> {
  if (room() <= 0) return null;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), limits.imageTimeoutMs);
  try {
    const r = await fetcher(url, { credentials: "include", signal: abort.signal, cache: "force-cache" });
    if (!r.ok) return null;
    const declared = Number(r.headers.get("content-length") ?? "0");
    if (declared > limits.maxImageBytes || declared > room()) return null;
    const bytes = new Uint8Array(await r.arrayBuffer());
    if (bytes.length === 0 || bytes.length > limits.maxImageBytes) return null;
    const mime = imageMime(r.headers.get("content-type"), bytes);
    if (!mime || !reserve(bytes.length)) return null;
    return { image: { url, mime, data_base64: toBase64(bytes) }, bytes: bytes.length };
  } catch {
    // Refused by the site (CORS, network, timeout): Quire may still fetch it if it is public.
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** `fetch` as the page makes it (Firefox's content scripts have `content.fetch` for that). */
function pageFetch(): Fetcher {
  const page = (globalThis as { content?: { fetch?: Fetcher } }).content;
  if (page && typeof page.fetch === "function") {
    const f = page.fetch;
    return (url, init) => f.call(page, url, init);
  }
  return (url, init) => fetch(url, init);
}

export async function capturePage(limits: CaptureLimits = DEFAULT_LIMITS): Promise<PageCapture> {
  await wakeLazyImages(document, limits.lazyWaitMs);
  const { html, images: candidates } = serializeDocument(document);
  const { images, skipped } = await fetchImages(candidates, limits, pageFetch());
  const lang =
    document.documentElement.lang ||
    document.querySelector('meta[http-equiv="content-language" i]')?.getAttribute("content") ||
    undefined;
  return {
    url: location.href,
    title: document.title,
    language: lang?.trim() || undefined,
    html,
    images,
    skippedImages: skipped,
  };
}

/** The shadow root of an element, closed ones too where the browser lets extensions reach them. */
export function shadowRootOf(el: Element): ShadowRoot | null {
  if (el.shadowRoot) return el.shadowRoot;
  const firefox = (el as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
  if (firefox) return firefox;
  const chromeDom = (globalThis as { chrome?: { dom?: { openOrClosedShadowRoot?: (e: Element) => ShadowRoot | null } } }).chrome
    ?.dom;
  try {
    return chromeDom?.openOrClosedShadowRoot?.(el) ?? null;
  } catch {
    return null;
  }
}

function allShadowRoots(root: Document | ShadowRoot, out: ShadowRoot[] = []): ShadowRoot[] {
  for (const el of Array.from(root.querySelectorAll("*"))) {
    const shadow = shadowRootOf(el);
    if (shadow) {
      out.push(shadow);
      allShadowRoots(shadow, out);
    }
  }
  return out;
}

/** The selection's range, as a composed range when it lies in shadow trees. */
function selectionRange(sel: Selection): RangeLike | null {
  if (sel.rangeCount === 0 || sel.isCollapsed) return null;
  const composed = (sel as Selection & { getComposedRanges?: (...args: unknown[]) => StaticRange[] }).getComposedRanges;
  if (typeof composed === "function") {
    const roots = allShadowRoots(document);
    if (roots.length > 0) {
      for (const args of [[{ shadowRoots: roots }], roots]) {
        try {
          const ranges = composed.apply(sel, args);
          if (ranges[0] && !ranges[0].collapsed) return ranges[0];
        } catch {
          // Older signature; try the next.
        }
      }
    }
  }
  return sel.getRangeAt(0);
}

export function captureSelection(): SelectionCapture {
  const sel = window.getSelection();
  const range = sel ? selectionRange(sel) : null;
  if (!range) return { ok: false, error: "Select the text to highlight in the page first." };
  const selector = selectorFor(range, document.body ?? document.documentElement, { shadowRootOf });
  if (!selector) return { ok: false, error: "The selection has no visible text to highlight." };
  return { ok: true, url: location.href, title: document.title, selector };
}
