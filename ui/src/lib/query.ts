/**
 * Builds the search query the library runs from what the user typed and the sidebar's
 * filters, in Quire's query language (`crates/quire/src/search.rs`): words, "phrases",
 * prefix*, -excluded, tag:, site:, is:, has:.
 */

export interface ListFilters {
  tag?: string | null;
  status?: "unread" | "read" | "archived" | null;
  favorite?: boolean;
}

/** A tag filter term, quoted when the tag has spaces or quotes (inner quotes dropped). */
export function tagTerm(tag: string): string {
  const clean = tag.replace(/"/g, "").trim();
  return /\s/.test(clean) ? `tag:"${clean}"` : `tag:${clean}`;
}

/** True when the quotes of `text` are balanced (a phrase is not being typed). */
function quotesClosed(text: string): boolean {
  return (text.match(/"/g)?.length ?? 0) % 2 === 0;
}

/**
 * Results as you type: the last word, still being typed, matches as a prefix ("alli" finds
 * "allies"). Filters, phrases, exclusions and words followed by a space stay as typed.
 */
export function asYouType(text: string): string {
  if (!quotesClosed(text) || /\s$/.test(text)) return text.trim();
  const match = /(^|\s)([^\s"*:\-][^\s"*:]*)$/.exec(text);
  if (!match) return text.trim();
  const word = match[2];
  // Only letters and digits get a star: "NATO." or "e.g" stay as they are. One letter is
  // not a useful prefix (it matches nearly every article), so it waits for the next.
  if (!/^[\p{L}\p{N}]+$/u.test(word) || Array.from(word).length < 2) return text.trim();
  return `${text.trim()}*`;
}

/** The whole query: what was typed (as you type) plus the sidebar's filters. */
export function buildQuery(typed: string, filters: ListFilters): string {
  const parts: string[] = [];
  const text = asYouType(typed);
  if (text) parts.push(text);
  if (filters.tag) parts.push(tagTerm(filters.tag));
  if (filters.status) parts.push(`is:${filters.status}`);
  if (filters.favorite) parts.push("is:favorite");
  return parts.join(" ");
}

/** True when the user typed something worth searching for (filters alone list instead). */
export function hasSearchText(typed: string): boolean {
  return typed.replace(/"/g, "").trim().length > 0;
}
