import { describe, expect, it } from "vitest";
import { MENU_ACTIONS } from "./menu";
import { IN_PLACE_ACTIONS, SHORTCUTS, actionFor, keyName, keyOf, shownKeys, withKey } from "./shortcuts";

/** The keyboard event a key of the table stands for. */
function eventOf(key: string) {
  const parts = key === "Ctrl++" ? ["Ctrl", "+"] : key.split(/\+(?=.)/);
  const base = parts[parts.length - 1];
  return {
    key: base === "Esc" ? "Escape" : parts.includes("Shift") ? base.toUpperCase() : base.length === 1 ? base.toLowerCase() : base,
    ctrlKey: parts.includes("Ctrl"),
    metaKey: false,
    shiftKey: parts.includes("Shift") || base === "?",
    altKey: false,
  };
}

describe("the shortcut table", () => {
  it("binds each key it lists to its own action (the table and the key handling agree)", () => {
    for (const s of SHORTCUTS) {
      for (const key of s.keys) expect(actionFor(eventOf(key)), key).toBe(s.action);
    }
  });

  it("names only actions the app handles: menu items or in-place actions", () => {
    const known: readonly string[] = [...MENU_ACTIONS, ...IN_PLACE_ACTIONS];
    for (const s of SHORTCUTS) expect(known, s.action).toContain(s.action);
    const actions = SHORTCUTS.map((s) => s.action);
    expect(new Set(actions).size).toBe(actions.length);
  });

  it("gives Ctrl keys only to menu items, which show them as accelerators", () => {
    for (const s of SHORTCUTS.filter((s) => s.keys.some((k) => k.startsWith("Ctrl+")))) {
      if (s.action === "save-highlight") continue;
      expect(MENU_ACTIONS as readonly string[], s.action).toContain(s.action);
    }
  });

  it("spells keys the way events name them", () => {
    expect(keyName({ key: "o", ctrlKey: true, metaKey: false, shiftKey: false, altKey: false })).toBe("Ctrl+O");
    expect(keyName({ key: "O", ctrlKey: true, metaKey: false, shiftKey: true, altKey: false })).toBe("Ctrl+Shift+O");
    expect(keyName({ key: "e", ctrlKey: false, metaKey: true, shiftKey: false, altKey: false })).toBe("Ctrl+E");
    expect(keyName({ key: "+", ctrlKey: true, metaKey: false, shiftKey: true, altKey: false })).toBe("Ctrl+=");
    expect(keyName({ key: "J", ctrlKey: false, metaKey: false, shiftKey: true, altKey: false })).toBe("Shift+J");
    expect(keyName({ key: "Escape", ctrlKey: false, metaKey: false, shiftKey: false, altKey: false })).toBe("Esc");
    expect(keyName({ key: "l", ctrlKey: true, metaKey: false, shiftKey: false, altKey: true })).toBeNull();
    expect(actionFor({ key: "+", ctrlKey: true, metaKey: false, shiftKey: true, altKey: false })).toBe("text-larger");
  });

  it("names an action's key in tooltips", () => {
    expect(withKey("Import files", "import-files")).toBe("Import files (Ctrl+O)");
    expect(withKey("Back to the library", "back")).toBe("Back to the library (Esc)");
    expect(keyOf("next-article")).toBe("j");
    expect(withKey("Add the sample", "add-sample")).toBe("Add the sample");
  });

  it("shows arrows as arrows", () => {
    expect(shownKeys({ action: "x", keys: ["j", "ArrowDown"], help: "", where: "" })).toBe("j / ↓");
  });
});
