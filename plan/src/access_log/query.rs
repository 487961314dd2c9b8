//! The auditor's search of the access log, parsed at the boundary.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Most entries one search returns (newest first): narrow the search for
/// more. An export takes up to [`AccessQuery::MAX_EXPORT`].
pub const PAGE_SIZE: u32 = 500;

/// The auditor's search: by user, plan, agency and date range, parsed from
/// a form or query string at the boundary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessQuery {
    /// The reader's email.
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub plan: Option<String>,
    #[serde(default)]
    pub agency: Option<String>,
    /// First day, inclusive (YYYY-MM-DD).
    #[serde(default)]
    pub from: Option<String>,
    /// Last day, inclusive (YYYY-MM-DD).
    #[serde(default)]
    pub to: Option<String>,
}

/// An [`AccessQuery`] understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessSearch {
    pub user_email: Option<String>,
    pub plan: Option<Uuid>,
    pub agency: Option<String>,
    /// From the start of this day (UTC).
    pub from: Option<DateTime<Utc>>,
    /// Until the end of this day (UTC), exclusive of the next.
    pub until: Option<DateTime<Utc>>,
}

impl AccessQuery {
    pub const MAX_EXPORT: u32 = 100_000;

    /// Blank fields are no filter; a bad value names its field.
    pub fn parse(&self) -> Result<AccessSearch, String> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        fn day(field: &str, v: &Option<String>) -> Result<Option<NaiveDate>, String> {
            given(v)
                .map(|s| {
                    NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .map_err(|_| format!("{field}: '{s}' is not a date (YYYY-MM-DD)"))
                })
                .transpose()
        }
        let plan = given(&self.plan)
            .map(|s| Uuid::parse_str(s).map_err(|_| format!("plan: '{s}' is not a plan id")))
            .transpose()?;
        let from = day("from", &self.from)?;
        let to = day("to", &self.to)?;
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                return Err("to: the last day is before the first".into());
            }
        }
        let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        Ok(AccessSearch {
            user_email: given(&self.user).map(str::to_lowercase),
            plan,
            agency: given(&self.agency).map(str::to_string),
            from: from.and_then(start),
            until: to.and_then(|d| d.succ_opt()).and_then(start),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_covers_whole_days_and_names_a_bad_field() {
        let q = AccessQuery {
            user: Some(" Dee@Example.org ".into()),
            from: Some("2026-11-01".into()),
            to: Some("2026-11-30".into()),
            agency: Some("  ".into()),
            ..Default::default()
        };
        let s = q.parse().unwrap();
        assert_eq!(s.user_email.as_deref(), Some("dee@example.org"));
        assert_eq!(s.agency, None);
        assert_eq!(s.from.unwrap().to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!(s.until.unwrap().to_rfc3339(), "2026-12-01T00:00:00+00:00");
        let bad = AccessQuery {
            plan: Some("x".into()),
            ..Default::default()
        };
        assert_eq!(bad.parse().unwrap_err(), "plan: 'x' is not a plan id");
        let backwards = AccessQuery {
            from: Some("2026-11-02".into()),
            to: Some("2026-11-01".into()),
            ..Default::default()
        };
        assert!(backwards.parse().unwrap_err().starts_with("to:"));
    }
}
