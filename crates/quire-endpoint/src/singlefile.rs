//! SingleFile's "upload to a REST form API": a `multipart/form-data` POST with the page as a
//! file part (`SingleFile.html`, `text/html`) under the field name set in SingleFile's options,
//! and the page's address under another (both names are empty, so not sent, until the user sets
//! them; `docs/endpoint.md` says to set `file` and `url`). The token comes as
//! `Authorization: Bearer`, checked before this runs. Without an address field, the address is
//! read from the comment SingleFile writes at the top of every page it saves (`url: ...`).

use axum::body::Bytes;
use quire::CapturedPage;

/// The page of an upload: the file part (a part with a file name, or named `file`) and the
/// address (a part named `url`, else the first other part that is a web address, else
/// SingleFile's comment). `None` when there is no page or no address.
pub(crate) async fn read(content_type: &str, body: Bytes) -> Option<CapturedPage> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut html = None;
    let mut named_url = None;
    let mut other_url = None;
    while let Some(field) = form.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some() || name == "file";
        let text = field.text().await.ok()?;
        if is_file {
            html.get_or_insert(text);
        } else if name == "url" {
            named_url = Some(text.trim().to_owned());
        } else if other_url.is_none() && is_web_address(text.trim()) {
            other_url = Some(text.trim().to_owned());
        }
    }
    let html = html?;
    let url = named_url.filter(|u| !u.is_empty()).or(other_url).or_else(|| address_in_comment(&html))?;
    Some(CapturedPage { url, html, ..CapturedPage::default() })
}

fn is_web_address(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

/// The address in SingleFile's comment: `<!-- Page saved with SingleFile \n url: ADDRESS ...`.
fn address_in_comment(html: &str) -> Option<String> {
    let head: String = html.chars().take(4096).collect();
    let start = head.find("saved with SingleFile")?;
    let comment = &head[start..head[start..].find("-->").map_or(head.len(), |end| start + end)];
    comment
        .lines()
        .filter_map(|line| line.trim().strip_prefix("url:"))
        .map(str::trim)
        .find(|url| is_web_address(url))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_comes_from_singlefiles_comment() {
        let html = "<!DOCTYPE html> <html><!--\n Page saved with SingleFile \n url: https://news.example/a?b=1 \n saved date: Mon Jan 01 2024\n--><head>";
        assert_eq!(address_in_comment(html).as_deref(), Some("https://news.example/a?b=1"));
        assert_eq!(address_in_comment("<html><!-- url: https://x.example/ --></html>"), None);
        assert_eq!(address_in_comment("<!-- Page saved with SingleFile \n url: javascript:x -->"), None);
    }
}
