//! `cargo bench -p quire-cli --bench chromium [-- DIR] [--runs N] [--out DIR]`: the annotated PDF of the
//! reference article (`DIR/article.txt` and the four highlights of `DIR/highlights.json`;
//! `DIR` defaults to the repository's `tests/data`, copies of `shared/fixtures/vilnius`), made
//! by Quire and by headless Chromium printing the same article as a reader page, side by side.
//!
//! - Quire: wall time of the `quire export ID -o FILE` process (the release binary of this
//!   package, on a library in a temporary folder), and of `Library::export_pdf` in this process.
//! - Chromium: wall time of `chromium --headless … --print-to-pdf=FILE page.html`, each run with
//!   a fresh profile folder, on the document model rendered as simple HTML (the header, the
//!   blocks, highlights as `<mark>` in their colours with the note numbers, and the notes at the
//!   end, like Quire's "Annotations" section).
//!
//! One warm-up run of each, then the median of `--runs` runs (default 7); file sizes in bytes.
//! `--out DIR` keeps the reader page and both PDFs there.
//! Needs `chromium` on the `PATH` (Debian: `apt-get install chromium`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use quire::{ArticleView, ExportRequest, HighlightTarget, Library, NewHighlight, PdfOptions};
use quire_doc::{Block, BlockKind};

struct Config {
    data: PathBuf,
    runs: usize,
    /// Where to leave the reader page and both PDFs (`--out DIR`); a temporary folder if none.
    out: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let config = config()?;
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library.sqlite3");
    let (id, view) = add_reference_article(&library, &config.data)?;
    let out = config.out.clone().unwrap_or_else(|| dir.path().to_owned());
    std::fs::create_dir_all(&out)?;
    let html = out.join("article.html");
    std::fs::write(&html, reader_html(&view))?;

    let quire_pdf = out.join("quire.pdf");
    let quire_bin = env!("CARGO_BIN_EXE_quire");
    let cli = median_ms(config.runs, || {
        run(Command::new(quire_bin)
            .arg("--library")
            .arg(&library)
            .args(["export", &id.to_string(), "-o"])
            .arg(&quire_pdf))
    })?;
    let lib = Library::open(&library)?;
    let request =
        ExportRequest { ids: vec![id], path: quire_pdf.clone(), options: PdfOptions::default(), ..Default::default() };
    let mut pages = 0;
    let in_process = median_ms(config.runs, || {
        pages = lib.export_pdf(&request)?.pages;
        Ok(())
    })?;

    let chromium_pdf = out.join("chromium.pdf");
    let chromium = median_ms(config.runs, || {
        let profile = tempfile::tempdir()?;
        run(Command::new("chromium")
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
            .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
            .arg("--no-pdf-header-footer")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--print-to-pdf={}", chromium_pdf.display()))
            .arg(&html))
    })?;

    let quire_size = std::fs::metadata(&quire_pdf)?.len();
    let chromium_size = std::fs::metadata(&chromium_pdf)?.len();
    println!(
        "article: {} ({} highlights), {} runs after a warm-up",
        view.summary.title,
        view.highlights.len(),
        config.runs
    );
    println!("quire: cli_median_ms={cli:.1} in_process_median_ms={in_process:.1} bytes={quire_size} pages={pages}");
    println!("chromium: median_ms={chromium:.1} bytes={chromium_size} pages={}", pdf_pages(&chromium_pdf));
    println!(
        "quire_cli_faster={:.1}x quire_in_process_faster={:.0}x size_ratio={:.2}",
        chromium / cli,
        chromium / in_process,
        quire_size as f64 / chromium_size as f64
    );
    Ok(())
}

fn config() -> anyhow::Result<Config> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut config = Config { data: root.join("tests/data"), runs: 7, out: None };
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => config.runs = args.next().ok_or_else(|| anyhow::anyhow!("--runs needs a number"))?.parse()?,
            "--out" => config.out = Some(args.next().ok_or_else(|| anyhow::anyhow!("--out needs a folder"))?.into()),
            dir => config.data = PathBuf::from(dir),
        }
    }
    anyhow::ensure!(config.runs > 0, "--runs must be at least 1");
    Ok(config)
}

/// A library with the reference article and its four highlights; the article's id and view.
fn add_reference_article(library: &Path, data: &Path) -> anyhow::Result<(i64, ArticleView)> {
    let lib = Library::open(library)?;
    let id = lib.add(&quire::AddSource::Path(data.join("article.txt").to_owned()), &Default::default())?.id;
    let wanted: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(data.join("highlights.json"))?)?;
    for h in wanted {
        let text = |k: &str| h[k].as_str().unwrap_or_default().to_owned();
        lib.add_highlight(&NewHighlight {
            article_id: id,
            target: HighlightTarget::Quote { exact: text("exact"), prefix: None, suffix: None, occurrence: None },
            color: text("color").parse()?,
            note: text("note"),
            tags: h["tags"].as_array().into_iter().flatten().filter_map(|t| t.as_str()).map(str::to_owned).collect(),
        })?;
    }
    Ok((id, lib.article(id)?))
}

