//! Human and JSON output. JSON is the library's wire types serialized as they are (serde
//! escapes control characters). Human output goes through [`say!`] and [`warning!`], which show
//! any control character that reached this far as an escape (`\u{1b}`) rather than letting it
//! move the cursor, recolor, retitle or clear the terminal.
//!
//! Nothing is printed with `println!`/`eprintln!`, which panic when the reader went away
//! (`quire list | head -1`): [`out!`] and [`err!`] write a line and, once a stream cannot be
//! written (a closed pipe, a full disk), stop writing to it quietly. The command itself goes
//! on to its end, so a closed pipe never leaves work half-done.

use std::borrow::Cow;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use quire::{
    AddOutcome, AnchorKind, ArticleSummary, ArticleView, Highlight, HighlightInContext, ReanchorReport, SearchHit,
    TagCount,
};
use serde::Serialize;

/// A line on stdout, as `println!` but quiet once stdout is closed ([`write_line`]).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_line($crate::output::Stream::Stdout, &format!($($arg)*))
    };
}
pub(crate) use out;

/// A line on stderr, as `eprintln!` but quiet once stderr is closed ([`write_line`]).
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::output::write_line($crate::output::Stream::Stderr, &format!($($arg)*))
    };
}
pub(crate) use err;

/// A line of human output: control characters shown as escapes ([`terminal_safe`]).
macro_rules! say {
    () => {
        $crate::output::out!("")
    };
    ($($arg:tt)*) => {
        $crate::output::out!("{}", $crate::output::terminal_safe(&format!($($arg)*)))
    };
}
pub(crate) use say;

/// A warning on stderr, `quire: warning: …`, control characters shown as escapes.
macro_rules! warning {
    ($($arg:tt)*) => {
        $crate::output::err!("quire: warning: {}", $crate::output::terminal_safe(&format!($($arg)*)))
    };
}

#[derive(Clone, Copy)]
pub enum Stream {
    Stdout,
    Stderr,
}

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `line` and a newline to `stream`, unless an earlier write to it failed. A failure
/// (the reader closed the pipe, the disk is full) is not an error of the command: the stream
/// is marked closed and later lines are dropped.
pub fn write_line(stream: Stream, line: &str) {
    let closed = match stream {
        Stream::Stdout => &STDOUT_CLOSED,
        Stream::Stderr => &STDERR_CLOSED,
    };
    if closed.load(Ordering::Relaxed) {
        return;
    }
    let written = match stream {
        Stream::Stdout => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{line}").and_then(|()| out.flush())
        }
        Stream::Stderr => writeln!(std::io::stderr().lock(), "{line}"),
    };
    if written.is_err() {
        closed.store(true, Ordering::Relaxed);
    }
}

