import { describe, expect, it } from "vitest";
import { addTag, cleanTag, suggestTags } from "../src/tags";

const library = [
  { name: "NATO accession", articles: 5, highlights: 12 },
  { name: "NATO accession/Finland", articles: 2, highlights: 3 },
  { name: "Research/NATO", articles: 1, highlights: 0 },
  { name: "Kremlin", articles: 3, highlights: 4 },
  { name: "security guarantees", articles: 1, highlights: 2 },
];

describe("tag suggestions", () => {
  it("offers tags starting with the typed text (also at a / level) before those containing it", () => {
    expect(suggestTags(library, "nato", []).map((t) => t.name)).toEqual(["NATO accession", "NATO accession/Finland", "Research/NATO"]);
    expect(suggestTags(library, "fin", []).map((t) => t.name)).toEqual(["NATO accession/Finland"]);
    expect(suggestTags(library, "ssion", []).map((t) => t.name)).toEqual(["NATO accession", "NATO accession/Finland"]);
  });

  it("leaves out chosen tags, offers the most used for an empty query, and respects the limit", () => {
    expect(suggestTags(library, "", ["nato accession"], 2).map((t) => t.name)).toEqual(["Kremlin", "NATO accession/Finland"]);
    expect(suggestTags(library, "zzz", [])).toEqual([]);
  });

  it("cleans typed tags and does not add one twice", () => {
    expect(cleanTag("  NATO   accession / Finland ")).toBe("NATO accession/Finland");
    expect(cleanTag(" / ")).toBe("");
    expect(addTag(["Kremlin"], "kremlin")).toEqual(["Kremlin"]);
    expect(addTag(["Kremlin"], "  ")).toEqual(["Kremlin"]);
    expect(addTag(["Kremlin"], "NATO")).toEqual(["Kremlin", "NATO"]);
  });
});
