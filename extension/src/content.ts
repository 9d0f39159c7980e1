/**
 * Injected into a tab (only when the user saves it or highlights in it) by the background's
 * `scripting.executeScript`, in the extension's isolated world. It defines the functions the
 * background then calls; nothing runs on its own, nothing stays listening.
 */
import { capturePage, captureSelection } from "./capture";

declare global {
  // eslint-disable-next-line no-var
  var __quireCapture: { page: typeof capturePage; selection: typeof captureSelection } | undefined;
}

globalThis.__quireCapture = { page: capturePage, selection: captureSelection };
