//! A plan's versions: which moment a version is, how two versions differ,
//! and what a restore writes. Pure: the server reads the states.

pub mod compare;
pub mod diff;
pub mod reach;
pub mod redact;
#[cfg(test)]
mod redact_tests;
#[cfg(test)]
mod tests;

pub use compare::{compare, ActionChangeKind, ActionDiff, Comparison, FieldChange, SectionChange};
pub use diff::{diff_words, Piece};
pub use reach::{Reach, Span};

use serde::{Deserialize, Serialize};

/// Which version of a plan: as recorded at a review, as it was after an
/// accepted update (its `seq`), or as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum At {
    Review(i32),
    Seq(i64),
    Now,
}

impl At {
    /// `review-3`, `seq-120` or `now`.
    pub fn parse(value: &str) -> Result<At, String> {
        let bad = || format!("version {value:?} is not review-N, seq-N or now");
        match value.trim() {
            "" | "now" => Ok(At::Now),
            v => match v.split_once('-') {
                Some(("review", n)) => n.parse().ok().filter(|n| *n > 0).map(At::Review).ok_or_else(bad),
                Some(("seq", n)) => n.parse().ok().filter(|n| *n >= 0).map(At::Seq).ok_or_else(bad),
                _ => Err(bad()),
            },
        }
    }

    pub fn key(self) -> String {
        match self {
            At::Review(n) => format!("review-{n}"),
            At::Seq(n) => format!("seq-{n}"),
            At::Now => "now".into(),
        }
    }
}

/// A recorded review, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRecord {
    /// 1 for the plan's first review.
    pub number: i32,
    pub reviewed_on: chrono::NaiveDate,
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: String,
    /// The LRO update as it stood when the review was recorded.
    pub lro_update: String,
    /// The last update folded into its frozen copy.
    pub upto_seq: i64,
}

/// One moment of the plan's history: an accepted update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: String,
}

/// A plan as it was, with what to call that version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub at: At,
    /// E.g. "Review 2, recorded 3 December 2026 by Dee Lro".
    pub label: String,
    pub export: crate::PlanExport,
}

/// Two versions and what changed between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionComparison {
    pub from: At,
    pub from_label: String,
    pub to: At,
    pub to_label: String,
    pub comparison: Comparison,
}

/// What a restore brings back from an older version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RestoreTarget {
    /// A text section, by key (`aim`, `lro_update`, ...).
    Section { key: String },
    /// An action deleted since: it comes back as a new action with its fields.
    Action { id: String },
}
