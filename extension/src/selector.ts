/**
 * Selection → W3C TextQuoteSelector, from the page's text as it is rendered.
 *
 * The selector is anchored by Quire in the text it extracts from the page (`quire-anchor`),
 * which is whitespace-insensitive and drops what the extraction drops. So the text built here is:
 *
 * - the DOM's text, in document order, across elements, with open shadow roots walked where
 *   they render (their `<slot>`s replaced by the nodes assigned to them, else by their
 *   fallback content; light-DOM children assigned to no slot are not rendered, so skipped);
 * - without what is not rendered or what the extraction drops: elements that are not
 *   displayed (`display: none`, the `hidden` attribute), `aria-hidden="true"` subtrees (the
 *   extraction drops them, like Readability), text whose element has `visibility: hidden` or
 *   `collapse` (a visible child of such an element still counts), and `<script>`, `<style>`,
 *   `<noscript>`, `<template>`, form controls' contents and the like;
 * - with block boundaries (any `display` that is not inline-level: blocks, list items, table
 *   rows and cells…) and `<br>` as whitespace, and every run of whitespace collapsed to one
 *   space (the anchoring ignores whitespace differences, so `pre` text is collapsed too);
 * - not transformed by CSS (`text-transform`, `::before`/`::after` content): Quire matches the
 *   page's own characters.
 *
 * Context (prefix/suffix) is counted in Unicode code points, so an emoji or any other astral
 * character is one character and never cut in half.
 *
 * Layout questions (is this displayed? is it a block?) go through `RenderOptions`, so tests
 * can answer them without a layout engine; the defaults ask `getComputedStyle`.
 */

export interface TextQuoteSelector {
  exact: string;
  prefix: string;
  suffix: string;
}

/** The part of a DOM Range this needs (a Range or StaticRange). */
export interface RangeLike {
  startContainer: Node;
  startOffset: number;
  endContainer: Node;
  endOffset: number;
}

export interface RenderOptions {
  /** False when the element and its subtree are not rendered (display: none). */
  displayed?(el: Element): boolean;
  /** False when the element's own text is invisible (visibility: hidden | collapse). */
  visible?(el: Element): boolean;
  /** True when the element starts and ends a line (any non-inline display). */
  isBlock?(el: Element): boolean;
  /** The element's shadow root, open or (where the caller can reach it) closed. */
  shadowRootOf?(el: Element): ShadowRoot | null;
}

/** Characters of context on each side (code points). */
export const CONTEXT_CHARS = 32;

const SKIPPED = new Set([
  "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "TITLE", "META", "LINK",
  "TEXTAREA", "SELECT", "INPUT", "BUTTON", "OPTION", "IFRAME", "OBJECT", "EMBED",
  "CANVAS", "VIDEO", "AUDIO", "IMG", "PICTURE", "MAP",
]);

const BLOCK_TAGS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "BODY", "CAPTION", "CENTER", "DD", "DETAILS", "DIALOG",
  "DIR", "DIV", "DL", "DT", "FIELDSET", "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3",
  "H4", "H5", "H6", "HEADER", "HGROUP", "HR", "HTML", "LI", "MAIN", "MENU", "NAV", "OL", "P", "PRE",
  "SECTION", "SUMMARY", "TABLE", "TBODY", "TD", "TFOOT", "TH", "THEAD", "TR", "UL", "LEGEND",
]);

const WHITESPACE = /\s/;

function style(el: Element): CSSStyleDeclaration | null {
  const view = el.ownerDocument.defaultView;
  return view ? view.getComputedStyle(el) : null;
}

export const defaultRenderOptions: Required<RenderOptions> = {
  displayed(el) {
    if (el.hasAttribute("hidden")) return false;
    return style(el)?.display !== "none";
  },
  visible(el) {
    const v = style(el)?.visibility;
    return v !== "hidden" && v !== "collapse";
  },
  isBlock(el) {
    const d = style(el)?.display ?? "";
    if (!d) return BLOCK_TAGS.has(el.tagName.toUpperCase());
    return !d.startsWith("inline") && d !== "contents" && d !== "none" && !d.startsWith("ruby");
  },
  shadowRootOf(el) {
    return el.shadowRoot;
  },
};

interface Span {
  start: number;
  end: number;
}

/** The rendered text of a subtree, and where each DOM position falls in it. */
export class RenderedText {
  private parts: string[] = [];
  private length = 0;
  private pendingSpace = false;
  private readonly spans = new Map<Node, Span>();
  private readonly textMaps = new Map<Node, Uint32Array>();
  private readonly visibleCache = new Map<Element, boolean>();
  private readonly opts: Required<RenderOptions>;
  readonly text: string;

  constructor(root: Node, options: RenderOptions = {}) {
    this.opts = { ...defaultRenderOptions, ...options };
    this.walk(root);
    this.text = this.parts.join("");
  }

  private emit(c: string): void {
    if (this.pendingSpace && this.length > 0) {
      this.parts.push(" ");
      this.length += 1;
    }
    this.pendingSpace = false;
    this.parts.push(c);
    this.length += c.length;
  }

