//! Writes laid-out pages as a PDF with pdf-writer, and its XMP metadata with xmp-writer.

use std::collections::BTreeMap;

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, BlendMode, CidFontType, FontFlags, SystemInfo, UnicodeCmap,
};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use xmp_writer::XmpWriter;

use crate::date::{pdf_date, Stamp};
use crate::image::{deflate, Pixels};
use crate::layout::{Item, Laid, LinkArea, Page, Target};
use crate::shape::{FontData, FontSet};
use crate::{ColorExt, Error, ExportInput, Result};

/// The producer named in the document info and the XMP metadata.
const PRODUCER: &str = concat!("quire-pdf ", env!("CARGO_PKG_VERSION"));

struct Ids(i32);

impl Ids {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// Object numbers decided up front, because pages, fonts and images refer to each other.
struct Refs {
    tree: Ref,
    gs_multiply: Ref,
    pages: Vec<Ref>,
    /// `None` for fonts nothing was shaped with: they are not embedded.
    fonts: Vec<Option<Ref>>,
    images: Vec<Ref>,
}

fn font_name(i: usize) -> Vec<u8> {
    format!("F{i}").into_bytes()
}

pub fn write(input: &ExportInput<'_>, laid: &Laid, fonts: &FontSet<'_>) -> Result<Vec<u8>> {
    let mut pdf = Pdf::new();
    let mut ids = Ids(0);
    let catalog = ids.next();
    let outline_root = ids.next();
    let info = ids.next();
    let metadata = ids.next();
    let refs = Refs {
        tree: ids.next(),
        gs_multiply: ids.next(),
        pages: laid.pages.iter().map(|_| ids.next()).collect(),
        fonts: fonts.fonts.iter().map(|f| f.used.then(|| ids.next())).collect(),
        images: laid.images.iter().map(|_| ids.next()).collect(),
    };

    pdf.set_version(1, 7);
    let mut cat = pdf.catalog(catalog);
    cat.pages(refs.tree).metadata(metadata);
    if !laid.outline.is_empty() {
        cat.outlines(outline_root);
        cat.page_mode(pdf_writer::types::PageMode::UseOutlines);
    }
    cat.viewer_preferences().display_doc_title(true);
    cat.finish();
    pdf.pages(refs.tree).kids(refs.pages.iter().copied()).count(refs.pages.len() as i32);
    pdf.ext_graphics(refs.gs_multiply).blend_mode(BlendMode::Multiply);

    let meta = DocMeta::new(input);
    meta.write_info(&mut pdf, info);
    let xmp = meta.xmp();
    pdf.metadata(metadata, xmp.as_bytes());

    for (pi, page) in laid.pages.iter().enumerate() {
        write_page(&mut pdf, &mut ids, &refs, input, page, pi);
    }
    write_images(&mut pdf, &mut ids, laid, &refs.images);
    for (i, f) in fonts.fonts.iter().enumerate() {
        if let Some(id) = refs.fonts[i] {
            write_font(&mut pdf, &mut ids, id, f, i)?;
        }
    }
    if !laid.outline.is_empty() {
        let open = input.articles.len() == 1;
        write_outline(&mut pdf, &mut ids, outline_root, laid, &refs.pages, input.options.margins.left, open);
    }
    Ok(pdf.finish())
}

/// What the document info dictionary and the XMP metadata both say.
struct DocMeta {
    title: String,
    /// The articles' bylines, without repeats.
    authors: Vec<String>,
    /// One article: its site (or address); several: their titles.
    subject: Option<String>,
    /// The articles' tags, without repeats.
    keywords: Vec<String>,
    created: Option<Stamp>,
}

impl DocMeta {
    fn new(input: &ExportInput<'_>) -> DocMeta {
        let articles = &input.articles;
        let first = &articles[0];
        let title = if articles.len() == 1 {
            first.title.trim().to_owned()
        } else {
            format!("{} and {} more", first.title.trim(), articles.len() - 1)
        };
        let authors = distinct(articles.iter().filter_map(|a| a.byline.as_deref()));
        let subject = if articles.len() == 1 {
            first
                .site_name
                .as_deref()
                .or(quire_doc::address::web(first.url.as_deref()))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        } else {
            Some(articles.iter().map(|a| a.title.trim()).collect::<Vec<_>>().join("; "))
        };
        let keywords = distinct(articles.iter().flat_map(|a| a.tags.iter().map(String::as_str)));
        let created = input.options.created_at.as_deref().and_then(Stamp::parse);
        DocMeta { title, authors, subject, keywords, created }
    }

