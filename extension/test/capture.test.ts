// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  bestSrcsetCandidate,
  chosenImageUrl,
  DEFAULT_LIMITS,
  fetchImages,
  imageMime,
  isPlaceholder,
  serializeDocument,
  toBase64,
} from "../src/capture";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe("choosing an image's address as a reader would", () => {
  const base = "https://news.test/2024/story.html";

  it("recognizes lazy-loading placeholders", () => {
    expect(isPlaceholder("")).toBe(true);
    expect(isPlaceholder("data:image/gif;base64,R0lGODlhAQABAAAAACw=")).toBe(true);
    expect(isPlaceholder("https://news.test/a.jpg")).toBe(false);
  });

  it("takes the largest srcset candidate", () => {
    expect(bestSrcsetCandidate("small.jpg 320w, big.jpg 1280w, mid.jpg 640w", base)).toBe("https://news.test/2024/big.jpg");
    expect(bestSrcsetCandidate("a.jpg, b.jpg 2x", base)).toBe("https://news.test/2024/b.jpg");
    expect(bestSrcsetCandidate("https://cdn.test/i.jpg?w=1,2 2x, https://cdn.test/j.jpg 1x", base)).toBe("https://cdn.test/i.jpg?w=1,2");
  });

  it("promotes data-src and data-srcset over a placeholder, else keeps src", () => {
    document.body.innerHTML = `
      <img id="a" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/a.jpg">
      <img id="b" data-srcset="/b-1.jpg 400w, /b-2.jpg 800w">
      <img id="c" src="c.png" srcset="c-1.png 1x, c-2.png 2x">
      <img id="d" src="">`;
    const img = (id: string) => document.getElementById(id) as HTMLImageElement;
    expect(chosenImageUrl(img("a"), base)).toBe("https://news.test/img/a.jpg");
    expect(chosenImageUrl(img("b"), base)).toBe("https://news.test/b-2.jpg");
    expect(chosenImageUrl(img("c"), base)).toBe("https://news.test/2024/c.png");
    expect(chosenImageUrl(img("d"), base)).toBeNull();
  });
});

describe("serializing the document", () => {
  it("points each image at one absolute address, drops scripts but keeps JSON-LD, and lists the article's images first", () => {
    document.head.innerHTML = `<title>T</title><script type="application/ld+json">{"@type":"NewsArticle"}</script><script>track()</script>`;
    document.body.innerHTML = `
      <header><img src="/logo.png"></header>
      <article><picture><source srcset="/p.webp" type="image/webp"><img src="/p.jpg" loading="lazy"></picture>
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/lazy.jpg" data-srcset="/lazy-2.jpg 2x"></article>
      <script>alert(1)</script>`;
    const { html, images } = serializeDocument(document);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('{"@type":"NewsArticle"}');
    expect(html).not.toContain("track()");
    expect(html).not.toContain("alert(1)");
    expect(html).not.toContain("<source");
    expect(html).not.toContain("data-src");
    expect(html).not.toContain('loading="lazy"');
    const origin = location.origin;
    expect(html).toContain(`src="${origin}/lazy.jpg"`);
    expect(images).toEqual([
      { url: `${origin}/logo.png`, important: false },
      { url: `${origin}/p.jpg`, important: true },
      { url: `${origin}/lazy.jpg`, important: true },
    ]);
    // The live page is not changed.
    expect(document.querySelector("source")).not.toBeNull();
  });
});

describe("fetching images within limits", () => {
  const respond = (bytes: Uint8Array, type = "image/png", status = 200) =>
    new Response(bytes as Uint8Array<ArrayBuffer>, { status, headers: { "Content-Type": type, "Content-Length": String(bytes.length) } });

  it("sends cookies, keeps document order, takes article images first and skips what fails", async () => {
    const inits: RequestInit[] = [];
    const fetcher = async (url: string, init: RequestInit) => {
      inits.push(init);
      if (url.endsWith("/404.png")) return respond(PNG, "image/png", 404);
      if (url.endsWith("/page.html")) return respond(new TextEncoder().encode("<html>"), "text/html");
      if (url.endsWith("/cors.png")) throw new TypeError("Failed to fetch");
      return respond(PNG, "application/octet-stream");
    };
    const candidates = [
      { url: "https://s/side.png", important: false },
      { url: "https://s/main.png", important: true },
      { url: "https://s/404.png", important: true },
      { url: "https://s/page.html", important: true },
      { url: "https://s/cors.png", important: true },
    ];
    const { images, skipped } = await fetchImages(candidates, { ...DEFAULT_LIMITS, maxImages: 4 }, fetcher);
    expect(images.map((i) => i.url)).toEqual(["https://s/main.png"]);
    expect(images[0]!.mime).toBe("image/png"); // sniffed: the server said octet-stream
    expect(images[0]!.data_base64).toBe(toBase64(PNG));
    expect(skipped).toBe(4); // side.png over the count (article images first), 404, not an image, refused
    expect(inits.every((i) => i.credentials === "include")).toBe(true);
  });

  it("skips images over the per-image and total size limits", async () => {
    const big = new Uint8Array(600);
    big.set(PNG);
    const fetcher = async () => respond(big);
    const candidates = ["a", "b", "c"].map((n) => ({ url: `https://s/${n}.png`, important: true }));
    const perImage = await fetchImages(candidates, { ...DEFAULT_LIMITS, maxImageBytes: 500 }, fetcher);
    expect(perImage).toEqual({ images: [], skipped: 3 });
    const total = await fetchImages(candidates, { ...DEFAULT_LIMITS, maxTotalBytes: 1300 }, fetcher);
    expect(total.images).toHaveLength(2);
    expect(total.skipped).toBe(1);
  });

  it("knows image types by their bytes", () => {
    expect(imageMime(null, new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(imageMime("image/webp; q=1", new Uint8Array([0]))).toBe("image/webp");
    expect(imageMime("text/plain", new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe("image/svg+xml");
    expect(imageMime("text/html", new TextEncoder().encode("<html>"))).toBeNull();
  });
});
