// User text on screen: what may be shown of an address, and how long a text may be where it
// cannot wrap (tooltips, labels). Titles, sites, tags, notes and quotes are shown inside
// `<bdi>` (isolated, direction from their own first strong character: app.css), so a
// right-to-left override in one of them never reorders what is around it.

/** Bidi marks, embeddings, overrides and isolates; zero-width and other invisible characters. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** Control characters (C0, DEL, C1). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** An address as it may be shown: without bidi controls, zero-width characters or controls,
 * so that what one reads is what opens (the app opens links the same way, in Rust). */
export function visibleAddress(address: string): string {
  return address.replace(INVISIBLE, "").replace(CONTROLS, "").trim();
}

/** Whether a text holds a character that reorders or hides text around it. */
export function hasBidiControls(text: string): boolean {
  return /[\u202a-\u202e\u2066-\u2069]/.test(text);
}

/** At most `max` characters (whole code points), with an ellipsis when cut: for tooltips and
 * labels, where a very long title (18,000 characters) must not fill the screen. */
export function shortened(text: string, max = 200): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
