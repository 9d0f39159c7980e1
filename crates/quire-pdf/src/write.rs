//! Writes laid-out pages as a PDF with pdf-writer.

use std::collections::BTreeMap;

use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, BlendMode, CidFontType, FontFlags, SystemInfo, UnicodeCmap,
};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::date::pdf_date;
use crate::image::{deflate, Pixels};
use crate::layout::{Item, Laid};
use crate::shape::FontSet;
use crate::{Error, ExportInput, Result};

struct Ids(i32);

impl Ids {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

fn font_name(i: usize) -> Vec<u8> {
    format!("F{i}").into_bytes()
}

pub fn write(
    input: &ExportInput<'_>,
    laid: &Laid,
    fonts: &FontSet<'_>,
    _warnings: &mut Vec<String>,
) -> Result<Vec<u8>> {
    let mut pdf = Pdf::new();
    let mut ids = Ids(0);
    let catalog = ids.next();
    let tree = ids.next();
    let outline_root = ids.next();
    let info = ids.next();
    let gs_multiply = ids.next();
    let page_ids: Vec<Ref> = laid.pages.iter().map(|_| ids.next()).collect();
    let font_ids: Vec<Ref> = fonts.fonts.iter().map(|_| ids.next()).collect();
    let image_ids: Vec<Ref> = laid.images.iter().map(|_| ids.next()).collect();
    let (pw, ph) = input.options.paper.size();
    let o = &input.options;

    pdf.set_version(1, 7);
    let mut cat = pdf.catalog(catalog);
    cat.pages(tree);
    if !laid.outline.is_empty() {
        cat.outlines(outline_root);
        cat.page_mode(pdf_writer::types::PageMode::UseOutlines);
    }
    cat.viewer_preferences().display_doc_title(true);
    cat.finish();
    pdf.pages(tree).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
    pdf.ext_graphics(gs_multiply).blend_mode(BlendMode::Multiply);

    // Document info.
    {
        let first = &input.articles[0];
        let mut di = pdf.document_info(info);
        let title = if input.articles.len() == 1 {
            first.title.clone()
        } else {
            format!("{} and {} more", first.title, input.articles.len() - 1)
        };
        di.title(TextStr(&title));
        if let Some(b) = first.byline.as_deref().filter(|b| !b.is_empty()) {
            di.author(TextStr(b));
        }
        if let Some(s) = first.site_name.as_deref().filter(|s| !s.is_empty()) {
            di.subject(TextStr(s));
        }
        let mut tags: Vec<&str> = input.articles.iter().flat_map(|a| a.tags.iter().map(String::as_str)).collect();
        tags.dedup();
        if !tags.is_empty() {
            di.keywords(TextStr(&tags.join(", ")));
        }
        di.creator(TextStr("Quire"));
        di.producer(TextStr("quire-pdf"));
    }

    // Pages.
    let mut annotations: Vec<Vec<Ref>> = vec![Vec::new(); laid.pages.len()];
    for (pi, page) in laid.pages.iter().enumerate() {
        let mut c = Content::new();
        if !page.tints.is_empty() {
            c.save_state();
            c.set_parameters(Name(b"GSm"));
            for (r, col) in &page.tints {
                c.set_fill_rgb(col[0], col[1], col[2]);
                c.rect(r[0], r[1], r[2], r[3]);
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
                    for (gid, adv, nominal) in glyphs {
                        bytes.extend_from_slice(&gid.to_be_bytes());
                        let diff = adv - nominal;
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
        let data = deflate(&c.finish());
        let content_id = ids.next();
        pdf.stream(content_id, &data).filter(Filter::FlateDecode);

        // Links.
        for (r, url) in &page.links {
            let id = ids.next();
            let mut a = pdf.annotation(id);
            a.subtype(AnnotationType::Link).rect(Rect::new(r[0], r[1], r[2], r[3])).border(0.0, 0.0, 0.0, None);
            a.flags(AnnotationFlags::PRINT);
            a.action().action_type(ActionType::Uri).uri(Str(url.as_bytes()));
            a.finish();
            annotations[pi].push(id);
        }

        // Highlights: one annotation per highlight on this page.
        let mut groups: BTreeMap<(usize, usize), Vec<[f32; 8]>> = BTreeMap::new();
        for (art, hi, q) in &page.quads {
            groups.entry((*art, *hi)).or_default().push(*q);
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
            form.resources().ext_g_states().pair(Name(b"GSm"), gs_multiply);
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
            a.page(page_ids[pi]);
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
            annotations[pi].push(id);
            if let Some(p) = popup {
                let mut pa = pdf.annotation(p);
                pa.pair(Name(b"Subtype"), Name(b"Popup"));
                let px = (pw - o.margins.right + 6.0).min(pw - 20.0);
                pa.rect(Rect::new(px.min(pw - 180.0), y2 - 120.0, pw - 10.0, y2));
                pa.parent(id);
                pa.pair(Name(b"Open"), false);
                pa.finish();
                annotations[pi].push(p);
            }
        }

        let mut p = pdf.page(page_ids[pi]);
        p.parent(tree).media_box(Rect::new(0.0, 0.0, pw, ph)).contents(content_id);
        if !annotations[pi].is_empty() {
            p.annotations(annotations[pi].iter().copied());
        }
        let mut res = p.resources();
        let mut f = res.fonts();
        for (i, id) in font_ids.iter().enumerate() {
            f.pair(Name(&font_name(i)), *id);
        }
        f.finish();
        if !image_ids.is_empty() {
            let mut x = res.x_objects();
            for (i, id) in image_ids.iter().enumerate() {
                x.pair(Name(format!("Im{i}").as_bytes()), *id);
            }
            x.finish();
        }
        res.ext_g_states().pair(Name(b"GSm"), gs_multiply);
        res.finish();
        p.finish();
    }

    // Images.
    for (img, id) in laid.images.iter().zip(&image_ids) {
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

    // Fonts: subset, widths, ToUnicode.
    let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    for (i, f) in fonts.fonts.iter().enumerate() {
        let subset = subsetter::subset(f.data, 0, &f.remap).map_err(|e| Error::Subset(f.name, format!("{e:?}")))?;
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
        pdf.type0_font(font_ids[i])
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
        cf.subtype(CidFontType::Type2)
            .base_font(Name(base.as_bytes()))
            .system_info(system_info)
            .font_descriptor(desc)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
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
        pdf.font_descriptor(desc)
            .name(Name(base.as_bytes()))
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
            .stem_v(80.0)
            .font_file2(file);
        let compressed = deflate(&subset);
        pdf.stream(file, &compressed).filter(Filter::FlateDecode);
        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
        let mut entries: Vec<(&u16, &String)> = f.unicode.iter().collect();
        entries.sort();
        for (gid, text) in entries {
            cmap.pair_with_multiple(*gid, text.chars());
        }
        let cmap_data = cmap.finish();
        pdf.cmap(cmap_id, &cmap_data);
    }

    // Outline.
    if !laid.outline.is_empty() {
        write_outline(&mut pdf, &mut ids, outline_root, laid, &page_ids, o.margins.left);
    }
    Ok(pdf.finish())
}

fn write_outline(pdf: &mut Pdf, ids: &mut Ids, root: Ref, laid: &Laid, page_ids: &[Ref], left: f32) {
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
    o.count(entries.len() as i32);
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
            item.count(descendants(i));
        }
        item.dest().page(page_ids[e.page]).xyz(left, e.y + 4.0, None);
        item.finish();
    }
}
