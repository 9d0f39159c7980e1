//! HTML pages: readability extraction with `dom_smoothie`, then a walk of the readable HTML
//! into the document model.

use dom_query::{Document as Dom, NodeId, NodeRef};
use dom_smoothie::{Config, ParsePolicy, Readability};
use quire_doc::{BlockKind, Document, DocumentBuilder, Marks};

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
    let (html, flattened) = crate::nesting::limit_nesting(html);
    let html = html.as_ref();
    if flattened > 0 {
        warnings.push(format!(
            "the page nests elements more than {} deep; {flattened} tags were dropped (their text is kept)",
            crate::nesting::MAX_DEPTH
        ));
    }
    let url = options.url.filter(|u| quire_doc::address::is_web(u));
    let dom = Dom::from(html);
    let page = PageFacts::read(&dom);
    let cfg = Config { max_elements_to_parse: 200_000, ..Config::default() };
    let char_threshold = cfg.char_threshold;
    let mut readability = match Readability::with_document(dom, url, Some(cfg.clone())) {
        Ok(r) => r,
        Err(e) => {
            warnings.push(format!("ignored the page address: {e}"));
            Readability::with_document(Dom::from(html), None, Some(cfg)).expect("no URL cannot be a bad URL")
        }
    };
    // Readability.js makes a first attempt with every heuristic on and retries with fewer only
    // when that finds too little text; the byline depends on which attempt won (below), so
    // make the first attempt here, keeping the page for the retries.
    let json_ld = if readability.config.disable_json_ld { None } else { readability.parse_json_ld() };
    let meta_byline = readability.get_article_metadata(json_ld).byline.as_deref().and_then(clean);
    let strict_byline = if meta_byline.is_none() { dom_byline(&readability.doc, true) } else { None };
    let pristine = readability.doc.clone();
    let first = readability.parse_with_policy(ParsePolicy::Strict);
    let first_is_enough = first.is_ok()
        && readability
            .doc
            .select("#readability-page-1")
            .nodes()
            .first()
            .is_some_and(|n| n.normalized_char_count() >= char_threshold);
    let mut lax_byline = None;
    let parsed = if first_is_enough {
        first
    } else {
        readability.doc = pristine;
        if meta_byline.is_none() && strict_byline.is_none() {
            lax_byline = dom_byline(&readability.doc, false);
        }
        readability.parse()
    };
    // The byline: the page's metadata (JSON-LD, `<meta>`) first, else the page's byline
    // element found the way Readability.js finds it (dom_smoothie looks further, into page
    // chrome that Readability.js discards before looking, and finds commenters and footers).
    let byline = meta_byline.or(strict_byline).or(lax_byline);
    let (meta, document) = match parsed {
        Ok(article) => {
            // After a successful parse, `readability.doc` is the article's own DOM (the
            // `content` string is its serialization): walk it in place rather than parsing
            // the serialized HTML again.
            let mut walker = Walker::on_page(url);
            let root = readability.doc.select("#readability-page-1");
            match root.nodes().first() {
                Some(node) => walker.walk(node),
                None => walker.walk(&Dom::from(article.content.as_ref()).root()),
            }
            let mut document = walker.builder.finish();
            // Readability.js takes the byline element out of the article; dom_smoothie takes
            // out the one it found, so when ours differs, take ours out (a block near the top
            // that is exactly the byline).
            if let Some(b) =
                byline.as_deref().filter(|b| Some(*b) != article.byline.as_deref().and_then(clean).as_deref())
            {
                if let Some(i) = document.blocks.iter().take(12).position(|bl| clean(&bl.text()).as_deref() == Some(b))
                {
                    document = without_block(&document, i);
                }
            }
            let meta = Metadata {
                title: clean(&article.title).unwrap_or_default(),
                byline,
                site_name: article.site_name.as_deref().and_then(clean),
                published: article.published_time.as_deref().and_then(clean).or(page.time.clone()),
                language: article.lang.as_deref().and_then(clean),
                direction: article.dir.as_deref().and_then(clean),
                excerpt: article.excerpt.as_deref().and_then(clean),
                canonical_url: page.canonical.clone().or_else(|| article.url.as_deref().and_then(clean)),
            };
            (meta, document)
        }
        Err(e) => {
            // No article found (an index page, a login wall): keep the page's main text.
            let dom = Dom::from(html);
            let mut walker = Walker::on_page(url);
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
    crate::hygiene::tidy(&mut extracted, url);
    if extracted.is_empty() {
        extracted.warnings.push("the page has no text".to_owned());
    }
    extracted
}

/// `<time>` elements that state the publication date (schema.org microdata, HTML5 `pubdate`,
/// hAtom / microformats2 classes).
const PUBLISHED_TIME: &str = "time[itemprop~=datePublished][datetime], time[pubdate][datetime], \
     time.published[datetime], time.dt-published[datetime]";

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
        // `<title>` and the canonical `<link>` live in `<head>`: look there, not in the whole page.
        let head = dom.select_single("head");
        let in_head = |name: &str| {
            head.nodes()
                .first()
                .into_iter()
                .flat_map(|h| h.children_it(false))
                .filter(move |n| is_element_named(n, name))
                .collect::<Vec<_>>()
        };
        let title = in_head("title").first().map(|n| n.text()).as_deref().and_then(clean);
        let canonical = in_head("link")
            .iter()
            .find(|l| l.attr("rel").is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case("canonical"))))
            .and_then(|l| l.attr("href"))
            .as_deref()
            .and_then(clean)
            .filter(|u| quire_doc::address::is_web(u));
        Self {
            title,
            canonical,
            lang: dom.select_single("html").attr("lang").as_deref().and_then(clean),
            // Only a `<time>` that says it is the publication date: the first `<time>` of a
            // page is as often a comment's, a related article's or the last modification's.
            time: dom.select_single(PUBLISHED_TIME).attr("datetime").as_deref().and_then(clean),
        }
    }
}

