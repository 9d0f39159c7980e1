import { describe, expect, it } from "vitest";
import {
  groupBlocks,
  scalarLength,
  scalarToUtf16,
  splitSpan,
  utf16ToScalar,
  type HighlightRange,
} from "./segments";

const hl = (id: number, start: number, end: number, color = "yellow"): HighlightRange => ({
  id,
  start,
  end,
  color,
});

/** Renders segments compactly: `text[ids]`. */
const show = (text: string, start: number, ranges: HighlightRange[]) =>
  splitSpan(text, start, ranges).map(
    (s) => `${s.start}:${s.text}[${s.highlights.map((h) => h.id).join(",")}]`,
  );

describe("offsets", () => {
  it("counts scalar values, not UTF-16 units", () => {
    expect(scalarLength("abc")).toBe(3);
    expect(scalarLength("a😀b")).toBe(3);
    expect("a😀b".length).toBe(4);
    expect(scalarLength("🇺🇦")).toBe(2); // a flag is two regional indicators
  });

  it("converts both ways around astral characters", () => {
    const text = "x😀y🇺🇦z";
    const pairs: [number, number][] = [
      [0, 0],
      [1, 1],
      [2, 3],
      [3, 4],
      [4, 6],
      [5, 8],
      [6, 9],
    // (six scalar values in all)
    ];
    for (const [scalar, utf16] of pairs) {
      expect(scalarToUtf16(text, scalar)).toBe(utf16);
      expect(utf16ToScalar(text, utf16)).toBe(scalar);
    }
    // Inside a surrogate pair: the pair is not yet reached.
    expect(utf16ToScalar(text, 2)).toBe(1);
    // Clamped past the end.
    expect(scalarToUtf16(text, 99)).toBe(text.length);
    expect(utf16ToScalar(text, 99)).toBe(6);
  });
});

describe("splitSpan", () => {
  it("leaves an unhighlighted span whole", () => {
    expect(show("plain text", 10, [])).toEqual(["10:plain text[]"]);
    expect(show("plain text", 10, [hl(1, 0, 10), hl(2, 20, 30)])).toEqual(["10:plain text[]"]);
  });

  it("cuts at boundaries inside the span", () => {
    expect(show("Hello brave world", 100, [hl(1, 106, 111)])).toEqual([
      "100:Hello []",
      "106:brave[1]",
      "111: world[]",
    ]);
  });

  it("keeps highlights that start before or end after the span", () => {
    expect(show("middle", 50, [hl(1, 40, 53), hl(2, 54, 80)])).toEqual([
      "50:mid[1]",
      "53:d[]",
      "54:le[2]",
    ]);
    expect(show("all of it", 0, [hl(7, 0, 9)])).toEqual(["0:all of it[7]"]);
  });

  it("nests overlapping highlights, earliest outermost", () => {
    // 1: [0,8) "abcdefgh", 2: [4,12) "efghijkl", 3: [5,6) "f" inside both.
    expect(show("abcdefghijklmn", 0, [hl(2, 4, 12), hl(1, 0, 8), hl(3, 5, 6)])).toEqual([
      "0:abcd[1]",
      "4:e[1,2]",
      "5:f[1,2,3]",
      "6:gh[1,2]",
      "8:ijkl[2]",
      "12:mn[]",
    ]);
  });

  it("puts the longer of two highlights with the same start outside", () => {
    expect(show("abcdef", 0, [hl(1, 0, 2), hl(2, 0, 4)])).toEqual(["0:ab[2,1]", "2:cd[2]", "4:ef[]"]);
  });

  it("ignores empty highlights", () => {
    expect(show("abc", 0, [hl(1, 1, 1)])).toEqual(["0:abc[]"]);
  });

  it("splits by scalar values around emoji and astral characters", () => {
    // Canonical text "Зеленський 🇺🇦 said 😀!" starting at 3; highlight the flag and "said 😀".
    const text = "Зеленський 🇺🇦 said 😀!";
    const flag = 3 + 11; // after "Зеленський "
    const segs = splitSpan(text, 3, [hl(1, flag, flag + 2), hl(2, flag + 3, flag + 9)]);
    expect(segs.map((s) => [s.start, s.text, s.highlights.map((h) => h.id)])).toEqual([
      [3, "Зеленський ", []],
      [flag, "🇺🇦", [1]],
      [flag + 2, " ", []],
      [flag + 3, "said 😀", [2]],
      [flag + 9, "!", []],
    ]);
    expect(segs.map((s) => s.text).join("")).toBe(text);
  });
});

describe("groupBlocks", () => {
  type B = { name: string; list?: boolean; ordered?: boolean };
  const kind = (b: B) => (b.list ? { ordered: !!b.ordered } : null);

  it("groups consecutive list items of the same kind", () => {
    const blocks: B[] = [
      { name: "p" },
      { name: "a", list: true },
      { name: "b", list: true },
      { name: "1", list: true, ordered: true },
      { name: "q" },
      { name: "c", list: true },
    ];
    const groups = groupBlocks(blocks, kind).map((g) =>
      g.type === "block" ? g.block.name : `${g.ordered ? "ol" : "ul"}(${g.items.map((i) => i.name).join("")})`,
    );
    expect(groups).toEqual(["p", "ul(ab)", "ol(1)", "q", "ul(c)"]);
  });
});
