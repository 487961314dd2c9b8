//! The strategy editor's form, as posted (texts; lists one item a line),
//! and its conversion to a [`StrategyDraft`]. Field names follow serde_qs
//! (`draft[threats][0][name]`), so the form also works as a plain post.

use plan::strategy::{DraftThreat, ManagementModel, PublishedStrategy, StrategyDraft, ThreatKey};
use serde::{Deserialize, Serialize};

/// One threat's row of the editor. A row without a key is a new threat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreatForm {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub model: String,
    /// One must-win battle a line.
    #[serde(default)]
    pub battles: String,
    /// Present (checkbox ticked) when retired.
    #[serde(default)]
    pub retired: Option<String>,
}

/// The whole editor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyForm {
    pub base_version: i64,
    #[serde(default)]
    pub title: String,
    /// `YYYY-MM-DD`, as a date input sends it.
    #[serde(default)]
    pub effective_from: String,
    #[serde(default)]
    pub aim: String,
    #[serde(default)]
    pub spr_themes: String,
    #[serde(default)]
    pub areas: String,
    #[serde(default)]
    pub threats: Vec<ThreatForm>,
    #[serde(default)]
    pub local_priorities: String,
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

impl ThreatForm {
    /// An empty row, for a new threat.
    pub fn blank(model: ManagementModel) -> ThreatForm {
        ThreatForm {
            model: model.key().to_string(),
            ..ThreatForm::default()
        }
    }
}

impl StrategyForm {
    /// The editor filled in with a published version.
    pub fn of(published: &PublishedStrategy) -> StrategyForm {
        let s = &published.strategy;
        StrategyForm {
            base_version: published.version,
            title: s.title.clone(),
            effective_from: s.effective_from.to_string(),
            aim: s.aim.clone(),
            spr_themes: s.spr_themes.join("\n"),
            areas: s.areas.join("\n"),
            threats: s
                .threats
                .iter()
                .map(|t| ThreatForm {
                    key: t.key.to_string(),
                    name: t.name.clone(),
                    area: t.area.clone(),
                    model: t.model.key().to_string(),
                    battles: t.battles.join("\n"),
                    retired: t.retired.then(|| "on".to_string()),
                })
                .collect(),
            local_priorities: s.local_priorities.join("\n"),
        }
    }

    /// The draft the form describes; the message names the field at fault.
    /// Rows for new threats left without a name are ignored.
    pub fn into_draft(self) -> Result<StrategyDraft, String> {
        let effective_from = self
            .effective_from
            .trim()
            .parse()
            .map_err(|_| "Effective date: give a date (YYYY-MM-DD)".to_string())?;
        let mut threats = Vec::new();
        for row in self.threats {
            let key = match row.key.trim() {
                "" if row.name.trim().is_empty() => continue,
                "" => None,
                key => Some(ThreatKey::parse(key).map_err(|e| e.0)?),
            };
            let model =
                ManagementModel::parse(row.model.trim()).map_err(|e| format!("{}: {}", row.name.trim(), e.0))?;
            threats.push(DraftThreat {
                key,
                area: row.area,
                name: row.name,
                model,
                battles: lines(&row.battles),
                retired: row.retired.is_some(),
            });
        }
        Ok(StrategyDraft {
            base_version: self.base_version,
            title: self.title,
            effective_from,
            aim: Some(self.aim),
            spr_themes: Some(lines(&self.spr_themes)),
            areas: lines(&self.areas),
            threats,
            local_priorities: Some(lines(&self.local_priorities)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plan::strategy::ControlStrategy;

    fn seed() -> PublishedStrategy {
        PublishedStrategy {
            version: 1,
            strategy: ControlStrategy::seed(),
            published_at: chrono::DateTime::UNIX_EPOCH,
            published_by: "Pillars".into(),
        }
    }

    #[test]
    fn an_untouched_form_makes_the_same_strategy() {
        let seed = seed();
        let mut form = StrategyForm::of(&seed);
        form.threats.push(ThreatForm::blank(ManagementModel::RegionallyLed));
        let draft = form.into_draft().unwrap();
        assert_eq!(draft, StrategyDraft::from_current(1, &seed.strategy));
        assert_eq!(draft.resolve(&seed.strategy).unwrap(), seed.strategy);
    }

    #[test]
    fn rows_become_threats_and_bad_values_are_named() {
        let mut form = StrategyForm::of(&seed());
        form.threats[1].retired = Some("on".into());
        form.threats[2].battles = "  First\n\n Second  \n".into();
        form.threats.push(ThreatForm {
            name: "Knife crime".into(),
            area: "Commodity".into(),
            ..ThreatForm::blank(ManagementModel::NationallyLed)
        });
        let draft = form.clone().into_draft().unwrap();
        assert!(draft.threats[1].retired);
        assert_eq!(draft.threats[2].battles, ["First", "Second"]);
        assert_eq!(draft.threats[9].key, None);
        assert_eq!(draft.threats[9].model, ManagementModel::NationallyLed);

        let mut bad = form.clone();
        bad.effective_from = "May".into();
        assert!(bad.into_draft().unwrap_err().starts_with("Effective date"));
        form.threats[9].model = "local".into();
        assert!(form
            .into_draft()
            .unwrap_err()
            .starts_with("Knife crime: management model"));
    }
}
