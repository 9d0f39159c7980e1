// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from "vitest";
import { RenderedText, selectorFor, type RangeLike } from "../src/selector";

function page(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body;
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id}`);
  return el;
}

/** The first text node under `el` (or `el` itself). */
function textIn(el: Node): Text {
  if (el.nodeType === 3) return el as Text;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const t = walker.nextNode();
  if (!t) throw new Error("no text");
  return t as Text;
}

/** A range from the `from`-th occurrence of `startText` to the end of `endText` after it, by text node offsets. */
function rangeOf(startNode: Node, startOffset: number, endNode: Node, endOffset: number): RangeLike {
  const r = document.createRange();
  r.setStart(startNode, startOffset);
  r.setEnd(endNode, endOffset);
  return r;
}

/** Selects `needle` inside a single text node. */
function selectInText(node: Text, needle: string, occurrence = 1): RangeLike {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = node.data.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not in "${node.data}"`);
  }
  return rangeOf(node, at, node, at + needle.length);
}

beforeEach(() => {
  document.head.innerHTML = "";
  document.body.innerHTML = "";
});

describe("rendered text", () => {
  it("joins inline elements without spaces and separates blocks and <br> with one", () => {
    const body = page(
      `<h1>Title</h1><p>foo<span>bar</span> <em>baz</em></p><div>line one<br>line two</div><p>last</p>`,
    );
    expect(new RenderedText(body).text).toBe("Title foobar baz line one line two last");
  });

  it("collapses whitespace runs (spaces, tabs, newlines, no-break spaces, pre) to one space", () => {
    const body = page(`<p>  a \t\n  b\u00a0\u00a0c  </p><pre>x

    y</pre>`);
    expect(new RenderedText(body).text).toBe("a b c x y");
  });

  it("separates table cells and list items", () => {
    const body = page(
      `<table><tr><td>Country</td><td>Joined</td></tr><tr><td>Finland</td><td>2023</td></tr></table><ul><li>one</li><li>two</li></ul>`,
    );
    expect(new RenderedText(body).text).toBe("Country Joined Finland 2023 one two");
  });

  it("skips hidden text: display none, hidden, aria-hidden, visibility hidden, scripts and styles", () => {
    document.head.innerHTML = `<style>.gone { display: none } .ghost { visibility: hidden }</style>`;
    const body = page(
      `<p>a<span class="gone">X</span>b<span hidden>Y</span>c<span aria-hidden="true">Z</span>d` +
        `<span class="ghost">W<b style="visibility: visible">e</b></span>f<script>var s = 1;</script>` +
        `<style>p { color: red }</style><noscript>enable js</noscript><template>T</template>g</p>`,
    );
    expect(new RenderedText(body).text).toBe("abcdefg");
  });

  it("walks open shadow roots where they render, with slotted content in place", () => {
    const body = page(`<p id="before">Before</p><div id="host"><span slot="s">slotted</span><span>unassigned</span></div><p>After</p>`);
    const root = byId("host").attachShadow({ mode: "open" });
    root.innerHTML = `<p>inside <slot name="s">fallback</slot> shadow</p><p><slot name="none">fallback</slot></p>`;
    expect(new RenderedText(body).text).toBe("Before inside slotted shadow fallback After");
  });

  it("walks closed shadow roots when the caller can reach them", () => {
    const body = page(`<p>Out</p><div id="host"></div>`);
    const root = byId("host").attachShadow({ mode: "closed" });
    root.innerHTML = `<p>closed text</p>`;
    expect(new RenderedText(body).text).toBe("Out");
    const roots = new Map<Element, ShadowRoot>([[byId("host"), root]]);
    const text = new RenderedText(body, { shadowRootOf: (el) => roots.get(el) ?? el.shadowRoot }).text;
    expect(text).toBe("Out closed text");
  });
});

