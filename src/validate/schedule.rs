//! Time zones (IANA name syntax) and RFC 3339 / ISO 8601 date-times.

/// First components of IANA zone names, including the `backward` file's
/// legacy areas (US/Eastern, Canada/Pacific...), which servers still accept.
const AREAS: &[&str] = &[
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian",
    "Pacific", "Etc", "US", "Canada", "Brazil", "Chile", "Mexico",
];

/// Single-component IANA names (UTC and the legacy links and System V names
/// in tzdata's `backward`), so that no real zone name is refused.
const SINGLE: &[&str] = &[
    "UTC", "GMT", "UCT", "Universal", "Zulu", "Greenwich", "GMT0", "GMT+0", "GMT-0", "CET", "EET", "MET",
    "WET", "EST", "MST", "HST", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "Cuba", "Egypt", "Eire",
    "GB", "GB-Eire", "Hongkong", "Iceland", "Iran", "Israel", "Jamaica", "Japan", "Kwajalein", "Libya",
    "NZ", "NZ-CHAT", "Navajo", "PRC", "Poland", "Portugal", "ROC", "ROK", "Singapore", "Turkey", "W-SU",
];

/// Checks an IANA time zone name's shape: `UTC`, a legacy single name, or
/// `Area/Location[/Sub]` with a known area and components of 1-14 letters,
/// digits, `_`, `-`, `+`. Returns an error message, and a suggestion when
/// a near miss is recognisable (a wrong area, spaces for underscores).
///
/// ```
/// use agoralia::validate::schedule::check_timezone;
/// assert!(check_timezone("Europe/Rome").is_ok());
/// assert!(check_timezone("America/Argentina/Buenos_Aires").is_ok());
/// assert!(check_timezone("Etc/GMT+1").is_ok());
/// assert_eq!(check_timezone("Europa/Rome").unwrap_err().1.as_deref(), Some("Europe/Rome"));
/// assert!(check_timezone("+01:00").is_err());
/// ```
pub fn check_timezone(tz: &str) -> Result<(), (String, Option<String>)> {
    if SINGLE.contains(&tz) {
        return Ok(());
    }
    let parts: Vec<&str> = tz.split('/').collect();
    let shape_ok = parts.iter().all(|p| {
        !p.is_empty()
            && p.len() <= 14
            && p.as_bytes()[0].is_ascii_alphabetic()
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+'))
    });
    if parts.len() >= 2 && parts.len() <= 3 && shape_ok {
        if AREAS.contains(&parts[0]) {
            return Ok(());
        }
        let area = super::suggest::suggest(parts[0], AREAS.iter().copied());
        let suggestion = area.map(|a| {
            let mut s = a.to_string();
            for p in &parts[1..] {
                s.push('/');
                s.push_str(p);
            }
            s
        });
        return Err((format!("\"{}\" is not an IANA time zone area; expected a name like \"Europe/Rome\"", parts[0]), suggestion));
    }
    // Repairs of common slips: case of a single name, spaces for underscores.
    let upper = tz.to_ascii_uppercase();
    if let Some(s) = SINGLE.iter().find(|s| s.to_ascii_uppercase() == upper) {
        return Err((format!("time zone names are case-sensitive: write \"{s}\""), Some(s.to_string())));
    }
    let repaired = tz.trim().replace(' ', "_");
    let suggestion = if repaired != tz && check_timezone(&repaired).is_ok() { Some(repaired) } else { None };
    let hint = if tz.starts_with(['+', '-']) || tz.contains(':') {
        "a UTC offset is not a time zone name; use an IANA name like \"Europe/Rome\" or \"UTC\""
    } else {
        "expected an IANA time zone name like \"Europe/Rome\", \"America/New_York\" or \"UTC\""
    };
    Err((format!("\"{tz}\" is not a time zone name: {hint}"), suggestion))
}

