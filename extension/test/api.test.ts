import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  codePort,
  CODE_ALPHABET,
  expectedProof,
  fitBody,
  forgetVerifiedPort,
  MESSAGES,
  normalizeCode,
  QuireClient,
  QuireError,
  type Image,
} from "../src/api";
// @ts-expect-error: a plain ES module without types (test-only).
import { helloProof, startMock, startRelay } from "./mock-endpoint.mjs";

type Mock = { port: number; pairingCode: string; newPairingCode(): string; close(): Promise<void> };
let mock: Mock | undefined;
let relay: { port: number; close(): Promise<void> } | undefined;
beforeEach(() => forgetVerifiedPort());
afterEach(async () => {
  await mock?.close();
  mock = undefined;
  await relay?.close();
  relay = undefined;
});

const unreachable: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));

function client(port: number, token?: string, f: typeof fetch = fetch, onPort?: (p: number) => void, tokenId: number | undefined = token ? 1 : undefined): QuireClient {
  return new QuireClient({ token, tokenId, port }, { fetch: f, onPort, probeTimeoutMs: 2000 });
}

type Seen = { port: number; path: string; authorization: string | null };

/**
 * A fake `fetch` for ports 47711..47715: `servers` maps a port to how its server answers
 * hello (`"quire"`: the real proof for that port; a function: a proof of its own making) and
 * every other request (`reply`). Every request is recorded, with its Authorization header.
 */
function fakeNet(
  token: string,
  servers: Record<number, { hello: "quire" | ((nonce: Uint8Array, port: number) => Promise<string>); reply?: () => Response }>,
  seen: Seen[],
): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    const port = Number(url.port);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    seen.push({ port, path: url.pathname, authorization: headers.Authorization ?? null });
    const server = servers[port];
    if (!server) throw new TypeError("Failed to fetch");
    if (url.pathname === "/v1/hello") {
      const { nonce } = JSON.parse(String(init?.body)) as { nonce: string };
      const bytes = Uint8Array.from(nonce.match(/../g)!.map((h) => parseInt(h, 16)));
      const proof = server.hello === "quire" ? await expectedProof(token, bytes, port) : await server.hello(bytes, port);
      return new Response(JSON.stringify({ proof }), { status: 200 });
    }
    return server.reply ? server.reply() : new Response(JSON.stringify({ api: 1, version: "0.1.0", articles: 3 }), { status: 200 });
  };
}

/** A code whose last letter names this marker (0..4: 47711..47715; 5: another port). */
function codeFor(marker: number): string {
  return `K7QF-3M9${CODE_ALPHABET[7 + marker]}`;
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

  it("tell the port by their last letter, as Quire makes them", () => {
    // "23456789ABCDEFGHJKMNPQRSTXYZ": index % 7 is the marker.
    expect(codePort("aaaa-aaa2")).toEqual({ port: 47711 });
    expect(codePort("AAAA AAA9")).toEqual({ port: 47711 });
    expect(codePort("AAAA-AAA6")).toEqual({ port: 47715 });
    expect(codePort("AAAA-AAAB")).toEqual({ port: 47713 });
    expect(codePort("AAAA-AAA7")).toEqual({ other: true });
    expect(codePort("AAAA-AAA8")).toBeNull();
    expect(codePort("AAAA-AAAZ")).toBeNull();
    expect(codePort("AAAA-AAA")).toBeNull();
    expect(codePort("AAAA-AAA1")).toBeNull();
  });
});

