//! The review date rule: the date of next review is the last review (or the
//! plan's creation) plus the interval set for the OCG/PI's tier.

use crate::vocabulary::{InvalidValue, Tier};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Months between reviews for tiers 1 to 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewIntervals([u32; 4]);

impl Default for ReviewIntervals {
    fn default() -> Self {
        ReviewIntervals([1, 2, 3, 6])
    }
}

impl ReviewIntervals {
    pub fn new(months: [u32; 4]) -> Result<Self, InvalidValue> {
        if months.iter().any(|m| *m == 0 || *m > 24) {
            return Err(InvalidValue {
                field: "review_intervals",
                value: format!("{months:?}"),
                expected: "four month counts from 1 to 24",
            });
        }
        Ok(ReviewIntervals(months))
    }

    pub fn months(&self, tier: Tier) -> u32 {
        self.0[usize::from(tier.get() - 1)]
    }

    /// The date of next review. A month-end date clamps to the end of a
    /// shorter month (31 January + 1 month = 28/29 February).
    pub fn next_review(&self, tier: Tier, last_review: NaiveDate) -> NaiveDate {
        last_review
            .checked_add_months(Months::new(self.months(tier)))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// Parses `1,2,3,6` (months for tiers 1 to 4), the form used by the
/// `REVIEW_INTERVAL_MONTHS` setting.
impl FromStr for ReviewIntervals {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidValue {
            field: "review_intervals",
            value: s.to_string(),
            expected: "four month counts from 1 to 24, e.g. 1,2,3,6",
        };
        let parts: Vec<u32> = s
            .split(',')
            .map(|p| p.trim().parse::<u32>())
            .collect::<Result<_, _>>()
            .map_err(|_| invalid())?;
        let months: [u32; 4] = parts.try_into().map_err(|_| invalid())?;
        ReviewIntervals::new(months).map_err(|_| invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn default_intervals_follow_the_tier() {
        let r = ReviewIntervals::default();
        let start = d("2026-01-15");
        let next: Vec<_> = Tier::ALL.iter().map(|t| r.next_review(*t, start)).collect();
        assert_eq!(
            next,
            vec![d("2026-02-15"), d("2026-03-15"), d("2026-04-15"), d("2026-07-15")]
        );
    }

    #[test]
    fn month_end_clamps() {
        let r = ReviewIntervals::default();
        assert_eq!(r.next_review(Tier::new(1).unwrap(), d("2026-01-31")), d("2026-02-28"));
    }

    #[test]
    fn intervals_parse_from_configuration() {
        let r: ReviewIntervals = "1, 1, 2, 3".parse().unwrap();
        assert_eq!(r.months(Tier::new(4).unwrap()), 3);
        assert!("1,2,3".parse::<ReviewIntervals>().is_err());
        assert!("1,2,3,0".parse::<ReviewIntervals>().is_err());
        assert!("a,b,c,d".parse::<ReviewIntervals>().is_err());
    }
}
