/**
 * The keyboard shortcuts, from the one table `shortcuts.json`. The native menu reads the same
 * file for its accelerators (src-tauri/src/shortcuts.rs), the help overlay lists it, and every
 * key handler asks {@link actionFor} or {@link matches} instead of comparing keys itself.
 */
import table from "./shortcuts.json";

export interface Shortcut {
  /** A menu item's id (`menu.ts`) or one of {@link IN_PLACE_ACTIONS}. */
  action: string;
  /** In the table's spelling: `j`, `ArrowDown`, `Esc`, `/`, `Ctrl+L`, `Ctrl+Shift+O`. */
  keys: string[];
  help: string;
  where: string;
}

export const SHORTCUTS: readonly Shortcut[] = table;

/** Actions handled by the screen or component that has the focus, not by a menu item. */
export const IN_PLACE_ACTIONS = [
  "next-article",
  "previous-article",
  "open-article",
  "highlight",
  "save-highlight",
  "back",
] as const;

type KeyEvent = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">;

/** The key an event is, in the table's spelling; `null` for chords no shortcut uses (Alt). */
export function keyName(event: KeyEvent): string | null {
  if (event.altKey) return null;
  let key = event.key === "Escape" ? "Esc" : event.key;
  const letter = /^[a-z]$/i.test(key);
  if (event.ctrlKey || event.metaKey) {
    // Ctrl++ is Ctrl+Shift+= on most layouts: both mean larger text.
    if (key === "+") key = "=";
    return `Ctrl+${event.shiftKey && letter ? "Shift+" : ""}${letter ? key.toUpperCase() : key}`;
  }
  if (letter) return event.shiftKey ? `Shift+${key.toUpperCase()}` : key.toLowerCase();
  return key;
}

/** The action the table binds to this key, if any. */
export function actionFor(event: KeyEvent): string | null {
  const name = keyName(event);
  if (name === null) return null;
  return SHORTCUTS.find((s) => s.keys.includes(name))?.action ?? null;
}

/** Whether the event is one of the keys of `action`. */
export function matches(event: KeyEvent, action: string): boolean {
  return actionFor(event) === action;
}

const SHOWN: Record<string, string> = { ArrowDown: "↓", ArrowUp: "↑", ArrowLeft: "←", ArrowRight: "→" };

/** The keys as the help overlay shows them: `j / ↓`. */
export function shownKeys(shortcut: Shortcut): string {
  return shortcut.keys.map((k) => SHOWN[k] ?? k).join(" / ");
}

/** The first key of an action, as shown: `Ctrl+O`, `/`; empty if it has none. */
export function keyOf(action: string): string {
  const key = SHORTCUTS.find((s) => s.action === action)?.keys[0];
  return key ? (SHOWN[key] ?? key) : "";
}

/** A button's tooltip naming its shortcut: `Import files (Ctrl+O)`. */
export function withKey(text: string, action: string): string {
  const key = keyOf(action);
  return key ? `${text} (${key})` : text;
}
