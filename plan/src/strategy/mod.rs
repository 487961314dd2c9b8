//! The regional Control Strategy as data: its threats, grouped by strategic
//! governance group (SGG) area, each with a management model and its "must
//! win battles". Plans are tagged with threats by their stable [`ThreatKey`],
//! which survives renames and new versions of the strategy; a retired threat
//! stays in the strategy (marked retired) so old plans still name it.
//!
//! [`ControlStrategy::seed`] is the May 2024 strategy word for word.

mod catalogue;
mod draft;
mod seed;

pub use catalogue::{AreaChoices, ThreatCatalogue, ThreatChoice, ThreatTag};
pub use draft::{DraftThreat, StrategyDraft};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A threat's stable identity: lower-case letters, digits and dashes, 1 to
/// 48 characters, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ThreatKey(String);

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

/// One threat of the strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyThreat {
    pub key: ThreatKey,
    /// The SGG area it belongs to, one of [`ControlStrategy::areas`].
    pub area: String,
    pub name: String,
    pub model: ManagementModel,
    /// The "must win battles", in the strategy's order.
    pub battles: Vec<String>,
    /// No longer in the strategy; kept so plans tagged with it still name it.
    #[serde(default)]
    pub retired: bool,
}

/// A Control Strategy: what a region publishes, as one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlStrategy {
    pub title: String,
    pub effective_from: NaiveDate,
    /// The strategy's overall aim.
    pub aim: String,
    /// The Strategic Policing Requirement themes.
    pub spr_themes: Vec<String>,
    /// The SGG areas, in order.
    pub areas: Vec<String>,
    /// Every threat, retired ones included, in order.
    pub threats: Vec<StrategyThreat>,
    /// Local policing priorities (common themes).
    pub local_priorities: Vec<String>,
}

/// A strategy refused: the message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StrategyError(pub String);

const SHORT_TEXT: usize = 200;
const LONG_TEXT: usize = 1_000;

fn text(what: &str, value: &str, max: usize) -> Result<String, StrategyError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(StrategyError(format!("{what}: must not be empty")));
    }
    if value.chars().count() > max {
        return Err(StrategyError(format!("{what}: at most {max} characters")));
    }
    Ok(value.to_string())
}

impl ControlStrategy {
    /// Trims every text and checks the whole strategy: texts present and
    /// not too long, areas and threat keys and names unique, every threat in
    /// a known area.
    pub fn validate(self) -> Result<ControlStrategy, StrategyError> {
        let list = |what: &str, items: Vec<String>, max: usize| -> Result<Vec<String>, StrategyError> {
            items
                .iter()
                .filter(|i| !i.trim().is_empty())
                .map(|i| text(what, i, max))
                .collect()
        };
        let areas = list("SGG area", self.areas, SHORT_TEXT)?;
        if areas.is_empty() {
            return Err(StrategyError("SGG areas: name at least one".into()));
        }
        if areas.iter().collect::<BTreeSet<_>>().len() != areas.len() {
            return Err(StrategyError("SGG areas: each name must be different".into()));
        }
        let mut keys = BTreeSet::new();
        let mut names = BTreeSet::new();
        let mut threats = Vec::with_capacity(self.threats.len());
        for threat in self.threats {
            let name = text("Threat name", &threat.name, SHORT_TEXT)?;
            if !keys.insert(threat.key.clone()) {
                return Err(StrategyError(format!("threat key {} is used twice", threat.key)));
            }
            if !names.insert(name.to_lowercase()) {
                return Err(StrategyError(format!("threat {name:?} is named twice")));
            }
            let area = threat.area.trim().to_string();
            if !areas.contains(&area) {
                return Err(StrategyError(format!(
                    "threat {name:?}: SGG area {area:?} is not one of the strategy's areas"
                )));
            }
            let battles = list(&format!("{name}: must win battle"), threat.battles, LONG_TEXT)?;
            threats.push(StrategyThreat {
                name,
                area,
                battles,
                ..threat
            });
        }
        Ok(ControlStrategy {
            title: text("Title", &self.title, SHORT_TEXT)?,
            effective_from: self.effective_from,
            aim: text("Aim", &self.aim, LONG_TEXT)?,
            spr_themes: list("SPR theme", self.spr_themes, SHORT_TEXT)?,
            areas,
            threats,
            local_priorities: list("Local priority", self.local_priorities, SHORT_TEXT)?,
        })
    }

    /// Checks that `next` may supersede this version: it keeps every threat
    /// key (a threat leaves by being retired, so plans tagged with it still
    /// name it) and takes effect no earlier.
    pub fn check_successor(&self, next: &ControlStrategy) -> Result<(), StrategyError> {
        for threat in &self.threats {
            if next.threat(&threat.key).is_none() {
                return Err(StrategyError(format!(
                    "threat {:?} cannot be removed: retire it instead, so plans tagged with it keep its name",
                    threat.name
                )));
            }
        }
        if next.effective_from < self.effective_from {
            return Err(StrategyError(format!(
                "Effective date: must be on or after {} (the current strategy's)",
                self.effective_from
            )));
        }
        Ok(())
    }

    pub fn threat(&self, key: &ThreatKey) -> Option<&StrategyThreat> {
        self.threats.iter().find(|t| &t.key == key)
    }

    /// The threat with this key, as a string.
    pub fn threat_by_key(&self, key: &str) -> Option<&StrategyThreat> {
        self.threats.iter().find(|t| t.key.as_str() == key)
    }

    /// Threats not retired, in order.
    pub fn active_threats(&self) -> impl Iterator<Item = &StrategyThreat> {
        self.threats.iter().filter(|t| !t.retired)
    }

    /// The threats of one SGG area, in order, retired ones included.
    pub fn threats_in<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a StrategyThreat> + 'a {
        self.threats.iter().filter(move |t| t.area == area)
    }
}

/// A published version of the strategy, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedStrategy {
    /// 1 for the first, one more for each that superseded it.
    pub version: i64,
    pub strategy: ControlStrategy,
    pub published_at: chrono::DateTime<chrono::Utc>,
    /// Who published it ("Pillars" for the seeded default).
    pub published_by: String,
}

/// One line of the list of published versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyVersion {
    pub version: i64,
    pub title: String,
    pub effective_from: NaiveDate,
    pub published_at: chrono::DateTime<chrono::Utc>,
    pub published_by: String,
}

impl PublishedStrategy {
    /// Its line in the list of versions.
    pub fn summary(&self) -> StrategyVersion {
        StrategyVersion {
            version: self.version,
            title: self.strategy.title.clone(),
            effective_from: self.strategy.effective_from,
            published_at: self.published_at,
            published_by: self.published_by.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
