//! One Markdown file per article, and topic dossiers, in three styles:
//!
//! - [`MarkdownStyle::Plain`]: YAML front matter, the title, the text with highlights marked
//!   `==…==`, and a `## Highlights` section with each quote, its note, tags, color and a link
//!   back to the app.
//! - [`MarkdownStyle::Obsidian`]: the same with tags made valid Obsidian tags (`#tag` inline,
//!   without `#` in the front matter) and a block id `^q<ID>` on every quote, so that other
//!   notes (the dossier) link to it with `[[stem#^q<ID>]]`.
//! - [`MarkdownStyle::Logseq`]: no YAML; page properties (`key:: value`) first, then the text
//!   as blocks (`- ` bullets, lists nested), highlights as blocks with `color::`, `note::` and
//!   `tags::` properties.
//!
//! Text is escaped so that it renders as itself: Markdown punctuation, HTML tags, Obsidian
//! tags (`#`), math (`$`), Logseq properties (`::`) and page references (`[[`) stay text.
//! Only `http`, `https` and `mailto` links become links. Everything here is a pure function;
//! bad input (offsets outside the text, overlapping highlights) never panics.

use std::collections::HashMap;
use std::fmt::Write as _;

use quire_doc::{Block, BlockKind, Marks, Span};

use crate::{article_link, highlight_link, Article, Highlight};

/// How the Markdown is laid out for the app that will read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MarkdownStyle {
    #[default]
    Plain,
    Obsidian,
    Logseq,
}

impl MarkdownStyle {
    pub const ALL: &'static [MarkdownStyle] = &[MarkdownStyle::Plain, MarkdownStyle::Obsidian, MarkdownStyle::Logseq];

    /// `plain`, `obsidian` or `logseq`, in any case, surrounding blanks ignored.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|style| style.as_str().eq_ignore_ascii_case(s))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MarkdownStyle::Plain => "plain",
            MarkdownStyle::Obsidian => "obsidian",
            MarkdownStyle::Logseq => "logseq",
        }
    }
}

/// What [`article`] writes besides the article itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkdownOptions {
    pub style: MarkdownStyle,
    /// The article's formatted citation: written in the front matter (page properties) and
    /// under the title.
    pub citation: Option<String>,
}

/// A Markdown file to write, with the stored images it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownFile {
    /// The file name (`<stem>.md`, see [`file_stem`]); the caller deduplicates names.
    pub name: String,
    pub text: String,
    pub assets: Vec<Asset>,
}

/// A stored image to copy next to the Markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The image's SHA-256 (as in `quire-image:<hash>`).
    pub hash: String,
    /// Where the Markdown expects it, relative to the `.md` file: `assets/<hash>.<ext>`.
    pub path: String,
}

/// One article's quotes in a topic [`dossier`].
#[derive(Debug, Clone)]
pub struct DossierEntry<'a> {
    pub article: &'a Article,
    pub highlights: Vec<&'a Highlight>,
    pub citation: String,
    /// The stem of the article's note as written (the caller may have made `file_stem` unique),
    /// for links from the dossier to it.
    pub note_stem: String,
}

/// Longest file stem, in bytes (room is left for `.md` and a caller's ` (2)`).
const MAX_STEM_BYTES: usize = 120;

/// A file name stem for a title that is valid on Windows, macOS and Linux and in an Obsidian
/// wiki link, the same every time for the same title: characters that are not allowed
/// (`<>:"/\|?*`, `#^[]`, control and bidi-override characters) become spaces, runs of blanks
/// collapse, leading and trailing dots and blanks go, a Windows reserved name (`CON`,
/// `com1.txt`, …) gets a `_`, and the stem is cut to at most 120 bytes at a character
/// boundary. An empty result is `Untitled`.
pub fn file_stem(title: &str) -> String {
    let mut cleaned = String::with_capacity(title.len());
    for c in title.chars() {
        let bad = matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' | '#' | '^' | '[' | ']')
            || c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{feff}');
        cleaned.push(if bad || c.is_whitespace() { ' ' } else { c });
    }
    let mut stem = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    stem = trim_stem(&stem).to_owned();
    if stem.len() > MAX_STEM_BYTES {
        let mut cut = MAX_STEM_BYTES;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
        stem = trim_stem(&stem).to_owned();
    }
    if stem.is_empty() {
        return "Untitled".to_owned();
    }
    let base_end = stem.find('.').unwrap_or(stem.len());
    let base = stem[..base_end].trim_end();
    if is_reserved_windows_name(base) {
        let at = base.len();
        stem.insert(at, '_');
    }
    stem
}

