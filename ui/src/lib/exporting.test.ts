import { describe, expect, it } from "vitest";
import { describeScope, firstFormat, FORMATS, reportLine } from "./exporting";

describe("export choices", () => {
  it("offers every format, starting with PDF", () => {
    expect(FORMATS.map((f) => f.id)).toEqual(["pdf", "md", "w3c", "csl", "bibtex", "csv", "archive"]);
    expect(firstFormat()).toBe("pdf");
  });
  it("says what is exported", () => {
    expect(describeScope({ kind: "article", id: 1 }, "Ukraine")).toBe("The article “Ukraine”");
    expect(describeScope({ kind: "tag", tag: "NATO accession" }, "x")).toBe("Every article on “NATO accession”");
    expect(describeScope({ kind: "search", query: "allies", filter: {} }, "x")).toBe("The articles found by “allies”");
    expect(describeScope({ kind: "library" }, "x")).toBe("Your whole library");
  });
  it("reports what was written in one line", () => {
    const open = { path: "/tmp/x", articles: 1, highlights: 4, files: 3 };
    expect(reportLine({ open, format: "md" })).toBe("1 article · 4 highlights · 3 files");
    expect(reportLine({ open, format: "csl" })).toBe("1 article · 4 highlights");
    const pdf = { path: "/tmp/x.pdf", articles: 1, highlights: 1, pages: 2, bytes: 100, warnings: [] };
    expect(reportLine({ pdf })).toBe("2 pages · 1 highlight · 1 KB");
  });
});
