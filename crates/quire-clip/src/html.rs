//! HTML pages: readability extraction with `dom_smoothie`, then a walk of the readable HTML
//! into the document model.

use dom_query::{Document as Dom, NodeRef};
use dom_smoothie::{Config, Readability};
use quire_doc::{BlockKind, DocumentBuilder, Marks};

use crate::{excerpt_of, Extracted, Metadata};

/// Options for [`from_html`].
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions<'a> {
    /// The page's address, used to resolve relative links and images.
    pub url: Option<&'a str>,
}

/// Extracts the readable article from an HTML page.
pub fn from_html(html: &str, options: &HtmlOptions<'_>) -> Extracted {
    let mut warnings = Vec::new();
    let url = options.url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let dom = Dom::from(html);
    let page = PageFacts::read(&dom);
    let cfg = Config { max_elements_to_parse: 200_000, ..Config::default() };
    let mut readability = match Readability::with_document(dom, url, Some(cfg.clone())) {
        Ok(r) => r,
        Err(e) => {
            warnings.push(format!("ignored the page address: {e}"));
            Readability::with_document(Dom::from(html), None, Some(cfg)).expect("no URL cannot be a bad URL")
        }
    };
    let parsed = readability.parse();
    let (meta, document) = match parsed {
        Ok(article) => {
            let content = Dom::from(article.content.as_ref());
            let mut walker = Walker::default();
            walker.walk(&content.root());
            let document = walker.builder.finish();
            let meta = Metadata {
                title: clean(&article.title).unwrap_or_default(),
                byline: article.byline.as_deref().and_then(clean),
                site_name: article.site_name.as_deref().and_then(clean),
                published: article.published_time.as_deref().and_then(clean).or(page.time.clone()),
                language: article.lang.as_deref().and_then(clean),
                direction: article.dir.as_deref().and_then(clean),
                excerpt: article.excerpt.as_deref().and_then(clean),
                canonical_url: page.canonical.clone().or_else(|| article.url.as_deref().and_then(clean)),
                lead_image: article.image.as_deref().and_then(clean),
            };
            (meta, document)
        }
        Err(e) => {
            // No article found (an index page, a login wall): keep the page's main text.
            let dom = Dom::from(html);
            let mut walker = Walker::default();
            let body = dom.select("body");
            match body.nodes().first() {
                Some(node) => walker.walk(node),
                None => walker.walk(&dom.root()),
            }
            let document = walker.builder.finish();
            if !document.blocks.is_empty() {
                warnings.push(format!("no article found in the page ({e}); kept the whole page's text"));
            }
            let meta = Metadata {
                title: page.title.clone().unwrap_or_default(),
                language: page.lang.clone(),
                canonical_url: page.canonical.clone(),
                published: page.time.clone(),
                ..Metadata::default()
            };
            (meta, document)
        }
    };
    let mut extracted = Extracted { meta, document, warnings };
    finish_meta(&mut extracted, &page);
    if extracted.is_empty() {
        extracted.warnings.push("the page has no text".to_owned());
    }
    extracted
}

/// Facts read from the page before readability consumes it.
#[derive(Debug, Default)]
struct PageFacts {
    title: Option<String>,
    canonical: Option<String>,
    lang: Option<String>,
    time: Option<String>,
}

impl PageFacts {
    fn read(dom: &Dom) -> Self {
        let attr = |sel: &str, name: &str| dom.select(sel).attr(name).as_deref().and_then(clean);
        Self {
            title: dom.select("title").nodes().first().map(|n| n.text()).as_deref().and_then(clean),
            canonical: attr("link[rel=canonical]", "href").filter(|u| u.starts_with("http")),
            lang: attr("html", "lang"),
            time: attr("time[datetime]", "datetime"),
        }
    }
}

fn finish_meta(e: &mut Extracted, page: &PageFacts) {
    if e.meta.title.is_empty() {
        e.meta.title = e.document.first_heading().or_else(|| page.title.clone()).unwrap_or_default();
    }
    if e.meta.title.is_empty() {
        if let Some(first) = e.document.blocks.iter().find(|b| b.start < b.end) {
            e.meta.title = first.text().chars().take(80).collect();
        }
    }
    // The title is metadata; a first heading that repeats it would duplicate it in the body.
    let repeats_title = e
        .document
        .blocks
        .iter()
        .find(|b| b.start < b.end)
        .is_some_and(|b| matches!(b.kind, BlockKind::Heading { .. }) && b.text().trim() == e.meta.title.trim());
    if repeats_title {
        let mut builder = DocumentBuilder::new();
        let mut skipped = false;
        for block in &e.document.blocks {
            if !skipped && block.start < block.end {
                skipped = true;
                continue;
            }
            builder.start_block(block.kind.clone());
            for span in &block.spans {
                builder.push_text(&span.text, span.marks.clone());
            }
        }
        e.document = builder.finish();
    }
    if e.meta.language.is_none() {
        e.meta.language = page.lang.clone();
    }
    if e.meta.excerpt.is_none() {
        e.meta.excerpt = excerpt_of(&e.document);
    }
}

