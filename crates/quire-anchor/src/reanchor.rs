//! Re-anchoring a stored highlight against a possibly changed canonical text.
//!
//! The order of attempts:
//!
//! 1. the stored position still holds the quote → [`AnchorKind::Exact`];
//! 2. the quote occurs (verbatim up to normalization) elsewhere: the best occurrence by
//!    prefix/suffix similarity and nearness to the stored position → [`AnchorKind::Moved`] (or
//!    `Exact` if at the stored position). A short quote (under 16 chars, like "NATO") must keep
//!    some of its context, or the occurrence is a coincidence. If the best occurrence's context
//!    disagrees, an edited quote at the stored place (≤ 1/8 changed, not overlapping it) may win
//!    on score: the highlighted occurrence was edited, another copy of its words was not;
//! 3. an approximate match (bit-parallel Myers) within a budget of a quarter of the quote's
//!    length (none under 4 chars), scored like Hypothesis's `match-quote.ts` (quote 50,
//!    prefix 20, suffix 20, position 2) but accepted only when trustworthy: under 24 chars the
//!    context must agree, beyond 1/8 of the quote changed it must partly agree, and past the
//!    budget (up to 3/8) only when both prefix and suffix are intact. The start of a match is
//!    chosen among nearly-as-good alignments by its prefix. Searched first within ±(quote + 512)
//!    chars of the expected place, then, with a budget of at most 1/10, in the regions where
//!    enough of the quote's disjoint pieces occur on one diagonal (q-gram lemma) →
//!    [`AnchorKind::Fuzzy`];
//! 4. the stored prefix and suffix, verbatim, still frame a heavily edited quote (up to half its
//!    characters changed) → [`AnchorKind::Fuzzy`];
//! 5. otherwise [`AnchorKind::Orphan`].
//!
//! Hypothesis allows up to half the quote to differ, accepts the best candidate whatever its
//! score, and never tries an approximate match when the quote occurs verbatim anywhere; the
//! stricter rules above are what keep "NATO" from anchoring to garbage, a deleted sentence from
//! anchoring to its neighbour, and an edited repeated quote from jumping to another copy.
//!
//! Matching runs on a normalized copy of the text (curly/straight quotes, dashes, ellipsis,
//! non-breaking and other spaces, runs of whitespace, soft hyphens and zero-width chars) whose
//! chars map back to original offsets, so typography changes cost nothing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::myers::{self, Peq};
use crate::normalize::{normalize, Normalized};
use crate::{Text, TextPositionSelector, TextQuoteSelector};

/// What re-anchoring found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AnchorKind {
    /// The quote is where it was (up to typography/whitespace normalization).
    Exact,
    /// The quote is intact but elsewhere.
    Moved,
    /// The text was edited: the range best corresponding to the quote, `distance` edits
    /// (Levenshtein, on normalized text) away from it.
    Fuzzy { distance: u32 },
    /// The quote is gone.
    Orphan,
}

/// The outcome of [`Text::reanchor`]: `position` is `None` exactly when the kind is `Orphan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Anchored {
    pub kind: AnchorKind,
    pub position: Option<TextPositionSelector>,
}

impl Anchored {
    pub const ORPHAN: Anchored = Anchored { kind: AnchorKind::Orphan, position: None };
}

// Score weights (Hypothesis uses 50/20/20/2 for quote/prefix/suffix/position).
const W_QUOTE: f64 = 50.0;
const W_PREFIX: f64 = 20.0;
const W_SUFFIX: f64 = 20.0;
const W_POS: f64 = 2.0;
/// Radius of the first search window around the stored position, beyond the quote's length.
const NEAR: usize = 512;
/// At most this many starts (the best alignments) are scored per candidate end.
const MAX_STARTS: usize = 16;
/// Quotes shorter than this (normalized chars) need some context agreement even when found
/// verbatim away from their stored position.
const SHORT: usize = 16;
/// Windows wider than this (chars) are searched through the q-gram index instead.
const FAR: usize = 32_768;
/// q-gram length of the far fuzzy search's filter.
const GRAM: usize = 6;
/// More candidate regions than this and the far search scans the whole text instead.
const MAX_REGIONS: usize = 20_000;
/// At most this many approximate candidates are scored per search.
const MAX_CANDIDATES: usize = 256;

