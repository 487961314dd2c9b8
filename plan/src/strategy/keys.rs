//! The names a strategy gives: a threat's stable [`ThreatKey`] and the
//! [`ManagementModel`]s.

use super::StrategyError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A threat's stable identity: lower-case letters, digits and dashes, 1 to
/// 48 characters, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ThreatKey(pub(super) String);

impl ThreatKey {
    pub const MAX_LEN: usize = 48;

    pub fn parse(key: &str) -> Result<ThreatKey, StrategyError> {
        let ok = !key.is_empty()
            && key.len() <= Self::MAX_LEN
            && key.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(ThreatKey(key.to_string()))
        } else {
            Err(StrategyError(format!(
                "threat key {key:?} must be 1 to {} lower-case letters, digits or dashes",
                Self::MAX_LEN
            )))
        }
    }

    /// A key made from a threat's name (e.g. "Prison-related SOC" →
    /// "prison-related-soc"), not clashing with any of `taken`.
    pub fn from_name<'a>(name: &str, taken: impl IntoIterator<Item = &'a ThreatKey>) -> ThreatKey {
        let taken: BTreeSet<&str> = taken.into_iter().map(|k| k.as_str()).collect();
        let mut base = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                base.push(c);
            } else if !base.is_empty() && !base.ends_with('-') {
                base.push('-');
            }
        }
        let mut base = base.trim_end_matches('-').to_string();
        base.truncate(Self::MAX_LEN - 4);
        let base = if base.trim_end_matches('-').is_empty() {
            "threat".to_string()
        } else {
            base.trim_end_matches('-').to_string()
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(candidate.as_str()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        ThreatKey(candidate)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ThreatKey {
    type Error = StrategyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ThreatKey::parse(&value)
    }
}

impl From<ThreatKey> for String {
    fn from(key: ThreatKey) -> String {
        key.0
    }
}

impl std::fmt::Display for ThreatKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who leads the response to a threat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ManagementModel {
    #[serde(rename = "regional")]
    RegionallyLed,
    #[serde(rename = "force-rocu")]
    ForceLedRocuAssisted,
    #[serde(rename = "national")]
    NationallyLed,
}

impl ManagementModel {
    pub const ALL: [ManagementModel; 3] = [
        ManagementModel::RegionallyLed,
        ManagementModel::ForceLedRocuAssisted,
        ManagementModel::NationallyLed,
    ];

    /// The strategy's own wording.
    pub fn label(self) -> &'static str {
        match self {
            ManagementModel::RegionallyLed => "Regionally (SGG)-led",
            ManagementModel::ForceLedRocuAssisted => "Force-led, ROCU assisted",
            ManagementModel::NationallyLed => "Nationally-led",
        }
    }

    /// The short key used in forms and URLs.
    pub fn key(self) -> &'static str {
        match self {
            ManagementModel::RegionallyLed => "regional",
            ManagementModel::ForceLedRocuAssisted => "force-rocu",
            ManagementModel::NationallyLed => "national",
        }
    }

    pub fn parse(key: &str) -> Result<ManagementModel, StrategyError> {
        ManagementModel::ALL
            .into_iter()
            .find(|m| m.key() == key || m.label() == key)
            .ok_or_else(|| {
                StrategyError(format!(
                    "management model {key:?} is not one of regional, force-rocu, national"
                ))
            })
    }
}
