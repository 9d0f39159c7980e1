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