/// The error budget for a quote of `m` normalized chars.
fn budget(m: usize) -> usize {
    if m < 4 {
        0
    } else {
        (m / 4).max(1)
    }
}

/// The budget for a range whose prefix and suffix both still agree.
fn extended(k: usize) -> usize {
    k + k / 2
}

struct Query {
    quote: Vec<char>,
    quote_str: String,
    prefix_chars: Vec<char>,
    suffix_chars: Vec<char>,
    /// Reversed normalized prefix (matched backwards from a candidate's start).
    prefix: Option<(Peq, usize)>,
    suffix: Option<(Peq, usize)>,
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    start: usize,
    end: usize,
    distance: usize,
    prefix: f64,
    suffix: f64,
    score: f64,
}

impl Cand {
    /// Mean similarity of the stored context that exists.
    fn context(&self, q: &Query) -> f64 {
        match (q.prefix.is_some(), q.suffix.is_some()) {
            (true, true) => (self.prefix + self.suffix) / 2.0,
            (true, false) => self.prefix,
            (false, true) => self.suffix,
            (false, false) => 0.5,
        }
    }
}

impl Text<'_> {
    pub(crate) fn index(&self) -> &Normalized {
        self.index.get_or_init(|| Normalized::new(self.text, self.len()))
    }

    /// Re-anchors a stored highlight (its quote and, if known, its old position) in this text
    /// and says how: see [`AnchorKind`]. Never panics, whatever the selectors hold; an old
    /// position outside this text is ignored. A returned position is non-empty, inside the text
    /// and not only whitespace, so [`Text::selectors`] accepts it (to refresh the stored quote).
    pub fn reanchor(&self, quote: &TextQuoteSelector, old: Option<TextPositionSelector>) -> Anchored {
        self.reanchor_shifted(quote, old, 0)
    }

    /// [`Text::reanchor`] for many highlights; the normalized index is built once, and each
    /// search starts where the previous highlight (in stored order) moved to, so that text
    /// inserted or removed earlier in the article does not push later searches out of their
    /// first window.
    pub fn reanchor_all(&self, items: &[(TextQuoteSelector, Option<TextPositionSelector>)]) -> Vec<Anchored> {
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by_key(|&i| items[i].1.map_or(usize::MAX, |p| p.start));
        let mut out = vec![Anchored::ORPHAN; items.len()];
        let mut shift: i64 = 0;
        for i in order {
            let (quote, old) = &items[i];
            let a = self.reanchor_shifted(quote, *old, shift);
            if let (Some(p), Some(o)) = (a.position, old) {
                shift = p.start as i64 - o.start as i64;
            }
            out[i] = a;
        }
        out
    }

    /// `shift`: where to expect the quote relative to its stored position (in chars).
    fn reanchor_shifted(&self, quote: &TextQuoteSelector, old: Option<TextPositionSelector>, shift: i64) -> Anchored {
        let len = self.len();
        let old = old.filter(|p| p.start < p.end && p.end <= len);
        // 1. The stored position, verbatim.
        if let Some(p) = old {
            if self.slice(p.start, p.end) == quote.exact {
                return Anchored { kind: AnchorKind::Exact, position: Some(p) };
            }
        }
        let n = self.index();
        let q = query(quote);
        let m = q.quote.len();
        if m == 0 || q.quote.iter().all(|&c| c == ' ') || n.len() == 0 {
            return Anchored::ORPHAN;
        }
        // 1'. The stored position, up to normalization.
        let hint = old.map(|p| n.orig_to_norm(p.start, p.end));
        if let (Some(p), Some((ns, ne))) = (old, hint) {
            if n.chars[ns..ne] == q.quote[..] {
                return Anchored { kind: AnchorKind::Exact, position: Some(p) };
            }
        }
        let hint = match old {
            Some(p) if shift != 0 => {
                let moved = (p.start as i64 + shift).clamp(0, len as i64) as usize;
                Some(n.orig_to_norm(moved, moved).0)
            }
            _ => hint.map(|(s, _)| s),
        };
        let found = match self.exact(n, &q, hint) {
            // A verbatim occurrence whose context disagrees may lose to an edited quote at
            // the stored place (the highlighted occurrence changed, another one did not).
            Some(c) if hint.is_some() && c.context(&q) < 0.75 => match self.fuzzy(n, &q, hint, false) {
                // (Overlapping it, the edited candidate is the verbatim one, misaligned.)
                Some(f)
                    if f.distance * 8 <= q.quote.len()
                        && f.score > c.score
                        && (f.end <= c.start || c.end <= f.start) =>
                {
                    Some(f)
                }
                _ => Some(c),
            },
            Some(c) => Some(c),
            None => self.fuzzy(n, &q, hint, true).or_else(|| self.framed(n, &q, hint)),
        };
        let Some(c) = found else { return Anchored::ORPHAN };
        let c = if c.distance > 0 { frame_by_context(n, &q, hint, c) } else { c };
        let (start, end) = n.to_orig(c.start, c.end);
        let (start, end) = trim(self, quote, start, end);
        let position = TextPositionSelector { start, end };
        let kind = if c.distance > 0 {
            AnchorKind::Fuzzy { distance: u32::try_from(c.distance).unwrap_or(u32::MAX) }
        } else if Some(position) == old {
            AnchorKind::Exact
        } else {
            AnchorKind::Moved
        };
        Anchored { kind, position: Some(position) }
    }

    /// Exact (normalized) occurrences, best by context and nearness, searching outwards.
    fn exact(&self, n: &Normalized, q: &Query, hint: Option<usize>) -> Option<Cand> {
        let m = q.quote.len();
        let total = n.len();
        let mut radius = 2 * m + 64;
        loop {
            let (mut lo, mut hi) = window(hint, radius, m, total);
            if m >= GRAM && hi - lo > FAR {
                (lo, hi) = (0, total);
            }
            let mut best: Option<Cand> = None;
            let mut consider = |start: usize| {
                let c = score(n, q, hint, start, start + m, 0);
                // A short quote found verbatim in a foreign context is a coincidence, not a move.
                let trusted = m >= SHORT || c.context(q) >= 0.4;
                if trusted && best.is_none_or(|b: Cand| c.score > b.score) {
                    best = Some(c);
                }
            };
            if (lo, hi) == (0, total) && m >= GRAM {
                let grams = self.grams.get_or_init(|| Grams::new(&n.chars));
                for start in grams.find_all(&n.chars, &q.quote) {
                    consider(start);
                }
            } else {
                let hay = &n.string[n.bytes[lo] as usize..n.bytes[hi] as usize];
                let mut from = 0;
                while let Some(pos) = hay[from..].find(q.quote_str.as_str()) {
                    let byte = from + pos;
                    consider(n.char_at_byte(n.bytes[lo] as usize + byte));
                    from = byte + hay[byte..].chars().next().map_or(1, char::len_utf8);
                }
            }
            if lo == 0 && hi == total {
                return best;
            }
            // Anything outside the window is at least this far from the hint: it can at best
            // tie on context and lose on position.
            if let (Some(b), Some(h)) = (best, hint) {
                let outside = (h - lo + 1).min((hi + 1).saturating_sub(m + h));
                let bound = W_QUOTE + W_PREFIX + W_SUFFIX + W_POS * pos_score(outside, total);
                if b.score >= bound {
                    return best;
                }
            }
            radius = radius.saturating_mul(8);
        }
    }

    /// Approximate occurrences: near the hint first, then the whole text.
    /// `far`: also search beyond the window around the hint.
    fn fuzzy(&self, n: &Normalized, q: &Query, hint: Option<usize>, far: bool) -> Option<Cand> {
        let m = q.quote.len();
        let k = budget(m);
        if k == 0 {
            return None;
        }
        let peq = Peq::new(&q.quote);
        let rev: Vec<char> = q.quote.iter().rev().copied().collect();
        let rev_peq = Peq::new(&rev);
        let total = n.len();
        if hint.is_some() {
            let (lo, hi) = window(hint, m + 2 * k + NEAR, m, total);
            if let Some(c) = best_fuzzy(n, q, hint, &peq, &rev_peq, k, lo, hi) {
                if c.context(q) >= 0.75 || (lo == 0 && hi == total) {
                    return Some(c);
                }
            }
            if lo == 0 && hi == total {
                return None;
            }
        }
        if !far {
            return None;
        }
        // Far away: only where enough of the quote's disjoint pieces occur verbatim on nearly
        // the same diagonal (the q-gram lemma: `k` edits destroy at most `k` of the pieces, and
        // shift the survivors by at most `k`), with a budget that leaves at least one piece.
        if m < 2 * GRAM || total < 4 * NEAR {
            return best_fuzzy(n, q, hint, &peq, &rev_peq, k, 0, total);
        }
        let k_far = k.min((m / 10).max(1));
        let piece_len = (m / (k_far + 1)).max(GRAM);
        let pieces = m / piece_len;
        let k_far = k_far.min(pieces - 1);
        let needed = pieces - k_far;
        let grams = self.grams.get_or_init(|| Grams::new(&n.chars));
        // Diagonals (where the quote would start) of every piece occurrence.
        let mut diagonals: Vec<usize> = Vec::new();
        for j in 0..pieces {
            let piece = &q.quote[j * piece_len..(j + 1) * piece_len];
            for pos in grams.find(&n.chars, &piece[..GRAM]) {
                if n.chars.get(pos..pos + piece_len) == Some(piece) {
                    diagonals.push(pos.saturating_sub(j * piece_len));
                }
                if diagonals.len() > MAX_REGIONS {
                    return best_fuzzy(n, q, hint, &peq, &rev_peq, k_far, 0, total);
                }
            }
        }
        diagonals.sort_unstable();
        let mut regions: Vec<(usize, usize)> = Vec::new();
        let mut lo = 0;
        for hi in 0..diagonals.len() {
            while diagonals[hi] - diagonals[lo] > 2 * k_far {
                lo += 1;
            }
            if hi + 1 - lo >= needed {
                let from = diagonals[lo].saturating_sub(2 * k_far);
                regions.push((from, (diagonals[hi] + m + 2 * k_far).min(total)));
            }
        }
        regions.sort_unstable();
        let mut best: Option<Cand> = None;
        let mut i = 0;
        while i < regions.len() {
            let (lo, mut hi) = regions[i];
            while i + 1 < regions.len() && regions[i + 1].0 <= hi {
                i += 1;
                hi = hi.max(regions[i].1);
            }
            i += 1;
            if let Some(c) = best_fuzzy(n, q, hint, &peq, &rev_peq, k_far, lo, hi) {
                if best.is_none_or(|b| c.score > b.score) {
                    best = Some(c);
                }
            }
        }
        best
    }

    /// A heavily edited quote still framed by its stored prefix and suffix, verbatim (their
    /// last/first [`FRAME`] chars): the text between them, if at most half the quote changed.
    fn framed(&self, n: &Normalized, q: &Query, hint: Option<usize>) -> Option<Cand> {
        let m = q.quote.len();
        if m < 16 {
            return None;
        }
        let pre: String = {
            let v = &q.prefix_chars;
            v[v.len().saturating_sub(FRAME)..].iter().collect()
        };
        let suf: String = q.suffix_chars.iter().take(FRAME).collect();
        if pre.trim().chars().count() < 8 || suf.trim().chars().count() < 8 {
            return None;
        }
        let peq = Peq::new(&q.quote);
        let mut best: Option<(usize, usize, Cand)> = None;
        let pre_chars: Vec<char> = pre.chars().collect();
        let grams = self.grams.get_or_init(|| Grams::new(&n.chars));
        for start in grams.find_all(&n.chars, &pre_chars) {
            let a = start + pre_chars.len();
            let reach = (a + 2 * m + 16 + suf.chars().count()).min(n.len());
            let hay = &n.string[n.bytes[a] as usize..n.bytes[reach] as usize];
            let Some(off) = hay.find(suf.as_str()) else { continue };
            let b = n.char_at_byte(n.bytes[a] as usize + off);
            if b <= a || n.chars[a..b].iter().all(|&c| c == ' ') {
                continue;
            }
            let d = myers::distance(&peq, &n.chars[a..b]);
            if d == 0 || d * 2 > m {
                continue;
            }
            let near = hint.map_or(0, |h| h.abs_diff(a));
            if best.is_none_or(|(bd, bn, _)| (d, near) < (bd, bn)) {
                best = Some((d, near, score(n, q, hint, a, b, d)));
            }
        }
        best.map(|(_, _, c)| c)
    }
}