/// Trims and collapses whitespace; `None` for an empty result.
fn clean(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// Walks readable HTML and feeds a [`DocumentBuilder`].
#[derive(Default)]
struct Walker {
    builder: DocumentBuilder,
    /// The kind of block that text at the current position belongs to.
    context: Vec<BlockKind>,
    marks: Marks,
    /// Ordered-ness of each enclosing list.
    lists: Vec<bool>,
    /// True when the next text must open a new block of the current context's kind.
    needs_block: bool,
}

impl Walker {
    fn walk(&mut self, node: &NodeRef<'_>) {
        if node.is_text() {
            let text = node.text();
            if text.trim().is_empty() && self.builder.current_block_is_empty() {
                return;
            }
            if self.needs_block {
                self.open(self.current_kind());
            }
            self.builder.push_text(&text, self.marks.clone());
            return;
        }
        if !node.is_element() {
            if node.is_document() || node.is_fragment() {
                self.children(node);
            }
            return;
        }
        let name = node.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        match name.as_str() {
            "script" | "style" | "noscript" | "template" | "svg" | "button" | "form" | "input" | "select"
            | "textarea" | "iframe" | "object" | "embed" | "head" | "title" | "meta" | "link" => {}
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                self.block(node, BlockKind::Heading { level });
            }
            "p" | "div" | "section" | "article" | "main" | "header" | "footer" | "aside" | "dd" | "dt" | "address"
            | "details" | "summary" | "center" => {
                let kind = match self.current_kind() {
                    k @ (BlockKind::Quote | BlockKind::ListItem { .. }) => k,
                    _ => BlockKind::Paragraph,
                };
                self.block(node, kind);
            }
            "blockquote" => self.block(node, BlockKind::Quote),
            "ul" | "ol" | "dl" => {
                self.lists.push(name == "ol");
                self.children(node);
                self.lists.pop();
                self.needs_block = true;
            }
            "li" => {
                let depth = self.lists.len().saturating_sub(1).min(u8::MAX as usize) as u8;
                let ordered = self.lists.last().copied().unwrap_or(false);
                self.block(node, BlockKind::ListItem { ordered, depth });
            }
            "pre" => self.block(node, BlockKind::Preformatted),
            "tr" => {
                self.open(BlockKind::Paragraph);
                for (i, cell) in node.element_children().iter().enumerate() {
                    if i > 0 {
                        self.builder.push_text(" | ", Marks::default());
                    }
                    self.children(cell);
                }
                self.needs_block = true;
            }
            "figure" => self.figure(node),
            "img" => {
                if let Some(src) = image_src(node) {
                    let alt = node.attr("alt").map(|a| a.to_string()).unwrap_or_default();
                    self.open(BlockKind::Image { src, alt });
                    self.needs_block = true;
                }
            }
            "br" => self.builder.push_text("\n", self.marks.clone()),
            "hr" => self.needs_block = true,
            "em" | "i" | "cite" | "dfn" => self.marked(node, |m| m.emphasis = true),
            "strong" | "b" => self.marked(node, |m| m.strong = true),
            "code" | "kbd" | "samp" | "tt" | "var" => self.marked(node, |m| m.code = true),
            "a" => match node.attr("href").map(|h| h.to_string()).filter(|h| is_safe_link(h)) {
                Some(href) => self.marked(node, |m| m.link = Some(href)),
                None => self.children(node),
            },
            _ => self.children(node),
        }
    }

    fn children(&mut self, node: &NodeRef<'_>) {
        for child in node.children_it(false) {
            self.walk(&child);
        }
    }

    fn current_kind(&self) -> BlockKind {
        self.context.last().cloned().unwrap_or(BlockKind::Paragraph)
    }

    fn open(&mut self, kind: BlockKind) {
        self.builder.start_block(kind);
        self.needs_block = false;
    }

    fn block(&mut self, node: &NodeRef<'_>, kind: BlockKind) {
        self.open(kind.clone());
        self.context.push(kind);
        let saved = std::mem::take(&mut self.marks);
        self.children(node);
        self.marks = saved;
        self.context.pop();
        self.needs_block = true;
    }

    fn marked(&mut self, node: &NodeRef<'_>, set: impl FnOnce(&mut Marks)) {
        let saved = self.marks.clone();
        set(&mut self.marks);
        self.children(node);
        self.marks = saved;
    }

    fn figure(&mut self, node: &NodeRef<'_>) {
        let img = node.descendants_it().find(|n| n.node_name().is_some_and(|name| name.eq_ignore_ascii_case("img")));
        let Some(src) = img.as_ref().and_then(image_src) else {
            return self.block(node, BlockKind::Paragraph);
        };
        let alt = img.and_then(|i| i.attr("alt")).map(|a| a.to_string()).unwrap_or_default();
        self.open(BlockKind::Image { src, alt });
        let caption =
            node.descendants_it().find(|n| n.node_name().is_some_and(|name| name.eq_ignore_ascii_case("figcaption")));
        if let Some(caption) = caption {
            self.context.push(BlockKind::Paragraph);
            self.children(&caption);
            self.context.pop();
        }
        self.needs_block = true;
    }
}

