import { describe, expect, it } from "vitest";
import { hasSearchText } from "./query";

// The query language and the as-you-type prefix are the library's (crates/quire/src/search.rs,
// tested there); the UI only decides whether there is anything to search for.
describe("hasSearchText", () => {
  it("knows when there is something to search for", () => {
    expect(hasSearchText('  "" ')).toBe(false);
    expect(hasSearchText("")).toBe(false);
    expect(hasSearchText("a")).toBe(true);
    expect(hasSearchText('"security guar')).toBe(true);
  });
});