/// How many chars of the stored prefix/suffix must survive verbatim to frame an edited quote.
const FRAME: usize = 24;

#[allow(clippy::too_many_arguments)]
fn best_fuzzy(
    n: &Normalized,
    q: &Query,
    hint: Option<usize>,
    peq: &Peq,
    rev_peq: &Peq,
    k: usize,
    lo: usize,
    hi: usize,
) -> Option<Cand> {
    let m = q.quote.len();
    let mut ends = Vec::new();
    myers::search(peq, &n.chars[lo..hi], k, &mut ends);
    // Local minima of the distance along runs of consecutive ends.
    let mut minima: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < ends.len() {
        let mut j = i;
        while j + 1 < ends.len() && ends[j + 1].0 == ends[j].0 + 1 {
            j += 1;
        }
        let dmin = ends[i..=j].iter().map(|e| e.1).min().unwrap_or(usize::MAX);
        minima.extend(ends[i..=j].iter().filter(|e| e.1 == dmin).map(|&(e, d)| (lo + e, d)));
        i = j + 1;
    }
    if minima.len() > MAX_CANDIDATES {
        minima.sort_by_key(|&(e, d)| (d, hint.map_or(0, |h| h.abs_diff(e))));
        minima.truncate(MAX_CANDIDATES);
    }
    let mut best: Option<Cand> = None;
    let mut rev = Vec::with_capacity(m + k);
    let mut dist = Vec::with_capacity(m + k + 1);
    let mut starts: Vec<(usize, usize, usize)> = Vec::new();
    for (end, _) in minima {
        let from = end.saturating_sub(m + k);
        rev.clear();
        rev.extend(n.chars[from..end].iter().rev());
        myers::anchored_all(rev_peq, &rev, &mut dist);
        let dmin = dist.iter().skip(1).copied().min().unwrap_or(usize::MAX);
        if dmin > k {
            continue;
        }
        // Starts nearly as good as the best one compete on context too (a reordered quote
        // aligns as well without its first words, but its prefix says where it begins).
        let slack = (dmin + 2 + k / 2).min(extended(k));
        starts.clear();
        starts
            .extend(dist.iter().enumerate().skip(1).filter(|&(_, &d)| d <= slack).map(|(l, &d)| (d, l.abs_diff(m), l)));
        if starts.len() > MAX_STARTS {
            starts.select_nth_unstable(MAX_STARTS - 1);
            starts.truncate(MAX_STARTS);
        }
        for &(d, _, l) in &starts {
            let c = score(n, q, hint, end - l, end, d);
            if acceptable(q, &c) && best.is_none_or(|b| c.score > b.score) {
                best = Some(c);
            }
        }
    }
    best
}