/// The byline element of a page as Readability.js finds it: walking the page in document
/// order, skipping invisible elements, modal dialogs and (with what they hold, when
/// `strip_unlikely`) unlikely candidates — page chrome by class, id or role — the first element that is marked as a byline
/// (`rel="author"`, `itemprop` author, a class or id like "byline" or "author") and holds 1 to
/// 99 characters; its `itemprop="name"` descendant when it has one.
fn dom_byline(dom: &Dom, strip_unlikely: bool) -> Option<String> {
    let root = dom.select_single("html");
    let mut stack: Vec<NodeRef<'_>> = root.nodes().iter().rev().cloned().collect();
    // One buffer for every element's "class id" (this walk visits the whole page).
    let mut match_string = String::new();
    while let Some(node) = stack.pop() {
        let Some(tag) = node.node_name().map(|n| n.to_ascii_lowercase()) else { continue };
        if matches!(tag.as_str(), "script" | "noscript" | "style" | "template") || !is_probably_visible(&node) {
            continue;
        }
        let role = node.attr("role").map(|r| r.to_string()).unwrap_or_default();
        if role == "dialog" && node.attr("aria-modal").is_some_and(|m| &*m == "true") {
            continue;
        }
        match_string.clear();
        if let Some(class) = node.attr("class") {
            match_string.push_str(&class);
        }
        match_string.push(' ');
        if let Some(id) = node.attr("id") {
            match_string.push_str(&id);
        }
        match_string.make_ascii_lowercase();
        let match_string = match_string.as_str();
        let byline_marked = node.attr("rel").is_some_and(|r| &*r == "author")
            || node.attr("itemprop").is_some_and(|p| p.contains("author"))
            || ["byline", "author", "dateline", "writtenby", "p-author"].iter().any(|p| match_string.contains(p));
        if byline_marked {
            let text = node.text();
            let len = text.trim().chars().count();
            if len > 0 && len < 100 {
                let name = node
                    .descendants_it()
                    .find(|n| n.is_element() && n.attr("itemprop").is_some_and(|p| p.contains("name")));
                return match name {
                    Some(n) => clean(&n.text()),
                    None => clean(&text),
                };
            }
        }
        let unlikely = strip_unlikely
            && match_string.len() > 1
            && UNLIKELY_CANDIDATES.iter().any(|p| match_string.contains(p))
            && !MAYBE_CANDIDATE.iter().any(|p| match_string.contains(p))
            && !has_ancestor_within(&node, "table", 3)
            && !has_ancestor_within(&node, "code", 3)
            && tag != "body"
            && tag != "a";
        if unlikely || UNLIKELY_ROLES.contains(&role.as_str()) {
            continue;
        }
        stack.extend(node.children_it(true).filter(NodeRef::is_element));
    }
    None
}