fn trim_stem(s: &str) -> &str {
    s.trim_matches(|c: char| c == '.' || c.is_whitespace())
}

fn is_reserved_windows_name(base: &str) -> bool {
    let upper = base.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let mut chars = upper.chars();
            let prefix: String = chars.by_ref().take(3).collect();
            let rest: String = chars.collect();
            (prefix == "COM" || prefix == "LPT")
                && matches!(rest.as_str(), "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³")
        }
    }
}

/// The Markdown file of one article: front matter (or Logseq page properties), the title,
/// the citation, the full text with its highlights marked, and the Highlights section.
pub fn article(a: &Article, options: &MarkdownOptions) -> MarkdownFile {
    let style = options.style;
    let mut assets = Vec::new();
    let body = render_document(a, style, &mut assets);
    let citation = options.citation.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let mut out = String::new();
    match style {
        MarkdownStyle::Plain | MarkdownStyle::Obsidian => {
            out.push_str(&front_matter(a, style, citation));
            out.push('\n');
            let _ = writeln!(out, "# {}", escape_line(&one_line(&a.title)));
            if let Some(c) = citation {
                let _ = writeln!(out, "\n{}", escape_line(&one_line(c)));
            }
            if !body.is_empty() {
                out.push('\n');
                out.push_str(&body);
            }
            if !a.highlights.is_empty() {
                out.push_str("\n## Highlights\n");
                for h in &a.highlights {
                    out.push('\n');
                    out.push_str(&highlight_entry(h, style));
                }
            }
        }
        MarkdownStyle::Logseq => {
            out.push_str(&page_properties(a, citation));
            out.push('\n');
            out.push_str(&body);
            if !a.highlights.is_empty() {
                out.push_str("- ## Highlights\n");
                for h in &a.highlights {
                    out.push_str(&logseq_highlight(h, 1));
                }
            }
        }
    }
    MarkdownFile { name: format!("{}.md", file_stem(&a.title)), text: out, assets }
}

