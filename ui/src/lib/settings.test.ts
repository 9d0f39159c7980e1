import { describe, expect, it } from "vitest";
import { DEFAULTS, parseSettings, stepFontSize } from "./settings";

describe("settings", () => {
  it("keeps valid stored values and replaces the rest", () => {
    expect(parseSettings('{"theme":"sepia","fontSize":22,"width":"wide"}')).toEqual({ ...DEFAULTS, theme: "sepia", fontSize: 22, width: "wide" });
    expect(parseSettings('{"citation":"mla","markdown":"obsidian"}')).toEqual({ ...DEFAULTS, citation: "mla", markdown: "obsidian" });
    expect(parseSettings('{"citation":"vancouver","markdown":"roam"}')).toEqual(DEFAULTS);
    expect(parseSettings('{"theme":"neon","fontSize":3}')).toEqual(DEFAULTS);
    expect(parseSettings("not json")).toEqual(DEFAULTS);
    expect(parseSettings(null)).toEqual(DEFAULTS);
  });
  it("steps the font size along the scale and stops at its ends", () => {
    expect(stepFontSize(19, 1)).toBe(20);
    expect(stepFontSize(15, -1)).toBe(15);
    expect(stepFontSize(26, 1)).toBe(26);
    expect(stepFontSize(21, 1)).toBe(20);
  });
});