/// Readability.js's `unlikelyCandidates`, `okMaybeItsACandidate` and unlikely roles.
const UNLIKELY_CANDIDATES: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
];
const MAYBE_CANDIDATE: &[&str] = &["and", "article", "body", "column", "content", "main", "mathjax", "shadow"];
const UNLIKELY_ROLES: &[&str] = &["menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"];

/// Readability.js's `_isProbablyVisible`: not `display: none`, not `visibility: hidden`, no
/// `hidden` attribute, not `aria-hidden="true"` (unless it is a fallback image).
fn is_probably_visible(node: &NodeRef<'_>) -> bool {
    if let Some(style) = node.attr("style") {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return false;
        }
    }
    if node.has_attr("hidden") {
        return false;
    }
    let aria_hidden = node.attr("aria-hidden").is_some_and(|a| &*a == "true");
    !aria_hidden || node.attr("class").is_some_and(|c| c.contains("fallback-image"))
}

fn has_ancestor_within(node: &NodeRef<'_>, tag: &str, max_depth: usize) -> bool {
    let mut current = node.parent();
    let mut depth = 0;
    while let Some(p) = current {
        depth += 1;
        if depth > max_depth {
            return false;
        }
        if is_element_named(&p, tag) {
            return true;
        }
        current = p.parent();
    }
    false
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
    // The title is metadata; a first top-level heading (h1, h2) that repeats it would
    // duplicate it in the body. A lower heading that happens to say the same is a section's
    // (Readability.js keeps those too).
    let repeats_title = e.document.blocks.iter().find(|b| b.start < b.end).is_some_and(|b| {
        matches!(b.kind, BlockKind::Heading { level } if level <= 2) && b.text().trim() == e.meta.title.trim()
    });
    if repeats_title {
        if let Some(i) = e.document.blocks.iter().position(|b| b.start < b.end) {
            e.document = without_block(&e.document, i);
        }
    }
    if e.meta.language.is_none() {
        e.meta.language = page.lang.clone();
    }
    if e.meta.excerpt.is_none() {
        e.meta.excerpt = excerpt_of(&e.document);
    }
}

/// The document without its block `index`.
fn without_block(document: &Document, index: usize) -> Document {
    let mut builder = DocumentBuilder::new();
    for (i, block) in document.blocks.iter().enumerate() {
        if i == index {
            continue;
        }
        builder.start_block(block.kind.clone());
        for span in &block.spans {
            builder.push_text(&span.text, span.marks.clone());
        }
    }
    builder.finish()
}

/// Takes out stray control characters, trims and collapses whitespace; `None` for an empty
/// result.
fn clean(s: &str) -> Option<String> {
    crate::hygiene::clean_line(s)
}

/// Walks readable HTML and feeds a [`DocumentBuilder`].
///
/// Every text node of the readable HTML ends up in the document except those of elements that
/// are not content (scripts, styles, form controls, embedded frames); block-level elements
/// always start a new block, so that words on either side of a block boundary never run
/// together.
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
    /// Nodes already walked out of order (a figure's image and caption).
    skip: Vec<NodeId>,
    /// The page's own address without its fragment: an image whose address is the page (an
    /// empty `src` resolved against it) is not an image.
    page: Option<String>,
}

impl Walker {
    fn on_page(url: Option<&str>) -> Self {
        Self { page: url.map(without_fragment), ..Self::default() }
    }

