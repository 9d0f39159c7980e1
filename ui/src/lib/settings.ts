/** Reader and app preferences, kept in the webview's local storage. */
import type { CitationChoice, MarkdownChoice } from "../desktop-bindings";
import { isCitationChoice, isMarkdownChoice } from "./exporting";

export type Theme = "system" | "light" | "sepia" | "dark";
export type Width = "narrow" | "medium" | "wide";

export interface Settings {
  theme: Theme;
  /** Reader text size in px. */
  fontSize: number;
  width: Width;
  /** The last citation style chosen (copying a quote, exporting). */
  citation: CitationChoice;
  /** The last Markdown flavour exported. */
  markdown: MarkdownChoice;
}

export const DEFAULTS: Settings = { theme: "system", fontSize: 19, width: "medium", citation: "apa", markdown: "plain" };
export const FONT_SIZES = [15, 16, 17, 18, 19, 20, 22, 24, 26];
const KEY = "quire.settings";

/** Parses stored settings, keeping only valid values. */
export function parseSettings(raw: string | null): Settings {
  let value: Record<string, unknown> = {};
  try {
    value = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    value = {};
  }
  const theme = ["system", "light", "sepia", "dark"].includes(value.theme as string) ? (value.theme as Theme) : DEFAULTS.theme;
  const fontSize = FONT_SIZES.includes(value.fontSize as number) ? (value.fontSize as number) : DEFAULTS.fontSize;
  const width = ["narrow", "medium", "wide"].includes(value.width as string) ? (value.width as Width) : DEFAULTS.width;
  const citation = isCitationChoice(value.citation) ? value.citation : DEFAULTS.citation;
  const markdown = isMarkdownChoice(value.markdown) ? value.markdown : DEFAULTS.markdown;
  return { theme, fontSize, width, citation, markdown };
}

export function loadSettings(): Settings {
  try {
    return parseSettings(localStorage.getItem(KEY));
  } catch {
    return { ...DEFAULTS };
  }
}

export function storeSettings(settings: Settings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage can be unavailable; the settings then last for this session.
  }
}

/** The next font size up or down the scale. */
export function stepFontSize(current: number, direction: 1 | -1): number {
  const i = FONT_SIZES.indexOf(current);
  const at = i < 0 ? FONT_SIZES.indexOf(DEFAULTS.fontSize) : i;
  return FONT_SIZES[Math.max(0, Math.min(FONT_SIZES.length - 1, at + direction))];
}
