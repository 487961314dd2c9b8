//! A proposed next version of the strategy, as an editor sends it: existing
//! threats carry their key, new ones none (the key is made from the name).

use super::{ControlStrategy, ManagementModel, StrategyError, StrategyThreat, ThreatKey};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A threat of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftThreat {
    /// `None` for a threat new in this draft.
    #[serde(default)]
    pub key: Option<ThreatKey>,
    pub area: String,
    pub name: String,
    pub model: ManagementModel,
    #[serde(default)]
    pub battles: Vec<String>,
    #[serde(default)]
    pub retired: bool,
}

/// The next version, built on `base_version` (the version the editor saw).
/// Lists left out keep the base version's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyDraft {
    pub base_version: i64,
    pub title: String,
    pub effective_from: NaiveDate,
    #[serde(default)]
    pub aim: Option<String>,
    #[serde(default)]
    pub spr_themes: Option<Vec<String>>,
    pub areas: Vec<String>,
    pub threats: Vec<DraftThreat>,
    #[serde(default)]
    pub local_priorities: Option<Vec<String>>,
}

impl StrategyDraft {
    /// A draft identical to `current`, for an editor to start from.
    pub fn from_current(version: i64, current: &ControlStrategy) -> StrategyDraft {
        StrategyDraft {
            base_version: version,
            title: current.title.clone(),
            effective_from: current.effective_from,
            aim: Some(current.aim.clone()),
            spr_themes: Some(current.spr_themes.clone()),
            areas: current.areas.clone(),
            threats: current
                .threats
                .iter()
                .map(|t| DraftThreat {
                    key: Some(t.key.clone()),
                    area: t.area.clone(),
                    name: t.name.clone(),
                    model: t.model,
                    battles: t.battles.clone(),
                    retired: t.retired,
                })
                .collect(),
            local_priorities: Some(current.local_priorities.clone()),
        }
    }

    /// The strategy this draft makes as the successor of `current`: new
    /// threats get keys made from their names, clashing with no key
    /// `current` has (it has every key ever used: none is ever removed);
    /// then validated and checked as a successor.
    pub fn resolve(self, current: &ControlStrategy) -> Result<ControlStrategy, StrategyError> {
        let mut taken: BTreeSet<ThreatKey> = current.threats.iter().map(|t| t.key.clone()).collect();
        let mut threats = Vec::with_capacity(self.threats.len());
        for threat in self.threats {
            let key = match threat.key {
                Some(key) if current.threat(&key).is_some() => key,
                Some(key) => {
                    return Err(StrategyError(format!(
                        "threat key {key} is not in the current strategy: leave the key out for a new threat"
                    )))
                }
                None => {
                    let key = ThreatKey::from_name(&threat.name, &taken);
                    taken.insert(key.clone());
                    key
                }
            };
            threats.push(StrategyThreat {
                key,
                area: threat.area,
                name: threat.name,
                model: threat.model,
                battles: threat.battles,
                retired: threat.retired,
            });
        }
        let next = ControlStrategy {
            title: self.title,
            effective_from: self.effective_from,
            aim: self.aim.unwrap_or_else(|| current.aim.clone()),
            spr_themes: self.spr_themes.unwrap_or_else(|| current.spr_themes.clone()),
            areas: self.areas,
            threats,
            local_priorities: self
                .local_priorities
                .unwrap_or_else(|| current.local_priorities.clone()),
        }
        .validate()?;
        current.check_successor(&next)?;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_threats_get_fresh_keys_and_old_ones_keep_theirs() {
        let seed = ControlStrategy::seed();
        let mut draft = StrategyDraft::from_current(1, &seed);
        draft.threats[0].name = "SOC consistency and enablers".into();
        draft.threats[8].retired = true;
        for name in ["Fraud against business", "fraud against business"] {
            draft.threats.push(DraftThreat {
                key: None,
                area: "Prosperity".into(),
                name: name.into(),
                model: ManagementModel::NationallyLed,
                battles: vec!["Know the threat".into()],
                retired: false,
            });
        }
        let next = draft.clone().resolve(&seed).unwrap_err();
        assert!(next.0.contains("named twice"), "{next}");
        draft.threats[10].name = "Fraud, again".into();
        let next = draft.resolve(&seed).unwrap();
        assert_eq!(next.threats[0].key.as_str(), "soc-consistency");
        assert_eq!(next.threats[0].name, "SOC consistency and enablers");
        assert!(next.threat_by_key("fraud").unwrap().retired);
        assert_eq!(next.threats[9].key.as_str(), "fraud-against-business");
        assert_eq!(next.threats[10].key.as_str(), "fraud-again");
        assert_eq!(next.aim, seed.aim, "left-out lists keep the current ones");
    }

    #[test]
    fn a_draft_cannot_drop_or_invent_keys() {
        let seed = ControlStrategy::seed();
        let mut draft = StrategyDraft::from_current(1, &seed);
        draft.threats.remove(3);
        assert!(draft
            .clone()
            .resolve(&seed)
            .unwrap_err()
            .0
            .contains("retire it instead"));
        draft.threats.push(DraftThreat {
            key: Some(ThreatKey::parse("made-up").unwrap()),
            ..draft.threats[0].clone()
        });
        assert!(draft.resolve(&seed).unwrap_err().0.contains("made-up"));
    }
}
