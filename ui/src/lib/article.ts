/** Adapters from the generated wire types (../bindings) to what the screens display. */
import type { ArticleSummary, ArticleView, Block, Highlight, Status } from "../bindings";
import { compareRanges, type HighlightRange } from "./segments";
import { siteOf } from "./format";

type ArticleLike = Pick<ArticleSummary, "site_name" | "source_url" | "published_at" | "clipped_at">;

/** The site name, or the URL's host when the page did not name itself. */
export function articleSite(article: ArticleLike): string {
  return article.site_name || siteOf(article.source_url);
}

/** The date to show: when the article was published, else when it was clipped. */
export function articleDate(article: ArticleLike): string {
  return article.published_at || article.clipped_at || "";
}

const STATUS_LABELS: Record<Status, string> = {
  unread: "Unread",
  read: "Read",
  archived: "Archived",
};

export function statusLabel(status: Status): string {
  return STATUS_LABELS[status] ?? status;
}

/** Whether a highlight's quote is still in the article (orphans are listed, never drawn). */
export function isAnchored(h: Highlight): boolean {
  return h.anchor.kind !== "orphan";
}

/** The highlights as ranges for the renderer: anchored ones only. */
export function highlightRanges(view: ArticleView): HighlightRange[] {
  return view.highlights.filter(isAnchored).map((h) => rangeOf(h));
}

/** Highlights whose quote is no longer in the article's text. */
export function orphanHighlights(view: ArticleView): Highlight[] {
  return view.highlights.filter((h) => !isAnchored(h));
}

function rangeOf(h: Highlight): HighlightRange {
  return { id: Number(h.id), start: h.position.start, end: h.position.end, color: h.color };
}

/** Highlights in reading order (outer before inner when they start together). */
export function orderedHighlights(view: ArticleView): Highlight[] {
  return view.highlights.filter(isAnchored).sort((a, b) => compareRanges(rangeOf(a), rangeOf(b)));
}

export function blockText(block: Block): string {
  return block.spans.map((s) => s.text).join("");
}

export function listKind(block: Block): { ordered: boolean } | null {
  return block.kind.type === "list_item" ? { ordered: block.kind.ordered } : null;
}

/** Images the CSP lets the app show: copies stored in the library (`quire-image:<sha256>`) and
 * inline ones. Remote images (a download that failed) get a placeholder, never a request. */
export function isLocalImage(src: string): boolean {
  return src.startsWith("data:image/") || /^quire-image:[0-9a-f]{64}$/.test(src);
}

/** The webview address of an image: stored copies go through the `quire-image` protocol
 * (`quire-image://localhost/<hash>`, or `http://quire-image.localhost/<hash>` on Windows). */
export function imageUrl(src: string, windows: boolean): string {
  const hash = /^quire-image:([0-9a-f]{64})$/.exec(src)?.[1];
  if (hash === undefined) return src;
  return windows ? `http://quire-image.localhost/${hash}` : `quire-image://localhost/${hash}`;
}

/** What the highlight popover edits. */
export interface Draft {
  color: Highlight["color"];
  note: string;
  tags: string[];
}

/** The text of `[start, end)` (scalar offsets) of the canonical text built from the blocks. */
export function textBetween(blocks: Block[], start: number, end: number): string {
  let out = "";
  let previousEnd: number | null = null;
  for (const block of blocks) {
    if (block.end <= start || block.start >= end) continue;
    if (previousEnd !== null) out += "\n\n";
    previousEnd = block.end;
    for (const span of block.spans) {
      const chars = Array.from(span.text);
      const from = Math.max(start, span.start) - span.start;
      const to = Math.min(end, span.start + chars.length) - span.start;
      if (to > from) out += chars.slice(from, to).join("");
    }
  }
  return out;
}

/**
 * The article with one highlight added or replaced (by id): what the reader shows after adding,
 * editing or re-attaching one, without loading the article again. Kept in the library's order
 * (by position in the text).
 */
export function withHighlight(view: ArticleView, highlight: Highlight): ArticleView {
  const highlights = [...view.highlights.filter((h) => h.id !== highlight.id), highlight].sort(
    (a, b) => a.position.start - b.position.start || a.position.end - b.position.end || a.id - b.id,
  );
  return { ...view, highlights, highlight_count: highlights.length };
}

/** The article without a deleted highlight. */
export function withoutHighlight(view: ArticleView, id: number): ArticleView {
  const highlights = view.highlights.filter((h) => Number(h.id) !== id);
  return { ...view, highlights, highlight_count: highlights.length };
}
