//! A plan's life: open, then closed (read-only for everyone; its LRO may
//! reopen it), then, after a retention review (MoPI), retained for longer
//! or disposed of. Here: the closing record, parsed at the boundary, the
//! retention periods per marking, and the life as the pages show it.

use crate::SecurityMarking;
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Why a plan was closed, as the LRO records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Dismantled,
    Disrupted,
    Transferred,
    Merged,
    Other,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Dismantled,
        Outcome::Disrupted,
        Outcome::Transferred,
        Outcome::Merged,
        Outcome::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Outcome::Dismantled => "dismantled",
            Outcome::Disrupted => "disrupted",
            Outcome::Transferred => "transferred",
            Outcome::Merged => "merged",
            Outcome::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Dismantled => "Dismantled",
            Outcome::Disrupted => "Disrupted, no longer a priority",
            Outcome::Transferred => "Transferred to another force or ROCU",
            Outcome::Merged => "Merged into another plan",
            Outcome::Other => "Other",
        }
    }

    pub fn parse(key: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == key.trim())
    }
}

/// Longest closing summary, disruptions text or reason kept.
pub const MAX_TEXT: usize = 5000;

/// A plan's closing, as the LRO records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub outcome: Outcome,
    /// Why the plan closes and where things stand.
    pub summary: String,
    /// The disruptions it achieved.
    pub disruptions: String,
}

impl Closing {
    /// From a form's or a body's values; a bad value names its field.
    pub fn parse(outcome: &str, summary: &str, disruptions: &str) -> Result<Closing, String> {
        let outcome = Outcome::parse(outcome).ok_or_else(|| {
            let keys: Vec<&str> = Outcome::ALL.iter().map(|o| o.key()).collect();
            format!("outcome: choose one of {}", keys.join(", "))
        })?;
        Ok(Closing {
            outcome,
            summary: required_text("summary", summary)?,
            disruptions: text("disruptions", disruptions)?,
        })
    }
}

/// A reason (reopening, retaining): required, at most [`MAX_TEXT`] bytes.
pub fn reason(value: &str) -> Result<String, String> {
    required_text("reason", value)
}

fn required_text(field: &str, value: &str) -> Result<String, String> {
    let value = text(field, value)?;
    if value.is_empty() {
        return Err(format!("{field}: say why"));
    }
    Ok(value)
}

fn text(field: &str, value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.len() > MAX_TEXT {
        return Err(format!("{field}: at most {MAX_TEXT} characters"));
    }
    Ok(value.to_string())
}

/// How long a closed plan is kept before its retention review, by marking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Years, by marking (in [`SecurityMarking::ALL`]'s order).
    years: [u32; 3],
}

impl Default for Retention {
    /// Six years from closing, whatever the marking.
    fn default() -> Self {
        Retention { years: [6; 3] }
    }
}

impl Retention {
    /// `6` (every marking), or per marking:
    /// `OFFICIAL=6,OFFICIAL-SENSITIVE-OPERATIONAL=10` (markings left out: 6).
    pub fn parse(value: &str) -> Result<Retention, String> {
        let value = value.trim();
        if let Ok(years) = value.parse::<u32>() {
            return Ok(Retention { years: [years; 3] });
        }
        let mut retention = Retention::default();
        for part in value.split(',').filter(|p| !p.trim().is_empty()) {
            let (marking, years) = part
                .split_once('=')
                .ok_or_else(|| format!("'{part}': write MARKING=YEARS"))?;
            let marking: SecurityMarking = marking.trim().parse().map_err(|e: crate::InvalidValue| e.to_string())?;
            let years = years
                .trim()
                .parse::<u32>()
                .map_err(|_| format!("'{part}': the years must be a whole number"))?;
            retention.years[index(marking)] = years;
        }
        Ok(retention)
    }

    /// The first retention review of a plan of `marking` closed on `closed`.
    pub fn review_on(&self, marking: SecurityMarking, closed: NaiveDate) -> NaiveDate {
        let months = self.years[index(marking)].saturating_mul(12);
        closed.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
    }
}

fn index(marking: SecurityMarking) -> usize {
    SecurityMarking::ALL.iter().position(|m| *m == marking).unwrap_or(0)
}

/// One step of a plan's life, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeEvent {
    pub at: DateTime<Utc>,
    pub by: String,
    /// `closed`, `reopened` or `retained`.
    pub event: String,
    pub outcome: Option<Outcome>,
    pub summary: String,
    pub disruptions: String,
    pub review_on: Option<NaiveDate>,
}

/// Where a plan is in its life, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLife {
    pub closed: bool,
    pub closed_at: Option<DateTime<Utc>>,
    /// The next retention review, while closed.
    pub review_on: Option<NaiveDate>,
    /// Every step, oldest first.
    pub events: Vec<LifeEvent>,
}

impl PlanLife {
    /// The closing the plan is closed under, if it is.
    pub fn closing(&self) -> Option<&LifeEvent> {
        self.events
            .iter()
            .rev()
            .find(|e| e.event == "closed")
            .filter(|_| self.closed)
    }
}

/// A closed plan due for its retention review, as auditors list it (no
/// more of the plan than its tombstone would keep).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueReview {
    pub plan: uuid::Uuid,
    pub subject_ref: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub review_on: NaiveDate,
}

/// All that remains of a disposed plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub plan: uuid::Uuid,
    pub subject_ref: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub disposed_at: DateTime<Utc>,
    /// Why it was disposed of (who decided is kept beside it).
    pub reason: String,
}

/// A retention review's decision, parsed at the boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Keep the plan, for `reason`, until its next review.
    Retain { reason: String, next_review: NaiveDate },
    /// Erase it, for `reason`, leaving its tombstone.
    Dispose { reason: String },
}

impl Decision {
    /// `decision` is `retain` (with `next_review`, after `today`) or
    /// `dispose`; a reason is required.
    pub fn parse(
        decision: &str,
        reason_text: &str,
        next_review: Option<&str>,
        today: NaiveDate,
    ) -> Result<Decision, String> {
        let reason = reason(reason_text)?;
        match decision.trim() {
            "retain" => {
                let next = next_review
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .ok_or("next_review: say when to review it again")?;
                let next_review = NaiveDate::parse_from_str(next, "%Y-%m-%d")
                    .map_err(|_| format!("next_review: '{next}' is not a date (YYYY-MM-DD)"))?;
                if next_review <= today {
                    return Err("next_review: it must be after today".into());
                }
                Ok(Decision::Retain { reason, next_review })
            }
            "dispose" => Ok(Decision::Dispose { reason }),
            other => Err(format!("decision: {other:?} is not retain or dispose")),
        }
    }
}

#[cfg(test)]
mod tests;
