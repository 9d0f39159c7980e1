import { describe, expect, it } from "vitest";
import { scrollToRow, visibleWindow } from "./virtual";

describe("visibleWindow", () => {
  it("renders only the rows near the viewport of a 100,000-row list", () => {
    const w = visibleWindow(100_000, 80, 800_000, 800, 5);
    expect(w.start).toBe(9995);
    expect(w.end).toBe(10016);
    expect(w.before).toBe(9995 * 80);
    expect(w.before + (w.end - w.start) * 80 + w.after).toBe(100_000 * 80);
  });
  it("clamps at both ends", () => {
    expect(visibleWindow(3, 80, 0, 800)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(visibleWindow(0, 80, 0, 800)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
    const past = visibleWindow(10, 80, 10_000, 400, 2);
    expect(past.end).toBe(10);
    expect(past.start).toBeLessThan(10);
  });
});

describe("scrollToRow", () => {
  it("scrolls just enough to show the row", () => {
    expect(scrollToRow(0, 80, 400, 800)).toBe(0);
    expect(scrollToRow(20, 80, 0, 800)).toBe(20 * 80 + 80 - 800);
    expect(scrollToRow(5, 80, 0, 800)).toBe(0);
  });
});
