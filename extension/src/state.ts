/** What the background, the popup and the options page share: the per-tab status and pending highlight, in `storage.session`. */
import type { Color } from "./api";
import type { TextQuoteSelector } from "./selector";

export type OpStatus =
  | { op: "page" | "highlight"; state: "working"; at: number }
  | {
      op: "page";
      state: "done";
      at: number;
      articleId: number;
      title: string;
      duplicate: boolean;
      skippedImages: number;
    }
  | {
      op: "highlight";
      state: "done";
      at: number;
      articleId: number;
      highlightId: number;
      anchor: "exact" | "fuzzy" | "orphan";
      pageSaved: boolean;
      title: string;
    }
  | { op: "page" | "highlight"; state: "error"; at: number; message: string; kind: string };

export interface PendingHighlight {
  tabId: number;
  url: string;
  title: string;
  selector: TextQuoteSelector;
  at: number;
}

export const statusKey = (tabId: number): string => `status:${tabId}`;
export const pendingKey = (tabId: number): string => `pending:${tabId}`;

export type Message =
  | { type: "popup-opened"; tabId: number }
  | { type: "save-page"; tabId: number }
  | { type: "save-highlight"; tabId: number; color: Color; note: string; tags: string[] }
  | { type: "cancel-highlight"; tabId: number };

export type PopupView = "page" | "highlight";
