//! A deterministic corpus of articles for the library benchmark: real sentences (from the
//! Readability test pages' expected output) composed into articles of Pareto-distributed
//! length (350–1,500 words), each sentence carrying now and then a made-up word drawn from a
//! Zipf distribution over a large vocabulary (the long tail real libraries have: names,
//! places, jargon), plus what a reader adds: tags from a hierarchy of 200, and highlights with
//! notes on one article in twenty. Everything comes from one seeded generator, so the same
//! size gives the same corpus on every machine.

use std::collections::HashMap;

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    /// A rank in 1..=n, Zipf-distributed with exponent `s` (≠ 1), by inverting the continuous
    /// approximation of its distribution.
    pub fn zipf(&mut self, n: usize, s: f64) -> usize {
        let u = self.unit();
        let a = 1.0 - s;
        let top = (n as f64 + 1.0).powf(a);
        let x = ((top - 1.0) * u + 1.0).powf(1.0 / a);
        (x.floor() as usize).clamp(1, n)
    }
}

/// A made-up word for rank `n`: syllables, so it reads like a name and tokenizes as one word.
pub fn made_up(mut n: usize) -> String {
    const ONSETS: [&str; 16] = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "kr"];
    const VOWELS: [&str; 6] = ["a", "e", "i", "o", "u", "y"];
    let mut word = String::new();
    loop {
        word.push_str(ONSETS[n % 16]);
        n /= 16;
        word.push_str(VOWELS[n % 6]);
        n /= 6;
        if n == 0 {
            break;
        }
        n -= 1;
    }
    // Six letters at least, so no made-up word is a real short word; the padding letter is
    // in no syllable, so padded words never meet unpadded ones.
    while word.len() < 6 {
        word.push('x');
    }
    word
}

/// What the corpus is made of.
#[derive(Debug, Clone, Copy)]
pub struct CorpusConfig {
    pub articles: usize,
    /// Size of the made-up vocabulary the tail is drawn from.
    pub tail_vocabulary: usize,
    /// Chance that a sentence carries a made-up word.
    pub tail_rate: f64,
    /// One article in this many gets highlights.
    pub highlight_every: usize,
    /// One article in this many is an HTML page with a site name (for `site:`).
    pub html_every: usize,
    pub seed: u64,
}

impl CorpusConfig {
    pub fn new(articles: usize) -> Self {
        CorpusConfig {
            articles,
            tail_vocabulary: 2_000_000,
            tail_rate: 0.6,
            highlight_every: 20,
            html_every: 10,
            seed: 0x5155_4952_4521,
        }
    }
}

/// The hierarchy of 200 tags: 20 topics with 10 sub-topics each.
pub fn tag_names() -> Vec<String> {
    const TOPICS: [&str; 20] = [
        "politics",
        "security",
        "economy",
        "energy",
        "climate",
        "health",
        "science",
        "technology",
        "law",
        "media",
        "culture",
        "history",
        "education",
        "migration",
        "trade",
        "finance",
        "labour",
        "cities",
        "food",
        "sport",
    ];
    const SUBS: [&str; 10] =
        ["europe", "americas", "asia", "africa", "analysis", "interviews", "data", "opinion", "archive", "sources"];
    TOPICS.iter().flat_map(|t| SUBS.iter().map(move |s| format!("{t}/{s}"))).collect()
}

/// The topic most highlights are tagged with (a reader's big dossier).
pub const DOSSIER: &str = "dossier/nato";

/// One generated article.
pub struct Article {
    pub index: usize,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// The article's tag (one of [`tag_names`]).
    pub tag: String,
    /// `Some(site name)` for the articles written as HTML pages.
    pub site: Option<String>,
    /// Highlights: a sentence of the article, a note (maybe empty), tags.
    pub highlights: Vec<PlannedHighlight>,
}

pub struct PlannedHighlight {
    pub quote: String,
    pub note: String,
    pub tags: Vec<String>,
}

impl Article {
    /// The article as a plain-text file: its title, a blank line, its paragraphs.
    pub fn as_text(&self) -> String {
        let mut out = format!("{}\n\n", self.title);
        for p in &self.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        out
    }