  private walk(node: Node): void {
    if (node.nodeType === 3 /* TEXT_NODE */ || node.nodeType === 4 /* CDATA */) {
      this.walkText(node as CharacterData);
      return;
    }
    const start = this.length;
    if (node.nodeType === 1 /* ELEMENT_NODE */) {
      const el = node as Element;
      if (!this.rendered(el)) {
        this.spans.set(node, { start, end: start });
        return;
      }
      const block = this.opts.isBlock(el);
      if (block || el.tagName.toUpperCase() === "BR") this.pendingSpace = true;
      this.spans.set(node, { start, end: start });
      for (const child of this.renderedChildren(el)) this.walk(child);
      if (block) this.pendingSpace = true;
      this.spans.set(node, { start, end: this.length });
      return;
    }
    if (node.nodeType === 9 /* DOCUMENT */ || node.nodeType === 11 /* FRAGMENT, SHADOW ROOT */) {
      for (const child of Array.from(node.childNodes)) this.walk(child);
    }
    this.spans.set(node, { start, end: this.length });
  }

  private rendered(el: Element): boolean {
    if (SKIPPED.has(el.tagName.toUpperCase())) return false;
    if (el.getAttribute("aria-hidden") === "true") return false;
    return this.opts.displayed(el);
  }

  private renderedChildren(el: Element): Node[] {
    const shadow = this.opts.shadowRootOf(el);
    if (shadow) {
      // The shadow tree is what renders; walk it through the root so positions in it resolve.
      return [shadow];
    }
    if (el.tagName.toUpperCase() === "SLOT" && "assignedNodes" in el) {
      const assigned = (el as HTMLSlotElement).assignedNodes();
      if (assigned.length > 0) return assigned;
    }
    return Array.from(el.childNodes);
  }

  private walkText(node: CharacterData): void {
    const data = node.data;
    const map = new Uint32Array(data.length + 1);
    const parent = node.parentElement;
    const visible = parent ? this.isVisible(parent) : true;
    for (let i = 0; i < data.length; i++) {
      map[i] = this.length;
      if (!visible) continue;
      const c = data[i]!;
      if (WHITESPACE.test(c)) {
        this.pendingSpace = true;
      } else {
        if (this.pendingSpace && this.length > 0) map[i] = this.length + 1;
        this.emit(c);
      }
    }
    map[data.length] = this.length;
    this.textMaps.set(node, map);
    this.spans.set(node, { start: map[0]!, end: this.length });
  }

  private isVisible(el: Element): boolean {
    let v = this.visibleCache.get(el);
    if (v === undefined) {
      v = this.opts.visible(el);
      this.visibleCache.set(el, v);
    }
    return v;
  }

  /** Where the DOM position (node, offset) falls in `text` (a UTF-16 index). */
  position(node: Node, offset: number, side: "start" | "end"): number {
    const map = this.textMaps.get(node);
    if (map) return map[Math.max(0, Math.min(offset, map.length - 1))]!;
    if (node.nodeType === 3 || node.nodeType === 4) return this.around(node, side);
    const children = node.childNodes;
    if (offset < children.length) {
      const child = children[offset]!;
      const span = this.spans.get(child);
      return span ? span.start : this.around(child, "start");
    }
    const span = this.spans.get(node);
    return span ? span.end : this.around(node, "end");
  }

  /** For a node that was not walked (inside a hidden subtree, or not slotted): the nearest walked ancestor. */
  private around(node: Node, side: "start" | "end"): number {
    let n: Node | null = node;
    while (n) {
      const span = this.spans.get(n);
      if (span) return side === "start" ? span.start : span.end;
      n = n.parentNode ?? (n as ShadowRoot).host ?? null;
    }
    return side === "start" ? 0 : this.text.length;
  }
}

/** The last `n` code points of `s`. */
function lastCodePoints(s: string, n: number): string {
  const cps = Array.from(s);
  return cps.slice(Math.max(0, cps.length - n)).join("");
}

/** The first `n` code points of `s`. */
function firstCodePoints(s: string, n: number): string {
  return Array.from(s).slice(0, n).join("");
}

/**
 * The quote selector of `range` within `root` (usually `document.body`), or null when the
 * range covers no rendered text.
 */
export function selectorFor(
  range: RangeLike,
  root: Node,
  options: RenderOptions = {},
  context: number = CONTEXT_CHARS,
): TextQuoteSelector | null {
  return selectorIn(new RenderedText(root, options), range, context);
}

export function selectorIn(rendered: RenderedText, range: RangeLike, context: number = CONTEXT_CHARS): TextQuoteSelector | null {
  const text = rendered.text;
  let start = rendered.position(range.startContainer, range.startOffset, "start");
  let end = rendered.position(range.endContainer, range.endOffset, "end");
  if (end < start) [start, end] = [end, start];
  while (start < end && text[start] === " ") start++;
  while (end > start && text[end - 1] === " ") end--;
  if (start >= end) return null;
  // Never split a surrogate pair at either end.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1))) start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end)) && isHighSurrogate(text.charCodeAt(end - 1))) end++;
  return {
    exact: text.slice(start, end),
    prefix: lastCodePoints(text.slice(0, start), context),
    suffix: firstCodePoints(text.slice(end), context),
  };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
