import { describe, expect, it } from "vitest";
import { imageUrl, isLocalImage } from "./article";

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
