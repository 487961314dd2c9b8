//! The regional Control Strategy as data: its threats, grouped by strategic
//! governance group (SGG) area, each with a management model and its "must
//! win battles". Plans are tagged with threats by their stable [`ThreatKey`],
//! which survives renames and new versions of the strategy; a retired threat
//! stays in the strategy (marked retired) so old plans still name it.
//!
//! [`ControlStrategy::seed`] is the May 2024 strategy word for word.

mod catalogue;
mod draft;
mod keys;
mod seed;

pub use catalogue::{AreaChoices, ThreatCatalogue, ThreatChoice, ThreatTag};
pub use draft::{DraftThreat, StrategyDraft};
pub use keys::{ManagementModel, ThreatKey};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

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