describe("the hello proof", () => {
  const nonce = Uint8Array.from({ length: 32 }, (_, i) => i);

  it("is the endpoint's HMAC, the same in the mock as in the client", async () => {
    const token = "a-token-of-forty-three-characters-xxxxxxxxx";
    const key = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
    expect(await expectedProof(token, nonce, 47711)).toBe(helloProof(key, nonce, 47711));
    expect(await expectedProof(token, nonce, 47712)).not.toBe(helloProof(key, nonce, 47711));
  });

  it("refuses a proof made for another port, with another token, or relayed to Quire elsewhere", async () => {
    const token = "the-real-token-xxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    const seen: Seen[] = [];
    const servers = {
      // Holds the token, but proves for another port (a relay that rewrote nothing else).
      47711: { hello: (n: Uint8Array) => expectedProof(token, n, 47712) },
      // Proves for its port, but with a token of its own.
      47712: { hello: (n: Uint8Array, p: number) => expectedProof("a-squatters-own-token-xxxxxxxxxxxxxxxxxxxxx", n, p) },
      // A garbled proof.
      47713: { hello: async () => "00".repeat(32) },
      // The real Quire.
      47714: { hello: "quire" as const },
    };
    const c = client(47711, token, fakeNet(token, servers, seen));
    expect(await c.hello(47711)).toBe("wrong");
    expect(await c.hello(47712)).toBe("wrong");
    expect(await c.hello(47713)).toBe("wrong");
    expect(await c.hello(47715)).toBe("unreachable");
    expect(await c.hello(47714)).toBe("proven");
    expect(seen.every((r) => r.authorization === null && r.path === "/v1/hello"), JSON.stringify(seen)).toBe(true);
  });

  it("fails for a relay to the real endpoint over HTTP", async () => {
    mock = (await startMock({ port: 0 })) as Mock;
    const real = mock.port;
    // The squatter forwards every request to the real endpoint, Host rewritten.
    relay = (await startRelay(real)) as { port: number; close(): Promise<void> };
    const relayPort = relay.port;
    const paired = await client(real).pair(mock.pairingCode, "x");
    const c = client(relayPort, paired.token, fetch, undefined, paired.tokenId);
    expect(await c.hello(real)).toBe("proven");
    expect(await c.hello(relayPort)).toBe("wrong");
  });
});

describe("the client against the contract's endpoint", () => {
  it("pairs once with the code, then calls with the token", async () => {
    mock = (await startMock({ port: 0 })) as Mock;
    const c = client(mock.port);
    const { token, tokenId, port } = await c.pair(mock.pairingCode.toLowerCase(), "Test browser");
    expect(token.length).toBeGreaterThanOrEqual(20);
    expect(tokenId).toBe(1);
    expect(port).toBe(mock.port);
    expect((await c.status()).api).toBe(1);
    const saved = await c.savePage({ url: "http://site.test/a", html: "<p>Enough words to count as an article body.</p>", title: "A" });
    expect(saved).toMatchObject({ id: 1, duplicate: false });
    expect((await c.savePage({ url: "http://site.test/a#x", html: "<p>Enough words to count as an article body.</p>" })).duplicate).toBe(true);
    const h = await c.saveHighlight({ url: "http://site.test/a", selector: { exact: "count as an", prefix: "words to ", suffix: " article" }, color: "blue" });
    expect(h).toMatchObject({ article_id: 1, anchor: "exact", page_saved: false });
    // The same code does not work twice.
    expect((await failure(client(mock.port).pair(mock.pairingCode, "Other"))).kind).toBe("bad-code");
    // A code of "another port" needs that port set first.
    expect((await failure(client(47711).pair(mock.newPairingCode(), "Other"))).message).toBe(MESSAGES.otherPort);
  });

  it("says in plain words when the code is wrong, the token is refused, or the page has no text", async () => {
    mock = (await startMock({ port: 0 })) as Mock;
    const wrong = await failure(client(mock.port).pair("AAAA-AAA7", "x"));
    expect(wrong.message).toBe(MESSAGES.badCode);
    expect((await failure(client(mock.port).pair("abc", "x"))).message).toMatch(/8 letters and digits/);
    const { token, tokenId } = await client(mock.port).pair(mock.pairingCode, "x");
    forgetVerifiedPort();
    const refused = await failure(client(mock.port, "not-a-token-of-this-library", fetch, undefined, tokenId).status());
    expect(refused.kind).toBe("unauthorized");
    expect(refused.message).toBe(MESSAGES.notProven);
    const old = await failure(new QuireClient({ token, tokenId: undefined, port: mock.port }, { fetch }).status());
    expect(old.message).toBe(MESSAGES.pairAgain);
    const empty = await failure(client(mock.port, token, fetch, undefined, tokenId).savePage({ url: "http://site.test/e", html: "<p></p>" }));
    expect(empty.kind).toBe("rejected");
    expect(empty.message).toBe("the page has no readable text");
  });

  it("needs a token before anything but pairing", async () => {
    const e = await failure(client(47711, undefined, unreachable).status());
    expect(e.kind).toBe("not-paired");
  });
});

