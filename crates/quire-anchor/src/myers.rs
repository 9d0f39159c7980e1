//! Bit-parallel approximate matching (Myers 1999, block-based, as in Hyyrö 2003 and the
//! `approx-string-match` package Hypothesis uses), over `char` slices.
//!
//! Two uses of the same recurrence:
//! - [`search`]: every end position `e` in a text where some substring ending at `e` is within
//!   `k` edits (Levenshtein) of the pattern (free start in the text);
//! - [`anchored`]: for every prefix `text[..l]`, the edit distance between the whole pattern and
//!   that prefix (start anchored at 0), used to score context and to find where a match starts
//!   (by running on reversed strings).

const WORD: usize = 64;

/// Match masks of a pattern: bit `i` of block `i / 64` is set where the pattern has `c`.
pub(crate) struct Peq {
    len: usize,
    blocks: usize,
    ascii: Vec<u64>,
    /// Non-ASCII chars, sorted, each with its `blocks` masks in `other_masks`.
    other: Vec<char>,
    other_masks: Vec<u64>,
    zero: Vec<u64>,
}

impl Peq {
    pub(crate) fn new(pattern: &[char]) -> Self {
        let len = pattern.len();
        let blocks = len.div_ceil(WORD).max(1);
        let mut ascii = vec![0u64; 128 * blocks];
        let mut other: Vec<char> = pattern.iter().copied().filter(|c| !c.is_ascii()).collect();
        other.sort_unstable();
        other.dedup();
        let mut other_masks = vec![0u64; other.len() * blocks];
        for (i, &c) in pattern.iter().enumerate() {
            let (b, bit) = (i / WORD, 1u64 << (i % WORD));
            if c.is_ascii() {
                ascii[c as usize * blocks + b] |= bit;
            } else if let Ok(j) = other.binary_search(&c) {
                other_masks[j * blocks + b] |= bit;
            }
        }
        Self { len, blocks, ascii, other, other_masks, zero: vec![0; blocks] }
    }

    #[inline]
    fn masks(&self, c: char) -> &[u64] {
        let b = self.blocks;
        if c.is_ascii() {
            let i = c as usize * b;
            &self.ascii[i..i + b]
        } else {
            match self.other.binary_search(&c) {
                Ok(j) => &self.other_masks[j * b..(j + 1) * b],
                Err(_) => &self.zero,
            }
        }
    }
}

struct State {
    pv: Vec<u64>,
    mv: Vec<u64>,
    last_bit: Vec<u64>,
    score: usize,
}

impl State {
    fn new(peq: &Peq) -> Self {
        let mut last_bit = vec![1u64 << (WORD - 1); peq.blocks];
        if peq.len > 0 {
            last_bit[peq.blocks - 1] = 1u64 << ((peq.len - 1) % WORD);
        }
        Self { pv: vec![!0; peq.blocks], mv: vec![0; peq.blocks], last_bit, score: peq.len }
    }

    /// Advances one text column; `hin` is the horizontal delta entering the top row
    /// (0 for search, +1 for an anchored start).
    #[inline]
    fn step(&mut self, masks: &[u64], mut hin: i32) {
        for (b, &mask) in masks.iter().enumerate() {
            let pv = self.pv[b];
            let mv = self.mv[b];
            let neg = u64::from(hin < 0);
            let eq = mask | neg;
            let xv = eq | mv;
            let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
            let mut ph = mv | !(xh | pv);
            let mut mh = pv & xh;
            let last = self.last_bit[b];
            let hout = i32::from(ph & last != 0) - i32::from(mh & last != 0);
            ph <<= 1;
            mh <<= 1;
            mh |= neg;
            ph |= u64::from(hin > 0);
            self.pv[b] = mh | !(xv | ph);
            self.mv[b] = ph & xv;
            hin = hout;
        }
        self.score = (self.score as i64 + i64::from(hin)).max(0) as usize;
    }
}