    /// The article as a web page of its site.
    pub fn as_html(&self) -> String {
        let site = self.site.as_deref().unwrap_or("Example");
        let host = site.to_lowercase().replace(' ', "");
        let mut body = String::new();
        for p in &self.paragraphs {
            body.push_str("<p>");
            body.push_str(&escape(p));
            body.push_str("</p>\n");
        }
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
             <meta property=\"og:site_name\" content=\"{site}\">\
             <link rel=\"canonical\" href=\"https://{host}.example/articles/{i}\"></head>\
             <body><article><h1>{t}</h1>\n{body}</article></body></html>\n",
            t = escape(&self.title),
            i = self.index,
        )
    }

    pub fn words(&self) -> usize {
        self.paragraphs.iter().map(|p| p.split_whitespace().count()).sum::<usize>()
            + self.title.split_whitespace().count()
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Splits readable text into sentences of 5–60 words.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut current = String::new();
        for word in para.split_whitespace() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            let ends = word.ends_with('.') || word.ends_with('?') || word.ends_with('!');
            if ends {
                push_sentence(&mut out, &current);
                current.clear();
            }
        }
        push_sentence(&mut out, &current);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, s: &str) {
    let n = s.split_whitespace().count();
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    if (5..=60).contains(&n) && letters * 2 > s.len() {
        out.push(s.to_owned());
    }
}

/// Generates the articles one by one (the corpus is never held whole).
pub struct Generator<'a> {
    config: CorpusConfig,
    pool: &'a [String],
    tags: Vec<String>,
    rng: Rng,
    next: usize,
}

impl<'a> Generator<'a> {
    pub fn new(config: CorpusConfig, pool: &'a [String]) -> Self {
        assert!(!pool.is_empty(), "no sentences to compose articles from");
        Generator { config, pool, tags: tag_names(), rng: Rng::new(config.seed), next: 0 }
    }

    fn sentence(&mut self) -> String {
        let base = &self.pool[self.rng.below(self.pool.len())];
        if self.rng.unit() >= self.config.tail_rate {
            return base.clone();
        }
        // A made-up word goes in place of one word of the sentence.
        let word = made_up(self.rng.zipf(self.config.tail_vocabulary, 1.05) + 1000);
        let mut words: Vec<&str> = base.split_whitespace().collect();
        let at = 1 + self.rng.below(words.len().saturating_sub(2).max(1));
        let at = at.min(words.len() - 1);
        words[at] = &word;
        words.join(" ")
    }
}

impl Iterator for Generator<'_> {
    type Item = Article;

    fn next(&mut self) -> Option<Article> {
        if self.next >= self.config.articles {
            return None;
        }
        let index = self.next;
        self.next += 1;
        // Pareto length (α = 1.5): most articles short, a long tail up to 1,500 words.
        let target = (350.0 / (1.0 - self.rng.unit()).powf(1.0 / 1.5)).min(1500.0) as usize;
        let mut paragraphs = Vec::new();
        let mut words = 0;
        let mut all = Vec::new();
        while words < target {
            let mut para = Vec::new();
            for _ in 0..3 + self.rng.below(4) {
                let s = self.sentence();
                words += s.split_whitespace().count();
                all.push(s.clone());
                para.push(s);
            }
            paragraphs.push(para.join(" "));
        }
        let first: Vec<&str> = all[0].split_whitespace().take(4 + self.rng.below(5)).collect();
        // The title ends with a name of its own, so every title is distinct.
        let title = format!("{} {}", first.join(" ").trim_end_matches(['.', ',', ';', ':']), made_up(index + 1));
        let tag = self.tags[self.rng.zipf(self.tags.len(), 1.2) - 1].clone();
        let site = (index % self.config.html_every == 3).then(|| format!("Courier{}", 1 + self.rng.below(50)));
        let mut highlights = Vec::new();
        if index.is_multiple_of(self.config.highlight_every) {
            // 1–7 highlights (about 4 on average), each a whole sentence of the article.
            let n = 1 + self.rng.below(7);
            let mut used = Vec::new();
            for _ in 0..n {
                let s = all[self.rng.below(all.len())].clone();
                if used.contains(&s) || paragraphs.iter().map(|p| p.matches(s.as_str()).count()).sum::<usize>() != 1 {
                    continue;
                }
                used.push(s.clone());
                let note = if self.rng.unit() < 0.6 {
                    // Notes carry words of their own, found in no article's text.
                    format!(
                        "Compare with the {} brief; see {}.",
                        note_word(self.rng.below(2000)),
                        note_word(self.rng.below(2000))
                    )
                } else {
                    String::new()
                };
                let mut tags = Vec::new();
                if self.rng.unit() < 0.25 {
                    tags.push(DOSSIER.to_owned());
                }
                if self.rng.unit() < 0.5 {
                    tags.push(self.tags[self.rng.below(self.tags.len())].clone());
                }
                highlights.push(PlannedHighlight { quote: s, note, tags });
            }
        }
        Some(Article { index, title, paragraphs, tag, site, highlights })
    }
}