describe("discovery", () => {
  const token = "the-real-token-xxxxxxxxxxxxxxxxxxxxxxxxxxxx";

  it("finds Quire on another port of 47711..47715 by hello, never sending the token before", async () => {
    const seen: Seen[] = [];
    // A squatter on 47711 answers everything, but cannot prove it holds the token.
    const squatter = { hello: async () => "ab".repeat(32), reply: () => new Response("{}", { status: 200 }) };
    const fake = fakeNet(token, { 47711: squatter, 47713: { hello: "quire" } }, seen);
    let remembered = 0;
    const c = client(47711, token, fake, (p) => void (remembered = p));
    expect((await c.status()).articles).toBe(3);
    expect(remembered).toBe(47713);
    expect(c.port).toBe(47713);
    expect(seen.map((r) => `${r.port}${r.path}`)).toEqual(["47711/v1/hello", "47712/v1/hello", "47713/v1/hello", "47713/v1/status"]);
    expect(seen.filter((r) => r.authorization !== null).map((r) => r.port)).toEqual([47713]);
    // The proved port is kept: the next call goes straight there.
    await c.tags();
    expect(seen.slice(4).map((r) => `${r.port}${r.path}`)).toEqual(["47713/v1/tags"]);
  });

  it("sends nothing with the token when no port proves itself", async () => {
    const seen: Seen[] = [];
    const squatter = { hello: (n: Uint8Array) => expectedProof(token, n, 47713) }; // a relayed proof
    const e = await failure(client(47711, token, fakeNet(token, { 47711: squatter }, seen)).savePage({ url: "u", html: "h" }));
    expect(e.kind).toBe("unauthorized");
    expect(e.message).toBe(MESSAGES.notProven);
    expect(seen.every((r) => r.authorization === null && r.path === "/v1/hello")).toBe(true);
  });

  it("says Quire is not running when no port answers", async () => {
    const e = await failure(client(47711, "token", unreachable).savePage({ url: "u", html: "h" }));
    expect(e.kind).toBe("not-running");
    expect(e.message).toBe(MESSAGES.notRunning);
  });

  it("pairs only at the port the code names, and keeps nothing from a server that cannot prove itself", async () => {
    const seen: Seen[] = [];
    // A squatter on 47713 answers the pairing with a token of its own making.
    const squatter = {
      hello: async () => "cd".repeat(32),
      reply: () => new Response(JSON.stringify({ token: "a-squatters-token-xxxxxxxxxxxxxxxxxxxxxxxxx", token_id: 1 }), { status: 200 }),
    };
    let remembered = 0;
    const c = client(47711, undefined, fakeNet(token, { 47711: { hello: "quire" }, 47713: squatter }, seen), (p) => void (remembered = p));
    const e = await failure(c.pair(codeFor(2), "x"));
    expect(e.message).toMatch(/did not prove that it is Quire/);
    expect(remembered).toBe(0);
    expect(seen.map((r) => `${r.port}${r.path}`)).toEqual(["47713/v1/pair", "47713/v1/hello"]);
    expect(seen.every((r) => r.authorization === null)).toBe(true);
  });

  it("maps the contract's status codes to plain words", async () => {
    const answering = (status: number, body = "") => fakeNet(token, { 47711: { hello: "quire", reply: () => new Response(body || null, { status }) } }, []);
    const c = (status: number, body = "") => client(47711, token, answering(status, body));
    expect((await failure(c(413).savePage({ url: "u", html: "h" }))).message).toBe(MESSAGES.tooLarge);
    expect((await failure(c(429).status())).message).toBe(MESSAGES.rateLimited);
    expect((await failure(c(403).status())).message).toBe(MESSAGES.refused);
    expect((await failure(c(415).status())).message).toBe(MESSAGES.badRequest);
    expect((await failure(c(401).status())).message).toBe(MESSAGES.unauthorized);
    const notFound = await failure(c(404, '{"error":"this page is not in the library"}').saveHighlight({ url: "u", selector: { exact: "x" } }));
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
