//! `quire`: the command-line shell of the Quire library. Parsing and printing only: every
//! operation is one call into the `quire` crate.

mod bulk;
mod hints;
mod output;
mod serve;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use quire::{
    AddOptions, AddSource, ArticleFilter, Color, ErrorKind, HighlightEdit, HighlightFilter, HighlightTarget, Library,
    NewHighlight, Status,
};

/// Quire: a private, local library of the articles you read, with highlights, notes and tags.
#[derive(Parser)]
#[command(name = "quire", version, about, propagate_version = true)]
struct Cli {
    /// The library file [default: $QUIRE_LIBRARY, else <data dir>/Quire/library.sqlite3]
    #[arg(long, global = true, value_name = "PATH")]
    library: Option<PathBuf>,
    /// Print stable JSON instead of text
    #[arg(long, global = true)]
    json: bool,
    /// Do not keep a backup of an older library before bringing it up to this version
    #[arg(long, global = true)]
    no_backup: bool,
    /// Make a new library at --library's path even when its folder does not exist yet
    #[arg(long, global = true, requires = "library")]
    create: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add articles from .txt, .md or .html files, or every such file in a folder ("-" reads stdin)
    Add {
        #[arg(required = true, value_name = "FILE|FOLDER")]
        files: Vec<PathBuf>,
        /// The page's address (for links and duplicates)
        #[arg(long)]
        url: Option<String>,
        /// Tag the new articles (repeatable)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Also download images that the files link on the web
        #[arg(long)]
        fetch_images: bool,
    },
    /// Clip web pages: fetch, extract the article, save its images, all into the library
    Clip {
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
        /// Tag the new articles (repeatable)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// For a page already in the library: take its new content (the old one is kept as a
        /// version) and re-anchor its highlights
        #[arg(long)]
        update: bool,
    },
    /// Import an export of another app (Pocket, Omnivore, Instapaper, Readwise, Hypothesis,
    /// Kindle's My Clippings.txt, wallabag, browser bookmarks), keeping every highlight
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The app the file comes from (detected when not given): pocket, omnivore, instapaper,
        /// readwise, hypothesis, kindle, wallabag or bookmarks
        #[arg(long, value_name = "APP")]
        from: Option<String>,
        /// Tag every imported article (repeatable)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Do not fetch pages the file gives only the address of: keep them as links (fetch
        /// them later with `quire refetch`)
        #[arg(long)]
        no_fetch: bool,
    },
    /// Copy the library, consistently even while it is in use, and check the copy (default:
    /// backups/library-<time>.sqlite3 beside the library)
    Backup {
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// The backups beside the library (made by `quire backup`, daily by the app, and before
    /// upgrades), newest first
    Backups,
    /// Replace the library with a backup (checked first; the current library is kept as a
    /// dated .before-restore copy). Close the desktop app first.
    Restore {
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
    /// Build the search index again from the library (it lives beside the library, in
    /// <library>.index; Quire keeps it up to date by itself: this is for a damaged one)
    Reindex,
    /// Fetch the pages of articles kept only as links (imported without their page)
    Refetch {
        /// The articles (default: every link-only article)
        ids: Vec<i64>,
    },
    /// Extract an article again from its original page and re-anchor its highlights
    Reextract { id: i64 },
    /// Attach a highlight (e.g. an orphan) to a new quote in its article
    Reattach {
        /// The highlight
        id: i64,
        #[command(flatten)]
        quote: QuoteArgs,
    },
    /// List articles, newest first
    List {
        /// Only articles with this tag or a sub-tag (on the article or a highlight)
        #[arg(long)]
        tag: Option<String>,
        /// unread, read or archived
        #[arg(long)]
        status: Option<String>,
        /// Only favorites
        #[arg(long)]
        favorite: bool,
        #[arg(long)]
        limit: Option<usize>,
        /// Skip this many first (with --limit: the next page)
        #[arg(long)]
        offset: Option<usize>,
        /// clipped (newest first, the default), published, title or site
        #[arg(long)]
        sort: Option<String>,
    },
    /// Show an article: metadata, text and highlights
    Show { id: i64 },
    /// Highlight a quote in an article
    Highlight {
        /// The article
        id: i64,
        #[command(flatten)]
        quote: QuoteArgs,
        #[arg(long, short, default_value = "", allow_hyphen_values = true)]
        note: String,
        /// yellow, green, blue, pink, purple or red
        #[arg(long, short, default_value = "yellow")]
        color: String,
        /// Tag the highlight (repeatable; "/" makes a hierarchy: "NATO accession/Finland")
        #[arg(long = "tag", short = 't', value_name = "TAG")]
        tags: Vec<String>,
    },
    /// List highlights: of one article, or of a topic (tag) across the library
    Highlights {
        /// The article
        id: Option<i64>,
        /// Highlights with this tag or a sub-tag, newest first
        #[arg(long)]
        tag: Option<String>,
        /// Only orphans: highlights whose quote is no longer in their article
        #[arg(long)]
        orphans: bool,
        /// At most this many (a big topic a page at a time)
        #[arg(long)]
        limit: Option<usize>,
        /// Skip this many first (with --limit, the next page)
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Change a highlight's note, color or tags
    EditHighlight {
        /// The highlight
        id: i64,
        #[arg(long, short, allow_hyphen_values = true)]
        note: Option<String>,
        #[arg(long, short)]
        color: Option<String>,
        /// Replace the tags with these (repeatable)
        #[arg(long = "tag", short = 't', value_name = "TAG")]
        tags: Vec<String>,
        /// Remove all tags
        #[arg(long, conflicts_with = "tags")]
        no_tags: bool,
    },
    /// Delete a highlight
    RmHighlight { id: i64 },
    /// Manage tags
    #[command(subcommand)]
    Tag(TagCommand),
    /// Search titles, text, highlights and notes
    ///
    /// Words, "phrases", -excluded, prefix*, and filters tag:NAME, site:TEXT,
    /// is:unread|read|archived|favorite, has:highlights|notes.
    Search {
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Skip this many best results first (the next page)
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Export articles with their highlights and notes to one annotated PDF
    Export {
        /// The articles, in this order
        ids: Vec<i64>,
        /// Also every article with this tag or a sub-tag (for Markdown, with the topic's dossier)
        #[arg(long)]
        tag: Option<String>,
        /// Also the articles this search finds
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
        /// The whole library
        #[arg(long)]
        all: bool,
        /// pdf, md (a folder of Markdown notes), w3c (Web Annotations, JSON-LD), csl (CSL-JSON),
        /// bibtex (BibLaTeX), csv (one row per highlight) or archive (a zip that `quire import`
        /// rebuilds the articles from)
        #[arg(long, default_value = "pdf", value_name = "FORMAT")]
        format: String,
        /// For md: plain, obsidian or logseq
        #[arg(long, default_value = "plain")]
        style: String,
        /// For md: the citation style of each note's citation (apa, chicago, mla, harvard)
        #[arg(long, default_value = "apa", value_name = "STYLE")]
        citation_style: String,
        /// The file to write (for md, the folder), written beside it first and renamed into place
        #[arg(long, short, value_name = "PATH")]
        output: PathBuf,
        /// a4 or letter
        #[arg(long, default_value = "a4")]
        paper: String,
        /// Body text size in points
        #[arg(long, default_value_t = 11.0)]
        font_size: f32,
        /// Page margins in millimetres, all four sides (default: 25 mm top and bottom, 27 mm
        /// left and right)
        #[arg(long, value_name = "MM")]
        margin: Option<f32>,
        /// Ragged-right text instead of justified
        #[arg(long)]
        ragged: bool,
        /// Leave out the "Annotations" section at the end
        #[arg(long)]
        no_annotations_section: bool,
    },
    /// A quote with its source's citation, ready to paste (or the article's citation alone)
    Cite {
        id: i64,
        /// The highlight to quote
        #[arg(long, value_name = "HID")]
        highlight: Option<i64>,
        /// apa, chicago (author-date), mla or harvard
        #[arg(long, default_value = "apa")]
        style: String,
    },
    /// Set an article's reading status
    Status {
        id: i64,
        /// unread, read or archived
        status: String,
    },
    /// Mark or unmark an article as a favorite
    Favorite {
        id: i64,
        /// Unmark instead
        #[arg(long)]
        off: bool,
    },
    /// Delete an article with its highlights
    Rm { id: i64 },
    /// Run the local endpoint that browser extensions save through, until Ctrl-C
    Serve {
        /// The port (default: 47711, else the next free one up to 47715)
        #[arg(long)]
        port: Option<u16>,
    },
    /// Tokens that clients of the local endpoint use
    #[command(subcommand)]
    Token(serve::TokenCommand),
    /// Print a pairing code that a browser extension exchanges once for a token
    Pair,
}

/// Which text of an article: a quote, told apart by context or occurrence when it repeats.
#[derive(clap::Args)]
struct QuoteArgs {
    /// The exact text (it may start with "-")
    #[arg(long, short, allow_hyphen_values = true)]
    quote: String,
    /// Text right before the quote, to tell repeated quotes apart
    #[arg(long, allow_hyphen_values = true)]
    prefix: Option<String>,
    /// Text right after the quote, to tell repeated quotes apart
    #[arg(long, allow_hyphen_values = true)]
    suffix: Option<String>,
    /// Which occurrence (1, 2, …) when the quote appears more than once
    #[arg(long)]
    occurrence: Option<usize>,
}

impl QuoteArgs {
    fn target(&self) -> HighlightTarget {
        HighlightTarget::Quote {
            exact: self.quote.clone(),
            prefix: self.prefix.clone(),
            suffix: self.suffix.clone(),
            occurrence: self.occurrence,
        }
    }
}

#[derive(Subcommand)]
enum TagCommand {
    /// Tag an article
    Add {
        id: i64,
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Untag an article
    Rm {
        id: i64,
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Rename a tag and its sub-tags
    Rename { old: String, new: String },
    /// Move everything from one tag (and its sub-tags) to another, then delete it
    Merge { from: String, into: String },
    /// List tags with counts (a parent counts its sub-tags)
    List,
}

// The system allocator: most runs of `quire` are short (a list, a search), and mimalloc's
// start-up cost each 0.3-0.6 ms (up to 12 % of a list of 50) for no gain in a bulk import;
// full-text searches pay ~0.5-1 ms of their 50 ms budget (BENCHMARKS.md, "Third pass").
fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The library's messages already name their cause; the CLI adds where to look
            // next. Other errors show their chain.
            let (kind, code, message) = match err.downcast_ref::<quire::Error>() {
                Some(e) => (serde_json::to_value(e.kind()).unwrap_or_default(), exit_code(e.kind()), hints::message(e)),
                None => (serde_json::Value::from("error"), 1, format!("{err:#}")),
            };
            if cli.json {
                let json = serde_json::json!({ "error": { "kind": kind, "message": message } });
                output::err!("{}", output::json_safe(json.to_string()));
            } else {
                output::err!("quire: error: {}", output::terminal_safe(&message.replace('\n', " ")));
            }
            ExitCode::from(code)
        }
    }
}

/// The exit code of each kind of library error (README: 1 other, 2 usage, 3 not found,
/// 4 invalid input, 5 file, 6 library, 7 network, 75 busy: try again shortly, 130 stopped).
fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::NotFound => 3,
        ErrorKind::QuoteNotFound
        | ErrorKind::AmbiguousQuote
        | ErrorKind::InvalidInput
        | ErrorKind::InvalidQuery
        | ErrorKind::Conflict => 4,
        ErrorKind::Io | ErrorKind::Unsupported => 5,
        ErrorKind::Library | ErrorKind::Database => 6,
        ErrorKind::Network => 7,
        ErrorKind::Cancelled => 130,
        ErrorKind::Busy => 75,
        ErrorKind::Export => 1,
    }
}