/// A parsed date or date-time, reduced to what ordering needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// Seconds since 0000-03-01 local time (only differences matter).
    pub local_seconds: i64,
    /// Offset from UTC in seconds when the text has one (`Z` is 0).
    pub offset_seconds: Option<i64>,
    /// Fraction of a second in nanoseconds (ordering ties).
    pub nanos: u32,
}

impl DateTime {
    /// Seconds on a common scale: UTC when an offset is known, else local.
    pub fn instant(&self) -> i64 {
        self.local_seconds - self.offset_seconds.unwrap_or(0)
    }
}

/// Parses an ISO 8601 / RFC 3339 date (`2025-01-20`) or date-time
/// (`2025-01-20T09:30:00Z`, `2025-01-20T09:30:00.5+01:00`,
/// `2025-01-20 09:30`; seconds and offset optional, as the server's
/// parser accepts), checking calendar ranges (month lengths, leap years).
///
/// ```
/// use agoralia::validate::schedule::parse_datetime;
/// assert!(parse_datetime("2025-01-20T00:00:00Z").is_ok());
/// assert!(parse_datetime("2024-02-29").is_ok());
/// assert!(parse_datetime("2025-02-29").is_err());
/// assert!(parse_datetime("20/01/2025").is_err());
/// ```
pub fn parse_datetime(s: &str) -> Result<DateTime, String> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0i64, |acc, d| acc * 10 + (d - b'0') as i64))
    };
    const FORMAT: &str = "expected an ISO 8601 date or date-time such as \"2025-01-20\" or \"2025-01-20T09:00:00Z\"";
    let (Some(year), Some(month), Some(day)) = (num(0, 4), num(5, 2), num(8, 2)) else {
        return Err(FORMAT.into());
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(FORMAT.into());
    }
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is out of range 01-12"));
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let mdays = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let max_day = mdays[(month - 1) as usize];
    if day < 1 || day > max_day {
        return Err(format!("day {day} does not exist in {year}-{month:02}"));
    }
    let days = crate::calendar::days_from_civil(year, month, day);
    if b.len() == 10 {
        return Ok(DateTime { local_seconds: days * 86_400, offset_seconds: None, nanos: 0 });
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return Err(FORMAT.into());
    }
    let (Some(hour), Some(minute)) = (num(11, 2), num(14, 2)) else {
        return Err(FORMAT.into());
    };
    if b.get(13) != Some(&b':') {
        return Err(FORMAT.into());
    }
    let mut i = 16;
    let mut second = 0;
    let mut nanos: u32 = 0;
    if b.get(i) == Some(&b':') {
        second = num(i + 1, 2).ok_or_else(|| FORMAT.to_string())?;
        i += 3;
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                if i - start < 9 {
                    nanos = nanos * 10 + (b[i] - b'0') as u32;
                }
                i += 1;
            }
            if i == start {
                return Err(FORMAT.into());
            }
            for _ in (i - start)..9 {
                nanos = nanos.saturating_mul(10);
            }
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!("time {hour:02}:{minute:02}:{second:02} is out of range"));
    }
    let offset = match b.get(i) {
        None => None,
        Some(b'Z' | b'z') => {
            i += 1;
            Some(0)
        }
        Some(&sign @ (b'+' | b'-')) => {
            let oh = num(i + 1, 2).ok_or_else(|| FORMAT.to_string())?;
            let (om, len) = if b.get(i + 3) == Some(&b':') {
                (num(i + 4, 2).ok_or_else(|| FORMAT.to_string())?, 6)
            } else if let Some(m) = num(i + 3, 2) {
                (m, 5)
            } else {
                (0, 3)
            };
            if oh > 23 || om > 59 {
                return Err(format!("UTC offset {oh:02}:{om:02} is out of range"));
            }
            i += len;
            let v = oh * 3600 + om * 60;
            Some(if sign == b'-' { -v } else { v })
        }
        Some(_) => return Err(FORMAT.into()),
    };
    if i != b.len() {
        return Err(FORMAT.into());
    }
    Ok(DateTime { local_seconds: days * 86_400 + hour * 3600 + minute * 60 + second, offset_seconds: offset, nanos })
}

