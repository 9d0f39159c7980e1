/** The sidebar's tag hierarchy, built from the library's flat tag list ("NATO/Finland"). */
import type { TagCount } from "../bindings";

export interface TagNode {
  /** The full name, e.g. "NATO accession/Finland". */
  name: string;
  /** The last segment, shown in the tree. */
  label: string;
  articles: number;
  highlights: number;
  children: TagNode[];
}

/** Builds the tree; parents come before their children, siblings sorted case-insensitively. */
export function buildTagTree(tags: TagCount[]): TagNode[] {
  const byKey = new Map<string, TagNode>();
  const roots: TagNode[] = [];
  const sorted = [...tags].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  for (const tag of sorted) {
    const segments = tag.name.split("/");
    const node: TagNode = {
      name: tag.name,
      label: segments[segments.length - 1],
      articles: Number(tag.articles),
      highlights: Number(tag.highlights),
      children: [],
    };
    byKey.set(tag.name.toLowerCase(), node);
    const parent = segments.length > 1 ? byKey.get(segments.slice(0, -1).join("/").toLowerCase()) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** The visible rows of the tree given which nodes are collapsed, with their depth. */
export function visibleTags(roots: TagNode[], collapsed: Set<string>): { node: TagNode; depth: number }[] {
  const out: { node: TagNode; depth: number }[] = [];
  const walk = (nodes: TagNode[], depth: number) => {
    for (const node of nodes) {
      out.push({ node, depth });
      if (!collapsed.has(node.name.toLowerCase())) walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  return out;
}

/** Tag names for autocompletion: those containing what was typed, prefix matches first. */
export function suggestTags(all: string[], typed: string, taken: string[], limit = 8): string[] {
  const needle = typed.trim().toLowerCase();
  const takenKeys = new Set(taken.map((t) => t.toLowerCase()));
  const candidates = all.filter((t) => !takenKeys.has(t.toLowerCase()) && t.toLowerCase().includes(needle));
  candidates.sort((a, b) => {
    const pa = a.toLowerCase().startsWith(needle) ? 0 : 1;
    const pb = b.toLowerCase().startsWith(needle) ? 0 : 1;
    return pa - pb || a.localeCompare(b);
  });
  return candidates.slice(0, limit);
}
