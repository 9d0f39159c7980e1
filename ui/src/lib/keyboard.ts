/**
 * The window's shortcuts, as the shortcut table (`shortcuts.json`) binds them: menu actions
 * with Ctrl (when the native menu did not take them first), `/`, `?`, Esc, and j/k from
 * anywhere into the library list. Keys that act inside one component (h in the reader,
 * Ctrl+Enter in the popover, j/k within the list) are handled there, with the same table.
 */
import { backToLibrary, menuAction } from "./actions";
import { isMenuAction } from "./menu";
import { actionFor } from "./shortcuts";
import { clearSearch, dialogs, nav, search } from "./state.svelte";

/** What the window's key handler needs from the screen on show. */
export interface KeyTargets {
  /** Moves the focus into the library list; false if it was there already or is empty. */
  focusList: () => boolean;
}

export function onWindowKeydown(event: KeyboardEvent, targets: KeyTargets) {
  const target = event.target as HTMLElement | null;
  const typing = target?.closest?.("input, textarea, select, [contenteditable]");
  const action = actionFor(event);
  if ((event.ctrlKey || event.metaKey) && !event.altKey) {
    if (action && isMenuAction(action) && !dialogs.anyOpen) {
      event.preventDefault();
      void menuAction(action);
    }
    return;
  }
  if (action === "back" && !event.defaultPrevented) {
    // A dialog closed by Esc takes the key (the reader, which also listens, stays open).
    if (dialogs.help) {
      dialogs.help = false;
      event.preventDefault();
    } else if (dialogs.exporting && !dialogs.exporting.busy) {
      dialogs.exporting = null;
      event.preventDefault();
    } else if (dialogs.browser && !dialogs.browser.busy) {
      dialogs.browser = null;
    } else if (dialogs.backups && !dialogs.backups.busy) {
      if (dialogs.backups.confirm !== null) dialogs.backups.confirm = null;
      else dialogs.backups = null;
      event.preventDefault();
    } else if (nav.route.view === "topic") void backToLibrary();
    else if (nav.route.view === "library" && document.activeElement === search.box && search.typed) clearSearch();
    return;
  }
  if (typing || dialogs.anyOpen) return;
  if ((action === "next-article" || action === "previous-article") && nav.route.view === "library") {
    // Keyboard users start moving in the list from anywhere outside a field.
    if (targets.focusList()) event.preventDefault();
    return;
  }
  if (action === "focus-search" || action === "shortcuts") {
    event.preventDefault();
    void menuAction(action);
  }
}
