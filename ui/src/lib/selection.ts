/**
 * The reader's selection in canonical offsets. Every rendered span (and every highlight
 * segment inside it) is an element with `data-start`: the scalar offset of its first character
 * in the canonical text. A DOM point (text node + UTF-16 offset) maps to that element's start
 * plus the scalar length of the text before the point inside it.
 */
import { scalarLength } from "./segments";

/** The innermost element with `data-start` holding `node` (inside `root`). */
function startElement(node: Node, root: Node): HTMLElement | null {
  let el: Node | null = node.nodeType === Node.ELEMENT_NODE ? node : node.parentNode;
  while (el && el !== root) {
    if (el instanceof HTMLElement && el.dataset.start !== undefined) return el;
    el = el.parentNode;
  }
  return null;
}

/** Text nodes of `root` that belong to the article's text (inside a `data-start` element). */
function textNodes(root: Node): Text[] {
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const out: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (startElement(n, root)) out.push(n as Text);
  }
  return out;
}

/** Canonical offset of a point inside a text node of the article. */
function offsetInText(text: Text, utf16: number, root: Node): number {
  const el = startElement(text, root)!;
  let before = "";
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n && n !== text; n = walker.nextNode()) before += n.textContent ?? "";
  before += (text.textContent ?? "").slice(0, utf16);
  return Number(el.dataset.start) + scalarLength(before);
}

/**
 * Resolves a boundary point to a text node and offset: a point between elements moves to the
 * next text (for a start) or the previous text (for an end).
 */
function resolvePoint(container: Node, offset: number, nodes: Text[], edge: "start" | "end"): [Text, number] | null {
  if (container.nodeType === Node.TEXT_NODE && nodes.includes(container as Text)) {
    return [container as Text, offset];
  }
  // Compare document positions: the first text node at/after the point, or the last before it.
  const doc = container.ownerDocument!;
  const point = doc.createRange();
  point.setStart(container, Math.min(offset, container.childNodes.length || (container.textContent ?? "").length));
  point.collapse(true);
  if (edge === "start") {
    for (const n of nodes) {
      const r = doc.createRange();
      r.selectNodeContents(n);
      if (point.compareBoundaryPoints(Range.START_TO_END, r) < 0 || point.compareBoundaryPoints(Range.START_TO_START, r) <= 0) {
        const inside = point.compareBoundaryPoints(Range.START_TO_START, r) > 0;
        return [n, inside ? offset : 0];
      }
    }
    return null;
  }
  for (let i = nodes.length - 1; i >= 0; i--) {
    const r = doc.createRange();
    r.selectNodeContents(nodes[i]);
    if (point.compareBoundaryPoints(Range.END_TO_START, r) > 0 || point.compareBoundaryPoints(Range.END_TO_END, r) >= 0) {
      const inside = point.compareBoundaryPoints(Range.END_TO_END, r) < 0;
      return [nodes[i], inside ? offset : (nodes[i].textContent ?? "").length];
    }
  }
  return null;
}

/** `[start, end)` in canonical offsets of a DOM range inside `root`; null when it holds no text. */
export function rangeToOffsets(range: Range, root: Node): { start: number; end: number } | null {
  const nodes = textNodes(root).filter((n) => range.intersectsNode(n));
  if (nodes.length === 0) return null;
  const start = resolvePoint(range.startContainer, range.startOffset, nodes, "start");
  const end = resolvePoint(range.endContainer, range.endOffset, nodes, "end");
  if (!start || !end) return null;
  const s = offsetInText(start[0], start[1], root);
  const e = offsetInText(end[0], end[1], root);
  return e > s ? { start: s, end: e } : null;
}
