import { describe, expect, it } from "vitest";
import { HINTS, toCommandError } from "./api";

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
  it("speaks of the app, never of the command line", () => {
    for (const hint of Object.values(HINTS)) expect(hint).not.toMatch(/quire |--|`/);
  });
});
