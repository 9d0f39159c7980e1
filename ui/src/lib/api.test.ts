import { describe, expect, it } from "vitest";
import { APP_IMPORT_HINTS, HINTS, toCommandError } from "./api";

describe("toCommandError", () => {
  it("adds the app's hint for the kind to the library's message", () => {
    expect(toCommandError({ kind: "not_found", message: "article 7 not found" })).toEqual({
      kind: "not_found",
      message: "article 7 not found. It may have been deleted: go back to the library and look again.",
    });
  });
  it("leaves messages that already say what to do as they are", () => {
    const e = { kind: "invalid_query", message: 'invalid search query: unclosed quote: add a closing "' };
    expect(toCommandError(e)).toEqual(e);
  });
  it("turns anything else into an internal error", () => {
    expect(toCommandError("boom")).toEqual({ kind: "internal", message: `boom. ${HINTS.internal}` });
  });
  it("has its own hints for another app's export", () => {
    const e = toCommandError({ kind: "unsupported", message: "cannot import a.csv: not an export Quire knows" }, APP_IMPORT_HINTS);
    expect(e.message).toContain("Choose the app it came from");
    expect(APP_IMPORT_HINTS.network).toBe(HINTS.network);
  });
  it("speaks of the app, never of the command line", () => {
    for (const hint of [...Object.values(HINTS), ...Object.values(APP_IMPORT_HINTS)]) expect(hint).not.toMatch(/quire |--|`/);
  });
});
