//! File bytes to text: a BOM (UTF-8 or UTF-16) decides, else UTF-8 when the bytes are UTF-8,
//! else the legacy encoding detected (a CSV saved by a spreadsheet in Windows-1252, say).

/// The file's text and, when it was not UTF-8, the encoding it was read as.
pub(crate) fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    let decoded = quire_clip::decode_text(bytes, None);
    let text = decoded.text;
    if decoded.encoding == "UTF-8" {
        (text, None)
    } else {
        (text, Some(decoded.encoding))
    }
}

/// Trims and collapses runs of whitespace to one space and drops control characters (a NUL or
/// a terminal escape in a title is never meant); `None` when nothing is left.
pub(crate) fn clean(s: &str) -> Option<String> {
    let out = s.split_whitespace().collect::<Vec<_>>().join(" ").replace(|c: char| c.is_control(), "");
    let out = out.trim().to_owned();
    (!out.is_empty()).then_some(out)
}

/// Tags as Quire keeps them: trimmed, empty ones dropped, duplicates (ignoring case) once.
pub(crate) fn tags<I, S>(tags: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let Some(tag) = clean(tag.as_ref()) else { continue };
        if !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_utf8_and_legacy() {
        assert_eq!(decode("naïve".as_bytes()), ("naïve".into(), None));
        assert_eq!(decode(b"\xEF\xBB\xBFtitle,url").0, "title,url");
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("a,é".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode(&utf16).0, "a,é");
        let (text, encoding) = decode(b"Caf\xe9 cr\xe8me, d\xe9j\xe0 vu, na\xefve r\xe9sum\xe9");
        assert_eq!(text, "Café crème, déjà vu, naïve résumé");
        assert_eq!(encoding, Some("windows-1252"));
    }

    #[test]
    fn tags_are_trimmed_and_unique() {
        assert_eq!(tags(["  NATO ", "", "nato", "Ukraine / war", "x"]), ["NATO", "Ukraine / war", "x"]);
    }
}
