import { describe, expect, it } from "vitest";
import { asYouType, buildQuery, hasSearchText, tagTerm } from "./query";

describe("asYouType", () => {
  it("turns the word being typed into a prefix", () => {
    expect(asYouType("alli")).toBe("alli*");
    expect(asYouType("security guar")).toBe("security guar*");
    expect(asYouType("Київ")).toBe("Київ*");
  });
  it("leaves finished words, phrases, exclusions and filters alone", () => {
    expect(asYouType("allies ")).toBe("allies");
    expect(asYouType('"security guarantees"')).toBe('"security guarantees"');
    expect(asYouType('"security guar')).toBe('"security guar');
    expect(asYouType("-kremlin")).toBe("-kremlin");
    expect(asYouType("tag:NATO")).toBe("tag:NATO");
    expect(asYouType("nato*")).toBe("nato*");
    expect(asYouType("e.g")).toBe("e.g");
    expect(asYouType("a")).toBe("a");
    expect(asYouType("nato a")).toBe("nato a");
    expect(asYouType("   ")).toBe("");
  });
});

describe("buildQuery", () => {
  it("adds the sidebar's filters to the typed words", () => {
    expect(buildQuery("allies", { tag: "NATO accession", status: "unread", favorite: true })).toBe(
      'allies* tag:"NATO accession" is:unread is:favorite',
    );
    expect(buildQuery("", { tag: "Ukraine" })).toBe("tag:Ukraine");
    expect(buildQuery("allies ", {})).toBe("allies");
  });
  it("quotes tags with spaces and drops quotes inside them", () => {
    expect(tagTerm('Say "hi" there')).toBe('tag:"Say hi there"');
    expect(tagTerm("Europe/Finland")).toBe("tag:Europe/Finland");
  });
  it("knows when there is something to search for", () => {
    expect(hasSearchText('  "" ')).toBe(false);
    expect(hasSearchText("a")).toBe(true);
  });
});