/// A topic note: every quote on `topic`, grouped by article, each article with its citation.
/// In Obsidian style each article links to its note (`[[stem]]`) and each quote to its block.
pub fn dossier(topic: &str, entries: &[DossierEntry<'_>], style: MarkdownStyle) -> MarkdownFile {
    let mut out = String::new();
    match style {
        MarkdownStyle::Plain | MarkdownStyle::Obsidian => {
            let _ = writeln!(out, "---\ntitle: {}\n---\n", yaml_string(topic));
            let _ = writeln!(out, "# {}", escape_line(&one_line(topic)));
            for e in entries {
                if !out.ends_with("\n\n") {
                    out.push('\n');
                }
                let _ = writeln!(out, "## {}\n", escape_line(&one_line(&e.article.title)));
                let stem = e.note_stem.clone();
                if style == MarkdownStyle::Obsidian {
                    let _ = writeln!(out, "Note: [[{stem}]]\n");
                }
                if !e.citation.trim().is_empty() {
                    let _ = writeln!(out, "{}\n", escape_line(&one_line(&e.citation)));
                }
                for h in &e.highlights {
                    out.push_str(&quote_lines(&h.exact));
                    out.push('\n');
                    if !h.note.trim().is_empty() {
                        out.push_str(&paragraphs(&h.note));
                        out.push('\n');
                    }
                    let mut links = format!("[Open in Quire]({})", highlight_link(h.id));
                    if style == MarkdownStyle::Obsidian {
                        let _ = write!(links, " · [[{stem}#^{}]]", block_id(h.id));
                    }
                    if h.orphan {
                        links.push_str(" · *not found in the current text*");
                    }
                    let _ = writeln!(out, "{links}\n");
                }
            }
        }
        MarkdownStyle::Logseq => {
            let _ = writeln!(out, "title:: {}\n", property_value(topic));
            for e in entries {
                let _ = writeln!(out, "- ## {}", escape_line(&one_line(&e.article.title)));
                if !e.citation.trim().is_empty() {
                    let _ = writeln!(out, "  citation:: {}", property_value(&e.citation));
                }
                if let Some(url) = e.article.web_address() {
                    let _ = writeln!(out, "  source:: {}", property_value(url));
                }
                for h in &e.highlights {
                    out.push_str(&logseq_highlight(h, 1));
                }
            }
        }
    }
    MarkdownFile { name: format!("{}.md", file_stem(topic)), text: out, assets: Vec::new() }
}

// ---------------------------------------------------------------------------------------------
// Front matter and page properties

fn front_matter(a: &Article, style: MarkdownStyle, citation: Option<&str>) -> String {
    let mut y = String::from("---\n");
    let _ = writeln!(y, "title: {}", yaml_string(&a.title));
    let fields = [
        ("author", a.author.as_deref()),
        ("site", a.site.as_deref()),
        ("source", a.web_address()),
        ("published", a.published.as_deref()),
        ("clipped", Some(a.clipped.as_str())),
    ];
    for (key, value) in fields {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            let _ = writeln!(y, "{key}: {}", yaml_string(v));
        }
    }
    let tags: Vec<String> = match style {
        MarkdownStyle::Obsidian => obsidian_tags(&a.tags),
        _ => a.tags.iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
    };
    if tags.is_empty() {
        y.push_str("tags: []\n");
    } else {
        y.push_str("tags:\n");
        for t in &tags {
            let _ = writeln!(y, "  - {}", yaml_string(t));
        }
    }
    let _ = writeln!(y, "status: {}", yaml_string(&a.status));
    if let Some(c) = citation {
        let _ = writeln!(y, "citation: {}", yaml_string(c));
    }
    let _ = writeln!(y, "quire: {}", yaml_string(&article_link(a.id)));
    y.push_str("---\n");
    y
}

/// A YAML double-quoted scalar: valid whatever the text holds (colons, quotes, `#`, a
/// leading `-`, line breaks, control characters).
fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn page_properties(a: &Article, citation: Option<&str>) -> String {
    let mut p = String::new();
    let _ = writeln!(p, "title:: {}", property_value(&a.title));
    let fields = [
        ("author", a.author.as_deref()),
        ("site", a.site.as_deref()),
        ("source", a.web_address()),
        ("published", a.published.as_deref()),
        ("clipped", Some(a.clipped.as_str())),
        ("status", Some(a.status.as_str())),
        ("citation", citation),
    ];
    for (key, value) in fields {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            let _ = writeln!(p, "{key}:: {}", property_value(v));
        }
    }
    let tags = logseq_tags(&a.tags);
    if !tags.is_empty() {
        let _ = writeln!(p, "tags:: {tags}");
    }
    let _ = writeln!(p, "quire:: {}", article_link(a.id));
    p
}

/// A Logseq property value: one line, no `::` (which would start another property), no
/// page references or tags made by accident.
fn property_value(s: &str) -> String {
    let line = one_line(s);
    let mut out = String::with_capacity(line.len());
    let mut prev = '\0';
    for c in line.chars() {
        match c {
            ':' if prev == ':' => out.push_str("\\:"),
            '[' | ']' | '#' | '(' | ')' if matches!(prev, '[' | ']' | '(' | ')') || c == '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        prev = c;
    }
    out
}

/// `[[a]], [[b/c]]`: each tag a page reference (brackets and commas removed from names).
fn logseq_tags(tags: &[String]) -> String {
    let mut seen = Vec::new();
    for t in tags {
        let name: String = one_line(t).chars().filter(|c| !matches!(c, '[' | ']' | ',' | '#')).collect();
        let name = name.trim().to_owned();
        if !name.is_empty() && !seen.contains(&name) {
            seen.push(name);
        }
    }
    seen.iter().map(|t| format!("[[{t}]]")).collect::<Vec<_>>().join(", ")
}

/// Obsidian tags: letters, digits, `_`, `-` and `/` (nesting); blanks become `-`, other
/// characters go, empty nesting levels go, a purely numeric tag gets a leading `_`.
fn obsidian_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        if let Some(tag) = obsidian_tag(t) {
            if !out.contains(&tag) {
                out.push(tag);
            }
        }
    }
    out
}

