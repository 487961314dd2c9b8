//! The May 2024 regional Control Strategy, word for word: the default
//! strategy, stored as version 1 when none is published yet.

use super::{ControlStrategy, ManagementModel, StrategyThreat, ThreatKey};
use chrono::NaiveDate;

impl ControlStrategy {
    /// The May 2024 regional Control Strategy, word for word.
    pub fn seed() -> ControlStrategy {
        let threat = |key: &str, area: &str, name: &str, model, battles: &[&str]| StrategyThreat {
            key: ThreatKey(key.to_string()),
            area: area.to_string(),
            name: name.to_string(),
            model,
            battles: battles.iter().map(|b| b.to_string()).collect(),
            retired: false,
        };
        use ManagementModel::*;
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        ControlStrategy {
            title: "Interim Strategic Assessment; Control Strategy May 2024".into(),
            effective_from: NaiveDate::from_ymd_opt(2024, 5, 1).expect("a real date"),
            aim: "Effectively and efficiently manage serious organised crime and reduce the harm caused by it".into(),
            spr_themes: strings(&[
                "Exploitation of the Vulnerable",
                "Domination of Communities",
                "Undermining of the UK Economy",
            ]),
            areas: strings(&["SOC Management", "Commodity", "Vulnerability", "Prosperity"]),
            threats: vec![
                threat(
                    "soc-consistency",
                    "SOC Management",
                    "SOC Consistency",
                    RegionallyLed,
                    &[
                        "Diagnose issues/Plan/start to improve SOC Master List (OCGs)",
                        "Implement greater control over professional enablers",
                        "Improve SOC system tasking & roll-out APMIS",
                    ],
                ),
                threat(
                    "prison-soc",
                    "SOC Management",
                    "Prison-related SOC",
                    RegionallyLed,
                    &["Set minimum standard (CIPRA) & build case for change"],
                ),
                threat(
                    "county-lines",
                    "Commodity",
                    "County Lines",
                    ForceLedRocuAssisted,
                    &["Common minimum standards to responding to Exploitation risk"],
                ),
                threat(
                    "drug-supply",
                    "Commodity",
                    "Drug Supply",
                    ForceLedRocuAssisted,
                    &["Develop mid-market supply intelligence & Disrupt the middle market"],
                ),
                threat(
                    "csae",
                    "Vulnerability",
                    "CSAE (organised / online)",
                    ForceLedRocuAssisted,
                    &["Improve capability to police online distribution of IIOC"],
                ),
                threat(
                    "msht",
                    "Vulnerability",
                    "MSHT",
                    RegionallyLed,
                    &["Improve awareness of MSHT and increase intelligence picture/assessment"],
                ),
                threat(
                    "oic",
                    "Vulnerability",
                    "OIC",
                    RegionallyLed,
                    &[
                        "Significantly improve intelligence picture",
                        "Target harden infrastructure vulnerabilities",
                    ],
                ),
                threat(
                    "cyber-crime",
                    "Prosperity",
                    "Cyber Crime",
                    NationallyLed,
                    &["Embed new Target Operating Model & execute National plan"],
                ),
                threat(
                    "fraud",
                    "Prosperity",
                    "Fraud",
                    NationallyLed,
                    &[
                        "Improve ML awareness & intel processes",
                        "Develop courier fraud trigger plan",
                    ],
                ),
            ],
            local_priorities: strings(&[
                "MSHT (facilitated by OIC)",
                "County Lines & Drugs Supply",
                "CSAE",
                "Cyber Dependent Crime",
                "Fraud",
            ]),
        }
    }
}
