#!/usr/bin/env node
// A test-only stand-in for Quire's local endpoint (`quire serve`), faithful to the API contract
// (shared-notes/endpoint-api.md, v1): the same checks in the same order (Host, Origin, rate
// limit, route, token, content type, size, JSON), empty bodies and no Server or CORS headers
// on refusals, pairing codes that work once, and the same answers. It keeps its "library" in
// memory and writes it, with a log of every request it received, to the --library file (JSON)
// after each change, so the end-to-end harness can check what arrived.
//
//   node test/mock-endpoint.mjs serve --json --library /tmp/lib.json [--port N] [--seed-tag NAME]...
//
// prints one line {"port": N, "pairing_code": "XXXX-XXXX"} like `quire serve --json`.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";

const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // no 0/O, 1/I
const COLORS = ["yellow", "green", "blue", "pink", "purple"];
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\//;
const BIG = 50 * 1024 * 1024;
const SMALL = 64 * 1024;

function newCode() {
  const bytes = randomBytes(8);
  const c = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
  return `${c.slice(0, 4)}-${c.slice(4)}`;
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
    pairingCodes: [{ code: newCode(), expires: Date.now() + 10 * 60 * 1000 }],
    failedPairs: 0,
    tokens: [],
    articles: [],
    highlights: [],
    tags: new Map(seedTags.map((t) => [t, { articles: 0, highlights: 0 }])),
    requests: [],
  };
  let bucket = 60;
  let last = Date.now();
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
    "POST /v1/pair": (body) => {
      const typed = typeof body.code === "string" ? body.code.toUpperCase().replace(/[^0-9A-Z]/g, "") : "";
      const i = state.pairingCodes.findIndex((c) => c.code.replace("-", "") === typed && c.expires > Date.now());
      if (i < 0) {
        state.failedPairs += 1;
        if (state.failedPairs >= 5) state.pairingCodes = [];
        return [401];
      }
      state.pairingCodes.splice(i, 1);
      const token = randomBytes(32).toString("base64url");
      state.tokens.push({ token, client: String(body.client ?? "") });
      return [200, { token }];
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
      // 3. Rate limit: 30/s, burst 60.
      const now = Date.now();
      bucket = Math.min(60, bucket + ((now - last) / 1000) * 30);
      last = now;
      if (bucket < 1) return answer(429);
      bucket -= 1;
      // 4. Route.
      const handler = handlers[route];
      if (!handler) return answer(404);
      // 5. Token (all but pairing).
      if (route !== "POST /v1/pair") {
        const auth = req.headers.authorization ?? "";
        const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
        if (!state.tokens.some((t) => t.token === token)) return answer(401);
      }
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
        persist();
        resolve({ port: boundPort, pairingCode: state.pairingCodes[0].code, state, close: () => new Promise((r) => server.close(r)) });
      });
    };
    tryNext();
  });
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
