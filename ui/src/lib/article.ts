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

/** The highlights as ranges for the renderer. */
export function highlightRanges(view: ArticleView): HighlightRange[] {
  return view.highlights.map((h) => rangeOf(h));
}

function rangeOf(h: Highlight): HighlightRange {
  return { id: Number(h.id), start: h.position.start, end: h.position.end, color: h.color };
}

/** Highlights in reading order (outer before inner when they start together). */
export function orderedHighlights(view: ArticleView): Highlight[] {
  return [...view.highlights].sort((a, b) => compareRanges(rangeOf(a), rangeOf(b)));
}

export function blockText(block: Block): string {
  return block.spans.map((s) => s.text).join("");
}

export function listKind(block: Block): { ordered: boolean } | null {
  return block.kind.type === "list_item" ? { ordered: block.kind.ordered } : null;
}

/** Images the CSP lets the app show: bundled or inline ones. Remote images get a placeholder. */
export function isLocalImage(src: string): boolean {
  return src.startsWith("data:image/") || src.startsWith("asset:");
}
