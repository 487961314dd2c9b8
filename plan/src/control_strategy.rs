//! The regional Control Strategy's threats (May 2024 interim strategic
//! assessment). Plans are tagged with the threats they tackle.

use serde::Serialize;

/// A threat area of the Control Strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ThreatArea {
    #[serde(rename = "SOC Management")]
    SocManagement,
    Commodity,
    Vulnerability,
    Prosperity,
}

/// One threat: its management model and its "must win battle".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Threat {
    /// Stable id used as the tag in plan documents.
    pub id: &'static str,
    pub area: ThreatArea,
    pub name: &'static str,
    pub management_model: &'static str,
    pub must_win_battle: &'static str,
}

pub const THREATS: [Threat; 9] = [
    Threat { id: "soc-consistency", area: ThreatArea::SocManagement, name: "SOC Consistency", management_model: "Regionally (SGG)-led", must_win_battle: "Diagnose issues/plan/start to improve the SOC Master List (OCGs); implement greater control over professional enablers; improve SOC system tasking and roll-out APMIS." },
    Threat { id: "prison-soc", area: ThreatArea::SocManagement, name: "Prison-related SOC", management_model: "Regionally (SGG)-led", must_win_battle: "Set minimum standard (CIPRA) and build case for change." },
    Threat { id: "county-lines", area: ThreatArea::Commodity, name: "County Lines", management_model: "Force-led, ROCU assisted", must_win_battle: "Common minimum standards to responding to exploitation risk." },
    Threat { id: "drug-supply", area: ThreatArea::Commodity, name: "Drug Supply", management_model: "Force-led, ROCU assisted", must_win_battle: "Develop mid-market supply intelligence and disrupt the middle market." },
    Threat { id: "csae", area: ThreatArea::Vulnerability, name: "CSAE (organised / online)", management_model: "Force-led, ROCU assisted", must_win_battle: "Improve capability to police online distribution of IIOC." },
    Threat { id: "msht", area: ThreatArea::Vulnerability, name: "MSHT", management_model: "Regionally (SGG)-led", must_win_battle: "Improve awareness of MSHT and increase intelligence picture/assessment." },
    Threat { id: "oic", area: ThreatArea::Vulnerability, name: "OIC", management_model: "Regionally (SGG)-led", must_win_battle: "Significantly improve intelligence picture; target harden infrastructure vulnerabilities." },
    Threat { id: "cyber-crime", area: ThreatArea::Prosperity, name: "Cyber Crime", management_model: "Nationally-led", must_win_battle: "Embed new Target Operating Model and execute National plan." },
    Threat { id: "fraud", area: ThreatArea::Prosperity, name: "Fraud", management_model: "Nationally-led", must_win_battle: "Improve ML awareness and intel processes; develop courier fraud trigger plan." },
];

/// The Strategic Policing Requirement themes.
pub const SPR_THEMES: [&str; 3] = [
    "Exploitation of the Vulnerable",
    "Domination of Communities",
    "Undermining of the UK Economy",
];

/// Local policing priorities (common themes).
pub const LOCAL_PRIORITIES: [&str; 5] = [
    "MSHT (facilitated by OIC)",
    "County Lines & Drugs Supply",
    "CSAE",
    "Cyber Dependent Crime",
    "Fraud",
];

pub fn threat(id: &str) -> Option<&'static Threat> {
    THREATS.iter().find(|t| t.id == id)
}
