/**
 * The toolbar popup (also opened as a small window for a highlight when the browser cannot
 * open the popup by itself): the result of "Save page", or the form of "Save selection as
 * highlight" (color, note, tags with the library's tags offered as you type).
 */
import browser from "webextension-polyfill";
import { COLORS, type Color, type TagInfo } from "./api";
import { client } from "./settings";
import { pendingKey, statusKey, type Message, type OpStatus, type PendingHighlight, type PopupView } from "./state";
import { addTag, suggestTags } from "./tags";

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`popup.html lacks #${id}`);
  return el as T;
}

function send<T>(msg: Message): Promise<T> {
  return browser.runtime.sendMessage(msg) as Promise<T>;
}

const params = new URLSearchParams(location.search);
/** Opened as its own window (not the toolbar popup). */
const standalone = params.has("tab");

async function targetTab(): Promise<number | undefined> {
  const fromUrl = Number(params.get("tab"));
  if (Number.isInteger(fromUrl) && fromUrl > 0) return fromUrl;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

function openLink(a: HTMLAnchorElement, articleId: number): void {
  a.href = `quire://article/${articleId}`;
  a.hidden = false;
}

async function readStatus(tabId: number): Promise<OpStatus | undefined> {
  const key = statusKey(tabId);
  return (await browser.storage.session.get(key))[key] as OpStatus | undefined;
}

function describe(status: OpStatus): { text: string; error: boolean } {
  if (status.state === "working") {
    return { text: status.op === "page" ? "Saving this page to Quire…" : "Saving the highlight…", error: false };
  }
  if (status.state === "error") return { text: status.message, error: true };
  if (status.op === "page") {
    let text = status.duplicate
      ? `Already in your library: “${status.title}”.`
      : `Saved to your library: “${status.title}”.`;
    if (status.skippedImages > 0) {
      text += ` ${status.skippedImages} image${status.skippedImages === 1 ? " was" : "s were"} not sent (over the size limits or refused by the site).`;
    }
    return { text, error: false };
  }
  if (status.anchor === "orphan") {
    return {
      text:
        "Highlight saved, but kept as an orphan: Quire could not find these words in the text it kept of this page. " +
        "Open the article in Quire to attach it to the right words.",
      error: true,
    };
  }
  return {
    text: status.pageSaved ? `Highlight saved; the page was added to your library: “${status.title}”.` : `Highlight saved on “${status.title}”.`,
    error: false,
  };
}

// ---- Save page ----

function showPage(tabId: number): void {
  $("page-view").hidden = false;
  $("highlight-view").hidden = true;
  const message = $("page-message");
  const render = (status: OpStatus | undefined): void => {
    if (!status) {
      message.textContent = "Reading the page…";
      return;
    }
    const { text, error } = describe(status);
    message.textContent = text;
    message.className = error ? "error" : status.state === "done" ? "ok" : "";
    const open = $<HTMLAnchorElement>("page-open");
    open.hidden = true;
    if (status.state === "done") openLink(open, status.articleId);
    $("page-again").hidden = status.state !== "error" || status.kind === "not-scriptable";
    $("page-options").hidden = !(status.state === "error" && ["not-paired", "unauthorized", "refused"].includes(status.kind));
  };
  void readStatus(tabId).then(render);
  browser.storage.session.onChanged.addListener((changes) => {
    const change = changes[statusKey(tabId)];
    if (change?.newValue) render(change.newValue as OpStatus);
  });
  $("page-again").addEventListener("click", () => void send({ type: "save-page", tabId }));
  $("page-options").addEventListener("click", () => void browser.runtime.openOptionsPage());
}

// ---- Save selection as highlight ----

let chosenTags: string[] = [];
let library: TagInfo[] = [];
let active = -1;

function renderChips(): void {
  const box = $("hl-tags");
  const input = $<HTMLInputElement>("hl-tag-input");
  for (const chip of Array.from(box.querySelectorAll(".chip"))) chip.remove();
  for (const tag of chosenTags) {
    const chip = document.createElement("span");
    chip.className = "chip";
    chip.textContent = tag;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "×";
    remove.setAttribute("aria-label", `Remove tag ${tag}`);
    remove.addEventListener("click", () => {
      chosenTags = chosenTags.filter((t) => t !== tag);
      renderChips();
    });
    chip.append(remove);
    box.insertBefore(chip, input);
  }
}

function renderSuggestions(): void {
  const list = $("hl-suggestions");
  const input = $<HTMLInputElement>("hl-tag-input");
  // Offered while a tag is being typed, over the form (an overlay: showing and hiding it never
  // moves the buttons under the pointer).
  const typing = document.activeElement === input && input.value.trim() !== "";
  const found = typing ? suggestTags(library, input.value, chosenTags) : [];
  list.replaceChildren();
  list.hidden = found.length === 0;
  if (active >= found.length) active = found.length - 1;
  found.forEach((tag, i) => {
    const li = document.createElement("li");
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", String(i === active));
    li.dataset.tag = tag.name;
    const name = document.createElement("span");
    name.textContent = tag.name;
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = String(tag.articles + tag.highlights);
    li.append(name, count);
    li.addEventListener("mousedown", (e) => {
      e.preventDefault(); // Keep the focus in the input.
      chosenTags = addTag(chosenTags, tag.name);
      input.value = "";
      active = -1;
      renderChips();
      renderSuggestions();
    });
    list.append(li);
  });
}

function setUpTagInput(): void {
  const input = $<HTMLInputElement>("hl-tag-input");
  input.addEventListener("input", () => {
    if (input.value.includes(",")) {
      for (const part of input.value.split(",")) chosenTags = addTag(chosenTags, part);
      input.value = "";
      renderChips();
    }
    active = -1;
    renderSuggestions();
  });
  input.addEventListener("focus", renderSuggestions);
  input.addEventListener("blur", () => {
    chosenTags = addTag(chosenTags, input.value);
    input.value = "";
    renderChips();
    renderSuggestions();
  });
  input.addEventListener("keydown", (e) => {
    const items = Array.from($("hl-suggestions").querySelectorAll<HTMLLIElement>("li"));
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (items.length === 0) return;
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1 + (active < 0 ? 1 : 0))) % items.length;
      renderSuggestions();
    } else if (e.key === "Enter" || (e.key === "Tab" && (input.value || active >= 0))) {
      if (e.ctrlKey || e.metaKey) return; // Ctrl+Enter saves.
      e.preventDefault();
      const picked = active >= 0 ? items[active]?.dataset.tag : undefined;
      chosenTags = addTag(chosenTags, picked ?? input.value);
      input.value = "";
      active = -1;
      renderChips();
      renderSuggestions();
    } else if (e.key === "Backspace" && input.value === "" && chosenTags.length > 0) {
      chosenTags = chosenTags.slice(0, -1);
      renderChips();
    }
  });
}

