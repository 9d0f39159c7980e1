/**
 * The Export dialog's choices in words: the formats (PDF and the open formats), which of them
 * a scope can take, the Markdown flavours and citation styles, and a report in one line.
 * Pure; the names on the wire come from the generated bindings.
 */
import type { ExportReport, FormatReport, OpenFormat } from "../bindings";
import type { CitationChoice, ExportScope, MarkdownChoice } from "../desktop-bindings";
import { plural } from "./format";

/** What the dialog offers: a PDF, or one of the library's open formats. */
export type ExportChoice = "pdf" | OpenFormat;

export interface FormatInfo {
  id: ExportChoice;
  label: string;
  /** What it is for, in a few words. */
  blurb: string;
}

export const FORMATS: readonly FormatInfo[] = [
  { id: "pdf", label: "PDF", blurb: "To read or print, with the highlights as real PDF annotations" },
  { id: "md", label: "Markdown", blurb: "A folder of notes for Obsidian, Logseq or any editor, linked back to Quire" },
  { id: "w3c", label: "W3C annotations", blurb: "Web Annotation JSON-LD: the highlights, for Hypothesis-style tools or another Quire" },
  { id: "csl", label: "CSL-JSON", blurb: "References for Zotero, pandoc and citation processors" },
  { id: "bibtex", label: "BibTeX", blurb: "References for LaTeX (BibLaTeX)" },
  { id: "csv", label: "CSV", blurb: "One row per highlight, for spreadsheets and Readwise" },
  { id: "archive", label: "Archive", blurb: "Everything in one zip, in open formats: Quire rebuilds the articles from it" },
];

export const MARKDOWN_STYLES: readonly { id: MarkdownChoice; label: string }[] = [
  { id: "plain", label: "Plain" },
  { id: "obsidian", label: "Obsidian" },
  { id: "logseq", label: "Logseq" },
];

export const CITATION_STYLES: readonly { id: CitationChoice; label: string }[] = [
  { id: "apa", label: "APA" },
  { id: "chicago", label: "Chicago" },
  { id: "mla", label: "MLA" },
  { id: "harvard", label: "Harvard" },
];

export function isCitationChoice(value: unknown): value is CitationChoice {
  return CITATION_STYLES.some((s) => s.id === value);
}

export function isMarkdownChoice(value: unknown): value is MarkdownChoice {
  return MARKDOWN_STYLES.some((s) => s.id === value);
}

/** The format the dialog starts on: PDF, for any scope. */
export function firstFormat(): ExportChoice {
  return FORMATS[0].id;
}

/** What is exported, for the dialog's heading. */
export function describeScope(scope: ExportScope, name: string): string {
  switch (scope.kind) {
    case "article":
      return `The article “${name}”`;
    case "tag":
      return `Every article on “${scope.tag}”`;
    case "search":
      return `The articles found by “${scope.query}”`;
    case "library":
      return "Your whole library";
  }
}

/** What was written, in one line. */
export function reportLine(report: { pdf: ExportReport } | { open: FormatReport; format: OpenFormat }): string {
  if ("pdf" in report) {
    const r = report.pdf;
    return `${plural(r.pages, "page")} · ${plural(r.highlights, "highlight")} · ${Math.max(1, Math.round(r.bytes / 1024))} KB`;
  }
  const r = report.open;
  const parts = [plural(r.articles, "article"), plural(r.highlights, "highlight")];
  if (report.format === "md" || report.format === "archive") parts.push(plural(r.files, "file"));
  return parts.join(" · ");
}
