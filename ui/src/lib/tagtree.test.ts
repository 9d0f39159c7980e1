import { describe, expect, it } from "vitest";
import { buildTagTree, suggestTags, visibleTags } from "./tagtree";

const tag = (name: string, articles = 1, highlights = 0) => ({ name, articles, highlights, explicit: true });

describe("buildTagTree", () => {
  it("nests sub-tags under their parents, sorted", () => {
    const tree = buildTagTree([tag("NATO/Sweden"), tag("Ukraine"), tag("NATO", 3, 2), tag("nato/Finland"), tag("Kremlin")]);
    expect(tree.map((n) => n.label)).toEqual(["Kremlin", "NATO", "Ukraine"]);
    expect(tree[1].children.map((n) => n.name)).toEqual(["nato/Finland", "NATO/Sweden"]);
    expect(tree[1].articles).toBe(3);
  });
  it("hides the children of collapsed tags", () => {
    const tree = buildTagTree([tag("A"), tag("A/B"), tag("A/B/C"), tag("D")]);
    expect(visibleTags(tree, new Set()).map((r) => `${r.depth}:${r.node.label}`)).toEqual(["0:A", "1:B", "2:C", "0:D"]);
    expect(visibleTags(tree, new Set(["a/b"])).map((r) => r.node.label)).toEqual(["A", "B", "D"]);
  });
});

describe("suggestTags", () => {
  it("offers prefix matches first and skips tags already chosen", () => {
    const all = ["NATO accession", "Kremlin", "security guarantees", "NATO/Finland", "Zelensky"];
    expect(suggestTags(all, "nat", [])).toEqual(["NATO accession", "NATO/Finland"]);
    expect(suggestTags(all, "s", ["security guarantees"])).toEqual(["NATO accession", "Zelensky"]);
    expect(suggestTags(all, "", [], 2)).toEqual(["Kremlin", "NATO accession"]);
  });
});
