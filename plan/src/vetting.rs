//! Vetting (NPPV levels, or a force's national equivalent): what each
//! person holds and until when, and what each plan needs. The levels are
//! data, configured per force as an ordered list (lowest first, the first
//! meaning "no vetting"); a plan needs what its marking implies (configured
//! per marking) or more, if its LRO raised it.
//!
//! Who is cleared for which plan is decided in the database (the view
//! `vetting_clearances`, so that every read of a plan asks it the same
//! way); this module parses the settings, checks what people set, and
//! words what the pages and the API say about it.

use crate::SecurityMarking;
use chrono::{DateTime, NaiveDate, NaiveTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

/// The levels a force uses, lowest first: `none,NPPV1,NPPV2,NPPV3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VettingLevels(Vec<String>);

/// The levels Pillars ships with.
pub const DEFAULT_LEVELS: &str = "none,NPPV1,NPPV2,NPPV3";

/// Days before expiry from which a person is told on every page.
pub const NOTICE_DAYS: i64 = 30;
/// Days before expiry from which the notice is urgent.
pub const URGENT_DAYS: i64 = 7;

impl Default for VettingLevels {
    fn default() -> Self {
        VettingLevels::parse(DEFAULT_LEVELS).unwrap_or(VettingLevels(vec!["none".into()]))
    }
}

impl VettingLevels {
    /// Names separated by commas, lowest first; at least two, each named
    /// once (whatever the case), without `=`.
    pub fn parse(text: &str) -> Result<VettingLevels, String> {
        let names: Vec<String> = text.split(',').map(|n| n.trim().to_string()).collect();
        if names.len() < 2 || names.iter().any(|n| n.is_empty()) {
            return Err(format!(
                "{text:?}: list the levels lowest first, the first meaning none (e.g. {DEFAULT_LEVELS})"
            ));
        }
        if let Some(bad) = names.iter().find(|n| n.contains('=') || n.chars().count() > 40) {
            return Err(format!("{bad:?}: a level's name has at most 40 characters and no '='"));
        }
        for (i, name) in names.iter().enumerate() {
            if names[..i].iter().any(|n| n.eq_ignore_ascii_case(name)) {
                return Err(format!("{name:?} is listed twice"));
            }
        }
        Ok(VettingLevels(names))
    }

    /// Every level, lowest first.
    pub fn names(&self) -> &[String] {
        &self.0
    }

    /// The level that means no vetting.
    pub fn lowest(&self) -> &str {
        &self.0[0]
    }

    /// The level's place (0: none), matched without regard to case.
    pub fn rank(&self, name: &str) -> Option<usize> {
        self.0.iter().position(|n| n.eq_ignore_ascii_case(name.trim()))
    }

    /// The level as configured (`nppv2` → `NPPV2`), or a refusal naming the
    /// levels there are.
    pub fn canonical(&self, name: &str) -> Result<&str, String> {
        self.rank(name)
            .map(|i| self.0[i].as_str())
            .ok_or_else(|| format!("level: {name:?} is not one of {}", self.0.join(", ")))
    }

    /// The levels from `floor` up (every level if `floor` is unknown).
    pub fn from(&self, floor: &str) -> &[String] {
        &self.0[self.rank(floor).unwrap_or(0)..]
    }

    /// What a person is set to hold: a level, and for any level above none
    /// the moment it expires (required: vetting always expires). None never
    /// expires: any expiry given with it is dropped.
    pub fn check_setting(&self, level: &str, expires: Option<&str>) -> Result<(String, Option<DateTime<Utc>>), String> {
        let level = self.canonical(level)?.to_string();
        let expires = expires.map(str::trim).filter(|e| !e.is_empty());
        if level == self.lowest() {
            return Ok((level, None));
        }
        let expires = expires.ok_or_else(|| format!("expires: give the date {level} vetting expires on"))?;
        Ok((level, Some(parse_expiry(expires)?)))
    }
}

/// An expiry as given: a date (`2027-03-31`: the vetting lapses as that
/// day begins, UTC) or an RFC 3339 moment (to the second).
pub fn parse_expiry(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date.and_time(NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc).trunc_subsecs(0))
        .map_err(|_| format!("expires: {text:?} is not a date (YYYY-MM-DD)"))
}