describe("selectorFor", () => {
  it("takes text across elements, with context from the neighbouring elements", () => {
    const body = page(`<p>The <b id="q">quick</b> brown <i id="f">fox</i> jumps over the lazy dog.</p>`);
    const range = rangeOf(textIn(byId("q")), 2, textIn(byId("f")), 2);
    expect(selectorFor(range, body)).toEqual({ exact: "ick brown fo", prefix: "The qu", suffix: "x jumps over the lazy dog." });
  });

  it("leaves hidden text out of the quote and its context", () => {
    const body = page(`<p id="p">Start <span style="display:none">secret</span>middle<span aria-hidden="true">icon</span> end.</p>`);
    const p = byId("p");
    const range = rangeOf(p.firstChild!, 0, p.lastChild!, 4);
    expect(selectorFor(range, body)).toEqual({ exact: "Start middle end", prefix: "", suffix: "." });
  });

  it("handles a selection that starts or ends inside a hidden element", () => {
    const body = page(`<p id="p">one <span id="h" hidden>hidden words</span>two three</p>`);
    const range = rangeOf(textIn(byId("h")), 3, byId("p").lastChild!, 3);
    expect(selectorFor(range, body)).toEqual({ exact: "two", prefix: "one ", suffix: " three" });
  });

  it("handles selections in and across shadow DOM", () => {
    const body = page(`<p id="a">Light text before</p><div id="host"></div><p>Light after</p>`);
    const root = byId("host").attachShadow({ mode: "open" });
    root.innerHTML = `<p id="inner">Shadow paragraph text</p>`;
    const inner = textIn(root.getElementById("inner")!);
    expect(selectorFor(selectInText(inner, "paragraph"), body)).toEqual({
      exact: "paragraph",
      prefix: "Light text before Shadow ",
      suffix: " text Light after",
    });
    // From the light DOM into the shadow tree (a composed range, as getComposedRanges gives).
    const across: RangeLike = { startContainer: textIn(byId("a")), startOffset: 6, endContainer: inner, endOffset: 6 };
    expect(selectorFor(across, body)?.exact).toBe("text before Shadow");
  });

  it("turns <br> into a space", () => {
    const body = page(`<p id="p">first line<br>second line</p>`);
    const p = byId("p");
    const range = rangeOf(p.firstChild!, 6, p.lastChild!, 6);
    expect(selectorFor(range, body)?.exact).toBe("line second");
  });

  it("counts emoji and other astral characters as one character and never splits them", () => {
    const before = "😀🇫🇮𝔸".repeat(12); // 48 code points (the flag is two)
    const body = page(`<p id="p">${before}quote here${"🎉".repeat(40)}</p>`);
    const node = textIn(byId("p"));
    const s = selectorFor(selectInText(node, "quote here"), body)!;
    expect(s.exact).toBe("quote here");
    expect(Array.from(s.prefix)).toHaveLength(32);
    expect(s.prefix).toBe(Array.from(before).slice(-32).join(""));
    expect(s.suffix).toBe("🎉".repeat(32));
    expect(s.prefix).not.toMatch(/^[\udc00-\udfff]/);
  });

  it("widens a selection that cuts a surrogate pair in half", () => {
    const body = page(`<p id="p">a 😀 b</p>`);
    const node = textIn(byId("p"));
    // Offset 3 is between the emoji's two UTF-16 units.
    expect(selectorFor(rangeOf(node, 3, node, 6), body)?.exact).toBe("😀 b");
    expect(selectorFor(rangeOf(node, 0, node, 3), body)?.exact).toBe("a 😀");
  });

  it("tells repeated quotes apart by their prefix and suffix", () => {
    const body = page(
      `<p id="one">NATO said the door is open to Ukraine.</p><p id="two">Moscow said the door is open to talks.</p>`,
    );
    const first = selectorFor(selectInText(textIn(byId("one")), "the door is open"), body)!;
    const second = selectorFor(selectInText(textIn(byId("two")), "the door is open"), body)!;
    expect(first.exact).toBe(second.exact);
    expect(first).toEqual({ exact: "the door is open", prefix: "NATO said ", suffix: " to Ukraine. Moscow said the doo" });
    expect(second).toEqual({ exact: "the door is open", prefix: "is open to Ukraine. Moscow said ", suffix: " to talks." });
    expect(Array.from(second.prefix)).toHaveLength(32);
  });

  it("tells repeated quotes in one text node apart", () => {
    const body = page(`<p id="p">alpha beta gamma beta delta</p>`);
    const node = textIn(byId("p"));
    expect(selectorFor(selectInText(node, "beta", 1), body)).toEqual({ exact: "beta", prefix: "alpha ", suffix: " gamma beta delta" });
    expect(selectorFor(selectInText(node, "beta", 2), body)).toEqual({ exact: "beta", prefix: "alpha beta gamma ", suffix: " delta" });
  });

  it("resolves boundaries given as element + child index", () => {
    const body = page(`<p id="p">zero<b>one</b><i>two</i>three</p>`);
    const p = byId("p");
    expect(selectorFor(rangeOf(p, 1, p, 3), body)).toEqual({ exact: "onetwo", prefix: "zero", suffix: "three" });
    // A whole block selected from outside it (body, index of the paragraph).
    const body2 = page(`<p>before</p><p id="mid">middle part</p><p>after</p>`);
    expect(selectorFor(rangeOf(body2, 1, body2, 2), body2)).toEqual({ exact: "middle part", prefix: "before ", suffix: " after" });
  });

  it("trims whitespace at the selection's ends and collapses it inside", () => {
    const body = page(`<p id="p">word   \n\t  another\n   word  end</p>`);
    const node = textIn(byId("p"));
    const range = rangeOf(node, 4, node, node.data.indexOf("end"));
    expect(selectorFor(range, body)).toEqual({ exact: "another word", prefix: "word ", suffix: " end" });
  });

  it("selects across table cells and list items", () => {
    const body = page(
      `<table><tr><td id="c1">Finland</td><td id="c2">2023</td></tr><tr><td id="c3">Sweden</td><td>2024</td></tr></table>` +
        `<ol><li id="l1">first item</li><li id="l2">second item</li></ol>`,
    );
    expect(selectorFor(rangeOf(textIn(byId("c1")), 0, textIn(byId("c3")), 6), body)?.exact).toBe("Finland 2023 Sweden");
    expect(selectorFor(rangeOf(textIn(byId("l1")), 6, textIn(byId("l2")), 6), body)).toEqual({
      exact: "item second",
      prefix: "Finland 2023 Sweden 2024 first ",
      suffix: " item",
    });
  });

  it("answers null for a selection of only whitespace or hidden text", () => {
    const body = page(`<p id="p">a   b<span hidden id="h">gone</span></p>`);
    const node = textIn(byId("p"));
    expect(selectorFor(rangeOf(node, 1, node, 4), body)).toBeNull();
    const h = textIn(byId("h"));
    expect(selectorFor(rangeOf(h, 0, h, 4), body)).toBeNull();
  });

  it("uses the layout answers it is given (for engines with layout)", () => {
    const body = page(`<p id="p">keep <span class="x">drop</span> keep</p><span id="s1">inline</span><span id="s2">as block</span>`);
    const text = new RenderedText(body, {
      displayed: (el) => !el.classList.contains("x"),
      isBlock: (el) => el.id === "s2" || el.tagName === "P",
    }).text;
    expect(text).toBe("keep keep inline as block");
  });
});
