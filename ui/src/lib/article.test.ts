import { describe, expect, it } from "vitest";
import type { ArticleView, Highlight } from "../bindings";
import { imageUrl, isLocalImage, withHighlight, withoutHighlight } from "./article";

const hash = "a".repeat(64);

describe("images", () => {
  it("shows only stored and inline images", () => {
    expect(isLocalImage(`quire-image:${hash}`)).toBe(true);
    expect(isLocalImage("data:image/png;base64,AAAA")).toBe(true);
    expect(isLocalImage("https://evil.example/track.gif")).toBe(false);
    expect(isLocalImage(`quire-image:${hash}/../x`)).toBe(false);
    expect(isLocalImage("quire-image:nothex")).toBe(false);
  });

  it("maps stored images to the quire-image protocol", () => {
    expect(imageUrl(`quire-image:${hash}`, false)).toBe(`quire-image://localhost/${hash}`);
    expect(imageUrl(`quire-image:${hash}`, true)).toBe(`http://quire-image.localhost/${hash}`);
    expect(imageUrl("data:image/png;base64,AAAA", false)).toBe("data:image/png;base64,AAAA");
  });
});

import { textBetween } from "./article";

describe("textBetween", () => {
  it("cuts the quote out of the blocks, joining blocks with a blank line", () => {
    const blocks = [
      { start: 0, end: 11, kind: { type: "paragraph" }, spans: [{ start: 0, text: "Alpha ", marks: null }, { start: 6, text: "beta😀", marks: null }] },
      { start: 13, end: 18, kind: { type: "paragraph" }, spans: [{ start: 13, text: "gamma", marks: null }] },
    ] as never;
    expect(textBetween(blocks, 2, 8)).toBe("pha be");
    expect(textBetween(blocks, 9, 15)).toBe("a😀\n\nga");
    expect(textBetween(blocks, 11, 13)).toBe("");
  });
});

function highlight(id: number, start: number, end: number, note = ""): Highlight {
  return {
    id,
    article_id: 1,
    quote: { exact: "x", prefix: "", suffix: "" },
    position: { start, end },
    text_version: 1,
    anchor: { kind: "exact" },
    color: "yellow",
    note,
    tags: [],
    created_at: "",
    updated_at: "",
  };
}

describe("highlights changed in the reader", () => {
  const view = { highlights: [highlight(1, 0, 5), highlight(2, 20, 30)], highlight_count: 2 } as unknown as ArticleView;

  it("takes a new highlight in text order", () => {
    const next = withHighlight(view, highlight(3, 10, 12));
    expect(next.highlights.map((h) => h.id)).toEqual([1, 3, 2]);
    expect(next.highlight_count).toBe(3);
    expect(view.highlights).toHaveLength(2);
  });

  it("replaces an edited or re-attached highlight", () => {
    const next = withHighlight(view, highlight(1, 40, 45, "moved"));
    expect(next.highlights.map((h) => [h.id, h.note])).toEqual([
      [2, ""],
      [1, "moved"],
    ]);
    expect(next.highlight_count).toBe(2);
  });

  it("drops a deleted highlight", () => {
    const next = withoutHighlight(view, 2);
    expect(next.highlights.map((h) => h.id)).toEqual([1]);
    expect(next.highlight_count).toBe(1);
  });
});