/// Whether `start` is before `end`: `Some(true)`/`Some(false)`, or `None`
/// when it cannot be told (one has a UTC offset and the other does not, and
/// they are within a day of each other; the zone's offset is unknown here
/// because we carry no time zone database).
///
/// ```
/// use agoralia::validate::schedule::{parse_datetime, starts_before};
/// let a = parse_datetime("2025-01-20T00:00:00Z").unwrap();
/// let b = parse_datetime("2025-01-31T23:59:59Z").unwrap();
/// assert_eq!(starts_before(&a, &b), Some(true));
/// assert_eq!(starts_before(&b, &a), Some(false));
/// ```
pub fn starts_before(start: &DateTime, end: &DateTime) -> Option<bool> {
    let mixed = start.offset_seconds.is_some() != end.offset_seconds.is_some();
    let diff = end.instant() - start.instant();
    if mixed && diff.abs() <= 26 * 3600 {
        return None;
    }
    Some(diff > 0 || (diff == 0 && end.nanos > start.nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timezones() {
        for ok in ["UTC", "Etc/GMT-14", "Europe/Rome", "America/North_Dakota/New_Salem", "US/Eastern", "Japan", "EST5EDT", "America/Port-au-Prince"] {
            assert!(check_timezone(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Rome", "Europe/", "/Rome", "Europe//Rome", "europe/rome", "Europe/Rome Italy", "+01:00", "CEST", "Europe/A/B/C", "Mars/Olympus"] {
            assert!(check_timezone(bad).is_err(), "{bad}");
        }
        assert_eq!(check_timezone("utc").unwrap_err().1.as_deref(), Some("UTC"));
        assert_eq!(check_timezone("America/New York").unwrap_err().1.as_deref(), Some("America/New_York"));
        assert_eq!(check_timezone("europe/rome").unwrap_err().1.as_deref(), Some("Europe/rome"));
    }

    #[test]
    fn datetimes() {
        for ok in [
            "2025-01-20", "2025-01-20T00:00:00Z", "2025-01-20t00:00:00z", "2025-01-20T00:00Z", "2025-01-20 09:30",
            "2025-01-20T09:30:00.123456789+01:00", "2025-01-20T09:30:00-0500", "2025-01-20T09:30:00+05", "2016-12-31T23:59:60Z",
            "2000-02-29", "2025-01-20T09:30:00,5Z",
        ] {
            assert!(parse_datetime(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "2025", "2025-1-20", "2025-13-01", "2025-00-10", "2025-04-31", "1900-02-29", "2025-01-20T", "2025-01-20T24:00:00Z",
            "2025-01-20T09:60", "2025-01-20T09:30:00+25:00", "2025-01-20T09:30:00.Z", "2025-01-20T09:30:00Zjunk", "20/01/2025",
            "2025-01-20T09:30:00 Z", "٢٠٢٥-01-01",
        ] {
            assert!(parse_datetime(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ordering() {
        let p = |s| parse_datetime(s).unwrap();
        assert_eq!(starts_before(&p("2025-01-20T10:00:00+02:00"), &p("2025-01-20T09:00:00Z")), Some(true));
        assert_eq!(starts_before(&p("2025-01-20"), &p("2025-01-20")), Some(false));
        assert_eq!(starts_before(&p("2025-01-20T00:00:00Z"), &p("2025-01-20T05:00:00")), None);
        assert_eq!(starts_before(&p("2025-03-01"), &p("2025-01-20T05:00:00Z")), Some(false));
        assert_eq!(starts_before(&p("2024-12-31"), &p("2025-01-01")), Some(true));
        assert_eq!(starts_before(&p("2025-01-01T00:00:00.1Z"), &p("2025-01-01T00:00:00.2Z")), Some(true));
    }
}
