//! RFC 3339 → PDF dates, without a date library.

use pdf_writer::Date;

/// Parses `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]`; `None` when it does not look like that.
pub fn pdf_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = s.get(from..from + len)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let year = num(0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = num(5, 2)?;
    let day = num(8, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut d = Date::new(year as u16).month(month as u8).day(day as u8);
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return Some(d);
    }
    let hour = num(11, 2)?;
    let minute = num(14, 2)?;
    d = d.hour(hour.min(23) as u8).minute(minute.min(59) as u8);
    let mut i = 16;
    if b.get(16) == Some(&b':') {
        d = d.second(num(17, 2)?.min(59) as u8);
        i = 19;
        if b.get(19) == Some(&b'.') {
            i = 20;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => d = d.utc_offset_hour(0).utc_offset_minute(0),
        Some(sign @ (b'+' | b'-')) => {
            let h = num(i + 1, 2)? as i8;
            let m = num(i + 4, 2)? as u8;
            d = d.utc_offset_hour(if *sign == b'-' { -h } else { h }).utc_offset_minute(m);
        }
        _ => {}
    }
    Some(d)
}

/// The date part (`YYYY-MM-DD`) of an RFC 3339 time, or the text as given.
pub fn display_date(s: &str) -> String {
    let s = s.trim();
    if pdf_date(s).is_some() {
        s[..10].to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_forms() {
        assert!(pdf_date("2023-07-12T10:11:12Z").is_some());
        assert!(pdf_date("2023-07-12T10:11:12.123+02:00").is_some());
        assert!(pdf_date("2023-07-12").is_some());
        assert!(pdf_date("July 12").is_none());
        assert_eq!(display_date("2023-07-12T10:11:12Z"), "2023-07-12");
        assert_eq!(display_date("yesterday"), "yesterday");
    }
}
