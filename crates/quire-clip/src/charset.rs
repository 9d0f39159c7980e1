//! Turning a page's bytes into text: BOM, then the HTTP header's charset, then `<meta charset>`,
//! then detection (`chardetng`). Declarations that the bytes contradict are overruled, with a
//! warning, so a mislabelled page still comes out readable. Before any of these, UTF-16 without
//! a BOM is told by its NULs (every other byte of Latin text is zero), and text that is UTF-8
//! but for a few bad bytes stays UTF-8 (the bad bytes shown as �, with a warning): a legacy
//! code page is guessed only for text that is not mostly UTF-8. [`is_binary`] tells what is
//! no text at all.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How the encoding was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    Bom,
    Header,
    Meta,
    Detected,
}

/// Decoded text with what was decided on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding used, e.g. `UTF-8`, `windows-1251`.
    pub encoding: &'static str,
    pub source: CharsetSource,
    pub warnings: Vec<String>,
}

/// Decodes an HTML page; `content_type` is the HTTP `Content-Type` header, if any.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    decode(bytes, content_type, meta_charset(bytes))
}

/// Decodes a plain-text document (no `<meta>` to look at).
pub fn decode_text(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    decode(bytes, content_type, None)
}

/// Whether `bytes` are no text in any encoding Quire reads (a program, an image, an archive):
/// at their start, more than 2 bytes in a hundred are NUL (programs are full of them), or more
/// than 8 in a hundred are control characters that text does not hold (as in compressed data,
/// where a tenth of the bytes fall there by chance; tab, line breaks, form feed and escape
/// aside). Text with a few stray controls, even hostile text full of them, stays text (they
/// are taken out later). UTF-16, with or without a BOM, is text.
pub fn is_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some_and(|(e, _)| e != UTF_8) || utf16_without_bom(bytes).is_some() {
        return false;
    }
    let sample = &bytes[..bytes.len().min(BINARY_SAMPLE)];
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    let controls = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)).count();
    nuls * 100 > sample.len() * 2 || controls * 100 > sample.len() * 8
}

/// How much of the start [`is_binary`] and [`utf16_without_bom`] look at.
const BINARY_SAMPLE: usize = 64 * 1024;

/// UTF-16 without a BOM, told by where its NULs are: in Latin text every other byte is zero
/// (the odd ones in little-endian, the even ones in big-endian), and the other half never is.
/// The bytes must then decode without error.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(BINARY_SAMPLE) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros_at = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let encoding = if odd * 4 >= pairs && even * 20 <= odd {
        UTF_16LE
    } else if even * 4 >= pairs && odd * 20 <= even {
        UTF_16BE
    } else {
        return None;
    };
    let (_, had_errors) = encoding.decode_without_bom_handling(&bytes[..bytes.len() & !1]);
    (!had_errors).then_some(encoding)
}

fn decode(bytes: &[u8], content_type: Option<&str>, meta: Option<&'static Encoding>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(encoding, &bytes[bom_len..], CharsetSource::Bom, Vec::new());
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let warnings = vec![format!("the text has no byte order mark; its zero bytes show it is {}", encoding.name())];
        return finish(encoding, &bytes[..bytes.len() & !1], CharsetSource::Detected, warnings);
    }
    let header = content_type.and_then(header_charset);
    let declared = header.map(|e| (e, CharsetSource::Header)).or(meta.map(|e| (e, CharsetSource::Meta)));
    let mut warnings = Vec::new();
    if let Some((encoding, source)) = declared {
        // UTF-16 cannot be declared in-band; a page that says so is ASCII-compatible.
        let encoding = if encoding.output_encoding() != encoding { UTF_8 } else { encoding };
        let valid_utf8 = std::str::from_utf8(bytes).is_ok();
        let has_non_ascii = bytes.iter().any(|b| !b.is_ascii());
        if encoding == UTF_8 && !valid_utf8 && !mostly_utf8(bytes) {
            let detected = detect(bytes);
            warnings.push(format!("the page says UTF-8 but is not; decoded it as {}", detected.name()));
            return finish(detected, bytes, CharsetSource::Detected, warnings);
        }
        if encoding != UTF_8 && valid_utf8 && has_non_ascii && encoding.is_single_byte() {
            warnings.push(format!("the page says {} but is UTF-8; decoded it as UTF-8", encoding.name()));
            return finish(UTF_8, bytes, CharsetSource::Detected, warnings);
        }
        return finish(encoding, bytes, source, warnings);
    }
    if mostly_utf8(bytes) {
        return finish(UTF_8, bytes, CharsetSource::Detected, warnings);
    }
    finish(detect(bytes), bytes, CharsetSource::Detected, warnings)
}