/// Text as a terminal may show it: every control character but newline and tab becomes a
/// visible escape (`\u{1b}`, `\u{7}`, `\r`), so no text from a page, a file or a browser can
/// drive the terminal. The library already keeps such characters out of what it stores; this
/// covers what was stored before, and whatever else reaches a terminal.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON as serde writes it, with DEL and the C1 controls (which serde leaves as they are, and
/// some terminals obey) escaped too. They can only be inside strings, where `\u00XX` means
/// the same character.
pub fn json_safe(json: String) -> String {
    if !json.chars().any(|c| c.is_control() && c as u32 >= 0x7f) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if c.is_control() && c as u32 >= 0x7f {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

pub struct Printer {
    pub json: bool,
}

impl Printer {
    /// Prints `value` as JSON when in JSON mode.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) {
        if self.json {
            out!("{}", json_safe(serde_json::to_string_pretty(value).expect("wire types serialize")));
        }
    }

    pub fn backup(&self, b: &quire::BackupReport) {
        if self.json {
            return self.json(b);
        }
        say!(
            "backed up to {} ({:.1} MB, checked): {} articles, {} highlights, {} tags, schema {}",
            b.path.display(),
            b.bytes as f64 / 1e6,
            b.articles,
            b.highlights,
            b.tags,
            b.schema
        );
    }

    pub fn backups(&self, list: &[quire::BackupEntry]) {
        if self.json {
            return self.json(list);
        }
        if list.is_empty() {
            say!("no backups yet (make one with `quire backup`)");
        }
        for b in list {
            let kind = match b.kind {
                quire::BackupKind::Manual => "manual",
                quire::BackupKind::Daily => "daily",
                quire::BackupKind::BeforeMigration => "before an upgrade",
            };
            say!("{}  {:>8.1} MB  {kind:<17}  {}", b.taken_at, b.bytes as f64 / 1e6, b.path.display());
        }
    }

    pub fn restored(&self, r: &quire::RestoreReport) {
        if self.json {
            return self.json(r);
        }
        let b = &r.restored;
        say!(
            "restored {}: {} articles, {} highlights, {} tags; the library as it was is kept as {}",
            b.path.display(),
            b.articles,
            b.highlights,
            b.tags,
            r.before.display()
        );
    }

    pub fn exported_format(&self, r: &quire::FormatReport) {
        if self.json {
            return self.json(r);
        }
        say!(
            "exported {} articles and {} highlights to {} ({} files)",
            r.articles,
            r.highlights,
            r.path.display(),
            r.files
        );
    }

    pub fn done(&self, message: &str) {
        if self.json {
            out!("{}", json_safe(serde_json::json!({ "ok": true, "message": message }).to_string()));
        } else {
            say!("{message}");
        }
    }

    pub fn added(&self, o: &AddOutcome) {
        if self.json {
            return;
        }
        match &o.reanchored {
            _ if o.created => say!("added {}: {}", o.id, o.title),
            Some(report) => print_reanchored(o, report),
            None => say!("already in the library as {}: {}", o.id, o.title),
        }
        for w in &o.warnings {
            warning!("{w}");
        }
    }

    pub fn articles(&self, list: &[ArticleSummary]) {
        if self.json {
            return self.json(list);
        }
        if list.is_empty() {
            say!("no articles (add one with `quire add FILE`)");
            return;
        }
        for a in list {
            let date = a.published_at.as_deref().unwrap_or(&a.clipped_at);
            say!(
                "#{}  {}\n    {}{} · {} · {} highlight{} · {}{}",
                a.id,
                a.title,
                a.site_name.as_deref().map(|s| format!("{s} · ")).unwrap_or_default(),
                short_date(date),
                a.status,
                a.highlight_count,
                if a.highlight_count == 1 { "" } else { "s" },
                if a.favorite { "★ · " } else { "" },
                if a.tags.is_empty() { "no tags".to_owned() } else { a.tags.join(", ") },
            );
        }
    }

    pub fn article(&self, a: &ArticleView, text: &str) {
        if self.json {
            return self.json(a);
        }
        let s = &a.summary;
        say!("# {}", s.title);
        for (label, value) in [
            ("by", s.byline.as_deref()),
            ("site", s.site_name.as_deref()),
            ("url", a.canonical_url.as_deref().or(s.source_url.as_deref())),
            ("published", s.published_at.as_deref()),
            ("clipped", Some(s.clipped_at.as_str())),
            ("status", Some(s.status.as_str())),
        ] {
            if let Some(v) = value {
                say!("{label}: {v}");
            }
        }
        if !s.tags.is_empty() {
            say!("tags: {}", s.tags.join(", "));
        }
        if !a.note.is_empty() {
            say!("note: {}", a.note);
        }
        if s.link_only {
            say!("only the link is kept: {} (fetch it with `quire refetch {}`)", a.link_reason, s.id);
        }
        say!("words: {}\n", s.word_count);
        say!("{text}");
        if !a.highlights.is_empty() {
            say!("\n## Highlights");
            for h in &a.highlights {
                print_highlight(h);
            }
        }
    }

    pub fn highlight_created(&self, h: &Highlight) {
        if self.json {
            return self.json(h);
        }
        say!(
            "highlight {} on article {} at {}..{} ({})",
            h.id,
            h.article_id,
            h.position.start,
            h.position.end,
            h.color
        );
    }

    pub fn highlights(&self, list: &[HighlightInContext]) {
        if self.json {
            return self.json(list);
        }
        if list.is_empty() {
            say!("no highlights");
            return;
        }
        for h in list {
            let date = h.published_at.as_deref().map(short_date).unwrap_or_default();
            let site = h.site_name.as_deref().map(|s| format!(" — {s}")).unwrap_or_default();
            say!("{}{}{}", h.article_title, site, if date.is_empty() { String::new() } else { format!(", {date}") });
            print_highlight(&h.highlight);
            say!();
        }
    }

    pub fn exported(&self, r: &quire::ExportReport) {
        if self.json {
            return self.json(r);
        }
        for w in &r.warnings {
            warning!("{w}");
        }
        say!(
            "wrote {}: {} article{}, {} highlight{}, {} page{}, {} KB",
            r.path.display(),
            r.articles,
            if r.articles == 1 { "" } else { "s" },
            r.highlights,
            if r.highlights == 1 { "" } else { "s" },
            r.pages,
            if r.pages == 1 { "" } else { "s" },
            r.bytes.div_ceil(1024)
        );
    }

    pub fn article_tags(&self, id: i64, tags: &[String]) {
        if self.json {
            return self.json(&serde_json::json!({ "id": id, "tags": tags }));
        }
        say!("article {id} tags: {}", if tags.is_empty() { "none".to_owned() } else { tags.join(", ") });
    }

    pub fn tags(&self, tags: &[TagCount]) {
        if self.json {
            return self.json(tags);
        }
        if tags.is_empty() {
            say!("no tags");
        }
        for t in tags {
            let depth = t.name.matches('/').count();
            let leaf = t.name.rsplit('/').next().unwrap_or(&t.name);
            say!("{}{}  ({} articles, {} highlights)", "  ".repeat(depth), leaf, t.articles, t.highlights);
        }
    }

    pub fn search(&self, hits: &[SearchHit]) {
        if self.json {
            return self.json(hits);
        }
        if hits.is_empty() {
            say!("no matches");
            return;
        }
        for hit in hits {
            let a = &hit.article;
            let fields: Vec<String> = hit.matched_in.iter().map(|f| format!("{f:?}").to_lowercase()).collect();
            say!("#{}  {}  [in {}]", a.id, a.title, fields.join(", "));
            let snippet: String = hit
                .snippet
                .iter()
                .map(|p| if p.hit { format!("[{}]", p.text) } else { p.text.clone() })
                .collect::<String>()
                .replace('\n', " ");
            if !snippet.is_empty() {
                say!("    {snippet}");
            }
            for h in &hit.highlights {
                let note = if h.note.is_empty() { String::new() } else { format!(" — note: {}", h.note) };
                say!("    highlight {}: “{}”{}", h.id, h.quote.exact, note);
            }
        }
    }
}

fn print_reanchored(o: &AddOutcome, r: &ReanchorReport) {
    if !r.text_changed {
        say!("article {}: {} (the text has not changed; {} highlights in place)", o.id, o.title, r.highlights.len());
        return;
    }
    say!(
        "updated {}: {} — highlights: {} exact, {} moved, {} fuzzy, {} orphaned",
        o.id,
        o.title,
        r.exact,
        r.moved,
        r.fuzzy,
        r.orphaned
    );
    for h in &r.highlights {
        match h.anchor {
            AnchorKind::Exact => say!("  [{}] exact   “{}”", h.id, h.before),
            AnchorKind::Moved => say!("  [{}] moved   “{}”", h.id, h.before),
            AnchorKind::Fuzzy { distance } => {
                say!("  [{}] fuzzy   “{}” → “{}” ({distance} edits)", h.id, h.before, h.after)
            }
            AnchorKind::Orphan => {
                say!("  [{}] orphan  “{}” (kept; see `quire highlights --orphans`)", h.id, h.before)
            }
        }
    }
}

fn print_highlight(h: &Highlight) {
    let orphan = if h.anchor == AnchorKind::Orphan { " (orphan: no longer in the article)" } else { "" };
    say!("  [{}] {} “{}”{orphan}", h.id, h.color, h.quote.exact);
    if !h.note.is_empty() {
        say!("      note: {}", h.note);
    }
    if !h.tags.is_empty() {
        say!("      tags: {}", h.tags.join(", "));
    }
}

/// `2023-07-12T18:04:00+03:00` → `2023-07-12`.
fn short_date(s: &str) -> String {
    s.get(..10).filter(|d| d.as_bytes().get(4) == Some(&b'-')).unwrap_or(s).to_owned()
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        for (input, shown) in [
            ("plain — текст 😀", "plain — текст 😀"),
            ("line\n\tindented", "line\n\tindented"),
            ("\u{1b}]0;pwned\u{7}", "\\u{1b}]0;pwned\\u{7}"),
            ("\u{1b}[2J\u{1b}[H", "\\u{1b}[2J\\u{1b}[H"),
            ("a\u{0}b\rc\u{9b}d\u{7f}", "a\\u{0}b\\rc\\u{9b}d\\u{7f}"),
        ] {
            assert_eq!(terminal_safe(input), shown, "{input:?}");
        }
    }

    #[test]
    fn json_escapes_c1_controls_too() {
        let json = serde_json::to_string(&"\u{1b}[0m \u{9b}31m \u{7f} é").unwrap();
        let safe = super::json_safe(json);
        assert_eq!(safe, r#""\u001b[0m \u009b31m \u007f é""#);
        assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), "\u{1b}[0m \u{9b}31m \u{7f} é");
    }
}
