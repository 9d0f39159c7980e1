//! Re-anchoring benchmark: 1,000 highlights against a 100,000-word article after scattered
//! edits. Run with `cargo bench -p quire-anchor --bench reanchor` (release profile).
//!
//! Prints the median wall time of `Text::new` + `reanchor_all` (the index is built inside the
//! timed region) and the outcome counts.

use std::time::Instant;

use quire_anchor::{AnchorKind, Text, TextPositionSelector, TextQuoteSelector};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn word(rng: &mut Rng) -> String {
    const SYL: &[&str] = &[
        "ka", "lo", "re", "mi", "tan", "vel", "or", "sun", "de", "pra", "qui", "ne", "bo", "st", "ell", "gra", "fu",
        "zen", "pol", "ri", "wa", "che", "dor", "im", "ex", "ul", "bra", "co", "sa", "thi", "mon", "ver", "ash", "ly",
        "gen", "tro", "pi", "nu", "hal", "es",
    ];
    let n = 1 + rng.below(3);
    let mut w: String = (0..n).map(|_| SYL[rng.below(SYL.len())]).collect();
    match rng.below(40) {
        0 => w.push_str("'s"),
        1 => w = format!("\"{w}\""),
        2 => w.push_str(" -"),
        _ => {}
    }
    w
}

fn sentence(rng: &mut Rng, words: &mut usize) -> String {
    let n = 6 + rng.below(20);
    *words += n;
    let mut s: Vec<String> = (0..n).map(|_| word(rng)).collect();
    s[0] = s[0][..1].to_uppercase() + &s[0][1..];
    s.join(" ") + "."
}