fn image_src(node: &NodeRef<'_>) -> Option<String> {
    ["src", "data-src"].iter().filter_map(|a| node.attr(a)).map(|s| s.trim().to_owned()).find(|s| !s.is_empty())
}

fn is_safe_link(href: &str) -> bool {
    let h = href.trim_start().to_ascii_lowercase();
    h.starts_with("http://") || h.starts_with("https://") || h.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_marks_lists_quotes_figures() {
        let html = r#"<html lang="fr"><head><title>Headline about the Vilnius summit | Example</title></head><body><article>
            <h1>Headline about the Vilnius summit</h1>
            <p>Some <em>very</em> <strong>strong</strong> text with a <a href="https://example.org/x">link</a>
            and <a href="javascript:alert(1)">no link</a>. This paragraph is long enough to count as content for
            the readability heuristics, which want a few hundred characters before they trust a block of text,
            so here are some more words about the Vilnius summit, NATO and Ukraine, and then some more.</p>
            <blockquote><p>Quoted words</p></blockquote>
            <ul><li>one</li><li>two<ol><li>nested</li></ol></li></ul>
            <figure><img src="https://example.org/a.jpg" alt="a map"><figcaption>The caption</figcaption></figure>
            <pre>let x = 1;
    x += 1;</pre>
            <p>Another paragraph with enough text to be kept by readability, talking about allies and the summit.</p>
            </article></body></html>"#;
        let e = from_html(html, &HtmlOptions { url: Some("https://example.org/post") });
        let kinds: Vec<String> = e
            .document
            .blocks
            .iter()
            .map(|b| format!("{:?}: {}", b.kind, b.text().chars().take(24).collect::<String>()))
            .collect();
        expect_test::expect![[r#"
            [
                "Paragraph: Some very strong text wi",
                "Quote: Quoted words",
                "ListItem { ordered: false, depth: 0 }: one",
                "ListItem { ordered: false, depth: 0 }: two",
                "ListItem { ordered: true, depth: 1 }: nested",
                "Image { src: \"https://example.org/a.jpg\", alt: \"a map\" }: The caption",
                "Preformatted: let x = 1;\n    x += 1;",
                "Paragraph: Another paragraph with e",
            ]
        "#]]
        .assert_debug_eq(&kinds);
        let first = &e.document.blocks[0];
        assert!(first.spans.iter().any(|s| s.text == "very" && s.marks.emphasis), "{:?}", first.spans);
        assert!(first
            .spans
            .iter()
            .any(|s| s.text == "link" && s.marks.link.as_deref() == Some("https://example.org/x")));
        assert!(first.spans.iter().all(|s| s.marks.link.as_deref().is_none_or(|l| !l.starts_with("javascript"))));
        assert_eq!(e.meta.title, "Headline about the Vilnius summit");
        assert_eq!(e.meta.language.as_deref(), Some("fr"));
    }

    #[test]
    fn garbage_is_not_an_error() {
        for html in ["<", "<<<>>>&&&", "\u{0}\u{1}", "<p><b><i>unclosed", "</div></div>text"] {
            let e = from_html(html, &HtmlOptions::default());
            assert!(!e.meta.title.is_empty(), "{html:?}");
        }
        for html in ["", "<html><body></body></html>", "<script>x()</script>", "<p> \n </p>"] {
            let e = from_html(html, &HtmlOptions::default());
            assert!(e.is_empty(), "{html:?}");
            assert!(!e.warnings.is_empty());
        }
        let e = from_html("<div><a href=x>Login</a> to read</div>", &HtmlOptions { url: Some("not a url") });
        assert!(!e.is_empty());
        assert_eq!(e.document.canonical_text(), "Login to read");
    }
}
