// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { rangeToOffsets } from "./selection";

/** Two blocks as the reader renders them: "Alpha beta" (0..10) and "Ωmega 😀 end" (12..). */
function render(): HTMLElement {
  const root = document.createElement("div");
  root.innerHTML =
    '<p data-block-start="0"><span data-start="0">Alpha </span><strong data-start="6">be<mark data-start="8">ta</mark></strong></p>' +
    '<p data-block-start="12"><span data-start="12">Ωmega 😀 end</span></p>';
  document.body.replaceChildren(root);
  return root;
}

function textOf(root: HTMLElement, selector: string): Text {
  return root.querySelector(selector)!.firstChild as Text;
}

describe("rangeToOffsets", () => {
  it("maps a selection inside one span", () => {
    const root = render();
    const r = document.createRange();
    r.setStart(textOf(root, "span"), 1);
    r.setEnd(textOf(root, "span"), 5);
    expect(rangeToOffsets(r, root)).toEqual({ start: 1, end: 5 });
  });

  it("maps across spans, marks and blocks", () => {
    const root = render();
    const r = document.createRange();
    r.setStart(textOf(root, "span"), 6); // end of "Alpha "
    r.setEnd(textOf(root, "p + p span"), 5); // "Ωmega"
    expect(rangeToOffsets(r, root)).toEqual({ start: 6, end: 17 });
    const m = document.createRange();
    m.setStart(textOf(root, "mark"), 1);
    m.setEnd(textOf(root, "mark"), 2);
    expect(rangeToOffsets(m, root)).toEqual({ start: 9, end: 10 });
  });

  it("counts an emoji as one scalar value, not two UTF-16 units", () => {
    const root = render();
    const text = textOf(root, "p + p span");
    const r = document.createRange();
    r.setStart(text, 6); // before 😀
    r.setEnd(text, 12); // after " end" (😀 is two UTF-16 units)
    expect(rangeToOffsets(r, root)).toEqual({ start: 18, end: 23 });
  });

  it("moves boundaries between elements to the nearest text", () => {
    const root = render();
    const [first, second] = root.querySelectorAll("p");
    const r = document.createRange();
    r.setStart(first, 0); // a triple click: from the start of the block…
    r.setEnd(second, 0); // …to the start of the next one
    expect(rangeToOffsets(r, root)).toEqual({ start: 0, end: 10 });
  });

  it("gives null for a collapsed selection or one outside the article", () => {
    const root = render();
    const r = document.createRange();
    r.setStart(textOf(root, "span"), 2);
    r.setEnd(textOf(root, "span"), 2);
    expect(rangeToOffsets(r, root)).toBeNull();
    const outside = document.createElement("p");
    outside.textContent = "elsewhere";
    document.body.append(outside);
    const o = document.createRange();
    o.selectNodeContents(outside);
    expect(rangeToOffsets(o, root)).toBeNull();
  });
});
