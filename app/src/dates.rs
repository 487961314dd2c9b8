//! Dates and times as the pages write them. Written out by hand rather
//! than with chrono's `format("%…")`: its format-string parser and
//! formatter are otherwise the only reason the browser's WASM carries them.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(date: NaiveDate) -> &'static str {
    MONTHS[date.month0() as usize]
}

fn month_abbreviation(date: NaiveDate) -> &'static str {
    &month_name(date)[..3]
}

/// `21 Nov 2026`, as the template writes dates.
pub fn short(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), month_abbreviation(date), date.year())
}

/// `21 November 2026`.
pub fn long(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), month_name(date), date.year())
}

/// `21/11/2026`.
pub fn numeric(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

/// `21/11/2026 14:03:09` (UTC).
pub fn numeric_time(at: DateTime<Utc>) -> String {
    format!(
        "{} {:02}:{:02}:{:02}",
        numeric(at.date_naive()),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A month as a chart's axis labels it: `Nov 26`.
pub fn month_short(date: NaiveDate) -> String {
    format!("{} {:02}", month_abbreviation(date), date.year().rem_euclid(100))
}

/// A month as data: `2026-11`.
pub fn month_key(date: NaiveDate) -> String {
    format!("{}-{:02}", date.year(), date.month())
}

/// `November 2026`.
pub fn month_long(date: NaiveDate) -> String {
    format!("{} {}", month_name(date), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each agrees with chrono's format string it replaces, on every day of
    /// a leap year and a few far-off dates.
    #[test]
    fn dates_read_as_chronos_format_strings_would_write_them() {
        let start = NaiveDate::from_ymd_opt(2028, 1, 1).unwrap();
        let days = (0..366).map(|n| start + chrono::Days::new(n));
        let others = [(1999, 12, 31), (2000, 2, 29), (2101, 7, 4), (2009, 9, 9)]
            .map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        for date in days.chain(others) {
            assert_eq!(short(date), date.format("%-d %b %Y").to_string());
            assert_eq!(long(date), date.format("%-d %B %Y").to_string());
            assert_eq!(numeric(date), date.format("%d/%m/%Y").to_string());
            assert_eq!(month_short(date), date.format("%b %y").to_string());
            assert_eq!(month_key(date), date.format("%Y-%m").to_string());
            assert_eq!(month_long(date), date.format("%B %Y").to_string());
            let at = date.and_hms_opt(7, 5, 9).unwrap().and_utc();
            assert_eq!(numeric_time(at), at.format("%d/%m/%Y %H:%M:%S").to_string());
        }
    }
}