/// A word that only notes use.
pub fn note_word(n: usize) -> String {
    format!("nq{}", made_up(n))
}

/// Document frequencies of the corpus's words (lower-cased letters only), counted as the
/// articles are generated: what the queries are drawn from.
#[derive(Default)]
pub struct Frequencies {
    pub df: HashMap<String, u32>,
    pub articles: usize,
}

impl Frequencies {
    pub fn add(&mut self, article: &Article) {
        self.articles += 1;
        let mut seen: Vec<String> = Vec::new();
        for text in std::iter::once(&article.title).chain(&article.paragraphs) {
            for w in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
                seen.push(w.to_lowercase());
            }
        }
        seen.sort_unstable();
        seen.dedup();
        for w in seen {
            *self.df.entry(w).or_default() += 1;
        }
    }

    /// Words whose share of articles is in `range`, most frequent first (ties by word).
    pub fn band(&self, range: std::ops::Range<f64>, min_len: usize) -> Vec<String> {
        let n = self.articles.max(1) as f64;
        let mut words: Vec<(&String, u32)> = self
            .df
            .iter()
            .filter(|(w, df)| w.chars().count() >= min_len && range.contains(&(f64::from(**df) / n)))
            .map(|(w, df)| (w, *df))
            .collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        words.into_iter().map(|(w, _)| w.clone()).collect()
    }

    /// Words found in 1 to `max` articles.
    pub fn rare(&self, max: u32) -> Vec<String> {
        let mut words: Vec<String> = self.df.iter().filter(|(_, df)| **df <= max).map(|(w, _)| w.clone()).collect();
        words.sort();
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let pool: Vec<String> = (0..50).map(|i| format!("The council met on day {i} to discuss the plan.")).collect();
        let a: Vec<String> = Generator::new(CorpusConfig::new(30), &pool).map(|a| a.as_text()).collect();
        let b: Vec<String> = Generator::new(CorpusConfig::new(30), &pool).map(|a| a.as_text()).collect();
        assert_eq!(a, b);
        let mut titles: Vec<_> = Generator::new(CorpusConfig::new(30), &pool).map(|a| a.title).collect();
        titles.sort();
        titles.dedup();
        assert_eq!(titles.len(), 30, "titles are distinct");
    }

    #[test]
    fn lengths_and_highlights_are_in_range() {
        let pool: Vec<String> =
            (0..200).map(|i| format!("Sentence number {} says something about item {i}.", i * 7)).collect();
        let articles: Vec<Article> = Generator::new(CorpusConfig::new(200), &pool).collect();
        assert!(
            articles.iter().all(|a| (350..1600).contains(&a.words())),
            "{:?}",
            articles.iter().map(Article::words).collect::<Vec<_>>()
        );
        for a in &articles {
            for h in &a.highlights {
                assert_eq!(a.as_text().matches(h.quote.as_str()).count(), 1, "a highlight's quote occurs once");
            }
        }
        assert!(articles.iter().filter(|a| !a.highlights.is_empty()).count() >= 5);
    }

    #[test]
    fn zipf_ranks_favour_the_head() {
        let mut rng = Rng::new(1);
        let draws: Vec<usize> = (0..10_000).map(|_| rng.zipf(1000, 1.2)).collect();
        assert!(draws.iter().all(|r| (1..=1000).contains(r)));
        let head = draws.iter().filter(|r| **r <= 10).count();
        let tail = draws.iter().filter(|r| **r > 500).count();
        assert!(head > tail * 3, "head {head}, tail {tail}");
    }

    #[test]
    fn made_up_words_are_distinct_and_alphabetic() {
        let words: Vec<String> = (0..5000).map(made_up).collect();
        let mut sorted = words.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), words.len());
        assert!(words.iter().all(|w| w.chars().all(|c| c.is_ascii_lowercase()) && w.len() >= 6));
    }

    #[test]
    fn sentences_are_split_and_filtered() {
        let s = sentences(
            "Short one. This sentence has enough words to count here. 1 2 3 4 5 6.\nAnother line with five words.",
        );
        assert_eq!(s, vec!["This sentence has enough words to count here.", "Another line with five words."]);
    }
}
