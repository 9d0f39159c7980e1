#!/usr/bin/env node
// A test-only stand-in for Quire's local endpoint (`quire serve`), faithful to the API contract
// (shared-notes/endpoint-api.md, v1): the same checks in the same order (Host, Origin, then
// the handshake's bucket for hello and pairing, or the token and its bucket — a stranger gets
// 401 on any path —, route, content type, size, JSON), empty bodies and no Server or CORS
// headers on refusals, pairing codes that tell the port and work once on it, hello proofs
// computed exactly as the real one computes them, and the same answers. It keeps its "library" in
// memory and writes it, with a log of every request it received, to the --library file (JSON)
// after each change, so the end-to-end harness can check what arrived.
//
//   node test/mock-endpoint.mjs serve --json --library /tmp/lib.json [--port N] [--seed-tag NAME]...
//
// prints one line {"port": N, "pairing_code": "XXXX-XXXX"} like `quire serve --json`.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";

const ALPHABET = "23456789ABCDEFGHJKMNPQRSTXYZ"; // no 0/O, 1/I/L, U, V/W
const COLORS = ["yellow", "green", "blue", "pink", "purple"];
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\//;
const BIG = 50 * 1024 * 1024;
const SMALL = 64 * 1024;

/** The marker of a port in a code's last letter: 0..4 for 47711..47715, 5 for any other. */
const portMarker = (port) => (port >= 47711 && port <= 47715 ? port - 47711 : 5);

/** Seven random letters and one that tells the port (with two random bits), as Quire makes them. */
function newCode(port) {
  const bytes = randomBytes(8);
  const c = Array.from(bytes.subarray(0, 7), (b) => ALPHABET[b % ALPHABET.length]).join("") + ALPHABET[7 * (bytes[7] % 4) + portMarker(port)];
  return `${c.slice(0, 4)}-${c.slice(4)}`;
}

/** HMAC-SHA256(key = SHA-256(token), "quire-endpoint-v1" || nonce || port as 2 bytes big-endian). */
export function helloProof(tokenHash, nonce, port) {
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port);
  return createHmac("sha256", tokenHash).update("quire-endpoint-v1").update(nonce).update(portBytes).digest("hex");
}