fn obsidian_tag(t: &str) -> Option<String> {
    let levels: Vec<String> = t
        .split('/')
        .map(|level| {
            let words: Vec<String> = level
                .split_whitespace()
                .map(|w| w.chars().filter(|c| c.is_alphanumeric() || matches!(c, '_' | '-')).collect())
                .filter(|w: &String| w.chars().any(|c| c != '-'))
                .collect();
            words.join("-").trim_matches('-').to_owned()
        })
        .filter(|l| !l.is_empty())
        .collect();
    if levels.is_empty() {
        return None;
    }
    let tag = levels.join("/");
    if tag.chars().all(|c| c.is_ascii_digit() || c == '/') {
        Some(format!("_{tag}"))
    } else {
        Some(tag)
    }
}

// ---------------------------------------------------------------------------------------------
// Highlights section

fn block_id(id: i64) -> String {
    format!("q{id}")
}

fn highlight_entry(h: &Highlight, style: MarkdownStyle) -> String {
    let mut out = quote_lines(&h.exact);
    if style == MarkdownStyle::Obsidian {
        let _ = write!(out, "\n^{}\n", block_id(h.id));
    }
    if h.orphan {
        out.push_str("\n*Not found in the current text.*\n");
    }
    if !h.note.trim().is_empty() {
        out.push('\n');
        out.push_str(&paragraphs(&h.note));
    }
    let mut meta = Vec::new();
    match style {
        MarkdownStyle::Obsidian => {
            let tags = obsidian_tags(&h.tags);
            if !tags.is_empty() {
                meta.push(tags.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(" "));
            }
        }
        _ => {
            let tags: Vec<&str> = h.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
            if !tags.is_empty() {
                meta.push(format!("Tags: {}", escape_line(&one_line(&tags.join(", ")))));
            }
        }
    }
    meta.push(format!("Color: {}", h.color));
    meta.push(format!("[Open in Quire]({})", highlight_link(h.id)));
    let _ = writeln!(out, "\n{}", meta.join(" · "));
    out
}

/// A quote as a Markdown block quote: every line prefixed, blank lines kept as `>`.
fn quote_lines(text: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.trim().lines().collect();
    if lines.is_empty() {
        out.push_str(">\n");
    }
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            out.push_str(">\n");
        } else {
            let _ = writeln!(out, "> {}", escape_line(line));
        }
    }
    out
}

/// Free text (a note) as Markdown paragraphs: each line escaped; single line breaks kept as
/// hard breaks, blank lines separate paragraphs.
fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    let mut prev_blank = true;
    let lines: Vec<&str> = text.trim().lines().map(str::trim).collect();
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            if !prev_blank {
                out.push('\n');
            }
            prev_blank = true;
            continue;
        }
        out.push_str(&escape_line(line));
        let next_is_text = lines.get(i + 1).is_some_and(|l| !l.is_empty());
        out.push_str(if next_is_text { "\\\n" } else { "\n" });
        prev_blank = false;
    }
    out
}

fn logseq_highlight(h: &Highlight, depth: usize) -> String {
    let indent = "\t".repeat(depth);
    let mut out = String::new();
    let lines: Vec<&str> = h.exact.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let first = lines.first().copied().unwrap_or("");
    let _ = writeln!(out, "{indent}- {}", escape_line(first));
    for line in lines.iter().skip(1) {
        let _ = writeln!(out, "{indent}  {}", escape_line(line));
    }
    let _ = writeln!(out, "{indent}  color:: {}", h.color);
    if !h.note.trim().is_empty() {
        let _ = writeln!(out, "{indent}  note:: {}", property_value(&h.note));
    }
    let tags = logseq_tags(&h.tags);
    if !tags.is_empty() {
        let _ = writeln!(out, "{indent}  tags:: {tags}");
    }
    if h.orphan {
        let _ = writeln!(out, "{indent}  found:: false");
    }
    let _ = writeln!(out, "{indent}  quire:: [Open in Quire]({})", highlight_link(h.id));
    out
}

// ---------------------------------------------------------------------------------------------
// The document

