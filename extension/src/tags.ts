/** Tag suggestions for the highlight popup: the library's tags that fit what is typed. */
import type { TagInfo } from "./api";

/**
 * Up to `limit` tags for `query`, leaving out those already chosen: tags whose name, or one of
 * whose `/` levels, starts with the query first, then those containing it; each group by how
 * much of the library uses the tag, then by name. An empty query offers the most used tags.
 */
export function suggestTags(tags: readonly TagInfo[], query: string, chosen: readonly string[], limit = 8): TagInfo[] {
  const q = query.trim().toLocaleLowerCase();
  const taken = new Set(chosen.map((t) => t.toLocaleLowerCase()));
  const scored: { tag: TagInfo; rank: number }[] = [];
  for (const tag of tags) {
    const name = tag.name.toLocaleLowerCase();
    if (taken.has(name)) continue;
    let rank: number;
    if (!q) rank = 0;
    else if (name.startsWith(q) || name.split("/").some((level) => level.trim().startsWith(q))) rank = 0;
    else if (name.includes(q)) rank = 1;
    else continue;
    scored.push({ tag, rank });
  }
  scored.sort(
    (a, b) =>
      a.rank - b.rank ||
      b.tag.articles + b.tag.highlights - (a.tag.articles + a.tag.highlights) ||
      a.tag.name.localeCompare(b.tag.name),
  );
  return scored.slice(0, limit).map((s) => s.tag);
}

/** A typed tag cleaned up: spaces around `/` levels trimmed, runs of spaces collapsed; "" when nothing is left. */
export function cleanTag(raw: string): string {
  return raw
    .split("/")
    .map((level) => level.trim().replace(/\s+/g, " "))
    .filter((level) => level !== "")
    .join("/");
}

/** Adds a tag unless it is empty or already there (case-insensitively). */
export function addTag(chosen: readonly string[], raw: string): string[] {
  const tag = cleanTag(raw);
  if (!tag || chosen.some((t) => t.toLocaleLowerCase() === tag.toLocaleLowerCase())) return [...chosen];
  return [...chosen, tag];
}
