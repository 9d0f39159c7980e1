//! Dates as export files write them. Each parser knows which form its columns use; these are
//! the shared readers. A date that cannot be read is an error for the row, never "now".

use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// Unix seconds (`1688980000`); milliseconds are taken when the number is too large for
/// seconds (after the year 5000).
pub(crate) fn unix(s: &str) -> Option<OffsetDateTime> {
    let n: i64 = s.trim().parse().ok()?;
    let secs = if n.abs() > 100_000_000_000 { n / 1000 } else { n };
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// RFC 3339 / ISO 8601 with an offset (`2023-07-11T09:30:00Z`, `…+02:00`, fractions), also
/// with a space for the `T`, or without an offset (taken as UTC), or a bare date.
pub(crate) fn iso(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let t = s.replacen(' ', "T", 1);
    if let Ok(t) = OffsetDateTime::parse(&t, &Rfc3339) {
        return Some(t);
    }
    // "+0200" offsets (wallabag's PHP dates) → "+02:00".
    if let Some(fixed) = colon_offset(&t) {
        if let Ok(t) = OffsetDateTime::parse(&fixed, &Rfc3339) {
            return Some(t);
        }
    }
    let naive = t.trim_end_matches('Z');
    let with_frac = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]");
    let plain = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let minutes = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    for fd in [with_frac, plain, minutes] {
        if let Ok(t) = PrimitiveDateTime::parse(naive, fd) {
            return Some(t.assume_utc());
        }
    }
    let day = format_description!("[year]-[month]-[day]");
    time::Date::parse(naive, day).ok().map(|d| d.midnight().assume_utc())
}

fn colon_offset(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let n = bytes.len();
    if n < 5 || !(bytes[n - 5] == b'+' || bytes[n - 5] == b'-') || !bytes[n - 4..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(format!("{}:{}", &s[..n - 2], &s[n - 2..]))
}

/// Any of the forms above, or an RFC 2822 date (`Tue, 11 Jul 2023 09:30:00 +0000`).
pub(crate) fn any(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return unix(s);
    }
    iso(s).or_else(|| OffsetDateTime::parse(s, &Rfc2822).ok())
}

/// An optional date column: empty is `None`; a value `read` cannot read is the row's error,
/// naming the column.
pub(crate) fn column(
    value: &str,
    name: &str,
    read: fn(&str) -> Option<OffsetDateTime>,
) -> std::result::Result<Option<OffsetDateTime>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    read(value).map(Some).ok_or_else(|| format!("{name} \"{value}\" is not a date"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn reads_the_forms_exports_use() {
        let t = datetime!(2023-07-11 09:30:00 UTC);
        assert_eq!(unix("1689067800"), Some(t));
        assert_eq!(unix("1689067800000"), Some(t));
        assert_eq!(any("1689067800"), Some(t));
        assert_eq!(any("2023-07-11T09:30:00Z"), Some(t));
        assert_eq!(any("2023-07-11T09:30:00.000Z"), Some(t));
        assert_eq!(any("2023-07-11 09:30:00"), Some(t));
        assert_eq!(any("2023-07-11T11:30:00+02:00"), Some(t));
        assert_eq!(any("2023-07-11T11:30:00+0200"), Some(t));
        assert_eq!(any("Tue, 11 Jul 2023 09:30:00 +0000"), Some(t));
        assert_eq!(any("2023-07-11"), Some(datetime!(2023-07-11 00:00:00 UTC)));
        assert_eq!(any("yesterday"), None);
        assert_eq!(any(""), None);
        assert_eq!(any("2023-13-45"), None);
    }
}
