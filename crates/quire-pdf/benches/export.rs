//! `cargo bench -p quire-pdf --bench export`: exports a ~300-page article (the reference
//! article's paragraphs repeated, a sub-heading every 12 paragraphs, a highlight with a note in
//! every 10th paragraph) and prints the median time, the page count, the file size and the
//! peak memory (Linux: the process's resident set high-water mark, `VmHWM`, before and after
//! the exports).

use std::collections::HashMap;
use std::time::Instant;

use quire_doc::{BlockKind, DocumentBuilder};
use quire_pdf::{export, fonts, Article, Color, ExportInput, Highlight, Options};

fn main() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/article.txt"))
        .expect("tests/data/article.txt");
    let paragraphs: Vec<&str> = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).skip(1).collect();
    let mut builder = DocumentBuilder::new();
    for i in 0..3900 {
        if i % 12 == 0 {
            builder.push_block(BlockKind::Heading { level: 2 }, &format!("Part {}", i / 12 + 1));
        }
        builder.push_block(BlockKind::Paragraph, paragraphs[i % paragraphs.len()]);
    }
    let document = builder.finish();
    let highlights: Vec<Highlight> = document
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Paragraph))
        .step_by(10)
        .enumerate()
        .map(|(i, b)| Highlight {
            id: i as i64,
            start: b.start,
            end: (b.start + 40).min(b.end),
            color: Color::Yellow,
            note: format!("Note {i}"),
            tags: vec!["bench".into()],
            created_at: "2026-11-27T00:00:00Z".into(),
            updated_at: "2026-11-27T00:00:00Z".into(),
            author: None,
        })
        .collect();
    let article = Article { title: "A very long article".into(), document, highlights, ..Article::default() };
    let rss_before = status_mib("VmHWM");
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let input = ExportInput {
            articles: vec![article.clone()],
            options: Options::default(),
            images: HashMap::new(),
            fonts: fonts::bundled(),
        };
        let t = Instant::now();
        let out = export(&input).expect("export");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        last = Some(out);
    }
    times.sort_by(f64::total_cmp);
    let out = last.expect("five runs");
    let show = |mib: Option<f64>| mib.map_or("?".to_owned(), |m| format!("{m:.0}"));
    println!(
        "pages={} highlights={} size_kib={} median_ms={:.0} min_ms={:.0} peak_rss_mib={} (before exporting: {})",
        out.pages,
        article.highlights.len(),
        out.pdf.len() / 1024,
        times[times.len() / 2],
        times[0],
        show(status_mib("VmHWM")),
        show(rss_before),
    );
}

/// A `kB` field of `/proc/self/status` in MiB; `None` where there is no such file.
fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?;
    let kib: f64 = line.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024.0)
}
