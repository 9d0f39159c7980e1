/** The options page: pairing with Quire, the port, a connection test, unpairing. */
import browser from "webextension-polyfill";
import { DEFAULT_PORT, QuireClient, QuireError } from "./api";
import { clientName, forgetToken, loadSettings, QUIRE_ORIGINS, saveSettings, unchecked } from "./settings";

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`options.html lacks #${id}`);
  return el as T;
}

function say(id: "state" | "result", text: string, kind: "ok" | "error" | "" = ""): void {
  const el = $(id);
  el.textContent = text;
  el.className = kind;
}

function words(e: unknown): string {
  return e instanceof QuireError ? e.message : `Something went wrong: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * Asks for access to 127.0.0.1 when the browser has not granted it (Firefox may install it
 * without); must be called straight from the click, before any await.
 */
function askAccess(): Promise<boolean> {
  return browser.permissions.request({ origins: QUIRE_ORIGINS }).catch(() => false);
}

const NO_ACCESS =
  "The browser did not allow the extension to reach Quire on this computer (127.0.0.1). Allow it when asked, or in the browser's extension settings.";

async function refresh(): Promise<void> {
  const settings = await loadSettings();
  $<HTMLInputElement>("port").value = String(settings.port);
  $("unpair").hidden = !settings.token;
  if (!settings.token) {
    say("state", "Not paired yet: enter the pairing code from the Quire app's settings or from `quire pair`.");
    return;
  }
  if (!(await browser.permissions.contains({ origins: QUIRE_ORIGINS }))) {
    say("state", "Paired, but the browser has not allowed access to 127.0.0.1 yet: press Test connection.", "error");
    return;
  }
  await test("state");
}

async function test(where: "state" | "result"): Promise<void> {
  say(where, "Connecting…");
  try {
    const c = await unchecked();
    const s = await c.status();
    const port = (await loadSettings()).port;
    $<HTMLInputElement>("port").value = String(port);
    say(
      where,
      `Connected to Quire ${s.version} on port ${port}: ${s.articles} article${s.articles === 1 ? "" : "s"} in the library.`,
      "ok",
    );
  } catch (e) {
    say(where, words(e), "error");
  }
}

$("pair-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const access = askAccess();
  const code = $<HTMLInputElement>("code").value;
  void (async () => {
    if (!(await access)) return say("result", NO_ACCESS, "error");
    say("result", "Pairing…");
    const settings = await loadSettings();
    const c = new QuireClient(
      { token: undefined, tokenId: undefined, port: settings.port },
      { fetch: (input, init) => fetch(input, init), onPort: (port) => saveSettings({ port }) },
    );
    try {
      const { token, tokenId, port } = await c.pair(code, clientName());
      await saveSettings({ token, tokenId, port });
      $<HTMLInputElement>("code").value = "";
      say("result", `Paired with Quire on port ${port}. Pages you save now go to your library.`, "ok");
      await refresh();
    } catch (err) {
      say("result", words(err), "error");
    }
  })();
});

$("port-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const port = Number($<HTMLInputElement>("port").value);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    say("result", `A port is a whole number from 1024 to 65535 (Quire's is ${DEFAULT_PORT} unless it was taken).`, "error");
    return;
  }
  void saveSettings({ port }).then(() => say("result", `Port set to ${port}.`, "ok"));
});

$("test").addEventListener("click", () => {
  const access = askAccess();
  void access.then((ok) => (ok ? test("result") : say("result", NO_ACCESS, "error")));
});

$("unpair").addEventListener("click", () => {
  void forgetToken().then(async () => {
    say(
      "result",
      "Unpaired: this browser forgot its token. To revoke it in Quire too, remove this browser in the app's settings or run `quire token list` and `quire token revoke ID`.",
      "ok",
    );
    await refresh();
  });
});

void refresh();
