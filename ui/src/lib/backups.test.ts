import { describe, expect, it } from "vitest";
import { backupLine, fileName, formatSize, formatTakenAt, kindLabel } from "./backups";

describe("backups", () => {
  it("names each kind in the app's words", () => {
    expect(kindLabel("manual")).toBe("Made by you");
    expect(kindLabel("daily")).toBe("Daily");
    expect(kindLabel("before_migration")).toBe("Before an upgrade");
  });
  it("formats sizes", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(1023)).toBe("1023 B");
    expect(formatSize(1024)).toBe("1 KB");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(200 * 1024)).toBe("200 KB");
    expect(formatSize(3.4 * 1024 * 1024)).toBe("3.4 MB");
    expect(formatSize(5 * 1024 ** 4 * 1024)).toBe("5120 TB");
  });
  it("shows the time in the local zone", () => {
    const utc = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" });
    expect(formatTakenAt("2026-11-27T21:05:09Z", utc)).toBe("27 Nov 2026, 21:05");
    const tokyo = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });
    expect(formatTakenAt("2026-11-27T21:05:09Z", tokyo)).toBe("28 Nov 2026, 06:05");
    expect(formatTakenAt("not a date")).toBe("not a date");
  });
  it("says what a backup holds", () => {
    const report = { path: "/x", bytes: 2048, schema: 9, articles: 1, highlights: 4, tags: 2 };
    expect(backupLine(report)).toBe("1 article · 4 highlights · 2 KB");
  });
  it("names a kept file by its last part, on every system", () => {
    expect(fileName("/home/me/.local/share/quire/library.sqlite3.before-restore-20261127-220000")).toBe(
      "library.sqlite3.before-restore-20261127-220000",
    );
    expect(fileName("C:\\Users\\me\\Quire\\library.sqlite3.before-restore-1")).toBe("library.sqlite3.before-restore-1");
    expect(fileName("plain")).toBe("plain");
  });
});
