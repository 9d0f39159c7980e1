/**
 * What an import from another app did, in the dialog's words: the counts of its summary, and
 * the progress line while it runs. Pure; the dialog renders these.
 */
import type { ImportEvent, ImportReport } from "../bindings";
import { plural } from "./format";

/** The summary's counts: articles and highlights, each as a list of "N what" phrases. */
export interface ReportCounts {
  articles: string[];
  highlights: string[];
}

/**
 * Articles added with their text, already there, kept as links; highlights exact, fuzzy,
 * orphaned, already there. Zero counts are left out, except the first of each line.
 */
export function reportCounts(report: ImportReport): ReportCounts {
  const links = report.link_only.length;
  const articles = keepFirst([
    [report.added.length - links, plural(report.added.length - links, "article") + " added"],
    [report.already.length, `${report.already.length} already in your library`],
    [links, `${plural(links, "article")} kept as ${links === 1 ? "a link" : "links"}`],
  ]);
  const h = report.highlights;
  const total = h.exact + h.fuzzy + h.orphaned;
  const highlights = keepFirst([
    [total, plural(total, "highlight") + " imported"],
    [h.exact, `${h.exact} placed exactly`],
    [h.fuzzy, `${h.fuzzy} placed where the text had changed`],
    [h.orphaned, `${h.orphaned} not found in the text`],
    [h.already, `${h.already} already there`],
  ]);
  return { articles, highlights };
}

function keepFirst(parts: [number, string][]): string[] {
  return parts.filter(([n], i) => i === 0 || n > 0).map(([, text]) => text);
}

/** The running import as the dialog shows it: items done of the total, and the last one. */
export interface RunningImport {
  total: number | null;
  done: number;
  current: string;
}

export const notStarted = (): RunningImport => ({ total: null, done: 0, current: "" });

/** The progress after one event of the import. */
export function progressAfter(progress: RunningImport, event: ImportEvent): RunningImport {
  if (event.event === "started") return { total: event.total, done: 0, current: "" };
  return { ...progress, done: progress.done + 1, current: event.name };
}

/** "3 of 12 — How Tides Work", or "Reading the file…" before it has been read. */
export function progressLine(progress: RunningImport): string {
  if (progress.total === null) return "Reading the file…";
  return `${progress.done} of ${progress.total}${progress.current ? ` — ${progress.current}` : ""}`;
}
