/**
 * What each native menu item (src-tauri/src/menu.rs) does in the UI. A Rust test checks that
 * every menu id appears here. Their keys are in the shortcut table (`shortcuts.json`).
 */
export type MenuAction =
  | "clip"
  | "import-files"
  | "import-folder"
  | "import-app"
  | "add-sample"
  | "export-pdf"
  | "export-library"
  | "browser"
  | "backups"
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
  "import-app",
  "add-sample",
  "export-pdf",
  "export-library",
  "browser",
  "backups",
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