/// Runs `f` once to warm up, then `runs` times; the median wall time in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<f64> {
    f()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let out = command.output()?;
    anyhow::ensure!(out.status.success(), "{command:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(())
}

/// Pages of a PDF as `pdfinfo` counts them, "?" without poppler-utils.
fn pdf_pages(path: &Path) -> String {
    let Ok(out) = Command::new("pdfinfo").arg(path).output() else { return "?".into() };
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).map_or("?".into(), |n| n.trim().to_owned())
}

/// The article as a reader page: header, blocks, highlights as `<mark>` with note numbers,
/// the notes at the end; A4 with Quire's margins and body size.
fn reader_html(view: &ArticleView) -> String {
    let s = &view.summary;
    let mut out = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><style>\
         @page { size: A4; margin: 72pt 76pt; }\
         body { font: 11pt/1.48 serif; color: #1a1a1a; }\
         h1, h2, h3, h4, .meta { font-family: sans-serif; } .meta { color: #6b6b6b; font-size: 9pt; }\
         p { text-align: justify; margin: 0 0 7pt; } sup { color: #1a4da6; font: bold 7pt sans-serif; }\
         mark.yellow { background: #ffeea0; } mark.green { background: #b8e6b8; } mark.blue { background: #b8d6ff; }\
         mark.pink { background: #ffcce0; } mark.purple { background: #dccaf8; } mark.red { background: #ffc9c4; }\
         </style>",
    );
    out += &format!("<title>{}</title></head><body><h1>{}</h1>", escape(&s.title), escape(&s.title));
    let who: Vec<&str> = [s.byline.as_deref(), s.site_name.as_deref()].into_iter().flatten().collect();
    out += &format!("<p class=\"meta\">{}<br>Clipped {}</p><hr>", escape(&who.join(" · ")), &s.clipped_at[..10]);
    let mut numbered: Vec<&quire::Highlight> = view.highlights.iter().filter(|h| !h.note.is_empty()).collect();
    numbered.sort_by_key(|h| h.position.start);
    for block in &view.document.blocks {
        out += &block_html(block, view, &numbered);
    }
    out += "<h2>Annotations</h2>";
    for h in &view.highlights {
        out += &format!(
            "<p class=\"meta\">{}</p><p><mark class=\"{}\">“{}”</mark></p>",
            escape(&h.tags.join(", ")),
            h.color.as_str(),
            escape(&h.quote.exact)
        );
        if !h.note.is_empty() {
            out += &format!("<p>{}</p>", escape(&h.note));
        }
    }
    out + "</body></html>"
}

fn block_html(block: &Block, view: &ArticleView, numbered: &[&quire::Highlight]) -> String {
    let mut inner = String::new();
    for span in &block.spans {
        let chars: Vec<char> = span.text.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let at = span.start + k;
            let mark = view.highlights.iter().find(|h| h.position.start <= at && at < h.position.end);
            let len = chars[k..]
                .iter()
                .enumerate()
                .take_while(|(i, _)| {
                    let o = at + i;
                    view.highlights.iter().find(|h| h.position.start <= o && o < h.position.end).map(|h| h.id)
                        == mark.map(|h| h.id)
                })
                .count();
            let text = escape(&chars[k..k + len].iter().collect::<String>());
            inner += &match mark {
                Some(h) => {
                    let note = numbered.iter().position(|n| n.id == h.id && n.position.end == at + len);
                    let sup = note.map(|n| format!("<sup>{}</sup>", n + 1)).unwrap_or_default();
                    format!("<mark class=\"{}\">{text}</mark>{sup}", h.color.as_str())
                }
                None => text,
            };
            k += len;
        }
    }
    match &block.kind {
        BlockKind::Heading { level } => format!("<h{0}>{inner}</h{0}>", (level + 1).min(6)),
        BlockKind::Paragraph => format!("<p>{inner}</p>"),
        BlockKind::Quote => format!("<blockquote>{inner}</blockquote>"),
        BlockKind::ListItem { .. } => format!("<ul><li>{inner}</li></ul>"),
        BlockKind::Preformatted => format!("<pre>{inner}</pre>"),
        BlockKind::Image { alt, .. } => {
            format!("<figure><p>{}</p><figcaption>{inner}</figcaption></figure>", escape(alt))
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