/// Highlighted ranges `[start, end)` of the canonical text: non-orphan highlights, clamped,
/// sorted, overlapping and touching ranges merged.
fn highlight_ranges(a: &Article) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> =
        a.highlights.iter().filter(|h| !h.orphan && h.start < h.end).map(|h| (h.start, h.end)).collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

fn image_extension(mime: &str) -> &'static str {
    let essence = mime.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "image/jpeg" | "image/jpg" | "image/pjpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        "image/avif" => "avif",
        "image/bmp" => "bmp",
        "image/tiff" => "tif",
        "image/x-icon" | "image/vnd.microsoft.icon" => "ico",
        "image/heic" => "heic",
        _ => "bin",
    }
}

fn render_document(a: &Article, style: MarkdownStyle, assets: &mut Vec<Asset>) -> String {
    let ranges = highlight_ranges(a);
    let images: HashMap<&str, &str> = a.images.iter().map(|(h, m)| (h.as_str(), m.as_str())).collect();
    let mut out = String::new();
    // Ordered-list counters and content indents per nesting level of the current list.
    let mut list: Vec<ListLevel> = Vec::new();
    let mut prev_was_item = false;
    for block in &a.document.blocks {
        let inline = |spans: &[Span]| render_inline(spans, &ranges, block);
        let is_item = matches!(block.kind, BlockKind::ListItem { .. });
        if !is_item {
            list.clear();
        }
        let text = match &block.kind {
            BlockKind::Heading { level } => {
                let level = (*level).clamp(1, 6) as usize;
                let t = inline(&block.spans);
                if t.is_empty() {
                    continue;
                }
                format!("{} {t}", "#".repeat(level))
            }
            BlockKind::Paragraph => inline(&block.spans),
            BlockKind::Quote => inline(&block.spans),
            BlockKind::ListItem { ordered, depth } => {
                let t = inline(&block.spans);
                // A level deeper than one below the previous item would read as code.
                let depth = (*depth as usize).min(list.len());
                list.truncate(depth + 1);
                if list.len() == depth + 1 && list[depth].ordered != *ordered {
                    list.truncate(depth);
                }
                if list.len() == depth {
                    let indent = list.last().map_or(0, |l| l.indent + l.width);
                    list.push(ListLevel { ordered: *ordered, count: 0, indent, width: 0 });
                }
                let level = &mut list[depth];
                level.count += 1;
                let marker = match style {
                    MarkdownStyle::Logseq => "- ".to_owned(),
                    _ if *ordered => format!("{}. ", level.count),
                    _ => "- ".to_owned(),
                };
                level.width = marker.len();
                match style {
                    MarkdownStyle::Logseq => {
                        let mut s = format!("{}- {t}", "\t".repeat(depth));
                        if *ordered {
                            let _ = write!(s, "\n{}  logseq.order-list-type:: number", "\t".repeat(depth));
                        }
                        s
                    }
                    _ => format!("{}{marker}{t}", " ".repeat(level.indent)),
                }
            }
            BlockKind::Preformatted => {
                let code: String = block.spans.iter().map(|s| s.text.as_str()).collect();
                let fence = "`".repeat((longest_run(&code, '`') + 1).max(3));
                format!("{fence}\n{code}\n{fence}")
            }
            BlockKind::Image { src, alt } => {
                let image = image_markdown(src, alt, &images, assets);
                let caption = inline(&block.spans);
                match (image.is_empty(), caption.is_empty()) {
                    (true, true) => continue,
                    (false, true) => image,
                    (true, false) => caption,
                    (false, false) => match style {
                        MarkdownStyle::Logseq => format!("{image}\n  {caption}"),
                        _ => format!("{image}\n\n{caption}"),
                    },
                }
            }
        };
        if text.is_empty() {
            continue;
        }
        match style {
            MarkdownStyle::Logseq => {
                if is_item {
                    out.push_str(&text);
                } else {
                    let text = match block.kind {
                        BlockKind::Quote => format!("> {text}"),
                        BlockKind::Preformatted => text.replace('\n', "\n  "),
                        _ => text,
                    };
                    let _ = write!(out, "- {text}");
                }
                out.push('\n');
            }
            _ => {
                let tight = is_item && prev_was_item;
                if !out.is_empty() && !tight {
                    out.push('\n');
                }
                if matches!(block.kind, BlockKind::Quote) {
                    out.push_str("> ");
                }
                out.push_str(&text);
                out.push('\n');
            }
        }
        prev_was_item = is_item;
    }
    out
}