    fn walk(&mut self, node: &NodeRef<'_>) {
        if node.is_text() {
            let text = node.text();
            if text.trim().is_empty() && (self.needs_block || self.builder.current_block_is_empty()) {
                return;
            }
            if self.needs_block {
                self.open(self.current_kind());
            }
            self.builder.push_text(&text, self.marks.clone());
            return;
        }
        if !self.skip.is_empty() && self.skip.contains(&node.id) {
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
            // Not content, or not something the document may hold (the text of a form's
            // controls is not the article's).
            "script" | "style" | "noscript" | "template" | "button" | "input" | "select" | "option" | "textarea"
            | "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "head" | "title" | "meta" | "link"
            | "base" | "source" | "track" | "param" | "canvas" | "map" | "area" | "dialog" => {}
            "svg" | "math" => self.inline_text(node),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                self.block(node, BlockKind::Heading { level });
            }
            "p" | "div" | "section" | "article" | "main" | "header" | "footer" | "aside" | "nav" | "dd" | "dt"
            | "address" | "details" | "summary" | "center" | "caption" | "legend" | "hgroup" | "figcaption" => {
                let kind = match self.current_kind() {
                    k @ (BlockKind::Quote | BlockKind::ListItem { .. }) => k,
                    _ => BlockKind::Paragraph,
                };
                self.block(node, kind);
            }
            "blockquote" => self.block(node, BlockKind::Quote),
            "ul" | "ol" | "dl" | "menu" => {
                self.needs_block = true;
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
            "pre" | "listing" | "xmp" | "plaintext" => self.block(node, BlockKind::Preformatted),
            "tr" => self.row(node),
            // Containers whose own text (if any) must not run into what surrounds them.
            "table" | "thead" | "tbody" | "tfoot" | "form" | "fieldset" | "td" | "th" | "video" | "audio"
            | "picture" => {
                self.needs_block = true;
                self.children(node);
                self.needs_block = true;
            }
            "figure" => self.figure(node),
            "img" => {
                if let Some(src) = image_src(node, self.page.as_deref()) {
                    let alt = node.attr("alt").map(|a| a.to_string()).unwrap_or_default();
                    self.open(BlockKind::Image { src, alt });
                    self.needs_block = true;
                }
            }
            "br" => {
                if !self.needs_block {
                    self.builder.push_text("\n", self.marks.clone());
                }
            }
            "hr" => self.needs_block = true,
            "em" | "i" | "cite" | "dfn" => self.marked(node, |m| m.emphasis = true),
            "strong" | "b" => self.marked(node, |m| m.strong = true),
            "code" | "kbd" | "samp" | "tt" | "var" => self.marked(node, |m| m.code = true),
            "a" => match node.attr("href").map(|h| h.trim().to_owned()).filter(|h| is_safe_link(h)) {
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

    /// The text of an inline SVG or MathML element (`<text>`, `<title>`, `<mi>`), as plain
    /// text: never its markup.
    fn inline_text(&mut self, node: &NodeRef<'_>) {
        let text = node.text();
        if text.trim().is_empty() {
            return;
        }
        if self.needs_block {
            self.open(self.current_kind());
        }
        self.builder.push_text(&text, self.marks.clone());
    }

    /// A table row: one paragraph, cells separated by ` | ` (the document model has no
    /// tables yet). Cells holding blocks of their own start new blocks.
    fn row(&mut self, node: &NodeRef<'_>) {
        self.open(BlockKind::Paragraph);
        let mut first = true;
        for cell in node.element_children() {
            let before = self.builder.current_block_is_empty();
            if !first && !before && !self.needs_block {
                self.builder.push_text(" | ", Marks::default());
            }
            first = false;
            self.context.push(BlockKind::Paragraph);
            self.children(&cell);
            self.context.pop();
        }
        self.needs_block = true;
    }

    /// A figure. With one image and a caption, an image block captioned by the caption, then
    /// any other text of the figure (a photo credit) as ordinary blocks. Otherwise every child
    /// in order: images as image blocks, the caption and other text as paragraphs.
    fn figure(&mut self, node: &NodeRef<'_>) {
        let mut images = node
            .descendants_it()
            .filter(|n| is_element_named(n, "img") && image_src(n, self.page.as_deref()).is_some());
        let (first, more) = (images.next(), images.next().is_some());
        let caption = node.descendants_it().find(|n| is_element_named(n, "figcaption"));
        self.needs_block = true;
        match (first, more, caption) {
            (Some(img), false, Some(caption)) => {
                let src = image_src(&img, self.page.as_deref()).unwrap_or_default();
                let alt = img.attr("alt").map(|a| a.to_string()).unwrap_or_default();
                self.open(BlockKind::Image { src, alt });
                self.context.push(BlockKind::Paragraph);
                let saved = std::mem::take(&mut self.marks);
                self.children(&caption);
                self.marks = saved;
                self.context.pop();
                self.needs_block = true;
                let skipped = self.skip.len();
                self.skip.extend([img.id, caption.id]);
                self.children(node);
                self.skip.truncate(skipped);
            }
            _ => self.children(node),
        }
        self.needs_block = true;
    }
}

fn is_element_named(node: &NodeRef<'_>, name: &str) -> bool {
    node.is_element() && node.node_name().is_some_and(|n| n.eq_ignore_ascii_case(name))
}

/// The image's address: `src`, else a lazy-loading attribute, else the first candidate of a
/// `srcset`; only http(s) and inline `data:image/` addresses. An empty or blank address, and
/// one that is the page itself (what an empty `src` resolves to), is no image: fetching it
/// would fetch the page again.
fn image_src(node: &NodeRef<'_>, page: Option<&str>) -> Option<String> {
    let direct = ["src", "data-src", "data-original", "data-lazy-src"].iter().filter_map(|a| node.attr(a));
    let from_set = ["srcset", "data-srcset"]
        .iter()
        .filter_map(|a| node.attr(a))
        .filter_map(|set| set.split(',').next().and_then(|c| c.split_whitespace().next()).map(str::to_owned));
    direct
        .map(|s| s.trim().to_owned())
        .chain(from_set)
        .find(|s| is_image_url(s) && page.is_none_or(|page| !is_page_itself(s, page)))
}

/// Whether an image address names the page (`page` without its fragment): the same address,
/// or the page's path alone (a bare `#fragment` comes back from readability resolved without
/// the page's query).
fn is_page_itself(src: &str, page: &str) -> bool {
    let src = without_fragment(src);
    src == page || src == page.split('?').next().unwrap_or_default()
}

/// The address up to its fragment (`#…`).
fn without_fragment(address: &str) -> String {
    address.trim().split('#').next().unwrap_or_default().to_owned()
}

fn is_image_url(src: &str) -> bool {
    crate::hygiene::is_unloaded_image_source(src)
}

fn is_safe_link(href: &str) -> bool {
    quire_doc::address::is_link(href)
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
        for html in ["<", "<<<>>>&&&", "<p><b><i>unclosed", "</div></div>text"] {
            let e = from_html(html, &HtmlOptions::default());
            assert!(!e.meta.title.is_empty(), "{html:?}");
        }
        // Control characters are not text.
        for html in [
            "",
            "<html><body></body></html>",
            "<script>x()</script>",
            "<p> \n </p>",
            "\u{0}\u{1}",
            "<p>\u{1b}\u{7}</p>",
        ] {
            let e = from_html(html, &HtmlOptions::default());
            assert!(e.is_empty(), "{html:?}");
            assert!(!e.warnings.is_empty());
        }
        let e = from_html("<div><a href=x>Login</a> to read</div>", &HtmlOptions { url: Some("not a url") });
        assert!(!e.is_empty());
        assert_eq!(e.document.canonical_text(), "Login to read");
    }
}

#[cfg(test)]
mod empty_images {
    use super::*;

    const PROSE: &str = "The allies met in Vilnius and spoke at length about guarantees and the road to \
        membership, and then they spoke some more, so that this paragraph is long enough for the extractor \
        to take it as the article's text rather than as page chrome around it, with more words still.";

    fn images(body: &str) -> Vec<String> {
        let html = format!(
            "<html><head><title>T</title></head><body><article><h1>T</h1><p>{PROSE}</p>{body}<p>{PROSE}</p>\
             </article></body></html>"
        );
        let e = from_html(&html, &HtmlOptions { url: Some("https://example.org/story?id=1") });
        e.document
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Image { src, .. } => Some(src.clone()),
                _ => None,
            })
            .collect()
    }

    /// An empty `src` resolves to the page itself: fetched, it would be the page again.
    #[test]
    fn an_empty_or_self_image_source_is_no_image() {
        for body in [
            "<figure><img src='' alt='a'><figcaption>Empty.</figcaption></figure>",
            "<figure><img src='   ' alt='a'><figcaption>Blank.</figcaption></figure>",
            "<figure><img src='#top' alt='a'><figcaption>Fragment.</figcaption></figure>",
            "<figure><img src='https://example.org/story?id=1' alt='a'><figcaption>Itself.</figcaption></figure>",
            "<p><img src='' alt='bare'></p>",
        ] {
            assert_eq!(images(body), Vec::<String>::new(), "{body}");
        }
        // A lazy image with an empty `src` is the image its `data-src` names (as written).
        assert_eq!(
            images("<figure><img src='' data-src='/media/real.jpg' alt='a'><figcaption>Lazy.</figcaption></figure>"),
            ["/media/real.jpg"]
        );
    }
}
