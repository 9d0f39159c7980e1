import { describe, expect, it } from "vitest";
import { expiresIn, fromBrowserNotice } from "./pairing";

describe("the browser connection", () => {
  it("says what the extension saved", () => {
    const page = { type: "from_browser" as const, article: 3, title: "Vilnius minutes", highlight: null, duplicate: false };
    expect(fromBrowserNotice(page)).toBe("Saved “Vilnius minutes” from the browser.");
    expect(fromBrowserNotice({ ...page, duplicate: true })).toBe("“Vilnius minutes” is already in your library.");
    expect(fromBrowserNotice({ ...page, highlight: 9 })).toBe("Saved “Vilnius minutes” from the browser, with a highlight.");
    expect(fromBrowserNotice({ ...page, highlight: 9, duplicate: true })).toBe("Highlight added from the browser to “Vilnius minutes”.");
    expect(fromBrowserNotice({ ...page, title: "" })).toBe("Saved the page from the browser.");
    expect(fromBrowserNotice({ ...page, title: "", duplicate: true })).toBe("The page is already in your library.");
  });
  it("counts down a pairing code's life", () => {
    const now = 1_000_000;
    expect(expiresIn(now + 10 * 60_000, now)).toBe("for 10 more minutes");
    expect(expiresIn(now + 10 * 60_000 + 500, now)).toBe("for 10 more minutes");
    expect(expiresIn(now + 61_000, now)).toBe("for 2 more minutes");
    expect(expiresIn(now + 30_000, now)).toBe("for less than a minute");
    expect(expiresIn(now, now)).toBe("expired");
    expect(expiresIn(now - 5, now)).toBe("expired");
  });
});