    fn write_info(&self, pdf: &mut Pdf, id: Ref) {
        let mut di = pdf.document_info(id);
        di.title(TextStr(&self.title));
        if !self.authors.is_empty() {
            di.author(TextStr(&self.authors.join(", ")));
        }
        if let Some(s) = &self.subject {
            di.subject(TextStr(s));
        }
        if !self.keywords.is_empty() {
            di.keywords(TextStr(&self.keywords.join(", ")));
        }
        di.creator(TextStr("Quire"));
        di.producer(TextStr(PRODUCER));
        if let Some(d) = self.created {
            di.creation_date(d.pdf());
            di.modified_date(d.pdf());
        }
    }

    fn xmp(&self) -> String {
        let mut x = XmpWriter::new();
        x.format("application/pdf");
        x.title([(None, self.title.as_str())]);
        if !self.authors.is_empty() {
            x.creator(self.authors.iter().map(String::as_str));
        }
        if let Some(s) = &self.subject {
            x.description([(None, s.as_str())]);
        }
        if !self.keywords.is_empty() {
            x.subject(self.keywords.iter().map(String::as_str));
            x.pdf_keywords(&self.keywords.join(", "));
        }
        x.producer(PRODUCER);
        x.creator_tool("Quire");
        if let Some(d) = self.created {
            x.create_date(d.xmp());
            x.modify_date(d.xmp());
            x.metadata_date(d.xmp());
        }
        x.finish(None)
    }
}

/// Trimmed, non-empty texts in their first order, without repeats.
fn distinct<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in texts.map(str::trim).filter(|t| !t.is_empty()) {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    out
}

fn write_page(pdf: &mut Pdf, ids: &mut Ids, refs: &Refs, input: &ExportInput<'_>, page: &Page, pi: usize) {
    let (pw, ph) = input.options.paper.size();
    let content_id = ids.next();
    let data = deflate(&page_content(page));
    pdf.stream(content_id, &data).filter(Filter::FlateDecode);
    let mut annotations = write_links(pdf, ids, refs, page, input.options.margins.left);
    annotations.extend(write_highlights(pdf, ids, refs, input, page, pi));

    let mut p = pdf.page(refs.pages[pi]);
    p.parent(refs.tree).media_box(Rect::new(0.0, 0.0, pw, ph)).contents(content_id);
    if !annotations.is_empty() {
        p.annotations(annotations.iter().copied());
    }
    let mut res = p.resources();
    let mut f = res.fonts();
    for (i, id) in refs.fonts.iter().enumerate() {
        if let Some(id) = id {
            f.pair(Name(&font_name(i)), *id);
        }
    }
    f.finish();
    if !refs.images.is_empty() {
        let mut x = res.x_objects();
        for (i, id) in refs.images.iter().enumerate() {
            x.pair(Name(format!("Im{i}").as_bytes()), *id);
        }
        x.finish();
    }
    res.ext_g_states().pair(Name(b"GSm"), refs.gs_multiply);
}

/// The page's content stream: tints (multiplied) below, then rules, images and text.
fn page_content(page: &Page) -> pdf_writer::Buf {
    let mut c = Content::new();
    if !page.tints.is_empty() {
        c.save_state();
        c.set_parameters(Name(b"GSm"));
        for t in &page.tints {
            c.set_fill_rgb(t.color[0], t.color[1], t.color[2]);
            c.rect(t.x, t.y, t.w, t.h);
            c.fill_nonzero();
        }
        c.restore_state();
    }
    for item in &page.items {
        match item {
            Item::Rect { x, y, w, h, color, stroke } => {
                if *stroke {
                    c.set_stroke_rgb(color[0], color[1], color[2]);
                    c.set_line_width(0.75);
                    c.rect(*x, *y, *w, *h);
                    c.stroke();
                } else {
                    c.set_fill_rgb(color[0], color[1], color[2]);
                    c.rect(*x, *y, *w, *h);
                    c.fill_nonzero();
                }
            }
            Item::Image { index, x, y, w, h } => {
                c.save_state();
                c.transform([*w, 0.0, 0.0, *h, *x, *y]);
                c.x_object(Name(format!("Im{index}").as_bytes()));
                c.restore_state();
            }
            Item::Run { font, size, x, y, color, glyphs } => {
                c.begin_text();
                c.set_fill_rgb(color[0], color[1], color[2]);
                c.set_font(Name(&font_name(*font)), *size);
                c.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                let mut pos = c.show_positioned();
                let mut items = pos.items();
                let mut bytes = Vec::new();
                for g in glyphs {
                    bytes.extend_from_slice(&g.gid.to_be_bytes());
                    let diff = g.adv - g.nominal;
                    if diff.abs() > 0.001 {
                        items.show(Str(&bytes));
                        bytes.clear();
                        items.adjust(-diff * 1000.0 / size);
                    }
                }
                if !bytes.is_empty() {
                    items.show(Str(&bytes));
                }
                items.finish();
                pos.finish();
                c.end_text();
            }
        }
    }
    c.finish()
}

/// Link annotations: web addresses, and places in the document (the contents).
fn write_links(pdf: &mut Pdf, ids: &mut Ids, refs: &Refs, page: &Page, left: f32) -> Vec<Ref> {
    let mut out = Vec::new();
    for LinkArea { rect: r, target } in &page.links {
        // The last check before a link is written: only http(s) and mailto ever become a
        // `/URI` action, whatever the document model holds.
        if matches!(target, Target::Uri(url) if !quire_doc::address::is_link(url)) {
            continue;
        }
        let id = ids.next();
        let mut a = pdf.annotation(id);
        a.subtype(AnnotationType::Link).rect(Rect::new(r[0], r[1], r[2], r[3])).border(0.0, 0.0, 0.0, None);
        a.flags(AnnotationFlags::PRINT);
        match target {
            Target::Uri(url) => {
                a.action().action_type(ActionType::Uri).uri(Str(url.as_bytes()));
            }
            Target::Page { page, y } => {
                a.action().action_type(ActionType::GoTo).destination().page(refs.pages[*page]).xyz(left, *y, None);
            }
        }
        a.finish();
        out.push(id);
    }
    out
}

/// One `/Highlight` annotation (with an appearance, and a popup when there is a note) per
/// highlight on this page.
fn write_highlights(
    pdf: &mut Pdf,
    ids: &mut Ids,
    refs: &Refs,
    input: &ExportInput<'_>,
    page: &Page,
    pi: usize,
) -> Vec<Ref> {
    let o = &input.options;
    let pw = o.paper.size().0;
    let mut out = Vec::new();
    let mut groups: BTreeMap<(usize, usize), Vec<[f32; 8]>> = BTreeMap::new();
    for q in &page.quads {
        groups.entry((q.article, q.highlight)).or_default().push(q.points);
    }
    for ((art, hi), quads) in groups {
        let h = &input.articles[art].highlights[hi];
        let (mut x1, mut y1, mut x2, mut y2) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for q in &quads {
            for k in 0..4 {
                x1 = x1.min(q[2 * k]);
                x2 = x2.max(q[2 * k]);
                y1 = y1.min(q[2 * k + 1]);
                y2 = y2.max(q[2 * k + 1]);
            }
        }
        let rect = Rect::new(x1, y1, x2, y2);
        // Appearance: the tint over each quad, multiplied with the page.
        let mut ap = Content::new();
        ap.set_parameters(Name(b"GSm"));
        let t = h.color.tint();
        ap.set_fill_rgb(t[0], t[1], t[2]);
        for q in &quads {
            ap.rect(q[4], q[5], q[2] - q[0], q[1] - q[5]);
        }
        ap.fill_nonzero();
        let ap_data = ap.finish();
        let ap_id = ids.next();
        let mut form = pdf.form_xobject(ap_id, &ap_data);
        form.bbox(rect);
        form.resources().ext_g_states().pair(Name(b"GSm"), refs.gs_multiply);
        form.finish();

        let id = ids.next();
        let popup = (!h.note.trim().is_empty()).then(|| ids.next());
        let mut a = pdf.annotation(id);
        a.subtype(AnnotationType::Highlight).rect(rect);
        a.quad_points(quads.iter().flat_map(|q| q.iter().copied()));
        let c = h.color.rgb();
        a.color_rgb(c[0], c[1], c[2]);
        a.contents(TextStr(&h.note));
        a.author(TextStr(h.author.as_deref().unwrap_or(&o.default_author)));
        a.name(TextStr(&format!("quire-highlight-{}", h.id)));
        a.flags(AnnotationFlags::PRINT);
        a.page(refs.pages[pi]);
        if let Some(d) = pdf_date(&h.created_at) {
            a.pair(Name(b"CreationDate"), d);
        }
        if let Some(d) = pdf_date(&h.updated_at).or_else(|| pdf_date(&h.created_at)) {
            a.modified(d);
        }
        if let Some(p) = popup {
            a.pair(Name(b"Popup"), p);
        }
        a.appearance().normal().stream(ap_id);
        a.finish();
        out.push(id);
        if let Some(p) = popup {
            let mut pa = pdf.annotation(p);
            pa.pair(Name(b"Subtype"), Name(b"Popup"));
            let px = (pw - o.margins.right + 6.0).min(pw - 20.0);
            pa.rect(Rect::new(px.min(pw - 180.0), y2 - 120.0, pw - 10.0, y2));
            pa.parent(id);
            pa.pair(Name(b"Open"), false);
            pa.finish();
            out.push(p);
        }
    }
    out
}

/// Image XObjects: JPEG as DCTDecode, PNG samples deflated with their alpha as an SMask.
fn write_images(pdf: &mut Pdf, ids: &mut Ids, laid: &Laid, image_ids: &[Ref]) {
    for (img, id) in laid.images.iter().zip(image_ids) {
        let (data, filter, alpha) = match &img.pixels {
            Pixels::Jpeg(d) => (d, Filter::DctDecode, None),
            Pixels::Flate { data, alpha } => (data, Filter::FlateDecode, alpha.as_ref()),
        };
        let smask = alpha.map(|_| ids.next());
        let mut x = pdf.image_xobject(*id, data);
        x.filter(filter);
        x.width(img.width as i32).height(img.height as i32).bits_per_component(8);
        match img.components {
            1 => x.color_space().device_gray(),
            4 => x.color_space().device_cmyk(),
            _ => x.color_space().device_rgb(),
        };
        if let Some(s) = smask {
            x.s_mask(s);
        }
        x.finish();
        if let (Some(s), Some(a)) = (smask, alpha) {
            let mut m = pdf.image_xobject(s, a);
            m.filter(Filter::FlateDecode);
            m.width(img.width as i32).height(img.height as i32).bits_per_component(8);
            m.color_space().device_gray();
            m.finish();
        }
    }
}

/// A subset Type 0 font: CIDFontType2 with `/FontFile2` for TrueType outlines, CIDFontType0
/// with an OpenType `/FontFile3` for CFF ones; widths and a ToUnicode map.
fn write_font(pdf: &mut Pdf, ids: &mut Ids, id: Ref, f: &FontData<'_>, i: usize) -> Result<()> {
    let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    let subset =
        subsetter::subset(f.data, f.index, &f.remap).map_err(|e| Error::Subset(f.name.clone(), format!("{e:?}")))?;
    let gids: Vec<u16> = f.remap.remapped_gids().collect();
    let mut tag_hash: u32 = 2166136261;
    for g in &gids {
        tag_hash = (tag_hash ^ *g as u32).wrapping_mul(16777619);
    }
    tag_hash = (tag_hash ^ i as u32).wrapping_mul(16777619);
    let tag: String = (0..6).map(|k| (b'A' + ((tag_hash >> (k * 5)) % 26) as u8) as char).collect();
    let base = format!("{tag}+{}", f.name);
    let cid = ids.next();
    let desc = ids.next();
    let file = ids.next();
    let cmap_id = ids.next();
    pdf.type0_font(id)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap_id);
    let scale = 1000.0 / f.upem;
    let widths: Vec<f32> = gids
        .iter()
        .map(|old| f.face.glyph_hor_advance(ttf_parser::GlyphId(*old)).unwrap_or(0) as f32 * scale)
        .collect();
    let mut cf = pdf.cid_font(cid);
    cf.subtype(if f.cff { CidFontType::Type0 } else { CidFontType::Type2 })
        .base_font(Name(base.as_bytes()))
        .system_info(system_info)
        .font_descriptor(desc)
        .default_width(0.0);
    if !f.cff {
        cf.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    cf.widths().consecutive(0, widths);
    cf.finish();
    let face = &f.face;
    let bb = face.global_bounding_box();
    let mut flags = FontFlags::NON_SYMBOLIC;
    if f.serif {
        flags |= FontFlags::SERIF;
    }
    if f.italic {
        flags |= FontFlags::ITALIC;
    }
    let mut fd = pdf.font_descriptor(desc);
    fd.name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(
            bb.x_min as f32 * scale,
            bb.y_min as f32 * scale,
            bb.x_max as f32 * scale,
            bb.y_max as f32 * scale,
        ))
        .italic_angle(face.italic_angle())
        .ascent(face.ascender() as f32 * scale)
        .descent(face.descender() as f32 * scale)
        .cap_height(face.capital_height().unwrap_or(face.ascender()) as f32 * scale)
        .stem_v(80.0);
    if f.cff {
        fd.font_file3(file);
    } else {
        fd.font_file2(file);
    }
    fd.finish();
    let compressed = deflate(&subset);
    let mut stream = pdf.stream(file, &compressed);
    stream.filter(Filter::FlateDecode);
    if f.cff {
        stream.pair(Name(b"Subtype"), Name(b"OpenType"));
    }
    stream.finish();
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
    let mut entries: Vec<(&u16, &String)> = f.unicode.iter().collect();
    entries.sort();
    for (gid, text) in entries {
        cmap.pair_with_multiple(*gid, text.chars());
    }
    let cmap_data = cmap.finish();
    pdf.cmap(cmap_id, &cmap_data);
    Ok(())
}