/// End positions (exclusive, relative to `text`) with distance ≤ `k`, as `(end, distance)`.
pub(crate) fn search(peq: &Peq, text: &[char], k: usize, out: &mut Vec<(usize, usize)>) {
    if peq.len == 0 {
        return;
    }
    let mut st = State::new(peq);
    for (j, &c) in text.iter().enumerate() {
        st.step(peq.masks(c), 0);
        if st.score <= k {
            out.push((j + 1, st.score));
        }
    }
}

/// `(l, d)` minimising `d = distance(pattern, text[..l])` over `l ≤ text.len()`; ties go to the
/// `l` closest to the pattern's length. `text[..0]` gives `d = pattern.len()`.
pub(crate) fn anchored_best(peq: &Peq, text: &[char]) -> (usize, usize) {
    let mut best = (0, peq.len);
    if peq.len == 0 {
        return best;
    }
    let mut st = State::new(peq);
    for (j, &c) in text.iter().enumerate() {
        st.step(peq.masks(c), 1);
        let l = j + 1;
        if st.score < best.1 || (st.score == best.1 && l.abs_diff(peq.len) < best.0.abs_diff(peq.len)) {
            best = (l, st.score);
        }
    }
    best
}

/// `d[l] = distance(pattern, text[..l])` for every `l` in `0..=text.len()`.
pub(crate) fn anchored_all(peq: &Peq, text: &[char], out: &mut Vec<usize>) {
    out.clear();
    out.push(peq.len);
    if peq.len == 0 {
        out.extend(1..=text.len());
        return;
    }
    let mut st = State::new(peq);
    for &c in text {
        st.step(peq.masks(c), 1);
        out.push(st.score);
    }
}

/// Levenshtein distance between the pattern and the whole of `text`.
pub(crate) fn distance(peq: &Peq, text: &[char]) -> usize {
    if peq.len == 0 {
        return text.len();
    }
    let mut st = State::new(peq);
    for &c in text {
        st.step(peq.masks(c), 1);
    }
    st.score
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `lev(a, b[..j])` for every `j`.
    fn lev_prefixes(a: &[char], b: &[char]) -> Vec<usize> {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                cur[j] = (prev[j - 1] + usize::from(a[i - 1] != b[j - 1])).min(prev[j] + 1).min(cur[j - 1] + 1);
            }
            prev = cur;
        }
        prev
    }

    /// Semi-global DP: min distance of pattern against any substring ending at each j.
    fn search_dp(p: &[char], t: &[char]) -> Vec<usize> {
        let mut prev: Vec<usize> = (0..=p.len()).collect();
        let mut out = Vec::new();
        for j in 1..=t.len() {
            let mut cur = vec![0; p.len() + 1];
            for i in 1..=p.len() {
                cur[i] = (prev[i - 1] + usize::from(p[i - 1] != t[j - 1])).min(prev[i] + 1).min(cur[i - 1] + 1);
            }
            out.push(cur[p.len()]);
            prev = cur;
        }
        out
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn agrees_with_dynamic_programming_across_blocks() {
        let mut seed = 0x9e3779b97f4a7c15u64;
        let mut rnd = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        let alphabet = chars("abcЖ😀 ");
        for _ in 0..300 {
            let plen = 1 + rnd(150);
            let tlen = rnd(220);
            let p: Vec<char> = (0..plen).map(|_| alphabet[rnd(alphabet.len() as u64)]).collect();
            let t: Vec<char> = (0..tlen).map(|_| alphabet[rnd(alphabet.len() as u64)]).collect();
            let peq = Peq::new(&p);
            let lev = lev_prefixes(&p, &t);
            assert_eq!(distance(&peq, &t), lev[t.len()]);
            let dp = search_dp(&p, &t);
            let mut got = Vec::new();
            search(&peq, &t, usize::MAX, &mut got);
            let got: Vec<usize> = got.into_iter().map(|(_, d)| d).collect();
            assert_eq!(got, dp);
            let (l, d) = anchored_best(&peq, &t);
            assert_eq!(d, lev[l]);
            assert_eq!(d, *lev.iter().min().unwrap());
            let mut all = Vec::new();
            anchored_all(&peq, &t, &mut all);
            assert_eq!(all, lev);
        }
    }
}
