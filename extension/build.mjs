// Builds the extension for Chromium and Firefox from one code base:
//   dist/chromium/, dist/firefox/ (unpacked) and dist/quire-chromium.zip, dist/quire-firefox.zip.
// The only per-browser differences are in the manifest (background service worker vs event
// page scripts, Firefox's add-on id and minimum version).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));

const base = {
  manifest_version: 3,
  name: "Quire",
  version: pkg.version,
  description: "Save the page you are reading, and highlights on it, to your Quire library on this computer.",
  icons: { 32: "icons/32.png", 128: "icons/128.png" },
  action: { default_title: "Save page to Quire", default_popup: "popup.html", default_icon: { 32: "icons/32.png" } },
  options_ui: { page: "options.html", open_in_tab: true },
  // Each is explained in README.md ("Permissions").
  permissions: ["activeTab", "scripting", "contextMenus", "storage"],
  host_permissions: ["http://127.0.0.1/*", "http://localhost/*"],
  commands: {
    _execute_action: { suggested_key: { default: "Alt+Shift+Q" }, description: "Save this page to Quire" },
    "save-selection": { suggested_key: { default: "Alt+Shift+H" }, description: "Save the selection as a highlight in Quire" },
  },
};

const browsers = {
  chromium: {
    target: "chrome120",
    manifest: { ...base, minimum_chrome_version: "120", background: { service_worker: "background.js" } },
  },
  firefox: {
    target: "firefox140",
    manifest: {
      ...base,
      background: { scripts: ["background.js"] },
      browser_specific_settings: {
        gecko: {
          id: "quire-extension@quire",
          strict_min_version: "140.0",
          data_collection_permissions: { required: ["none"] },
        },
        gecko_android: { strict_min_version: "142.0" },
      },
    },
  },
};

rmSync(dist, { recursive: true, force: true });
for (const [name, { target, manifest }] of Object.entries(browsers)) {
  const out = join(dist, name);
  mkdirSync(join(out, "icons"), { recursive: true });
  await esbuild.build({
    entryPoints: ["background", "content", "popup", "options"].map((e) => join(here, "src", `${e}.ts`)),
    outdir: out,
    bundle: true,
    format: "iife",
    target,
    // Readable output: store reviewers read what they install.
    minify: false,
    legalComments: "inline",
    logLevel: "warning",
  });
  cpSync(join(here, "static"), out, { recursive: true });
  cpSync(join(here, "..", "icons", "32x32.png"), join(out, "icons", "32.png"));
  cpSync(join(here, "..", "icons", "128x128.png"), join(out, "icons", "128.png"));
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  execFileSync(
    process.execPath,
    [join(here, "node_modules", "web-ext", "bin", "web-ext.js"), "build", "--source-dir", out, "--artifacts-dir", dist,
      "--filename", `quire-${name}.zip`, "--overwrite-dest"],
    { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, WEB_EXT_NO_UPDATE_CHECK: "1" } },
  );
  console.log(`built dist/${name}/ and dist/quire-${name}.zip`);
}
