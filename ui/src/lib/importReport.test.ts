import { describe, expect, it } from "vitest";
import type { ImportReport } from "../bindings";
import { notStarted, progressAfter, progressLine, reportCounts } from "./importReport";

const report = (change: Partial<ImportReport>): ImportReport => ({
  format: "omnivore",
  items: 0,
  added: [],
  already: [],
  link_only: [],
  highlights: { exact: 0, fuzzy: 0, orphaned: 0, already: 0 },
  orphans: [],
  skipped: [],
  cancelled: false,
  ...change,
});

describe("reportCounts", () => {
  it("counts link-only articles apart from those added with their text", () => {
    const r = report({
      added: [1, 2, 3].map((id) => ({ id, title: `A${id}` })),
      already: [{ id: 9, title: "Old" }],
      link_only: [{ id: 3, title: "A3", url: "https://example.org/", reason: "the server answered 404" }],
      highlights: { exact: 3, fuzzy: 1, orphaned: 1, already: 2 },
    });
    expect(reportCounts(r)).toEqual({
      articles: ["2 articles added", "1 already in your library", "1 article kept as a link"],
      highlights: [
        "5 highlights imported",
        "3 placed exactly",
        "1 placed where the text had changed",
        "1 not found in the text",
        "2 already there",
      ],
    });
  });
  it("says nothing was added rather than nothing at all", () => {
    expect(reportCounts(report({}))).toEqual({ articles: ["0 articles added"], highlights: ["0 highlights imported"] });
  });
  it("agrees in number", () => {
    const r = report({
      added: [{ id: 1, title: "A" }],
      link_only: [
        { id: 1, title: "A", url: null, reason: "no address" },
      ],
    });
    expect(reportCounts(r).articles).toEqual(["0 articles added", "1 article kept as a link"]);
    const two = report({
      added: [1, 2].map((id) => ({ id, title: "T" })),
      link_only: [1, 2].map((id) => ({ id, title: "T", url: null, reason: "r" })),
    });
    expect(reportCounts(two).articles).toEqual(["0 articles added", "2 articles kept as links"]);
  });
});

describe("progress", () => {
  it("follows the events", () => {
    let p = notStarted();
    expect(progressLine(p)).toBe("Reading the file…");
    p = progressAfter(p, { event: "started", total: 3 });
    expect(progressLine(p)).toBe("0 of 3");
    p = progressAfter(p, {
      event: "item",
      index: 1,
      name: "How Tides Work",
      outcome: { result: "added", id: 4, title: "How Tides Work", warnings: [] },
    });
    expect(p).toEqual({ total: 3, done: 1, current: "How Tides Work" });
    expect(progressLine(p)).toBe("1 of 3 — How Tides Work");
  });
});
