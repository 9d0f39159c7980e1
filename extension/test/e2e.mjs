#!/usr/bin/env node
// End-to-end test of the extension in a real browser (Chromium, new headless mode, the
// unpacked dist/chromium): a local test site whose article and image need a login cookie; the
// browser logs in, the extension is paired through its options page with the endpoint's
// pairing code, "Save page" and "Save selection as highlight" run through the extension's own
// code (the functions its menu, shortcut and popup call, evaluated in its service worker; the
// highlight's color, note and tags are entered in its popup page), and the library is checked.
//
// Endpoint under test:
// - QUIRE_BIN set: the real one. `$QUIRE_BIN serve --json --library $QUIRE_LIBRARY` is started
//   (or, with QUIRE_ATTACH=1, an endpoint already serving that library, e.g. the desktop app,
//   is used and the pairing code comes from `$QUIRE_BIN pair`); the library is checked with
//   `quire --json list/show/highlights`.
// - QUIRE_BIN unset: test/mock-endpoint.mjs, which checks what the real one checks and logs
//   every request, so the requests themselves are checked too.
//
// Env: CHROMIUM (default /usr/bin/chromium), E2E_KEEP=1 keeps the temp folder.
// Prints one summary line; exits non-zero on failure.
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import puppeteer from "puppeteer-core";

const here = dirname(fileURLToPath(import.meta.url));
const extensionDir = resolve(here, "..", "dist", "chromium");
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const quireBin = process.env.QUIRE_BIN || "";
const real = quireBin !== "";
const work = mkdtempSync(join(tmpdir(), "quire-ext-e2e-"));
const library = real ? process.env.QUIRE_LIBRARY || join(work, "library.sqlite3") : join(work, "mock-library.json");

const checks = [];
function check(name, ok, detail = "") {
  checks.push({ name, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${!ok && detail ? `: ${detail}` : ""}`);
  return ok;
}

// ---- A PNG that exists only behind the login ----
function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function png(width, height, rgb) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([(rgb[0] + x) & 255, (rgb[1] + y) & 255, rgb[2]], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
const chart = png(240, 160, [30, 90, 160]);
const chartHash = createHash("sha256").update(chart).digest("hex");

// ---- The test site: an article and an image that need the login cookie ----
const SESSION = "s3cr3t-session";
const SECRET = "The committee minutes, seen only by subscribers, record that the vote was postponed twice";
const QUOTE_START = "security guarantees are";
const QUOTE = "security guarantees are very important to the Ukrainian people";
const LATE = "This paragraph was written by the page's own script after it loaded.";
const filler = [
  "Leaders gathered in Vilnius for a summit that many expected to settle the question of membership, and the communiqué they signed spoke of a future in the alliance without naming a date.",
  "Diplomats described long nights of drafting, in which every adjective was weighed against the fear of escalation and against the hope of the people waiting outside the conference hall.",
  "Analysts said the outcome was less than Kyiv wanted and more than some capitals had been ready to give a year earlier, a compromise that left room for both readings.",
];
function articleHtml() {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Behind the paywall: the Vilnius minutes</title></head>
<body><header><nav><a href="/">Home</a> · <a href="/login">Account</a></nav></header>
<main><article>
<h1>Behind the paywall: the Vilnius minutes</h1>
<p class="byline">By A. Reporter</p>
<p>${SECRET}, according to two people present.</p>
<p>${filler[0]}</p>
<figure><img id="chart" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/chart.png" loading="lazy" width="240" height="160" alt="Votes by delegation"><figcaption>Votes by delegation</figcaption></figure>
<p>${filler[1]}</p>
<p id="quote-p">Zelensky said that <em>${QUOTE_START}</em> very important to the Ukrainian people, but they are guarantees towards membership.</p>
<p id="late"></p>
<p style="display:none">Hidden subscriber upsell.</p>
<p>${filler[2]}</p>
</article></main>
<script>document.getElementById("late").textContent = ${JSON.stringify(LATE)};</script>
</body></html>`;
}
const site = createServer((req, res) => {
  const cookie = req.headers.cookie ?? "";
  const loggedIn = cookie.split(/;\s*/).includes(`session=${SESSION}`);
  const url = req.url ?? "/";
  if (req.method === "POST" && url === "/login") {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      if (form.get("user") === "reader" && form.get("password") === "hunter2") {
        res.writeHead(303, { "Set-Cookie": `session=${SESSION}; Path=/; HttpOnly; SameSite=Lax`, Location: "/article" });
      } else {
        res.writeHead(403, { "Content-Type": "text/plain" });
      }
      res.end();
    });
    return;
  }
  if (url === "/login") {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(`<!doctype html><title>Log in</title><form method="post" action="/login"><input name="user"><input name="password" type="password"><button>Log in</button></form>`);
    return;
  }
  if (url === "/article") {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(loggedIn ? articleHtml() : `<!doctype html><title>Subscribers only</title><p>Please <a href="/login">log in</a> to read this article.</p>`);
    return;
  }
  if (url === "/img/chart.png") {
    if (!loggedIn) {
      res.writeHead(403).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "image/png", "Content-Length": chart.length });
    res.end(chart);
    return;
  }
  res.writeHead(404).end();
});