struct ListLevel {
    ordered: bool,
    count: usize,
    /// Columns before this level's marker.
    indent: usize,
    /// Width of the last marker at this level (`- ` or `12. `).
    width: usize,
}

fn image_markdown(src: &str, alt: &str, images: &HashMap<&str, &str>, assets: &mut Vec<Asset>) -> String {
    let alt = escape_inline(&one_line(alt));
    if let Some(hash) = src.strip_prefix("quire-image:") {
        let valid = !hash.is_empty() && hash.len() <= 128 && hash.chars().all(|c| c.is_ascii_hexdigit());
        if let (true, Some(mime)) = (valid, images.get(hash)) {
            let path = format!("assets/{hash}.{}", image_extension(mime));
            if !assets.iter().any(|x| x.hash == hash) {
                assets.push(Asset { hash: hash.to_owned(), path: path.clone() });
            }
            return format!("![{alt}]({path})");
        }
        return if alt.is_empty() { String::new() } else { format!("*{alt}*") };
    }
    if quire_doc::address::is_web(src.trim()) {
        return format!("![{alt}]({})", link_destination(src));
    }
    if alt.is_empty() {
        String::new()
    } else {
        format!("*{alt}*")
    }
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for x in s.chars() {
        if x == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// A link destination that Markdown reads back as the same address: blanks, brackets,
/// parentheses, quotes and backslashes percent-encoded.
fn link_destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            ' ' | '<' | '>' | '(' | ')' | '"' | '\\' | '`' | '[' | ']' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            c if c.is_control() || c.is_whitespace() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A piece of a span with one set of marks, highlighted or not.
struct Piece<'a> {
    text: String,
    marks: &'a Marks,
    highlighted: bool,
}

impl Piece<'_> {
    fn link(&self) -> Option<&str> {
        self.marks.link.as_deref().filter(|l| quire_doc::address::is_link(l.trim()))
    }
}

/// A block's spans as inline Markdown: highlights outermost (`==…==`), then links, then
/// emphasis, strong and code. Blanks are kept outside delimiters so that they still apply.
fn render_inline(spans: &[Span], ranges: &[(usize, usize)], block: &Block) -> String {
    let mut pieces: Vec<Piece<'_>> = Vec::new();
    for span in spans {
        let chars: Vec<char> = span.text.chars().collect();
        let span_start = span.start;
        let span_end = span_start.saturating_add(chars.len());
        // Cut points inside this span.
        let mut cuts = vec![0usize];
        for &(s, e) in ranges {
            if e <= block.start || s >= block.end {
                continue;
            }
            for x in [s, e] {
                if x > span_start && x < span_end {
                    cuts.push(x - span_start);
                }
            }
        }
        cuts.push(chars.len());
        cuts.sort_unstable();
        cuts.dedup();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a >= b {
                continue;
            }
            let abs = span_start.saturating_add(a);
            let highlighted = ranges.iter().any(|&(s, e)| s <= abs && abs < e);
            pieces.push(Piece { text: chars[a..b].iter().collect(), marks: &span.marks, highlighted });
        }
    }
    let mut out = String::new();
    for (highlighted, group) in group_by(&pieces, |p| p.highlighted) {
        let inner = render_links(group);
        if highlighted {
            out.push_str(&wrap(&inner, "==", "=="));
        } else {
            out.push_str(&inner);
        }
    }
    if let Some(rest) = out.strip_prefix(' ') {
        out = rest.to_owned();
    }
    let mut out = out.trim_end().to_owned();
    escape_line_start(&mut out);
    out
}