/// The level each marking implies (markings left out need none):
/// `OFFICIAL-SENSITIVE-OPERATIONAL=NPPV2`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VettingByMarking(Vec<(SecurityMarking, String)>);

impl VettingByMarking {
    /// `MARKING=LEVEL` pairs separated by commas, each level one of `levels`.
    pub fn parse(text: &str, levels: &VettingLevels) -> Result<VettingByMarking, String> {
        let mut pairs: Vec<(SecurityMarking, String)> = Vec::new();
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            let (marking, level) = part
                .split_once('=')
                .ok_or_else(|| format!("'{part}': write MARKING=LEVEL"))?;
            let marking: SecurityMarking = marking.parse().map_err(|e: crate::InvalidValue| e.to_string())?;
            let level = levels.canonical(level)?.to_string();
            pairs.retain(|(m, _)| *m != marking);
            pairs.push((marking, level));
        }
        Ok(VettingByMarking(pairs))
    }

    /// Each marking that needs a level, with it.
    pub fn pairs(&self) -> &[(SecurityMarking, String)] {
        &self.0
    }

    /// The level `marking` implies, if any.
    pub fn implied(&self, marking: SecurityMarking) -> Option<&str> {
        self.0.iter().find(|(m, _)| *m == marking).map(|(_, l)| l.as_str())
    }
}

/// The vetting a person holds, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldVetting {
    /// A configured level above none (`None`: none).
    pub level: Option<String>,
    /// When it lapses (`None` for none, which never does).
    pub expires_at: Option<DateTime<Utc>>,
}

impl HeldVetting {
    /// The level, or the lowest of `levels` for none.
    pub fn level_or<'a>(&'a self, levels: &'a VettingLevels) -> &'a str {
        self.level.as_deref().unwrap_or(levels.lowest())
    }

    /// Whether it has lapsed at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A force's vetting settings: its levels, and what each marking implies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VettingPolicy {
    pub levels: VettingLevels,
    pub by_marking: VettingByMarking,
}

/// Why a member may not open a plan: their vetting expired, or is below
/// what the plan needs (or both). Shown to the plan's LRO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lapse {
    /// The day their vetting expired on, if it has.
    pub expired_on: Option<NaiveDate>,
    /// The level the plan needs, if theirs (as recorded) is below it.
    pub needs: Option<String>,
}

/// What a person is told on every page as their vetting nears its expiry,
/// or once it has expired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VettingNotice {
    pub level: String,
    /// The day it lapses (as that day begins).
    pub expires_on: NaiveDate,
    /// Whole days left; 0 or less once expired.
    pub days_left: i64,
}

impl VettingNotice {
    /// Whether to tell someone holding `held` at `now`: from
    /// [`NOTICE_DAYS`] before it expires, and once it has. Nothing for
    /// none, which never expires.
    pub fn due(held: &HeldVetting, now: DateTime<Utc>) -> Option<VettingNotice> {
        let (level, expires_at) = (held.level.as_deref()?, held.expires_at?);
        let left = expires_at - now;
        let days_left = if left <= chrono::Duration::zero() {
            0
        } else {
            // Part of a day left counts as a day.
            (left + chrono::Duration::days(1) - chrono::Duration::nanoseconds(1)).num_days()
        };
        (days_left <= NOTICE_DAYS).then(|| VettingNotice {
            level: level.to_string(),
            expires_on: expires_at.date_naive(),
            days_left,
        })
    }

    pub fn expired(&self) -> bool {
        self.days_left <= 0
    }

    pub fn urgent(&self) -> bool {
        self.days_left <= URGENT_DAYS
    }
}

#[cfg(test)]
mod tests;
