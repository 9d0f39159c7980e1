/** How the Backups dialog words a backup: its kind, its date (local time) and its size. */
import type { BackupKind, BackupReport } from "../bindings";
import { plural } from "./format";

const KINDS: Record<BackupKind, string> = {
  manual: "Made by you",
  daily: "Daily",
  before_migration: "Before an upgrade",
};

export function kindLabel(kind: BackupKind): string {
  return KINDS[kind];
}

/** "12 KB", "3.4 MB": bytes in the units a person reads (1 KB = 1024 bytes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, "") : String(Math.round(value));
  return `${shown} ${units[unit]}`;
}

const whenFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** When a backup was made (RFC 3339 UTC) in the local time zone; unparsable input as is. */
export function formatTakenAt(takenAt: string, format: Intl.DateTimeFormat = whenFormat): string {
  const date = new Date(takenAt);
  return Number.isNaN(date.getTime()) ? takenAt : format.format(date);
}

/** What a backup holds, in one line: "12 articles · 40 highlights · 1.2 MB". */
export function backupLine(report: BackupReport): string {
  return [plural(report.articles, "article"), plural(report.highlights, "highlight"), formatSize(report.bytes)].join(" · ");
}

/** The last part of a path, whatever the system's separator. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