fn finish(encoding: &'static Encoding, bytes: &[u8], source: CharsetSource, mut warnings: Vec<String>) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        warnings.push(format!("some bytes are not valid {}; they show as �", encoding.name()));
    }
    Decoded { text: text.into_owned(), encoding: encoding.name(), source, warnings }
}

/// UTF-8 with at most a few stray bytes: one bad sequence per hundred non-ASCII bytes, or at
/// least two well-formed multi-byte characters (“, é, ї…) for each bad sequence. A damaged
/// UTF-8 page is better shown with a few � than as mojibake in a guessed encoding; text in a
/// legacy code page makes a bad sequence of almost every non-ASCII letter, and well-formed
/// UTF-8 characters only by chance.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
    let mut errors = 0;
    let mut multibyte = 0;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                errors += 1;
                let valid = std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default();
                multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to()).max(1);
                rest = &rest[skip.min(rest.len())..];
            }
        }
    }
    errors == 0 || (non_ascii >= 100 && errors * 100 <= non_ascii) || multibyte >= 2 * errors
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// `text/html; charset="windows-1251"` → windows-1251.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| Encoding::for_label(value.trim().trim_matches(['"', '\'']).as_bytes()))?
    })
}

/// The charset a `<meta>` declares in the first 4 KiB (HTML's prescan, simplified):
/// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">`.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head: Vec<u8> = bytes.iter().take(4096).map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&head[from..], b"<meta") {
        let start = from + pos;
        let end = head[start..].iter().position(|&b| b == b'>').map_or(head.len(), |p| start + p);
        let tag = &head[start..end];
        if let Some(p) = find(tag, b"charset") {
            let rest = &tag[p + b"charset".len()..];
            let rest = rest.iter().skip_while(|b| b.is_ascii_whitespace()).copied().collect::<Vec<u8>>();
            if let Some(value) = rest.strip_prefix(b"=") {
                let value: Vec<u8> = value
                    .iter()
                    .skip_while(|b| b.is_ascii_whitespace() || **b == b'"' || **b == b'\'')
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                    .copied()
                    .collect();
                if let Some(enc) = Encoding::for_label(&value) {
                    return Some(enc);
                }
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CYRILLIC: &str = "Україна стане членом НАТО після війни. Зеленський упевнений у цьому.";

    fn cp1251(s: &str) -> Vec<u8> {
        encoding_rs::WINDOWS_1251.encode(s).0.into_owned()
    }

    #[test]
    fn charset_cases() {
        let html = |meta: &str, body: &[u8]| {
            [format!("<html><head>{meta}</head><body><p>").as_bytes(), body, b"</p></body></html>"].concat()
        };
        // (name, bytes, Content-Type header, expected encoding, how it was chosen, warnings)
        type Case<'a> = (&'a str, Vec<u8>, Option<&'a str>, &'a str, CharsetSource, usize);
        let cases: Vec<Case<'_>> = vec![
            (
                "undeclared windows-1251 is detected",
                html("", &cp1251(CYRILLIC)),
                None,
                "windows-1251",
                CharsetSource::Detected,
                0,
            ),
            (
                "meta charset",
                html("<meta charset=\"windows-1251\">", &cp1251(CYRILLIC)),
                None,
                "windows-1251",
                CharsetSource::Meta,
                0,
            ),
            (
                "http-equiv",
                html(
                    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">",
                    &cp1251(CYRILLIC),
                ),
                None,
                "windows-1251",
                CharsetSource::Meta,
                0,
            ),
            (
                "header beats meta",
                html("<meta charset=\"iso-8859-1\">", &cp1251(CYRILLIC)),
                Some("text/html; charset=\"Windows-1251\""),
                "windows-1251",
                CharsetSource::Header,
                0,
            ),
            (
                "declared UTF-8 but is 1251",
                html("<meta charset=utf-8>", &cp1251(CYRILLIC)),
                None,
                "windows-1251",
                CharsetSource::Detected,
                1,
            ),
            (
                "declared latin-1 but is UTF-8",
                html("<meta charset=iso-8859-1>", CYRILLIC.as_bytes()),
                None,
                "UTF-8",
                CharsetSource::Detected,
                1,
            ),
            (
                "BOM wins",
                [b"\xEF\xBB\xBF".as_slice(), &html("<meta charset=windows-1251>", CYRILLIC.as_bytes())].concat(),
                Some("text/html; charset=iso-8859-1"),
                "UTF-8",
                CharsetSource::Bom,
                0,
            ),
            ("plain UTF-8", html("", CYRILLIC.as_bytes()), None, "UTF-8", CharsetSource::Detected, 0),
        ];
        for (name, bytes, header, encoding, source, warnings) in cases {
            let d = decode_html(&bytes, header);
            assert_eq!(
                (d.encoding, d.source, d.warnings.len()),
                (encoding, source, warnings),
                "{name}: {:?}",
                d.warnings
            );
            assert!(d.text.contains(CYRILLIC), "{name}: {}", d.text);
        }
    }

    #[test]
    fn utf16_without_bom_is_told_by_its_zero_bytes() {
        let text = "Ukraine is now closer to NATO: Україна";
        for (encoding, bytes) in [
            ("UTF-16LE", text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()),
            ("UTF-16BE", text.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>()),
        ] {
            let d = decode_text(&bytes, None);
            assert_eq!((d.encoding, d.text.as_str()), (encoding, text));
            assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
            assert!(!is_binary(&bytes), "{encoding} is text");
        }
    }

    #[test]
    fn binary_is_told_from_text() {
        let elf =
            [b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0".as_slice(), &[0u8; 64], b"GLIBC"].concat();
        assert!(is_binary(&elf));
        assert!(is_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0"));
        for text in [CYRILLIC.as_bytes(), &cp1251(CYRILLIC), b"tab\tnew line\n\x0cpage", b""] {
            assert!(!is_binary(text), "{text:?}");
        }
        let one_stray_nul = [CYRILLIC.repeat(3).as_bytes(), b"\0"].concat();
        assert!(!is_binary(&one_stray_nul), "a stray NUL in text does not make it binary");
        let random: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert!(is_binary(&random), "compressed or random bytes are no text");
    }

    #[test]
    fn a_few_bad_bytes_in_short_utf8_stay_utf8() {
        // Fewer than 100 non-ASCII bytes: once guessed as a Cyrillic code page.
        let damaged = [
            b"He said \xE2\x80\x9Cyes\xE2\x80\x9D and \xE2\x80\x9Cno\xE2\x80\x9D, " as &[u8],
            b"\xFF",
            b" caf\xC3\xA9.",
        ]
        .concat();
        let d = decode_text(&damaged, None);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "He said “yes” and “no”, � café.");
        assert_eq!(d.warnings, ["some bytes are not valid UTF-8; they show as �"]);
    }

    #[test]
    fn damaged_utf8_keeps_utf8_and_garbage_is_decoded_with_a_warning() {
        let damaged = [CYRILLIC.repeat(3).as_bytes(), b"\xFF", CYRILLIC.as_bytes()].concat();
        for header in [None, Some("text/html; charset=utf-8")] {
            let d = decode_text(&damaged, header);
            assert_eq!(d.encoding, "UTF-8");
            assert_eq!(d.text.matches('�').count(), 1);
            assert_eq!(d.warnings, ["some bytes are not valid UTF-8; they show as �"]);
        }
        let d = decode_text(b"caf\xC3 ok \xFF\xFE\xFD", Some("text/plain; charset=utf-8"));
        assert!(d.text.starts_with("caf") && d.text.contains(" ok "), "{}", d.text);
        assert!(!d.warnings.is_empty());
    }
}
