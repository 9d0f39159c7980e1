/**
 * Pure text logic of the reader: offsets and the splitting of spans at highlight boundaries.
 *
 * Quire counts every offset in Unicode scalar values of the article's canonical text (what
 * `Array.from(str)` iterates), while the DOM counts UTF-16 code units. Nothing here touches
 * the DOM, so it is unit-tested in Node.
 */

/** A highlight resolved to `[start, end)` in scalar values of the canonical text. */
export interface HighlightRange {
  id: number;
  start: number;
  end: number;
  color: string;
  /** Being created (its popover is open): drawn dashed, not yet saved. */
  pending?: boolean;
}

/** A piece of a span covered by the same set of highlights. */
export interface Segment {
  text: string;
  /** Offset of the segment's first character in the canonical text (scalar values). */
  start: number;
  /**
   * The highlights covering the whole segment, outermost first: the one starting earliest
   * (the longest on a tie) wraps the others, so overlapping highlights render as nested marks.
   */
  highlights: HighlightRange[];
}

/** Length of `text` in Unicode scalar values. */
export function scalarLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** UTF-16 offset of the scalar offset `scalar` in `text` (clamped to the text). */
export function scalarToUtf16(text: string, scalar: number): number {
  let utf16 = 0;
  let seen = 0;
  for (const ch of text) {
    if (seen >= scalar) break;
    utf16 += ch.length;
    seen++;
  }
  return utf16;
}

/**
 * Scalar offset of the UTF-16 offset `utf16` in `text` (clamped to the text). An offset inside
 * a surrogate pair counts the whole pair as not yet reached.
 */
export function utf16ToScalar(text: string, utf16: number): number {
  let pos = 0;
  let scalar = 0;
  for (const ch of text) {
    if (pos + ch.length > utf16) break;
    pos += ch.length;
    scalar++;
  }
  return scalar;
}

/** Orders highlights so that the one opening first (and on a tie the longer) comes first. */
export function compareRanges(a: HighlightRange, b: HighlightRange): number {
  return a.start - b.start || b.end - a.end || a.id - b.id;
}

/**
 * Splits a span (its `text`, starting at canonical offset `start`) at every highlight boundary
 * that falls inside it. Empty highlights are ignored. The segments' texts concatenate back to
 * `text`, and `highlights` lists the ranges covering each segment.
 */
export function splitSpan(text: string, start: number, ranges: readonly HighlightRange[]): Segment[] {
  const chars = Array.from(text);
  const end = start + chars.length;
  const relevant = ranges
    .filter((r) => r.start < r.end && r.start < end && r.end > start)
    .sort(compareRanges);
  const cuts = new Set<number>([0, chars.length]);
  for (const r of relevant) {
    if (r.start > start) cuts.add(r.start - start);
    if (r.end < end) cuts.add(r.end - start);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    const from = start + a;
    const to = start + b;
    segments.push({
      text: chars.slice(a, b).join(""),
      start: from,
      highlights: relevant.filter((r) => r.start <= from && r.end >= to),
    });
  }
  return segments;
}

/** A run of consecutive blocks rendered together: list items share one list element. */
export type BlockGroup<B> =
  | { type: "block"; block: B }
  | { type: "list"; ordered: boolean; items: B[] };

/** Groups consecutive list items (as told by `listKind`) into lists, keeping order. */
export function groupBlocks<B>(
  blocks: readonly B[],
  listKind: (block: B) => { ordered: boolean } | null,
): BlockGroup<B>[] {
  const groups: BlockGroup<B>[] = [];
  for (const block of blocks) {
    const kind = listKind(block);
    const last = groups[groups.length - 1];
    if (kind === null) {
      groups.push({ type: "block", block });
    } else if (last?.type === "list" && last.ordered === kind.ordered) {
      last.items.push(block);
    } else {
      groups.push({ type: "list", ordered: kind.ordered, items: [block] });
    }
  }
  return groups;
}