/// The outline: one item per article with its headings (and "Annotations") below. With one
/// article everything is open; with several, the articles are closed so the top level reads
/// like the contents.
fn write_outline(pdf: &mut Pdf, ids: &mut Ids, root: Ref, laid: &Laid, page_ids: &[Ref], left: f32, open: bool) {
    let entries = &laid.outline;
    let refs: Vec<Ref> = entries.iter().map(|_| ids.next()).collect();
    // Parent of each entry: the nearest earlier entry with a lower level.
    let parent: Vec<Option<usize>> =
        (0..entries.len()).map(|i| (0..i).rev().find(|&j| entries[j].level < entries[i].level)).collect();
    let children = |p: Option<usize>| -> Vec<usize> { (0..entries.len()).filter(|&i| parent[i] == p).collect() };
    let descendants = |i: usize| -> i32 {
        let mut n = 0;
        let mut k = i + 1;
        while k < entries.len() && entries[k].level > entries[i].level {
            n += 1;
            k += 1;
        }
        n
    };
    let top = children(None);
    let mut o = pdf.outline(root);
    if let (Some(f), Some(l)) = (top.first(), top.last()) {
        o.first(refs[*f]).last(refs[*l]);
    }
    o.count(if open { entries.len() } else { top.len() } as i32);
    o.finish();
    for (i, e) in entries.iter().enumerate() {
        let siblings = children(parent[i]);
        let pos = siblings.iter().position(|&s| s == i).expect("an entry is its parent's child");
        let kids = children(Some(i));
        let mut item = pdf.outline_item(refs[i]);
        item.title(TextStr(&e.title));
        item.parent(parent[i].map_or(root, |p| refs[p]));
        if pos > 0 {
            item.prev(refs[siblings[pos - 1]]);
        }
        if let Some(n) = siblings.get(pos + 1) {
            item.next(refs[*n]);
        }
        if let (Some(f), Some(l)) = (kids.first(), kids.last()) {
            item.first(refs[*f]).last(refs[*l]);
            let closed = !open && parent[i].is_none();
            item.count(if closed { -descendants(i) } else { descendants(i) });
        }
        item.dest().page(page_ids[e.page]).xyz(left, e.y + 4.0, None);
        item.finish();
    }
}