fn group_by<'p, 'a, K: PartialEq>(pieces: &'p [Piece<'a>], key: impl Fn(&Piece<'a>) -> K) -> Vec<(K, &'p [Piece<'a>])> {
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..=pieces.len() {
        if i == pieces.len() || key(&pieces[i]) != key(&pieces[start]) {
            if start < i {
                groups.push((key(&pieces[start]), &pieces[start..i]));
            }
            start = i;
        }
    }
    groups
}

fn render_links(pieces: &[Piece<'_>]) -> String {
    let mut out = String::new();
    for (link, group) in group_by(pieces, |p| p.link().map(str::to_owned)) {
        let inner = render_emphasis(group);
        match link {
            Some(url) => out.push_str(&wrap(&inner, "[", &format!("]({})", link_destination(&url)))),
            None => out.push_str(&inner),
        }
    }
    out
}

fn render_emphasis(pieces: &[Piece<'_>]) -> String {
    let mut out = String::new();
    for (em, group) in group_by(pieces, |p| p.marks.emphasis) {
        let mut inner = String::new();
        for (strong, g) in group_by(group, |p| p.marks.strong) {
            let mut s = String::new();
            for p in g {
                if p.marks.code {
                    s.push_str(&code_span(&p.text));
                } else {
                    s.push_str(&escape_inline(&p.text));
                }
            }
            inner.push_str(&if strong { wrap(&s, "**", "**") } else { s });
        }
        out.push_str(&if em { wrap(&inner, "*", "*") } else { inner });
    }
    out
}

/// `open` + text + `close`, with the text's leading and trailing blanks moved outside.
fn wrap(text: &str, open: &str, close: &str) -> String {
    let trimmed = text.trim_matches(' ');
    if trimmed.is_empty() {
        return text.to_owned();
    }
    let lead = &text[..text.len() - text.trim_start_matches(' ').len()];
    let trail = &text[text.trim_end_matches(' ').len()..];
    format!("{lead}{open}{trimmed}{close}{trail}")
}

/// A code span whose backtick fence is longer than any run of backticks inside.
fn code_span(text: &str) -> String {
    if text.trim().is_empty() {
        return text.to_owned();
    }
    let fence = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || (text.starts_with(' ') && text.ends_with(' ')) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Backslash-escapes the characters that would make text into Markdown (or HTML, an
/// Obsidian tag, math, a highlight, a Logseq property) instead of reading as itself.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev = '\0';
    for c in text.chars() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '=' | '$' | '&' | '^' | '{' | '}' => {
                true
            }
            ':' => prev == ':',
            '(' | ')' => prev == ']' || prev == '(' || c == ')' && prev == ')',
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// A line of text escaped to read as itself, including at the start of a line.
fn escape_line(text: &str) -> String {
    let mut s = escape_inline(text);
    escape_line_start(&mut s);
    s
}

/// Escapes what would start a block at the beginning of a line: a list marker (`-`, `+`,
/// `1.`, `1)`), a heading or thematic break.
fn escape_line_start(s: &mut String) {
    let first = s.chars().next();
    match first {
        Some('-' | '+') => s.insert(0, '\\'),
        Some(c) if c.is_ascii_digit() => {
            let digits = s.chars().take_while(char::is_ascii_digit).count();
            if digits <= 9 && matches!(s[digits..].chars().next(), Some('.' | ')')) {
                s.insert(digits, '\\');
            }
        }
        _ => {}
    }
}

/// Text on one line: line breaks and runs of blanks become one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_parse() {
        assert_eq!(MarkdownStyle::parse(" Obsidian "), Some(MarkdownStyle::Obsidian));
        assert_eq!(MarkdownStyle::parse("logseq"), Some(MarkdownStyle::Logseq));
        assert_eq!(MarkdownStyle::parse("PLAIN"), Some(MarkdownStyle::Plain));
        assert_eq!(MarkdownStyle::parse("roam"), None);
    }

    #[test]
    fn obsidian_tags_are_valid() {
        let tags: Vec<String> =
            ["NATO accession", "a/b c", "2023", "/x//y/", "C++ & Rust!", "…", "ünïcödé tag", "12/34"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert_eq!(
            obsidian_tags(&tags),
            ["NATO-accession", "a/b-c", "_2023", "x/y", "C-Rust", "ünïcödé-tag", "_12/34"]
        );
    }

    #[test]
    fn code_spans_outfence_backticks() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("plain"), "`plain`");
    }

    #[test]
    fn urls_are_filtered_and_encoded() {
        assert_eq!(link_destination("https://e.org/a (b)"), "https://e.org/a%20%28b%29");
    }
}
