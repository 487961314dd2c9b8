//! What a portfolio view asks for: filters, the disruption period and the
//! drill-down, parsed from a query string's values at the boundary.

use crate::strategy::{ManagementModel, ThreatKey};
use crate::vocabulary::{Disruption, RagStatus, SubjectKind, Tier};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

mod links;

pub use links::encode as query_value;

/// The raw query, as a form or URL sends it (every value optional text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioQuery {
    #[serde(default)]
    pub threat: Option<String>,
    #[serde(default)]
    pub tier: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub agency: Option<String>,
    /// Disruption period, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// Drill-down: `all`, `untagged` or a threat key.
    #[serde(default)]
    pub list: Option<String>,
    /// Drill-down: which count (see [`Only`]); every plan when absent.
    #[serde(default)]
    pub only: Option<String>,
}

/// A parsed, valid query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioFilter {
    pub threat: Option<ThreatKey>,
    pub tier: Option<Tier>,
    pub model: Option<ManagementModel>,
    /// Only this agency's actions, and plans where it owns one.
    pub agency: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub drill: Option<Drill>,
}

/// Which plans a clicked count stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drill {
    pub scope: Scope,
    pub only: Only,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Untagged,
    Threat(ThreatKey),
}

/// The count clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    Plans,
    Tier(Option<Tier>),
    Kind(Option<SubjectKind>),
    /// Plans with actions of this status (`None`: status not set).
    Rag(Option<RagStatus>),
    OverdueActions,
    OverdueReviews,
    /// Plans with disruptions of this level in the period.
    Disruption(Disruption),
}

impl Only {
    /// The query value, as [`Only::parse`] reads it.
    pub fn key(self) -> String {
        match self {
            Only::Plans => "plans".into(),
            Only::Tier(Some(t)) => format!("tier-{}", t.get()),
            Only::Tier(None) => "tier-none".into(),
            Only::Kind(Some(k)) => k.as_str().to_lowercase(),
            Only::Kind(None) => "kind-none".into(),
            Only::Rag(Some(s)) => s.as_str().to_lowercase(),
            Only::Rag(None) => "status-none".into(),
            Only::OverdueActions => "overdue-actions".into(),
            Only::OverdueReviews => "overdue-reviews".into(),
            Only::Disruption(d) => format!("disruption-{}", d.as_str().to_lowercase()),
        }
    }

    pub fn parse(value: &str) -> Result<Only, String> {
        let all = [
            Only::Plans,
            Only::Tier(None),
            Only::Kind(None),
            Only::Rag(None),
            Only::OverdueActions,
            Only::OverdueReviews,
        ]
        .into_iter()
        .chain((1..=4).filter_map(|t| Tier::new(t).ok()).map(|t| Only::Tier(Some(t))))
        .chain(SubjectKind::ALL.iter().map(|k| Only::Kind(Some(*k))))
        .chain(RagStatus::ALL.iter().map(|s| Only::Rag(Some(*s))))
        .chain(Disruption::ALL.iter().map(|d| Only::Disruption(*d)));
        all.into_iter()
            .find(|o| o.key() == value)
            .ok_or_else(|| format!("only: {value:?} is not a count of the portfolio"))
    }
}

/// The default disruption period: the last twelve months, this one included.
pub fn default_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (first_of_month(today) - Months::new(11), today)
}

pub fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

fn blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn date(field: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| format!("{field}: {value:?} is not a date (YYYY-MM-DD)"))
}

impl PortfolioQuery {
    /// Checks every value; an error names the field.
    pub fn parse(&self, today: NaiveDate) -> Result<PortfolioFilter, String> {
        let (default_from, default_to) = default_period(today);
        let from = blank(&self.from)
            .map(|v| date("from", v))
            .transpose()?
            .unwrap_or(default_from);
        let to = blank(&self.to)
            .map(|v| date("to", v))
            .transpose()?
            .unwrap_or(default_to);
        if from > to {
            return Err(format!("from: {from} is after to ({to})"));
        }
        let tier = blank(&self.tier)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ())
                    .and_then(|n| Tier::new(n).map_err(|_| ()))
            })
            .transpose()
            .map_err(|_| "tier: must be 1, 2, 3 or 4".to_string())?;
        let key = |v: &str| ThreatKey::parse(v).map_err(|e| e.0);
        let scope = match blank(&self.list) {
            None => None,
            Some("all") => Some(Scope::All),
            Some("untagged") => Some(Scope::Untagged),
            Some(other) => Some(Scope::Threat(key(other)?)),
        };
        let only = blank(&self.only).map(Only::parse).transpose()?;
        Ok(PortfolioFilter {
            threat: blank(&self.threat).map(key).transpose()?,
            tier,
            model: blank(&self.model)
                .map(|v| ManagementModel::parse(v).map_err(|e| e.0))
                .transpose()?,
            agency: blank(&self.agency).map(str::to_string),
            from,
            to,
            drill: scope.map(|scope| Drill {
                scope,
                only: only.unwrap_or(Only::Plans),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    #[test]
    fn an_empty_query_is_every_plan_over_the_last_twelve_months() {
        let f = PortfolioQuery::default().parse(today()).unwrap();
        assert_eq!((f.from, f.to), (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), today()));
        assert_eq!(
            (f.threat, f.tier, f.model, f.agency, f.drill),
            (None, None, None, None, None)
        );
    }

    #[test]
    fn bad_values_name_their_field() {
        let q = |f: fn(&mut PortfolioQuery)| {
            let mut q = PortfolioQuery::default();
            f(&mut q);
            q.parse(today()).unwrap_err()
        };
        assert!(q(|q| q.tier = Some("5".into())).starts_with("tier:"));
        assert!(q(|q| q.from = Some("yesterday".into())).starts_with("from:"));
        assert!(q(|q| q.model = Some("local".into())).contains("management model"));
        assert!(q(|q| q.only = Some("everything".into())).starts_with("only:"));
        assert!(q(|q| {
            q.from = Some("2026-05-01".into());
            q.to = Some("2026-04-01".into());
        })
        .contains("after"));
    }

    #[test]
    fn every_count_round_trips_through_its_query_value() {
        for key in [
            "plans",
            "tier-2",
            "tier-none",
            "ocg",
            "pi",
            "red",
            "status-none",
            "overdue-reviews",
            "disruption-major",
        ] {
            assert_eq!(Only::parse(key).unwrap().key(), key);
        }
        let q = PortfolioQuery {
            threat: Some("county-lines".into()),
            list: Some("untagged".into()),
            only: Some("amber".into()),
            ..Default::default()
        };
        let f = q.parse(today()).unwrap();
        assert_eq!(f.to_query().parse(today()).unwrap(), f);
    }
}
