import { afterEach, describe, expect, it } from "vitest";
import { fitBody, MESSAGES, normalizeCode, QuireClient, QuireError, type Image } from "../src/api";
// @ts-expect-error: a plain ES module without types (test-only).
import { startMock } from "./mock-endpoint.mjs";

type Mock = { port: number; pairingCode: string; close(): Promise<void> };
let mock: Mock | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const unreachable: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));

function client(port: number, token?: string, f: typeof fetch = fetch, onPort?: (p: number) => void): QuireClient {
  return new QuireClient({ token, port }, { fetch: f, onPort, probeTimeoutMs: 2000 });
}

async function failure(p: Promise<unknown>): Promise<QuireError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof QuireError) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

describe("pairing codes", () => {
  it("normalizes what people type", () => {
    expect(normalizeCode("k7qf 3m9d")).toBe("K7QF-3M9D");
    expect(normalizeCode("K7QF-3M9D")).toBe("K7QF-3M9D");
    expect(normalizeCode("k7qf3m9d")).toBe("K7QF-3M9D");
  });
});

describe("the client against the contract's endpoint", () => {
  it("pairs once with the code, then calls with the token", async () => {
    mock = (await startMock({ port: 0 })) as Mock;
    const c = client(mock.port);
    const { token, port } = await c.pair(mock.pairingCode.toLowerCase(), "Test browser");
    expect(token.length).toBeGreaterThanOrEqual(20);
    expect(port).toBe(mock.port);
    expect((await c.status()).api).toBe(1);
    const saved = await c.savePage({ url: "http://site.test/a", html: "<p>Enough words to count as an article body.</p>", title: "A" });
    expect(saved).toMatchObject({ id: 1, duplicate: false });
    expect((await c.savePage({ url: "http://site.test/a#x", html: "<p>Enough words to count as an article body.</p>" })).duplicate).toBe(true);
    const h = await c.saveHighlight({ url: "http://site.test/a", selector: { exact: "count as an", prefix: "words to ", suffix: " article" }, color: "blue" });
    expect(h).toMatchObject({ article_id: 1, anchor: "exact", page_saved: false });
    // The same code does not work twice.
    expect((await failure(client(mock.port).pair(mock.pairingCode, "Other"))).kind).toBe("bad-code");
  });

  it("says in plain words when the code is wrong, the token is refused, or the page has no text", async () => {
    mock = (await startMock({ port: 0 })) as Mock;
    const wrong = await failure(client(mock.port).pair("AAAA-AAAA", "x"));
    expect(wrong.message).toBe(MESSAGES.badCode);
    expect((await failure(client(mock.port).pair("abc", "x"))).message).toMatch(/8 letters and digits/);
    const refused = await failure(client(mock.port, "not-a-token-of-this-library").status());
    expect(refused.kind).toBe("unauthorized");
    expect(refused.message).toBe(MESSAGES.unauthorized);
    const { token } = await client(mock.port).pair(mock.pairingCode, "x");
    const empty = await failure(client(mock.port, token).savePage({ url: "http://site.test/e", html: "<p></p>" }));
    expect(empty.kind).toBe("rejected");
    expect(empty.message).toBe("the page has no readable text");
  });

  it("needs a token before anything but pairing", async () => {
    const e = await failure(client(47711, undefined, unreachable).status());
    expect(e.kind).toBe("not-paired");
  });
});

describe("discovery", () => {
  it("finds Quire on another port of 47711..47715 and remembers it", async () => {
    const seen: string[] = [];
    const fake: typeof fetch = async (input) => {
      const url = String(input);
      seen.push(url);
      if (!url.startsWith("http://127.0.0.1:47713/")) throw new TypeError("Failed to fetch");
      return new Response(JSON.stringify({ api: 1, version: "0.1.0", articles: 3 }), { status: 200 });
    };
    let remembered = 0;
    const c = client(47711, "token", fake, (p) => void (remembered = p));
    expect((await c.status()).articles).toBe(3);
    expect(remembered).toBe(47713);
    expect(c.port).toBe(47713);
    expect(seen.map((u) => new URL(u).port)).toEqual(["47711", "47712", "47713", "47713"]);
  });

  it("says Quire is not running when no port answers", async () => {
    const e = await failure(client(47711, "token", unreachable).savePage({ url: "u", html: "h" }));
    expect(e.kind).toBe("not-running");
    expect(e.message).toBe(MESSAGES.notRunning);
  });

  it("says the browser is no longer paired when Quire answers but refuses the token", async () => {
    const fake: typeof fetch = async (input) =>
      String(input).includes(":47711/") ? new Response(null, { status: 401 }) : Promise.reject(new TypeError("Failed to fetch"));
    expect((await failure(client(47711, "old", fake).status())).kind).toBe("unauthorized");
  });

  it("maps the contract's status codes to plain words", async () => {
    const answering = (status: number, body = ""): typeof fetch => async () => new Response(body || null, { status });
    expect((await failure(client(47711, "t", answering(413)).savePage({ url: "u", html: "h" }))).message).toBe(MESSAGES.tooLarge);
    expect((await failure(client(47711, "t", answering(429)).status())).message).toBe(MESSAGES.rateLimited);
    expect((await failure(client(47711, "t", answering(403)).status())).message).toBe(MESSAGES.refused);
    expect((await failure(client(47711, "t", answering(415)).status())).message).toBe(MESSAGES.badRequest);
    const notFound = await failure(client(47711, "t", answering(404, '{"error":"this page is not in the library"}')).saveHighlight({ url: "u", selector: { exact: "x" } }));
    expect(notFound.message).toBe("this page is not in the library");
  });
});

describe("fitBody", () => {
  const image = (n: number): Image => ({ url: `http://s/${n}.png`, mime: "image/png", data_base64: "A".repeat(1000) });

  it("drops images from the end until the body fits", () => {
    const body = { url: "u", html: "x".repeat(100), images: [image(1), image(2), image(3)] };
    const dropped = fitBody(body, 2300);
    expect(dropped).toBe(1);
    expect(body.images.map((i) => i.url)).toEqual(["http://s/1.png", "http://s/2.png"]);
  });

  it("refuses a page that is too large even without images", () => {
    expect(() => fitBody({ url: "u", html: "x".repeat(5000) } as { html: string; images?: Image[] }, 1000)).toThrow(MESSAGES.tooLarge);
  });
});