/// Characters of stored context that must reappear verbatim to move an edge of a fuzzy match.
const FRAME_PROBE: usize = 12;

/// Moves the edges of a fuzzy match to where the stored context says the quote begins and
/// ends. The least-edits range of an edited sentence stops short of words the edit added
/// ("…after the war." → "…once the war is over." matches "…once the war"); the old suffix
/// ("␣And we will…") appearing verbatim just after "over." puts the end there. Kept only if the
/// framed range is still within the budget and scores at least as well.
fn frame_by_context(n: &Normalized, q: &Query, hint: Option<usize>, c: Cand) -> Cand {
    let m = q.quote.len();
    let reach = budget(m) + FRAME_PROBE;
    let probe_of = |chars: &[char], from_end: bool| -> Option<Vec<char>> {
        let take = chars.len().min(FRAME_PROBE);
        let probe: Vec<char> = if from_end { chars[chars.len() - take..].to_vec() } else { chars[..take].to_vec() };
        (probe.iter().filter(|c| c.is_alphanumeric()).count() >= 4).then_some(probe)
    };
    let mut end = c.end;
    if let Some(probe) = probe_of(&q.suffix_chars, false) {
        let (lo, hi) = (c.start + 1, (c.end + reach + probe.len()).min(n.len()));
        end = occurrences(&n.chars[lo..hi], &probe).map(|i| lo + i).min_by_key(|&i| i.abs_diff(c.end)).unwrap_or(end);
    }
    let mut start = c.start;
    if let Some(probe) = probe_of(&q.prefix_chars, true) {
        let lo = c.start.saturating_sub(reach + probe.len());
        let hi = end.saturating_sub(1).max(lo);
        start = occurrences(&n.chars[lo..hi], &probe)
            .map(|i| lo + i + probe.len())
            .min_by_key(|&i| i.abs_diff(c.start))
            .unwrap_or(start);
    }
    if (start, end) == (c.start, c.end) || start >= end || (end - start) * m > 4_000_000 {
        return c;
    }
    let distance = levenshtein(&q.quote, &n.chars[start..end]);
    let framed = score(n, q, hint, start, end, distance);
    if distance <= extended(budget(m)) && framed.score >= c.score - W_QUOTE * 0.05 && acceptable(q, &framed) {
        framed
    } else {
        c
    }
}

