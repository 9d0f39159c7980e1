//! How text becomes words, the same way for the index, for queries and for the matching done
//! outside the index (snippets, which highlights matched, articles the index has not caught up
//! with): split on anything that is not a letter or digit, lower-cased, diacritics folded
//! ("Zürich" is "zurich"), words longer than [`MAX_WORD`] bytes dropped.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

use crate::search::Term;
use crate::SnippetPart;

/// The name the analyzer is registered under in the index.
pub(crate) const ANALYZER: &str = "quire";
/// Words of this many bytes or more are not indexed (hashes, base64 blobs); the words around
/// one keep their distance (a phrase does not jump over it).
pub(crate) const MAX_WORD: usize = 100;
/// Prefixes of up to this many letters have their own terms in the index (`prefix` field):
/// short prefixes match too many words to expand at query time.
pub(crate) const SHORT_PREFIX: usize = 3;

pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// A word of a text and where it is (byte offsets into the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub(crate) text: String,
    pub(crate) from: usize,
    pub(crate) to: usize,
    /// Its place among the words, counting those too long to index.
    pub(crate) position: usize,
}

/// The words of `text`.
pub(crate) fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(Word {
            text: token.text.clone(),
            from: token.offset_from,
            to: token.offset_to,
            position: token.position,
        });
    }
    out
}

/// What separates the quotes (or the notes) of an article's highlights in its entry: a
/// control character, which stored text never holds.
pub(crate) const PART_SEPARATOR: char = '\u{1e}';

/// The words of a text made of parts joined by [`PART_SEPARATOR`] (an article's quotes, or
/// its notes): each part's words follow on from the previous part's with a gap of one
/// position, so that a phrase never runs from the end of one quote into the next.
pub(crate) fn words_of_parts(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut out = words(analyzer, text);
    let mut separators = text.match_indices(PART_SEPARATOR).map(|(at, _)| at).peekable();
    let mut gap = 0;
    for word in &mut out {
        while separators.next_if(|&at| at < word.from).is_some() {
            gap += 1;
        }
        word.position += gap;
    }
    out
}

/// Whether a query term holds a word too long to be indexed (it could never be found).
pub(crate) fn too_long(term: &Term) -> bool {
    term.text().split(|c: char| !c.is_alphanumeric()).any(|piece| piece.len() >= MAX_WORD)
}

/// The word forms of a query term (a word with punctuation inside, "e-mail", is several).
pub(crate) fn forms(analyzer: &mut TextAnalyzer, term: &Term) -> Vec<String> {
    words(analyzer, term.text()).into_iter().map(|w| w.text).collect()
}

/// The name of the analyzer of the `prefix` field.
pub(crate) const PREFIX_ANALYZER: &str = "quire-prefix";

/// The words of a text as [`analyzer`] gives them, each as its short prefixes: "nato" gives
/// "n", "na", "nat" (each occurrence counts, as for whole words), for the `prefix` field.
pub(crate) fn prefix_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(ShortPrefixes)
        .build()
}

/// Replaces each word by its prefixes of 1 to [`SHORT_PREFIX`] characters.
#[derive(Clone, Copy)]
struct ShortPrefixes;

impl TokenFilter for ShortPrefixes {
    type Tokenizer<T: Tokenizer> = ShortPrefixesOf<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ShortPrefixesOf<T> {
        ShortPrefixesOf(tokenizer)
    }
}

#[derive(Clone)]
struct ShortPrefixesOf<T>(T);

impl<T: Tokenizer> Tokenizer for ShortPrefixesOf<T> {
    type TokenStream<'a> = ShortPrefixStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ShortPrefixStream {
            words: self.0.token_stream(text),
            word: String::new(),
            ends: Vec::new(),
            token: Token::default(),
        }
    }
}

struct ShortPrefixStream<S> {
    words: S,
    /// The current word, and the byte ends of its prefixes still to give, longest first.
    word: String,
    ends: Vec<usize>,
    token: Token,
}

impl<S: TokenStream> TokenStream for ShortPrefixStream<S> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(end) = self.ends.pop() {
                self.token.text.clear();
                self.token.text.push_str(&self.word[..end]);
                return true;
            }
            if !self.words.advance() {
                return false;
            }
            let word = self.words.token();
            self.word.clear();
            self.word.push_str(&word.text);
            self.token = Token { text: String::new(), ..word.clone() };
            self.ends.extend(self.word.char_indices().take(SHORT_PREFIX).map(|(at, c)| at + c.len_utf8()));
            self.ends.reverse();
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The index of every word of a text that one of the terms matches (a phrase marks all its
/// words).
pub(crate) fn matched_words(words: &[Word], terms: &[(Vec<String>, Kind)]) -> Vec<usize> {
    let mut hit = vec![false; words.len()];
    for (forms, kind) in terms {
        let n = forms.len();
        if n == 0 || words.len() < n {
            continue;
        }
        for start in 0..=words.len() - n {
            if fits(&words[start..start + n], forms, *kind) {
                for flag in &mut hit[start..start + n] {
                    *flag = true;
                }
            }
        }
    }
    hit.iter().enumerate().filter(|(_, h)| **h).map(|(i, _)| i).collect()
}

fn fits(words: &[Word], forms: &[String], kind: Kind) -> bool {
    let n = forms.len();
    let first = words.first().map_or(0, |w| w.position);
    forms.iter().zip(words).enumerate().all(|(i, (form, word))| {
        if word.position != first + i {
            return false;
        }
        if i + 1 == n && kind == Kind::Prefix {
            word.text.starts_with(form.as_str())
        } else {
            word.text == *form
        }
    })
}

/// How a term's forms must be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The forms in a row (one form: that word).
    Exact,
    /// The forms in a row, the last one as a prefix.
    Prefix,
}