fn run(cli: &Cli) -> anyhow::Result<()> {
    let path = cli.library.clone().unwrap_or_else(quire::default_library_path);
    let out = output::Printer { json: cli.json };
    if let Command::Restore { path: from } = &cli.command {
        // Before the library is opened: its file is about to be replaced.
        let report = quire::restore(&path, from)?;
        out.restored(&report);
        return Ok(());
    }
    // Only the default library (and $QUIRE_LIBRARY) gets its folder made unasked: a mistyped
    // --library must not become a new, empty library somewhere.
    let explicit = cli.library.is_some();
    let new = explicit && !path.exists();
    let options = quire::OpenOptions {
        backup_before_migration: !cli.no_backup,
        create_folder: !explicit || cli.create,
        ..Default::default()
    };
    let lib = Library::open_with(&path, &options)?;
    if new && !cli.json {
        output::err!(
            "quire: note: made a new, empty library at {}",
            output::terminal_safe(&path.display().to_string())
        );
    }
    if let Command::Serve { port } = &cli.command {
        return serve::serve(lib, *port, cli.json);
    }
    match &cli.command {
        Command::Add { files, url, tags, fetch_images } => {
            let options =
                AddOptions { url: url.clone(), tags: tags.clone(), fetch_images: *fetch_images, ..Default::default() };
            let mut sources = Vec::with_capacity(files.len());
            for file in files {
                sources.push(if file.as_os_str() == "-" {
                    // One byte over the limit is enough for the library to refuse it.
                    let mut bytes = Vec::new();
                    std::io::stdin()
                        .take(quire::MAX_INPUT_BYTES + 1)
                        .read_to_end(&mut bytes)
                        .context("reading stdin")?;
                    AddSource::Stdin(bytes)
                } else {
                    if file.is_dir() {
                        // A folder with nothing to add is refused before anything is added.
                        quire::articles_in(file)?;
                    }
                    AddSource::Path(file.clone())
                });
            }
            if files.iter().any(|f| f.is_dir()) {
                // Folders: one bulk add of everything given, with progress and a summary.
                let summary = bulk::add_all(&lib, &sources, &options, cli.json);
                out.json(&summary);
                bulk::fail_if_incomplete(&summary)?;
            } else {
                let mut outcomes = Vec::new();
                for source in &sources {
                    let outcome = lib.add(source, &options)?;
                    out.added(&outcome);
                    outcomes.push(outcome);
                }
                out.json(&outcomes);
            }
        }
        Command::Clip { urls, tags, update } => {
            // The addresses typed on the command line may be on this computer or the local
            // network; what their pages link to or redirect to may not.
            let fetch = quire::FetchConfig {
                reach: quire::Reach::typed(urls.iter().map(String::as_str)),
                ..Default::default()
            };
            let options = AddOptions { tags: tags.clone(), update: *update, fetch, ..Default::default() };
            let sources: Vec<AddSource> = urls.iter().cloned().map(AddSource::Url).collect();
            if let [source] = sources.as_slice() {
                let outcome = lib.add(source, &options)?;
                out.added(&outcome);
                out.json(&outcome);
            } else {
                let summary = bulk::add_all(&lib, &sources, &options, cli.json);
                out.json(&summary);
                bulk::fail_if_incomplete(&summary)?;
            }
        }
        Command::List { tag, status, favorite, limit, offset, sort } => {
            let filter = ArticleFilter {
                tag: tag.clone(),
                status: status.as_deref().map(str::parse).transpose()?,
                favorite: favorite.then_some(true),
                sort: sort.as_deref().map(str::parse).transpose()?.unwrap_or_default(),
                limit: *limit,
                offset: *offset,
                ..ArticleFilter::default()
            };
            out.articles(&lib.list_articles(&filter)?);
        }
        Command::Show { id } => out.article(&lib.article(*id)?, &lib.canonical_text(*id)?),
        Command::Highlight { id, quote, note, color, tags } => {
            let new = NewHighlight {
                article_id: *id,
                target: quote.target(),
                color: color.parse::<Color>().map_err(quire::Error::from)?,
                note: note.clone(),
                tags: tags.clone(),
            };
            out.highlight_created(&lib.add_highlight(&new)?);
        }
        Command::Highlights { id, tag, orphans, limit, offset } => {
            let filter = HighlightFilter {
                article_id: *id,
                tag: tag.clone(),
                orphans: *orphans,
                limit: *limit,
                offset: *offset,
            };
            out.highlights(&lib.highlights(&filter)?);
        }
        Command::Import { file, from, tags, no_fetch } => {
            let from = from.as_deref().map(str::parse::<quire::ImportFormat>).transpose().map_err(|e| {
                quire::Error::InvalidValue {
                    what: "app",
                    value: e.to_string(),
                    expected: "pocket omnivore instapaper readwise hypothesis kindle wallabag bookmarks",
                }
            })?;
            let options = quire::ImportOptions { from, tags: tags.clone(), fetch: !*no_fetch, ..Default::default() };
            let report = bulk::import_file(&lib, file, &options, cli.json)?;
            out.json(&report);
            if report.cancelled {
                return Err(quire::Error::Cancelled.into());
            }
        }
        Command::Backup { path } => out.backup(&lib.backup(path.as_deref())?),
        Command::Backups => out.backups(&quire::list_backups(lib.path())?),
        Command::Reindex => {
            let done = bulk::reindex(&lib, cli.json)?;
            out.json(&done);
        }
        // Handled above, before the library was opened.
        Command::Restore { .. } | Command::Serve { .. } => {}
        Command::Token(command) => serve::token(&lib, command, cli.json)?,
        Command::Pair => serve::pair(&lib, cli.json)?,
        Command::Refetch { ids } => {
            let ids = if ids.is_empty() { lib.link_only_articles()? } else { ids.clone() };
            let summary = bulk::refetch(&lib, &ids, cli.json);
            out.json(&summary);
            bulk::fail_if_incomplete(&summary)?;
        }
        Command::Reextract { id } => {
            let outcome = lib.reextract(*id)?;
            out.added(&outcome);
            out.json(&outcome);
        }
        Command::Reattach { id, quote } => {
            let target = quote.target();
            out.highlight_created(&lib.reattach_highlight(*id, &target)?);
        }
        Command::EditHighlight { id, note, color, tags, no_tags } => {
            let edit = HighlightEdit {
                note: note.clone(),
                color: color.as_deref().map(str::parse::<Color>).transpose().map_err(quire::Error::from)?,
                tags: if *no_tags { Some(Vec::new()) } else { (!tags.is_empty()).then(|| tags.clone()) },
            };
            out.highlight_created(&lib.update_highlight(*id, &edit)?);
        }
        Command::RmHighlight { id } => {
            lib.delete_highlight(*id)?;
            out.done(&format!("deleted highlight {id}"));
        }
        Command::Tag(cmd) => match cmd {
            TagCommand::Add { id, tags } => out.article_tags(*id, &lib.tag_article(*id, tags)?),
            TagCommand::Rm { id, tags } => out.article_tags(*id, &lib.untag_article(*id, tags)?),
            TagCommand::Rename { old, new } => {
                lib.rename_tag(old, new)?;
                out.done(&format!("renamed tag \"{old}\" to \"{new}\""));
            }
            TagCommand::Merge { from, into } => {
                lib.merge_tags(from, into)?;
                out.done(&format!("merged tag \"{from}\" into \"{into}\""));
            }
            TagCommand::List => out.tags(&lib.tags()?),
        },
        Command::Search { query, limit, offset } => {
            let filter = ArticleFilter { limit: Some(*limit), offset: Some(*offset), ..ArticleFilter::default() };
            let request = quire::SearchRequest { text: query.join(" "), filter, as_you_type: false };
            out.search(&lib.search_with(&request)?)
        }
        Command::Export {
            ids,
            tag,
            query,
            all,
            format,
            style,
            citation_style,
            output,
            paper,
            font_size,
            margin,
            ragged,
            no_annotations_section,
        } => {
            let selection = quire::Selection {
                ids: ids.clone(),
                tag: tag.clone(),
                query: query.clone(),
                all: *all,
                ..Default::default()
            };
            if !format.eq_ignore_ascii_case("pdf") {
                let style = quire::MarkdownStyle::parse(style).ok_or_else(|| quire::Error::InvalidValue {
                    what: "Markdown style",
                    value: style.clone(),
                    expected: "plain obsidian logseq",
                })?;
                let request = quire::FormatRequest {
                    format: format.parse()?,
                    selection,
                    path: output.clone(),
                    style,
                    citation: citation_style.parse().map_err(quire::Error::from)?,
                };
                out.exported_format(&lib.export_to(&request)?);
                return Ok(());
            }
            let paper = match paper.to_ascii_lowercase().as_str() {
                "a4" => quire::Paper::A4,
                "letter" | "us-letter" => quire::Paper::Letter,
                _ => {
                    return Err(quire::Error::InvalidValue {
                        what: "paper",
                        value: paper.clone(),
                        expected: "a4 letter",
                    }
                    .into())
                }
            };
            let margins = match margin {
                Some(mm) => {
                    let pt = mm * 72.0 / 25.4;
                    quire::Margins { top: pt, right: pt, bottom: pt, left: pt }
                }
                None => quire::Margins::default(),
            };
            let options = quire::PdfOptions {
                paper,
                font_size: *font_size,
                margins,
                justify: !ragged,
                annotations_section: !no_annotations_section,
                ..quire::PdfOptions::default()
            };
            let request = quire::ExportRequest {
                ids: selection.ids,
                tag: selection.tag,
                query: selection.query,
                filter: selection.filter,
                all: selection.all,
                path: output.clone(),
                options,
            };
            let report = lib.export_pdf(&request)?;
            out.exported(&report);
        }
        Command::Cite { id, highlight, style } => {
            let style: quire::CitationStyle = style.parse().map_err(quire::Error::from)?;
            let text = lib.cite(*id, *highlight, style)?;
            if cli.json {
                out.json(&serde_json::json!({ "citation": text }));
            } else {
                output::say!("{text}");
            }
        }
        Command::Status { id, status } => {
            let status: Status = status.parse()?;
            lib.set_status(*id, status)?;
            out.done(&format!("article {id} is now {status}"));
        }
        Command::Favorite { id, off } => {
            lib.set_favorite(*id, !off)?;
            out.done(&format!("article {id} {} favorites", if *off { "removed from" } else { "added to" }));
        }
        Command::Rm { id } => {
            lib.remove_article(*id)?;
            out.done(&format!("deleted article {id}"));
        }
    }
    Ok(())
}
