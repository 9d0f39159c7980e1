//! Bulk imports in the terminal: a progress bar (or one line per item when stderr is not a
//! terminal), Ctrl-C to stop after the current item, and a summary at the end.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use indicatif::{ProgressBar, ProgressStyle};
use quire::{AddOptions, AddSource, ImportEvent, ImportSummary, ItemOutcome, Library};

use crate::output::{err, say, terminal_safe};

static CANCEL: AtomicBool = AtomicBool::new(false);
static HANDLER: OnceLock<()> = OnceLock::new();

/// The flag a first Ctrl-C sets; a second Ctrl-C exits at once (what was added stays: every
/// article is its own transaction).
fn cancel_on_ctrl_c() -> &'static AtomicBool {
    HANDLER.get_or_init(|| {
        let _ = ctrlc::set_handler(|| {
            if CANCEL.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            err!("\nquire: stopping after the current item (Ctrl-C again to quit now)");
        });
    });
    &CANCEL
}

struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    total: usize,
}

impl Progress {
    fn new(json: bool) -> Self {
        Self { bar: None, quiet: json, total: 0 }
    }

    fn event(&mut self, event: &ImportEvent) {
        match event {
            ImportEvent::Started { total } => {
                self.total = *total;
                if !self.quiet && std::io::stderr().is_terminal() {
                    let bar = ProgressBar::new(*total as u64);
                    bar.set_style(
                        ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} {wide_msg}")
                            .expect("a valid template")
                            .progress_chars("█▌ "),
                    );
                    self.bar = Some(bar);
                }
            }
            ImportEvent::Item { index, name, outcome } => {
                let line = match outcome {
                    ItemOutcome::Added { id, title, warnings } => {
                        let w =
                            if warnings.is_empty() { String::new() } else { format!(" ({} warnings)", warnings.len()) };
                        format!("added {id}: {title}{w}")
                    }
                    ItemOutcome::Duplicate { id, title } => format!("already in the library as {id}: {title}"),
                    ItemOutcome::Failed { reason } => format!("failed {name}: {reason}"),
                    ItemOutcome::LinkOnly { id, title, reason } => format!("kept as a link {id}: {title} ({reason})"),
                };
                match &self.bar {
                    Some(bar) => {
                        bar.set_position(*index as u64 + 1);
                        bar.set_message(terminal_safe(name).into_owned());
                        if matches!(outcome, ItemOutcome::Failed { .. }) {
                            bar.println(terminal_safe(&line));
                        }
                    }
                    None if !self.quiet => err!("[{}/{}] {}", index + 1, self.total, terminal_safe(&line)),
                    None => {}
                }
            }
        }
    }

    fn finish(&mut self, summary: &ImportSummary) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if self.quiet {
            return;
        }
        say!(
            "{}: {} added, {} already in the library, {} failed",
            if summary.cancelled { "stopped" } else { "done" },
            summary.added.len(),
            summary.duplicates.len(),
            summary.failed.len()
        );
        for (name, reason) in &summary.failed {
            say!("  failed {name}: {reason}");
        }
    }
}

/// Adds every source with a progress bar (or lines) and a summary; Ctrl-C stops after the
/// current item.
pub fn add_all(lib: &Library, sources: &[AddSource], options: &AddOptions, json: bool) -> ImportSummary {
    let cancel = cancel_on_ctrl_c();
    let mut progress = Progress::new(json);
    let summary = lib.add_all(sources, options, &mut |e| progress.event(e), cancel);
    progress.finish(&summary);
    summary
}

/// Imports another app's export with a progress bar (or lines) and a summary; Ctrl-C stops
/// after the current item.
pub fn import_file(
    lib: &Library,
    file: &std::path::Path,
    options: &quire::ImportOptions,
    json: bool,
) -> quire::Result<quire::ImportReport> {
    let cancel = cancel_on_ctrl_c();
    let mut progress = Progress::new(json);
    let report = lib.import_file(file, options, &mut |e| progress.event(e), cancel);
    if let Some(bar) = progress.bar.take() {
        bar.finish_and_clear();
    }
    let report = report?;
    if !json {
        print_report(&report);
    }
    Ok(report)
}

fn print_report(r: &quire::ImportReport) {
    let h = &r.highlights;
    say!(
        "{} {} items from {}: {} articles added ({} as links only), {} already in the library",
        if r.cancelled { "stopped after" } else { "imported" },
        r.items,
        r.format,
        r.added.len(),
        r.link_only.len(),
        r.already.len()
    );
    say!("highlights: {} exact, {} fuzzy, {} orphaned, {} already there", h.exact, h.fuzzy, h.orphaned, h.already);
    if !r.skipped.is_empty() {
        say!("skipped {}:", r.skipped.len());
        for s in &r.skipped {
            say!("  {}: {}", s.at, s.reason);
        }
    }
    if !r.link_only.is_empty() {
        say!("kept as links (fetch them later with `quire refetch`):");
        for l in &r.link_only {
            say!("  {} {} ({})", l.id, l.url.as_deref().unwrap_or(&l.title), l.reason);
        }
    }
    if !r.orphans.is_empty() {
        say!("orphaned highlights (quote not found; re-attach with `quire reattach`):");
        for o in &r.orphans {
            let quote: String = o.quote.chars().take(70).collect();
            say!("  {} in article {}: \"{quote}\"", o.highlight_id, o.article_id);
        }
    }
}

/// Fetches the pages of link-only articles, one by one, with progress; Ctrl-C stops after
/// the current one.
pub fn refetch(lib: &Library, ids: &[i64], json: bool) -> ImportSummary {
    let cancel = cancel_on_ctrl_c();
    let mut progress = Progress::new(json);
    progress.event(&ImportEvent::Started { total: ids.len() });
    let mut summary = ImportSummary::default();
    let network = quire::FetchConfig::default();
    for (index, &id) in ids.iter().enumerate() {
        if cancel.load(Ordering::SeqCst) {
            summary.cancelled = true;
            break;
        }
        let name = format!("article {id}");
        let outcome = match lib.refetch(id, &network) {
            Ok(o) => {
                summary.added.push(o.id);
                ItemOutcome::Added { id: o.id, title: o.title, warnings: o.warnings }
            }
            Err(e) => {
                summary.failed.push((name.clone(), e.to_string()));
                ItemOutcome::Failed { reason: e.to_string() }
            }
        };
        progress.event(&ImportEvent::Item { index, name, outcome });
    }
    progress.finish(&summary);
    summary
}

/// A bulk import that was stopped or had failures exits non-zero (after its summary).
pub fn fail_if_incomplete(summary: &ImportSummary) -> anyhow::Result<()> {
    if summary.cancelled {
        return Err(quire::Error::Cancelled.into());
    }
    let failed = summary.failed.len();
    if failed > 0 {
        anyhow::bail!("{failed} item(s) could not be imported (listed above)");
    }
    Ok(())
}

/// Builds the search index again, with a progress bar on a terminal.
pub fn reindex(lib: &Library, json: bool) -> quire::Result<quire::IndexSync> {
    let bar = (!json && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} articles indexed")
                .expect("a valid template")
                .progress_chars("█▌ "),
        );
        bar
    });
    let done = lib.reindex(&mut |p| {
        if let Some(bar) = &bar {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if done.busy {
        return Err(quire::Error::IndexBusy);
    }
    if !json {
        say!("indexed {} articles", done.updated);
    }
    Ok(done)
}
