// Runs Mozilla Readability.js (under jsdom) on every CASE/source.html of a directory laid out
// like the Readability test suite, and prints one JSON object per case on stdout:
//   {"case", "ms": [per run], "content", "title", "byline", "siteName", "publishedTime", "error"}
// then a last object {"summary": true, "wall_ms"} with the whole process's time so far.
// Only `new JSDOM(html, {url})` + `new Readability(doc).parse()` is timed (no file I/O, no
// node start-up). Used by `quire-bench extract DIR --compare-js`.
//
// usage: node extract.mjs DIR [--runs N]
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { JSDOM, VirtualConsole } from "jsdom";
import { Readability } from "@mozilla/readability";

const started = performance.now();
const args = process.argv.slice(2);
const dir = args[0];
let runs = 1;
const r = args.indexOf("--runs");
if (r >= 0) runs = Math.max(1, parseInt(args[r + 1], 10) || 1);
if (!dir) {
  console.error("usage: node extract.mjs DIR [--runs N]");
  process.exit(2);
}
const url = "http://fakehost/test/";
// jsdom reports CSS it cannot parse on the console; that is noise here.
const virtualConsole = new VirtualConsole();

const cases = readdirSync(dir)
  .filter((name) => statSync(join(dir, name)).isDirectory() && existsSync(join(dir, name, "source.html")))
  .sort();
for (const name of cases) {
  const html = readFileSync(join(dir, name, "source.html"), "utf8");
  const ms = [];
  let article = null;
  let error = null;
  for (let i = 0; i < runs; i++) {
    try {
      const t0 = performance.now();
      const dom = new JSDOM(html, { url, virtualConsole });
      article = new Readability(dom.window.document).parse();
      ms.push(performance.now() - t0);
      dom.window.close();
    } catch (e) {
      error = String(e && e.stack ? e.stack : e);
      break;
    }
  }
  process.stdout.write(
    JSON.stringify({
      case: name,
      ms,
      content: article ? article.content : null,
      title: article ? article.title : null,
      byline: article ? article.byline : null,
      siteName: article ? article.siteName : null,
      publishedTime: article ? article.publishedTime : null,
      error,
    }) + "\n",
  );
}
process.stdout.write(JSON.stringify({ summary: true, wall_ms: performance.now() - started }) + "\n");
