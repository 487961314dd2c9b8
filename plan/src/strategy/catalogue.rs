//! What plans see of the strategy: which threats a plan may be tagged with
//! (the admission gate's [`ThreatCatalogue`]), the tags a plan carries,
//! named ([`ThreatTag`]), and the checkboxes its header offers.

use super::{ControlStrategy, ManagementModel, StrategyThreat, ThreatKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The threats a plan may newly be tagged with: those of the current
/// strategy that are not retired. (Any tag may be removed.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThreatCatalogue {
    active: BTreeSet<String>,
}

impl ThreatCatalogue {
    pub fn of(strategy: &ControlStrategy) -> ThreatCatalogue {
        ThreatCatalogue {
            active: strategy.active_threats().map(|t| t.key.as_str().to_string()).collect(),
        }
    }

    pub fn may_tag(&self, key: &str) -> bool {
        self.active.contains(key)
    }
}

/// A threat a plan is tagged with, named by the strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreatTag {
    /// The stored tag.
    pub key: String,
    /// The threat's name (the key itself if the strategy does not know it).
    pub name: String,
    pub area: String,
    /// Retired from the strategy (or unknown to it).
    pub retired: bool,
}

impl ThreatTag {
    /// The tags as one line: names, retired ones marked; `None` if none.
    pub fn line(tags: &[ThreatTag]) -> Option<String> {
        let names: Vec<String> = tags
            .iter()
            .map(|t| {
                if t.retired {
                    format!("{} (retired)", t.name)
                } else {
                    t.name.clone()
                }
            })
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }
}

/// One checkbox of a plan's threats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreatChoice {
    pub key: ThreatKey,
    pub name: String,
    pub model: Option<ManagementModel>,
    pub battles: Vec<String>,
    pub retired: bool,
}

/// The checkboxes of one SGG area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaChoices {
    pub area: String,
    pub threats: Vec<ThreatChoice>,
}

impl ControlStrategy {
    /// Names a plan's tags, in the strategy's order (unknown keys last).
    pub fn name_tags(&self, tagged: &[ThreatKey]) -> Vec<ThreatTag> {
        let known = self
            .threats
            .iter()
            .filter(|t| tagged.contains(&t.key))
            .map(|t| ThreatTag {
                key: t.key.to_string(),
                name: t.name.clone(),
                area: t.area.clone(),
                retired: t.retired,
            });
        let unknown = tagged.iter().filter(|k| self.threat(k).is_none()).map(|k| ThreatTag {
            key: k.to_string(),
            name: k.to_string(),
            area: String::new(),
            retired: true,
        });
        known.chain(unknown).collect()
    }

    /// The threat checkboxes offered to a plan tagged with `tagged`, by SGG area:
    /// every active threat, and retired ones only while tagged (so they
    /// can be unticked, never ticked). Tags the strategy does not know
    /// come last, under "Other".
    pub fn tag_choices(&self, tagged: &[ThreatKey]) -> Vec<AreaChoices> {
        let choice = |t: &StrategyThreat| ThreatChoice {
            key: t.key.clone(),
            name: t.name.clone(),
            model: Some(t.model),
            battles: t.battles.clone(),
            retired: t.retired,
        };
        let mut areas: Vec<AreaChoices> = self
            .areas
            .iter()
            .map(|area| AreaChoices {
                area: area.clone(),
                threats: self
                    .threats_in(area)
                    .filter(|t| !t.retired || tagged.contains(&t.key))
                    .map(choice)
                    .collect(),
            })
            .filter(|a| !a.threats.is_empty())
            .collect();
        let unknown: Vec<ThreatChoice> = tagged
            .iter()
            .filter(|k| self.threat(k).is_none())
            .map(|k| ThreatChoice {
                key: k.clone(),
                name: k.to_string(),
                model: None,
                battles: Vec::new(),
                retired: true,
            })
            .collect();
        if !unknown.is_empty() {
            areas.push(AreaChoices {
                area: "Other".into(),
                threats: unknown,
            });
        }
        areas
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> ThreatKey {
        ThreatKey::parse(k).unwrap()
    }

    #[test]
    fn retired_threats_are_offered_only_to_plans_that_carry_them() {
        let mut strategy = ControlStrategy::seed();
        strategy.threats[1].retired = true; // prison-soc
        let catalogue = ThreatCatalogue::of(&strategy);
        assert!(catalogue.may_tag("county-lines"));
        assert!(!catalogue.may_tag("prison-soc") && !catalogue.may_tag("nope"));

        let untagged = strategy.tag_choices(&[]);
        assert_eq!(untagged[0].area, "SOC Management");
        assert_eq!(untagged[0].threats.len(), 1, "the retired threat is not offered");
        let tagged = strategy.tag_choices(&[key("prison-soc"), key("gone-away")]);
        let prison = &tagged[0].threats[1];
        assert!(prison.retired && prison.key.as_str() == "prison-soc");
        assert_eq!(prison.battles, ["Set minimum standard (CIPRA) & build case for change"]);
        assert_eq!(tagged.last().unwrap().area, "Other");
        assert_eq!(tagged.last().unwrap().threats[0].name, "gone-away");
    }

    #[test]
    fn tags_are_named_in_the_strategy_order() {
        let mut strategy = ControlStrategy::seed();
        strategy.threats[8].retired = true;
        let tags = strategy.name_tags(&[key("fraud"), key("x-1"), key("county-lines")]);
        let names: Vec<(&str, bool)> = tags.iter().map(|t| (t.name.as_str(), t.retired)).collect();
        assert_eq!(names, [("County Lines", false), ("Fraud", true), ("x-1", true)]);
        assert_eq!(tags[0].key, "county-lines");
        assert_eq!(
            ThreatTag::line(&tags).unwrap(),
            "County Lines, Fraud (retired), x-1 (retired)"
        );
        assert_eq!(ThreatTag::line(&[]), None);
    }
}