/** The text a reader would extract, crudely: tags and scripts out, whitespace collapsed. */
export function crudeText(html) {
  return html
    .replace(/<(script|style|noscript|template)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*(hidden|aria-hidden="true"|display:\s*none)[^>]*>[\s\S]*?<\/[a-z0-9]+>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

const norm = (s) => s.replace(/\s+/g, " ").trim();
const canonicalUrl = (u) => u.split("#")[0];

export function startMock({ port: wanted, library, seedTags = [] }) {
  const state = {
    pairingCodes: [],
    failedPairs: 0,
    tokens: [],
    articles: [],
    highlights: [],
    tags: new Map(seedTags.map((t) => [t, { articles: 0, highlights: 0 }])),
    requests: [],
  };
  // Three buckets, as the real one: valid tokens, the handshake (hello, pair), strangers.
  const buckets = { clients: { n: 60, last: Date.now() }, handshakes: { n: 60, last: Date.now() }, strangers: { n: 60, last: Date.now() } };
  const take = (name) => {
    const b = buckets[name];
    const now = Date.now();
    b.n = Math.min(60, b.n + ((now - b.last) / 1000) * 30);
    b.last = now;
    if (b.n < 1) return false;
    b.n -= 1;
    return true;
  };
  const decoyKey = randomBytes(32);
  let boundPort = 0;

  const persist = () => {
    if (!library) return;
    const { pairingCodes, ...rest } = state;
    writeFileSync(library, JSON.stringify({ ...rest, tags: Object.fromEntries(state.tags) }, null, 1));
  };

  const tagUse = (name, kind) => {
    const t = state.tags.get(name) ?? { articles: 0, highlights: 0 };
    t[kind] += 1;
    state.tags.set(name, t);
  };

  const addPage = (body) => {
    const url = canonicalUrl(body.url);
    const found = state.articles.find((a) => a.url === url);
    const tags = Array.isArray(body.tags) ? body.tags : [];
    if (found) {
      for (const t of tags) if (!found.tags.includes(t)) (found.tags.push(t), tagUse(t, "articles"));
      return { article: found, created: false };
    }
    const text = crudeText(body.html);
    if (text.length < 20) return { error: "the page has no readable text" };
    const images = (body.images ?? []).map((i) => ({ url: i.url, mime: i.mime, bytes: Buffer.from(i.data_base64, "base64").length, data_base64: i.data_base64 }));
    const title = body.title || (body.html.match(/<title>([^<]*)<\/title>/i)?.[1] ?? url);
    const article = { id: state.articles.length + 1, url, title, language: body.language ?? null, text, html: body.html, images, tags: [...tags] };
    state.articles.push(article);
    for (const t of tags) tagUse(t, "articles");
    return { article, created: true };
  };

  const handlers = {
    "POST /v1/hello": (body) => {
      if (!Number.isInteger(body.token_id) || typeof body.nonce !== "string" || !/^[0-9a-fA-F]{64}$/.test(body.nonce)) return [400];
      const nonce = Buffer.from(body.nonce, "hex");
      const found = state.tokens.find((t) => t.id === body.token_id);
      const id = Buffer.alloc(8);
      id.writeBigInt64BE(BigInt(body.token_id));
      // An unknown id: a proof under a key of our own, the same in shape.
      const key = found
        ? createHash("sha256").update(found.token).digest()
        : createHmac("sha256", decoyKey).update("quire-endpoint-decoy").update(id).digest();
      return [200, { proof: helloProof(key, nonce, boundPort) }];
    },
    "POST /v1/pair": (body) => {
      const typed = typeof body.code === "string" ? body.code.toUpperCase().replace(/[^0-9A-Z]/g, "") : "";
      // Only a code made for this port is redeemed here.
      const forThisPort = typed.length === 8 && ALPHABET.indexOf(typed[7]) % 7 === portMarker(boundPort);
      const i = state.pairingCodes.findIndex((c) => forThisPort && c.code.replace("-", "") === typed && c.expires > Date.now());
      if (i < 0) {
        state.failedPairs += 1;
        if (state.failedPairs >= 5) state.pairingCodes = [];
        return [401];
      }
      state.pairingCodes.splice(i, 1);
      const token = randomBytes(32).toString("base64url");
      const id = state.tokens.length + 1;
      state.tokens.push({ id, token, client: String(body.client ?? "") });
      return [200, { token, token_id: id }];
    },
    "GET /v1/status": () => [200, { api: 1, version: "0.1.0-mock", articles: state.articles.length }],
    "GET /v1/tags": () => [200, { tags: [...state.tags].map(([name, c]) => ({ name, ...c })) }],
    "POST /v1/pages": (body) => {
      if (typeof body.url !== "string" || typeof body.html !== "string") return [400];
      if (body.images !== undefined && !validImages(body.images)) return [400];
      const r = addPage(body);
      if (r.error) return [422, { error: r.error }];
      return [200, { id: r.article.id, title: r.article.title, duplicate: !r.created }];
    },
    "POST /v1/highlights": (body) => {
      const sel = body.selector;
      if (typeof body.url !== "string" || !sel || typeof sel.exact !== "string") return [400];
      if (body.color !== undefined && !COLORS.includes(body.color)) return [400];
      if (body.html !== undefined && typeof body.html !== "string") return [400];
      if (body.images !== undefined && !validImages(body.images)) return [400];
      let article = state.articles.find((a) => a.url === canonicalUrl(body.url));
      let pageSaved = false;
      if (!article) {
        if (!body.html) return [404, { error: "this page is not in the library" }];
        const r = addPage(body);
        if (r.error) return [422, { error: r.error }];
        article = r.article;
        pageSaved = true;
      }
      const anchor = article.text.includes(norm(sel.exact)) ? "exact" : "orphan";
      const tags = Array.isArray(body.tags) ? body.tags : [];
      const highlight = {
        id: state.highlights.length + 1,
        article_id: article.id,
        selector: { exact: sel.exact, prefix: sel.prefix ?? "", suffix: sel.suffix ?? "" },
        color: body.color ?? "yellow",
        note: body.note ?? "",
        tags,
        anchor,
      };
      state.highlights.push(highlight);
      for (const t of tags) tagUse(t, "highlights");
      return [200, { article_id: article.id, highlight_id: highlight.id, anchor, page_saved: pageSaved }];
    },
  };

  const validImages = (images) =>
    Array.isArray(images) && images.every((i) => i && typeof i.url === "string" && typeof i.mime === "string" && typeof i.data_base64 === "string");

  const server = createServer((req, res) => {
    const chunks = [];
    let size = 0;
    let over = false;
    const path = (req.url ?? "").split("?")[0];
    const route = `${req.method} ${path}`;
    const limit = route === "POST /v1/pages" || route === "POST /v1/highlights" ? BIG : SMALL;
    const log = {
      method: req.method,
      path,
      host: req.headers.host ?? null,
      origin: req.headers.origin ?? null,
      contentType: req.headers["content-type"] ?? null,
      cookie: req.headers.cookie !== undefined,
      authorization: req.headers.authorization !== undefined,
      status: 0,
      bytes: 0,
    };
    const answer = (status, json) => {
      log.status = status;
      log.bytes = size;
      state.requests.push(log);
      persist();
      // Empty body on failure; never a Server or Access-Control-* header.
      const body = json === undefined ? "" : JSON.stringify(json);
      res.removeHeader("Date");
      res.writeHead(status, json === undefined ? { "Content-Length": "0" } : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    };
    req.on("data", (c) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on("end", () => {
      // 1. Host (DNS rebinding).
      if (req.headers.host !== `127.0.0.1:${boundPort}` && req.headers.host !== `localhost:${boundPort}`) return answer(403);
      // 2. Origin: absent (scripts) or an extension's. No preflight.
      if (req.headers.origin !== undefined && !EXTENSION_ORIGIN.test(req.headers.origin)) return answer(403);
      if (req.method === "OPTIONS") return answer(403);
      // 3. The handshake (hello, pairing): its own bucket. Anything else: the token first,
      // then its bucket; a stranger gets 401 whatever the path.
      if (route === "POST /v1/hello" || route === "POST /v1/pair") {
        if (!take("handshakes")) return answer(429);
      } else {
        const auth = req.headers.authorization ?? "";
        const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
        if (!token || !state.tokens.some((t) => t.token === token)) return answer(take("strangers") ? 401 : 429);
        if (!take("clients")) return answer(429);
      }
      // 4. Route.
      const handler = handlers[route];
      if (!handler) return answer(404);
      // 6. Body: JSON only, within the limit, well-formed.
      let body = {};
      if (req.method === "POST") {
        const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
        if (type !== "application/json") return answer(415);
        if (over) return answer(413);
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return answer(400);
        }
        if (!body || typeof body !== "object" || Array.isArray(body)) return answer(400);
      }
      const [status, json] = handler(body);
      answer(status, json);
    });
  });

  return new Promise((resolve, reject) => {
    const ports = wanted !== undefined ? [wanted] : [47711, 47712, 47713, 47714, 47715];
    const tryNext = () => {
      const p = ports.shift();
      if (p === undefined) return reject(new Error("no free port in 47711..47715"));
      server.once("error", (e) => (e.code === "EADDRINUSE" ? tryNext() : reject(e)));
      server.listen(p, "127.0.0.1", () => {
        boundPort = server.address().port;
        state.pairingCodes.push({ code: newCode(boundPort), expires: Date.now() + 10 * 60 * 1000 });
        persist();
        const newPairingCode = () => {
          const code = newCode(boundPort);
          state.pairingCodes.push({ code, expires: Date.now() + 10 * 60 * 1000 });
          return code;
        };
        resolve({ port: boundPort, pairingCode: state.pairingCodes[0].code, newPairingCode, state, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) });
      });
    };
    tryNext();
  });
}

/** A squatter that relays every request to the endpoint on `target`, its Host rewritten (tests). */
export function startRelay(target) {
  const relay = createServer((req, res) => {
    const headers = { ...req.headers, host: `127.0.0.1:${target}` };
    const up = httpRequest({ host: "127.0.0.1", port: target, method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) =>
    relay.listen(0, "127.0.0.1", () =>
      resolve({ port: relay.address().port, close: () => new Promise((r) => { relay.closeAllConnections(); relay.close(r); }) }),
    ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seedTags = args.flatMap((a, i) => (a === "--seed-tag" ? [args[i + 1]] : []));
  const port = value("--port") ? Number(value("--port")) : undefined;
  const mock = await startMock({ port, library: value("--library"), seedTags });
  if (args.includes("--json")) console.log(JSON.stringify({ port: mock.port, pairing_code: mock.pairingCode }));
  else console.log(`Listening on http://127.0.0.1:${mock.port}\nPairing code: ${mock.pairingCode} (valid 10 minutes, once)`);
  process.on("SIGTERM", () => mock.close().then(() => process.exit(0)));
  process.on("SIGINT", () => mock.close().then(() => process.exit(0)));
}
