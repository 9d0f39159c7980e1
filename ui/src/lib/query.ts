/**
 * The sidebar's filters, and whether the search box holds something to search for. The
 * search itself goes to the library as a typed request (`SearchRequest`: the words as typed,
 * the filter apart), so Quire's query language (`crates/quire/src/search.rs`) parses only
 * what the user typed; the library also makes the word being typed a prefix.
 */

export interface ListFilters {
  tag?: string | null;
  status?: "unread" | "read" | "archived" | null;
  favorite?: boolean;
}

/** True when the user typed something worth searching for (filters alone list instead). */
export function hasSearchText(typed: string): boolean {
  return typed.replace(/"/g, "").trim().length > 0;
}