impl Kind {
    pub(crate) fn of(term: &Term) -> Kind {
        match term {
            Term::Prefix(_) => Kind::Prefix,
            Term::Word(_) | Term::Phrase(_) => Kind::Exact,
        }
    }
}

/// Whether a term (its forms, in a row) occurs in a text's words.
pub(crate) fn occurs(words: &[Word], forms: &[String], kind: Kind) -> bool {
    let n = forms.len();
    n > 0 && words.len() >= n && (0..=words.len() - n).any(|start| fits(&words[start..start + n], forms, kind))
}

/// Words of context a snippet shows (matched words included).
const SNIPPET_WORDS: usize = 16;

/// A snippet of `text` around its first matched word: about [`SNIPPET_WORDS`] words, the
/// matched ones marked, "…" where the text goes on. `None` when nothing matched.
pub(crate) fn snippet(text: &str, words: &[Word], matched: &[usize]) -> Option<Vec<SnippetPart>> {
    let first = *matched.first()?;
    // The first match in the middle of the window: the words that lead to it, and what follows.
    let start = first.saturating_sub((SNIPPET_WORDS - 1) / 2).min(words.len().saturating_sub(SNIPPET_WORDS));
    let end = (start + SNIPPET_WORDS).min(words.len());
    let from = if start == 0 { 0 } else { words[start].from };
    let to = if end == words.len() { text.len() } else { words[end - 1].to };
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut push = |s: &str, hit: bool| {
        if s.is_empty() {
            return;
        }
        match parts.last_mut() {
            Some(last) if last.hit == hit && !hit => last.text.push_str(s),
            _ => parts.push(SnippetPart { text: s.to_owned(), hit }),
        }
    };
    if start > 0 {
        push("…", false);
    }
    let mut at = from;
    for i in start..end {
        if matched.binary_search(&i).is_ok() {
            push(&text[at..words[i].from], false);
            push(&text[words[i].from..words[i].to], true);
            at = words[i].to;
        }
    }
    push(&text[at..to], false);
    if end < words.len() {
        push("…", false);
    }
    // Line breaks inside a snippet read as spaces; the seam between two quotes as " … ".
    for part in &mut parts {
        if part.text.contains(['\n', PART_SEPARATOR]) {
            part.text = part.text.replace('\n', " ").replace(PART_SEPARATOR, " … ");
        }
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_split_like_the_old_index() {
        let mut a = analyzer();
        let got: Vec<String> =
            words(&mut a, "Zürich's e-mail: NATO-Gipfel 2023 café").into_iter().map(|w| w.text).collect();
        assert_eq!(got, ["zurich", "s", "e", "mail", "nato", "gipfel", "2023", "cafe"]);
    }

    #[test]
    fn short_prefixes_of_each_word() {
        let mut a = prefix_analyzer();
        let mut stream = a.token_stream("NATO is Zürich");
        let mut got = Vec::new();
        while let Some(t) = stream.next() {
            got.push((t.text.clone(), t.position));
        }
        let want = [("n", 0), ("na", 0), ("nat", 0), ("i", 1), ("is", 1), ("z", 2), ("zu", 2), ("zur", 2)];
        assert_eq!(got, want.map(|(t, p)| (t.to_owned(), p)));
    }

    #[test]
    fn terms_occur_in_a_row() {
        let mut a = analyzer();
        let w = words(&mut a, "Cluster munitions were sent; munitions, cluster.");
        let f = |s: &str| words(&mut analyzer(), s).into_iter().map(|w| w.text).collect::<Vec<_>>();
        assert!(occurs(&w, &f("cluster munitions"), Kind::Exact));
        assert!(!occurs(&w, &f("munitions sent"), Kind::Exact));
        assert!(occurs(&w, &f("munitions were se"), Kind::Prefix));
        assert!(!occurs(&w, &f("clusters"), Kind::Exact));
    }

    #[test]
    fn a_snippet_marks_the_matched_words() {
        let text = "One two three four five six seven eight nine ten eleven twelve Kremlin thirteen fourteen \
                    fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three.";
        let w = words(&mut analyzer(), text);
        let at = w.iter().position(|w| w.text == "kremlin").unwrap();
        let parts = snippet(text, &w, &[at]).unwrap();
        let marked: Vec<&str> = parts.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
        assert_eq!(marked, ["Kremlin"]);
        assert!(parts.first().unwrap().text.starts_with('…'));
        assert!(parts.last().unwrap().text.ends_with('…'));
        assert!(snippet(text, &w, &[]).is_none());
    }
}
