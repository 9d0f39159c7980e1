import { describe, expect, it } from "vitest";
import { hasBidiControls, shortened, visibleAddress } from "./text";

describe("visibleAddress", () => {
  it("takes out what makes an address read as another", () => {
    // An RLO makes "https://evil.example/gro.elpmaxe" read as ending in "example.org".
    expect(visibleAddress("https://evil.example/\u202egro.elpmaxe\u202c")).toBe("https://evil.example/gro.elpmaxe");
    expect(visibleAddress("https://exa\u200bmple.org/\u2066x\u2069")).toBe("https://example.org/x");
    expect(visibleAddress(" \u200ehttps://a.example/\u0007\u00ad\ufeff ")).toBe("https://a.example/");
  });
  it("keeps a plain address as it is", () => {
    expect(visibleAddress("https://example.org/a?b=c#d")).toBe("https://example.org/a?b=c#d");
    expect(visibleAddress("https://例え.jp/ページ")).toBe("https://例え.jp/ページ");
  });
});

describe("hasBidiControls", () => {
  it("finds overrides and isolates, not marks or plain right-to-left text", () => {
    expect(hasBidiControls("SECURE \u202eelpmaxe")).toBe(true);
    expect(hasBidiControls("a \u2067b\u2069")).toBe(true);
    expect(hasBidiControls("שלום \u200f world")).toBe(false);
  });
});

describe("shortened", () => {
  it("cuts long text at code points with an ellipsis", () => {
    expect(shortened("short")).toBe("short");
    const long = "x".repeat(18000);
    expect(Array.from(shortened(long)).length).toBe(200);
    expect(shortened(long).endsWith("…")).toBe(true);
    expect(shortened("😀😀😀", 2)).toBe("😀…");
  });
});