fn main() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    // The article: paragraphs of 3–8 sentences until 100,000 words.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut words = 0;
    while words < 100_000 {
        let k = 3 + rng.below(6);
        paragraphs.push((0..k).map(|_| sentence(&mut rng, &mut words)).collect::<Vec<_>>().join(" "));
    }
    let old = paragraphs.join("\n\n");
    let old_t = Text::new(&old);
    let old_chars: Vec<char> = old.chars().collect();
    // 1,000 highlights: 3–40 words starting at a word boundary.
    let mut items: Vec<(TextQuoteSelector, Option<TextPositionSelector>)> = Vec::new();
    while items.len() < 1000 {
        let mut s = rng.below(old_chars.len() - 400);
        while s > 0 && old_chars[s - 1] != ' ' {
            s -= 1;
        }
        let mut e = s;
        let mut w = 3 + rng.below(38);
        while e < old_chars.len() && w > 0 {
            e += 1;
            if old_chars.get(e) == Some(&' ') {
                w -= 1;
            }
        }
        if let Ok((q, p)) = old_t.selectors(s, e) {
            items.push((q, Some(p)));
        }
    }
    // 300 scattered edits, applied from the end so earlier offsets stay valid; each is
    // recorded in old coordinates as (start, end, inserted length, typography only).
    let mut at: Vec<usize> = (0..300).map(|_| rng.below(old_chars.len())).collect();
    at.sort_unstable();
    let mut new_chars = old_chars.clone();
    let mut kinds = [0usize; 5];
    let mut edits: Vec<(usize, usize, usize, bool)> = Vec::new();
    let mut limit = new_chars.len();
    for &p in at.iter().rev() {
        if p >= limit {
            continue;
        }
        let kind = rng.below(5);
        kinds[kind] += 1;
        let edit = match kind {
            // A new paragraph.
            0 => {
                let mut w = 0;
                let para: String = (0..3).map(|_| sentence(&mut rng, &mut w)).collect::<Vec<_>>().join(" ");
                let mut p = p;
                while p < limit && new_chars[p] != '\n' {
                    p += 1;
                }
                let ins: Vec<char> = format!("\n\n{para}").chars().collect();
                let n = ins.len();
                new_chars.splice(p..p, ins);
                (p, p, n, false)
            }
            // A word replaced.
            1 => {
                let e = (p + 1..limit).find(|&i| new_chars[i] == ' ').unwrap_or(limit);
                let w = word(&mut rng);
                let n = w.chars().count();
                new_chars.splice(p..e, w.chars());
                (p, e, n, false)
            }
            // A run of 10–300 chars deleted.
            2 => {
                let e = (p + 10 + rng.below(290)).min(limit);
                new_chars.drain(p..e);
                (p, e, 0, false)
            }
            // Typography: straight quotes and apostrophes curled nearby.
            3 => {
                let e = (p + 2000).min(limit);
                let mut open = true;
                for c in &mut new_chars[p..e] {
                    match *c {
                        '\'' => *c = '’',
                        '"' => {
                            *c = if open { '“' } else { '”' };
                            open = !open;
                        }
                        _ => {}
                    }
                }
                (p, e, e - p, true)
            }
            // A few characters inserted (a typo fix).
            _ => {
                let w: String = word(&mut rng).chars().take(3).collect();
                let n = w.chars().count();
                new_chars.splice(p..p, w.chars());
                (p, p, n, false)
            }
        };
        limit = edit.0;
        edits.push(edit);
    }
    // Where each highlight untouched by the edits must end up.
    let truth: Vec<Option<(usize, usize)>> = items
        .iter()
        .map(|(_, p)| {
            let (s, e) = p.map(|p| (p.start, p.end)).expect("stored position");
            let touched =
                edits.iter().any(|&(a, b, _, typo)| !typo && ((a < e && b > s) || (a == b && s < a && a < e)));
            let shift: i64 =
                edits.iter().filter(|&&(_, b, _, _)| b <= s).map(|&(a, b, n, _)| n as i64 - (b - a) as i64).sum();
            (!touched).then(|| ((s as i64 + shift) as usize, (e as i64 + shift) as usize))
        })
        .collect();
    let new: String = new_chars.into_iter().collect();
    let mut times = Vec::new();
    let mut counts = [0usize; 4];
    for i in 0..15 {
        let t0 = Instant::now();
        let t = Text::new(&new);
        let out = t.reanchor_all(&items);
        times.push(t0.elapsed());
        if i == 0 {
            let untouched = truth.iter().flatten().count();
            let right = out
                .iter()
                .zip(&truth)
                .filter(|(a, t)| t.is_some() && a.position.map(|p| (p.start, p.end)) == **t)
                .count();
            let touched_kinds: Vec<String> =
                out.iter().zip(&truth).filter(|(_, t)| t.is_none()).map(|(a, _)| format!("{:?}", a.kind)).collect();
            println!("untouched highlights at their true position: {right}/{untouched}");
            let mut tk = std::collections::BTreeMap::new();
            for k in &touched_kinds {
                *tk.entry(if k.starts_with("Fuzzy") { "Fuzzy" } else { k.as_str() }).or_insert(0) += 1;
            }
            println!("highlights touched by an edit: {} ({tk:?})", touched_kinds.len());
            // Touched by small edits only (at most a tenth of the quote's length changed).
            let small: Vec<&str> = out
                .iter()
                .zip(&items)
                .filter(|(_, (q, p))| {
                    let (s, e) = p.map(|p| (p.start, p.end)).expect("stored");
                    let size: usize = edits
                        .iter()
                        .filter(|&&(a, b, _, typo)| !typo && ((a < e && b > s) || (a == b && s < a && a < e)))
                        .map(|&(a, b, n, _)| (b - a).max(n))
                        .sum();
                    size > 0 && size * 10 <= q.exact.chars().count()
                })
                .map(|(a, _)| match a.kind {
                    AnchorKind::Fuzzy { .. } => "fuzzy",
                    AnchorKind::Orphan => "orphan",
                    _ => "other",
                })
                .collect();
            println!(
                "  of which with small edits (≤ 10% of the quote): {}, fuzzy {}, orphan {}",
                small.len(),
                small.iter().filter(|k| **k == "fuzzy").count(),
                small.iter().filter(|k| **k == "orphan").count()
            );
            for (i, (a, t)) in out.iter().zip(&truth).enumerate() {
                if t.is_some() && a.position.map(|p| (p.start, p.end)) != *t {
                    println!("  #{i} expected {t:?}, got {a:?} (quote {} chars)", items[i].0.exact.chars().count());
                }
            }
            for a in &out {
                counts[match a.kind {
                    AnchorKind::Exact => 0,
                    AnchorKind::Moved => 1,
                    AnchorKind::Fuzzy { .. } => 2,
                    AnchorKind::Orphan => 3,
                }] += 1;
            }
        }
        std::hint::black_box(out);
    }
    if std::env::var_os("QUIRE_BENCH_DETAIL").is_some() {
        let t = Text::new(&new);
        let _ = t.reanchor_all(&items[..1]);
        let mut slow: Vec<(f64, usize, String)> = items
            .iter()
            .map(|(q, p)| {
                let t0 = Instant::now();
                let a = t.reanchor(q, *p);
                (t0.elapsed().as_secs_f64() * 1e3, q.exact.chars().count(), format!("{:?}", a.kind))
            })
            .collect();
        slow.sort_by(|a, b| b.0.total_cmp(&a.0));
        for s in &slow[..15] {
            println!("{:.2} ms  len {}  {}", s.0, s.1, s.2);
        }
        let sum = |f: &dyn Fn(&str) -> bool| slow.iter().filter(|s| f(&s.2)).map(|s| s.0).sum::<f64>();
        println!(
            "by kind: exact+moved {:.1} ms, fuzzy {:.1} ms, orphan {:.1} ms",
            sum(&|k| k == "Exact" || k == "Moved"),
            sum(&|k| k.starts_with("Fuzzy")),
            sum(&|k| k == "Orphan")
        );
    }
    // Single hard cases on the same article: a long quote edited, deleted; a short quote lost.
    let t = Text::new(&new);
    let _ = t.reanchor_all(&items[..1]);
    let long_at = new.char_indices().nth(300_000).map_or(0, |(b, _)| b);
    let long: String = new[long_at..].chars().take(3000).collect();
    let long_s = new[..long_at].chars().count();
    let (lq, lp) = t.selectors(long_s, long_s + 3000).expect("long quote");
    let edited = {
        let mut c: Vec<char> = new.chars().collect();
        for k in 0..20 {
            c[long_s + 100 + k * 140] = 'X';
        }
        c.into_iter().collect::<String>()
    };
    let deleted = new.replacen(&long, "", 1);
    let short =
        TextQuoteSelector { exact: "kalo".into(), prefix: "nothing like this".into(), suffix: "here at all".into() };
    for (name, text, q, p) in [
        ("3000-char quote, 20 chars changed", &edited, &lq, Some(lp)),
        ("3000-char quote deleted", &deleted, &lq, Some(lp)),
        ("4-char quote, context gone", &new, &short, Some(TextPositionSelector { start: 10, end: 14 })),
    ] {
        let tt = Text::new(text);
        let _ = tt.reanchor_all(&items[..1]);
        let t0 = Instant::now();
        let a = tt.reanchor(q, p);
        println!("{name}: {:?} in {:.2} ms", a.kind, t0.elapsed().as_secs_f64() * 1e3);
    }
    // Worst case for candidate counts: a text that repeats one sentence, a quote from it
    // (found at once at its place, then not at all after the text changed everywhere).
    let repetitive = "The war goes on and on. ".repeat(25_000);
    let rt = Text::new(&repetitive);
    let (rq, rp) = rt.selectors(240_000, 240_400).expect("repetitive quote");
    let changed = repetitive.replace("on and", "on, and");
    for (name, text) in [("repetitive text, quote in place", &repetitive), ("repetitive text, all changed", &changed)] {
        let tt = Text::new(text);
        let t0 = Instant::now();
        let a = tt.reanchor(&rq, Some(rp));
        println!("{name}: {:?} in {:.2} ms", a.kind, t0.elapsed().as_secs_f64() * 1e3);
        let t0 = Instant::now();
        let a = tt.reanchor(&rq, None);
        println!("{name}, no position: {:?} in {:.2} ms", a.kind, t0.elapsed().as_secs_f64() * 1e3);
    }
    let mut single = Vec::new();
    for _ in 0..7 {
        let t0 = Instant::now();
        let t = Text::new(&new);
        let out: Vec<_> = items.iter().map(|(q, p)| t.reanchor(q, *p)).collect();
        single.push(t0.elapsed());
        std::hint::black_box(out);
    }
    single.sort();
    times.sort();
    println!(
        "article: {words} words, {} chars; edits: {} (paragraphs {}, words {}, deletions {}, typography {}, insertions {}); highlights: {}",
        new.chars().count(),
        edits.len(),
        kinds[0],
        kinds[1],
        kinds[2],
        kinds[3],
        kinds[4],
        items.len()
    );
    println!("outcomes: exact {} moved {} fuzzy {} orphan {}", counts[0], counts[1], counts[2], counts[3]);
    println!(
        "reanchor_all (Text::new + 1000 highlights): median {:.2} ms, min {:.2} ms, max {:.2} ms over {} runs",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len()
    );
    println!(
        "one reanchor call per highlight (no shift carried over): median {:.2} ms over {} runs",
        single[single.len() / 2].as_secs_f64() * 1e3,
        single.len()
    );
}