// ---- The endpoint ----
function startEndpoint() {
  const [cmd, args] = real
    ? [quireBin, ["serve", "--json", "--library", library]]
    : [process.execPath, [join(here, "mock-endpoint.mjs"), "serve", "--json", "--library", library, "--seed-tag", "Research/NATO"]];
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolveStart, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${cmd} serve printed no JSON line within 60 s`)), 60000);
    child.on("exit", (code) => reject(new Error(`${cmd} serve exited (${code}) before it was ready`)));
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.trim().startsWith("{"));
      if (line) {
        clearTimeout(timer);
        const { port, pairing_code } = JSON.parse(line);
        resolveStart({ child, port, code: pairing_code });
      }
    });
  });
}

function quire(...args) {
  return JSON.parse(execFileSync(quireBin, ["--json", "--library", library, ...args], { encoding: "utf8" }));
}

async function attachEndpoint() {
  // The code the app showed (QUIRE_PAIRING_CODE), else one from `quire pair`: codes live in
  // the library, so the running endpoint accepts either.
  let code = process.env.QUIRE_PAIRING_CODE;
  if (!code) {
    const out = execFileSync(quireBin, ["--library", library, "pair"], { encoding: "utf8" });
    code = out.match(/[0-9A-Z]{4}-[0-9A-Z]{4}/)?.[0];
    if (!code) throw new Error(`no pairing code in the output of quire pair: ${out}`);
  }
  const port = process.env.QUIRE_ENDPOINT_PORT ? Number(process.env.QUIRE_ENDPOINT_PORT) : null;
  return { child: null, port, code };
}

function waitFor(fn, what, ms = 20000) {
  const until = Date.now() + ms;
  return new Promise((ok, fail) => {
    const tick = async () => {
      try {
        const v = await fn();
        if (v) return ok(v);
      } catch {
        // not yet
      }
      if (Date.now() > until) return fail(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 150);
    };
    tick();
  });
}

let browser;
let endpoint;
let failure;
try {
  if (!existsSync(join(extensionDir, "manifest.json"))) throw new Error(`${extensionDir} is missing: run npm run build first`);
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  const siteUrl = `http://127.0.0.1:${site.address().port}`;
  endpoint = real && process.env.QUIRE_ATTACH === "1" ? await attachEndpoint() : await startEndpoint();

  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: join(work, "profile"),
    ignoreDefaultArgs: ["--disable-extensions"],
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  const swTarget = await browser.waitForTarget((t) => t.type() === "service_worker" && t.url().endsWith("/background.js"), { timeout: 20000 });
  const extensionId = new URL(swTarget.url()).host;
  const worker = await swTarget.worker();
  check("the extension's service worker started", Boolean(worker && extensionId));

  // Log in on the site, then open the article.
  const page = await browser.newPage();
  await page.goto(`${siteUrl}/article`);
  check("the article is hidden without the login", (await page.content()).includes("Please"));
  await page.goto(`${siteUrl}/login`);
  await page.type("input[name=user]", "reader");
  await page.type("input[name=password]", "hunter2");
  await Promise.all([page.waitForNavigation(), page.click("button")]);
  check("logged in: the article shows its subscriber text", (await page.content()).includes(SECRET));

  // Pair through the options page.
  const options = await browser.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await options.waitForSelector("#code");
  if (endpoint.port) {
    // An endpoint on a port of its own (the app under test): set it as a user would.
    await options.$eval("#port", (el) => (el.value = ""));
    await options.type("#port", String(endpoint.port));
    await options.click("#save-port");
    await waitFor(() => options.$eval("#result", (el) => el.textContent.startsWith("Port set")), "the port to be saved");
  }
  await options.type("#code", endpoint.code.toLowerCase().replace("-", " "));
  await options.click("#pair");
  const pairMessage = await waitFor(
    () => options.$eval("#result", (el) => (el.className ? `${el.className}: ${el.textContent}` : "")),
    "the pairing result",
  );
  check("paired through the options page", pairMessage.startsWith("ok:"), pairMessage);
  const stateMessage = await waitFor(
    () => options.$eval("#state", (el) => (el.className === "ok" ? el.textContent : "")),
    "the connection state",
  ).catch((e) => e.message);
  check("the options page shows the connection", /^Connected to Quire/.test(stateMessage), stateMessage);
  const stored = await worker.evaluate(() => chrome.storage.local.get(null));
  check("the token is in storage.local", typeof stored.token === "string" && stored.token.length >= 20);
  const synced = await worker.evaluate(() => chrome.storage.sync.get(null).catch(() => ({})));
  check("nothing is in storage.sync", Object.keys(synced).length === 0, JSON.stringify(synced));

  // Save page, through the function the menu item, shortcut and popup call.
  await page.bringToFront();
  const tabId = await worker.evaluate(async (url) => (await chrome.tabs.query({ url }))[0]?.id, `${siteUrl}/article`);
  const saved = await worker.evaluate((id) => globalThis.quire.savePage(id), tabId);
  check("Save page: saved", saved.state === "done" && saved.duplicate === false, JSON.stringify(saved));
  const popup = await browser.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
  const popupText = await waitFor(() => popup.$eval("#page-message", (el) => (el.className === "ok" ? el.textContent : "")), "the popup's result").catch((e) => e.message);
  const openHref = await popup.$eval("#page-open", (el) => el.getAttribute("href")).catch(() => null);
  check("the popup says it was saved and links to it in Quire", /^Saved to your library/.test(popupText) && openHref === `quire://article/${saved.articleId}`, `${popupText} ${openHref}`);
  await popup.close();
  const again = await worker.evaluate((id) => globalThis.quire.savePage(id), tabId);
  check("Save page again: already in the library", again.state === "done" && again.duplicate === true && again.articleId === saved.articleId, JSON.stringify(again));

  if (real) quire("tag", "add", String(saved.articleId), "Research/NATO");

  // Save selection as highlight: select a quote that crosses an element boundary.
  await page.bringToFront();
  await page.evaluate(() => {
    const p = document.getElementById("quote-p");
    const em = p.querySelector("em");
    const after = em.nextSibling;
    const range = document.createRange();
    range.setStart(em.firstChild, 0);
    range.setEnd(after, after.data.indexOf(","));
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  });
  const pending = await worker.evaluate((id) => globalThis.quire.startHighlight(id), tabId);
  check("the selection became a quote selector", pending.selector?.exact === QUOTE && pending.selector.prefix.endsWith("Zelensky said that ") && pending.selector.suffix.startsWith(", but they are"), JSON.stringify(pending));

  const form = await browser.newPage();
  await form.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
  await form.waitForSelector("#highlight-view:not([hidden])");
  check("the highlight popup shows the quote", (await form.$eval("#hl-quote", (el) => el.textContent)) === QUOTE);
  await form.click('input[name=color][value="green"]');
  await form.type("#hl-note", "Security guarantees as a path to membership.");
  await form.click("#hl-tag-input");
  await form.type("#hl-tag-input", "res");
  // The library offers every tag that starts so, parents of nested tags included.
  const suggestions = await waitFor(
    () => form.$$eval("#hl-suggestions li", (lis) => lis.map((li) => li.dataset.tag)).then((tags) => (tags.includes("Research/NATO") ? tags : null)),
    "a tag suggestion",
  ).catch((e) => [e.message]);
  check("the library's tags are offered as you type", suggestions.includes("Research/NATO"), suggestions.join(", "));
  const wanted = suggestions.indexOf("Research/NATO");
  for (let i = 0; i <= wanted; i++) await form.keyboard.press("ArrowDown");
  await form.keyboard.press("Enter");
  await form.type("#hl-tag-input", "vilnius");
  await form.keyboard.press("Enter");
  await form.click("#hl-save");
  const hlMessage = await waitFor(() => form.$eval("#hl-message", (el) => (el.className ? `${el.className}: ${el.textContent}` : "")), "the highlight result", 60000).catch((e) => e.message);
  check("Save selection as highlight: saved and anchored", hlMessage.startsWith("ok: Highlight saved"), hlMessage);
  if (process.env.E2E_DEBUG) {
    console.log("DEBUG status", await worker.evaluate((id) => browser.storage.session.get(null), tabId).catch((e) => String(e)));
    console.log("DEBUG form", await form.evaluate(() => document.body.innerText));
  }

  // ---- What reached the library ----
  if (real) {
    const list = quire("list");
    const article = list.find((a) => a.id === saved.articleId);
    check("quire list has the article", Boolean(article), JSON.stringify(list).slice(0, 300));
    const view = quire("show", String(saved.articleId));
    const doc = JSON.stringify(view.document ?? view);
    check("the logged-in text is in the library", doc.includes(SECRET.slice(0, 40)));
    check("the text written by the page's script is in the library", doc.includes(LATE.slice(0, 40)));
    check("the image behind the login is in the library (same bytes)", doc.includes(`quire-image:${chartHash}`), doc.match(/quire-image:[0-9a-f]+|"src":"[^"]*"/g)?.join(" "));
    const highlights = quire("highlights", String(saved.articleId));
    const h = highlights.find((x) => (x.quote?.exact ?? "").includes("security guarantees"));
    check(
      "the highlight is in the library with its color, note and tags",
      Boolean(h) && h.anchor !== "orphan" && h.color === "green" && h.note === "Security guarantees as a path to membership." &&
        [...h.tags].sort().join("|") === ["Research/NATO", "vilnius"].sort().join("|"),
      JSON.stringify(h ?? highlights),
    );
  } else {
    const lib = JSON.parse(readFileSync(library, "utf8"));
    const article = lib.articles.find((a) => a.id === saved.articleId);
    check("the article reached the endpoint", Boolean(article));
    check("the logged-in text reached the endpoint", article?.text.includes(SECRET));
    check("the text written by the page's script reached the endpoint", article?.text.includes(LATE));
    check("the page's language and title came along", article?.language === "en" && article?.title === "Behind the paywall: the Vilnius minutes");
    const img = article?.images.find((i) => i.url === `${siteUrl}/img/chart.png`);
    const bytes = img ? Buffer.from(img.data_base64, "base64") : Buffer.alloc(0);
    check("the image behind the login reached the endpoint (same bytes)", img?.mime === "image/png" && createHash("sha256").update(bytes).digest("hex") === chartHash, JSON.stringify(article?.images.map((i) => i.url)));
    check("the lazy image's real address is in the page sent", article?.html.includes(`src="${siteUrl}/img/chart.png"`) && !article.html.includes("data-src"));
    const h = lib.highlights[0];
    check(
      "the highlight reached the endpoint with its quote, color, note and tags",
      lib.highlights.length === 1 && h.anchor === "exact" && h.selector.exact === QUOTE && h.color === "green" &&
        h.note === "Security guarantees as a path to membership." && h.tags.join("|") === "Research/NATO|vilnius",
      JSON.stringify(lib.highlights),
    );
    const fromExtension = lib.requests.filter((r) => r.path !== "/v1/pair" || r.origin);
    check("every request came from the extension's origin or none, with no cookie", fromExtension.every((r) => (r.origin === null || r.origin === `chrome-extension://${extensionId}`) && !r.cookie), JSON.stringify(lib.requests.filter((r) => r.cookie || (r.origin && !r.origin.startsWith("chrome-extension://")))));
    check("the saves were sent as JSON with the token", lib.requests.filter((r) => r.method === "POST" && r.path !== "/v1/pair" && r.path !== "/v1/hello").every((r) => r.contentType === "application/json" && r.authorization && r.status === 200));
    const firstHello = lib.requests.findIndex((r) => r.path === "/v1/hello" && r.status === 200);
    const firstToken = lib.requests.findIndex((r) => r.authorization);
    check(
      "the token was sent only after the endpoint proved it holds it (hello), and never with pairing or hello",
      firstHello >= 0 && firstToken > firstHello && lib.requests.every((r) => !r.authorization || (r.path !== "/v1/pair" && r.path !== "/v1/hello")),
      JSON.stringify(lib.requests.map((r) => `${r.method} ${r.path} ${r.authorization ? "token" : "-"}`)),
    );
    check("no request was refused", lib.requests.every((r) => r.status === 200), JSON.stringify(lib.requests.filter((r) => r.status !== 200)));
  }
} catch (e) {
  failure = e;
  check("the run completed", false, e?.stack ?? String(e));
} finally {
  await browser?.close().catch(() => undefined);
  endpoint?.child?.kill("SIGTERM");
  await new Promise((r) => site.close(r));
  if (process.env.E2E_KEEP !== "1") rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}

const failed = checks.filter((c) => !c.ok);
console.log(
  `extension e2e (${real ? `real endpoint: ${quireBin}` : "mock endpoint"}): ${checks.length - failed.length}/${checks.length} checks passed${failed.length ? `; failed: ${failed.map((c) => c.name).join("; ")}` : ""}`,
);
process.exit(failed.length === 0 && !failure ? 0 : 1);
