//! The CLI's words for library errors: the library's message, plus where to look next in
//! terms of this CLI's commands and flags (the library's own messages name no shell).

use quire::{describe_occurrences, Error};

/// The message to print for a library error.
pub fn message(e: &Error) -> String {
    match e {
        Error::ArticleNotFound(_) => format!("{e} (see `quire list`)"),
        Error::HighlightNotFound(_) => format!("{e} (see `quire highlights`)"),
        Error::TagNotFound(_) | Error::TagNotOnArticle { .. } => format!("{e} (see `quire tag list`)"),
        Error::TagExists(name) => format!("tag \"{name}\" already exists: use `quire tag merge` to combine two tags"),
        Error::QuoteNotFound { article } => {
            format!("quote not found in article {article}: copy the exact text from `quire show {article}`")
        }
        Error::AmbiguousQuote { article, occurrences } => format!(
            "the quote occurs {} times in article {article}; choose one with --occurrence K (or give --prefix/--suffix): {}",
            occurrences.len(),
            describe_occurrences(occurrences)
        ),
        Error::NotHtml { url, content_type } => format!(
            "{url} is not an HTML page ({content_type}): Quire clips web pages; save the file and add it with `quire add` if it is text"
        ),
        Error::NoSnapshot(id) => format!(
            "article {id} has no original page to extract again (it was added as text); clip its address with --update instead"
        ),
        Error::NoLibraryFolder { .. } => {
            format!("{e}: check the path, or add --create to make a new library there")
        }
        Error::Cancelled => "stopped: the import was interrupted; everything added so far is kept".to_owned(),
        _ => e.to_string(),
    }
}