fn occurrences<'a>(hay: &'a [char], needle: &'a [char]) -> impl Iterator<Item = usize> + 'a {
    hay.windows(needle.len().max(1)).enumerate().filter(move |(_, w)| *w == needle).map(|(i, _)| i)
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

/// Whether an approximate candidate is trustworthy enough to report.
fn acceptable(q: &Query, c: &Cand) -> bool {
    let m = q.quote.len();
    let ctx = c.context(q);
    if c.distance > budget(m) {
        // Beyond the budget only when both sides of the context are (nearly) intact.
        return c.distance <= extended(budget(m))
            && c.prefix.min(c.suffix) >= 0.9
            && q.prefix.is_some()
            && q.suffix.is_some();
    }
    if m <= 8 {
        ctx >= 0.75
    } else if m < 24 {
        ctx >= 0.6
    } else if c.distance * 8 > m {
        ctx >= 0.4
    } else {
        true
    }
}

fn score(n: &Normalized, q: &Query, hint: Option<usize>, start: usize, end: usize, distance: usize) -> Cand {
    let m = q.quote.len().max(1);
    let prefix = match &q.prefix {
        None => f64::from(u8::from(start == 0)) * 0.5 + 0.5,
        Some((peq, plen)) => {
            let from = start.saturating_sub(plen + plen / 4 + 2);
            let rev: Vec<char> = n.chars[from..start].iter().rev().copied().collect();
            1.0 - myers::anchored_best(peq, &rev).1 as f64 / *plen as f64
        }
    };
    let suffix = match &q.suffix {
        None => f64::from(u8::from(end == n.len())) * 0.5 + 0.5,
        Some((peq, slen)) => {
            let to = (end + slen + slen / 4 + 2).min(n.len());
            1.0 - myers::anchored_best(peq, &n.chars[end..to]).1 as f64 / *slen as f64
        }
    };
    let quote = 1.0 - distance as f64 / m as f64;
    let pos = hint.map_or(0.0, |h| pos_score(h.abs_diff(start), n.len()));
    // A context cut short by the start or end of the text is weaker evidence.
    let weight = |c: &Option<(Peq, usize)>| c.as_ref().map_or(1.0, |(_, l)| (*l as f64 / 16.0).min(1.0));
    let score =
        W_QUOTE * quote + W_PREFIX * weight(&q.prefix) * prefix + W_SUFFIX * weight(&q.suffix) * suffix + W_POS * pos;
    Cand { start, end, distance, prefix, suffix, score }
}

fn pos_score(distance: usize, total: usize) -> f64 {
    1.0 - (distance as f64 / total.max(1) as f64).min(1.0)
}

/// The window `[lo, hi)` of normalized chars around the hint (or everything).
fn window(hint: Option<usize>, radius: usize, m: usize, total: usize) -> (usize, usize) {
    match hint {
        None => (0, total),
        Some(h) => (h.saturating_sub(radius), h.saturating_add(m).saturating_add(radius).min(total)),
    }
}

fn query(quote: &TextQuoteSelector) -> Query {
    let quote_n = normalize(&quote.exact);
    let ctx = |s: &str, reverse: bool| {
        let mut v = normalize(s);
        if v.iter().all(|&c| c == ' ') {
            return None;
        }
        if reverse {
            v.reverse();
        }
        let len = v.len();
        Some((Peq::new(&v), len))
    };
    Query {
        prefix_chars: normalize(&quote.prefix),
        suffix_chars: normalize(&quote.suffix),
        quote_str: quote_n.iter().collect(),
        quote: quote_n,
        prefix: ctx(&quote.prefix, true),
        suffix: ctx(&quote.suffix, false),
    }
}

/// Drops whitespace at the edges of a range unless the quote itself has it there.
fn trim(t: &Text<'_>, quote: &TextQuoteSelector, mut start: usize, mut end: usize) -> (usize, usize) {
    let s = t.slice(start, end);
    if !quote.exact.starts_with(char::is_whitespace) {
        let lead = s.chars().take_while(|c| c.is_whitespace()).count();
        if lead < end - start {
            start += lead;
        }
    }
    if !quote.exact.ends_with(char::is_whitespace) {
        let s = t.slice(start, end);
        let tail = s.chars().rev().take_while(|c| c.is_whitespace()).count();
        if tail < end - start {
            end -= tail;
        }
    }
    (start, end)
}

/// Chained hash table of every [`GRAM`]-gram of the normalized text.
pub(crate) struct Grams {
    head: Vec<u32>,
    next: Vec<u32>,
    bits: u32,
}

const NONE: u32 = u32::MAX;

fn gram_hash(g: &[char], bits: u32) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in g {
        h = (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
    }
    (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize
}

impl Grams {
    fn new(chars: &[char]) -> Self {
        let count = chars.len().saturating_sub(GRAM - 1);
        let bits = (usize::BITS - count.max(1).leading_zeros()).clamp(4, 24);
        let mut head = vec![NONE; 1 << bits];
        let mut next = vec![NONE; count];
        for i in (0..count).rev() {
            let h = gram_hash(&chars[i..i + GRAM], bits);
            next[i] = head[h];
            head[h] = i as u32;
        }
        Self { head, next, bits }
    }

    /// Start positions of `pattern` (at least [`GRAM`] chars long), ascending.
    fn find_all<'s>(&'s self, chars: &'s [char], pattern: &'s [char]) -> impl Iterator<Item = usize> + 's {
        self.find(chars, &pattern[..GRAM]).filter(move |&i| chars.get(i..i + pattern.len()) == Some(pattern))
    }

    /// Start positions of `piece` (of [`GRAM`] chars), ascending.
    fn find<'s>(&'s self, chars: &'s [char], piece: &'s [char]) -> impl Iterator<Item = usize> + 's {
        let mut at = self.head[gram_hash(piece, self.bits)];
        std::iter::from_fn(move || {
            while at != NONE {
                let i = at as usize;
                at = self.next[i];
                if chars[i..i + GRAM] == *piece {
                    return Some(i);
                }
            }
            None
        })
    }
}
