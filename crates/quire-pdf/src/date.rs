//! RFC 3339 → PDF and XMP dates, without a date library.

use pdf_writer::Date;
use xmp_writer::{DateTime, Timezone};

/// A parsed `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]`; the offset is `None` when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    year: u16,
    month: u8,
    day: u8,
    time: Option<(u8, u8, Option<u8>)>,
    offset: Option<(i8, u8)>,
}

impl Stamp {
    /// Parses an RFC 3339 time or date; `None` when it does not look like one.
    pub fn parse(s: &str) -> Option<Stamp> {
        let s = s.trim();
        let b = s.as_bytes();
        let num = |from: usize, len: usize| -> Option<u32> {
            let part = s.get(from..from + len)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = num(0, 4)? as u16;
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let month = num(5, 2)? as u8;
        let day = num(8, 2)? as u8;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let mut stamp = Stamp { year, month, day, time: None, offset: None };
        if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
            return Some(stamp);
        }
        let hour = num(11, 2)?.min(23) as u8;
        let minute = num(14, 2)?.min(59) as u8;
        let mut second = None;
        let mut i = 16;
        if b.get(16) == Some(&b':') {
            second = Some(num(17, 2)?.min(59) as u8);
            i = 19;
            if b.get(19) == Some(&b'.') {
                i = 20;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
        }
        stamp.time = Some((hour, minute, second));
        stamp.offset = match b.get(i) {
            Some(b'Z' | b'z') => Some((0, 0)),
            Some(sign @ (b'+' | b'-')) => {
                let h = num(i + 1, 2)?.min(23) as i8;
                let m = num(i + 4, 2)?.min(59) as u8;
                Some((if *sign == b'-' { -h } else { h }, m))
            }
            _ => None,
        };
        Some(stamp)
    }

    pub fn pdf(self) -> Date {
        let mut d = Date::new(self.year).month(self.month).day(self.day);
        if let Some((hour, minute, second)) = self.time {
            d = d.hour(hour).minute(minute);
            if let Some(s) = second {
                d = d.second(s);
            }
        }
        if let Some((h, m)) = self.offset {
            d = d.utc_offset_hour(h).utc_offset_minute(m);
        }
        d
    }

    pub fn xmp(self) -> DateTime {
        // xmp-writer stops at the first missing field, so a time without seconds gets `:00` to
        // keep its offset.
        let (hour, minute, second) = match self.time {
            Some((h, m, s)) => (Some(h), Some(m), Some(s.unwrap_or(0))),
            None => (None, None, None),
        };
        let timezone = self.offset.map(|(h, m)| match (h, m) {
            (0, 0) => Timezone::Utc,
            _ => Timezone::Local { hour: h, minute: m as i8 },
        });
        DateTime { year: self.year, month: Some(self.month), day: Some(self.day), hour, minute, second, timezone }
    }
}

/// An RFC 3339 time as a PDF date; `None` when it does not look like one.
pub fn pdf_date(s: &str) -> Option<Date> {
    Stamp::parse(s).map(Stamp::pdf)
}

/// The date part (`YYYY-MM-DD`) of an RFC 3339 time, or the text as given.
pub fn display_date(s: &str) -> String {
    let s = s.trim();
    if Stamp::parse(s).is_some() {
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

    #[test]
    fn keeps_the_offset_for_xmp() {
        let d = Stamp::parse("2023-07-12T10:11:12.5-03:30").unwrap().xmp();
        assert_eq!(
            (d.year, d.month, d.day, d.hour, d.minute, d.second),
            (2023, Some(7), Some(12), Some(10), Some(11), Some(12))
        );
        assert_eq!(d.timezone, Some(Timezone::Local { hour: -3, minute: 30 }));
        let no_seconds = Stamp::parse("2023-07-12T10:11Z").unwrap().xmp();
        assert_eq!((no_seconds.second, no_seconds.timezone), (Some(0), Some(Timezone::Utc)));
        assert_eq!(Stamp::parse("2023-07-12").unwrap().xmp().hour, None);
    }
}