async function showHighlight(tabId: number): Promise<void> {
  const form = $<HTMLFormElement>("highlight-view");
  const message = $("hl-message");
  const quote = $("hl-quote");
  const pendingAt = pendingKey(tabId);

  const pending = await new Promise<PendingHighlight | null>((resolve) => {
    // The selection may still be being read (the popup opens at once): wait for it, or for its error.
    const done = (p: PendingHighlight | null): void => {
      browser.storage.session.onChanged.removeListener(listener);
      resolve(p);
    };
    const listener = (changes: Record<string, browser.Storage.StorageChange>): void => {
      if (changes[pendingAt]?.newValue) done(changes[pendingAt].newValue as PendingHighlight);
      const s = changes[statusKey(tabId)]?.newValue as OpStatus | undefined;
      if (s?.op === "highlight" && s.state === "error") done(null);
    };
    browser.storage.session.onChanged.addListener(listener);
    void browser.storage.session.get([pendingAt, statusKey(tabId)]).then((values) => {
      const p = values[pendingAt] as PendingHighlight | undefined;
      const s = values[statusKey(tabId)] as OpStatus | undefined;
      if (p) done(p);
      else if (s?.op === "highlight" && s.state === "error") done(null);
    });
  });
  if (!pending) {
    showPage(tabId);
    return;
  }

  form.hidden = false;
  $("page-view").hidden = true;
  quote.textContent = pending.selector.exact;
  setUpTagInput();
  $<HTMLTextAreaElement>("hl-note").focus();
  void client()
    .then((c) => c.tags())
    .then((tags) => {
      library = tags;
      renderSuggestions();
    })
    .catch(() => {
      // No suggestions; saving reports the connection problem in words.
    });

  $("hl-note").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  $("hl-cancel").addEventListener("click", () => {
    void send({ type: "cancel-highlight", tabId }).finally(() => window.close());
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>("hl-tag-input");
    chosenTags = addTag(chosenTags, input.value);
    input.value = "";
    renderChips();
    const color = (new FormData(form).get("color") as Color | null) ?? "yellow";
    const note = $<HTMLTextAreaElement>("hl-note").value;
    const save = $<HTMLButtonElement>("hl-save");
    save.disabled = true;
    message.className = "";
    message.textContent = "Saving the highlight…";
    void send<OpStatus>({ type: "save-highlight", tabId, color: COLORS.includes(color) ? color : "yellow", note, tags: chosenTags })
      .then((status) => {
        const { text, error } = describe(status);
        message.textContent = text;
        message.className = error ? "error" : "ok";
        if (status.state === "done") {
          openLink($<HTMLAnchorElement>("hl-open"), status.articleId);
          save.hidden = true;
          $("hl-cancel").textContent = "Close";
          $("hl-cancel").replaceWith($("hl-cancel").cloneNode(true));
          $("hl-cancel").addEventListener("click", () => window.close());
        } else {
          save.disabled = false;
        }
      })
      .catch((err: unknown) => {
        message.textContent = `Something went wrong: ${err instanceof Error ? err.message : String(err)}`;
        message.className = "error";
        save.disabled = false;
      });
  });
}

async function main(): Promise<void> {
  if (standalone) document.body.classList.add("window");
  const tabId = await targetTab();
  if (tabId === undefined) {
    $("page-view").hidden = false;
    $("page-message").textContent = "Open a web page to save it.";
    return;
  }
  const view = await send<PopupView>({ type: "popup-opened", tabId });
  if (view === "highlight") await showHighlight(tabId);
  else showPage(tabId);
}

void main();
