/**
 * What each native menu item (src-tauri/src/menu.rs) does in the UI. A Rust test checks that
 * every menu id appears here.
 */
export type MenuAction =
  | "clip"
  | "import-files"
  | "import-folder"
  | "add-sample"
  | "export-pdf"
  | "show-library"
  | "focus-search"
  | "theme-system"
  | "theme-light"
  | "theme-sepia"
  | "theme-dark"
  | "text-larger"
  | "text-smaller"
  | "shortcuts";

export const MENU_ACTIONS: readonly MenuAction[] = [
  "clip",
  "import-files",
  "import-folder",
  "add-sample",
  "export-pdf",
  "show-library",
  "focus-search",
  "theme-system",
  "theme-light",
  "theme-sepia",
  "theme-dark",
  "text-larger",
  "text-smaller",
  "shortcuts",
];

export function isMenuAction(id: string): id is MenuAction {
  return (MENU_ACTIONS as readonly string[]).includes(id);
}

/** Keyboard shortcuts, as the help overlay lists them. */
export const SHORTCUTS: { keys: string; what: string; where: string }[] = [
  { keys: "j / ↓", what: "Next article", where: "Library" },
  { keys: "k / ↑", what: "Previous article", where: "Library" },
  { keys: "Enter", what: "Open the article", where: "Library" },
  { keys: "/", what: "Search", where: "Everywhere" },
  { keys: "Ctrl+L", what: "Clip an address or pasted text", where: "Everywhere" },
  { keys: "Ctrl+O", what: "Import files", where: "Everywhere" },
  { keys: "h", what: "Highlight the selection", where: "Reader" },
  { keys: "Ctrl+Enter", what: "Save the highlight", where: "Highlight popover" },
  { keys: "Ctrl+E", what: "Export PDF", where: "Reader, Topic" },
  { keys: "Ctrl+= / Ctrl+-", what: "Larger / smaller text", where: "Reader" },
  { keys: "Esc", what: "Close, or back to the library", where: "Everywhere" },
  { keys: "?", what: "This help", where: "Everywhere" },
];
