//! The 4P SOC management plan template as built-in data: its text sections
//! with the template's own guidance, the standard objectives checklist, and
//! the definitions of each status and disruption level.

use crate::vocabulary::{Disruption, RagStatus, P};
use serde::Serialize;

/// A free-text section of the plan. Each is one `Y.Text` in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    SummaryOfThreats,
    IntelligenceStrategy,
    Partnerships,
    Aim,
    Objectives(P),
    LroUpdate,
}

impl Section {
    /// Every section, in the template's order.
    pub const ALL: [Section; 9] = [
        Section::SummaryOfThreats,
        Section::IntelligenceStrategy,
        Section::Partnerships,
        Section::Aim,
        Section::Objectives(P::Pursue),
        Section::Objectives(P::Prevent),
        Section::Objectives(P::Protect),
        Section::Objectives(P::Prepare),
        Section::LroUpdate,
    ];

    /// The name of the section's root `Y.Text` in the document (and its key
    /// in the JSON export). Stable: changing one orphans stored text.
    pub fn key(self) -> &'static str {
        match self {
            Section::SummaryOfThreats => "summary_of_threats",
            Section::IntelligenceStrategy => "intelligence_strategy",
            Section::Partnerships => "partnerships",
            Section::Aim => "aim",
            Section::Objectives(P::Pursue) => "objectives_pursue",
            Section::Objectives(P::Prevent) => "objectives_prevent",
            Section::Objectives(P::Protect) => "objectives_protect",
            Section::Objectives(P::Prepare) => "objectives_prepare",
            Section::LroUpdate => "lro_update",
        }
    }

    pub fn from_key(key: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The template's heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::SummaryOfThreats => "Summary of SOC threats being tackled",
            Section::IntelligenceStrategy => "Intelligence Development Strategy",
            Section::Partnerships => "Partnerships",
            Section::Aim => "Aim",
            Section::Objectives(P::Pursue) => "Objectives: Pursue",
            Section::Objectives(P::Prevent) => "Objectives: Prevent",
            Section::Objectives(P::Protect) => "Objectives: Protect",
            Section::Objectives(P::Prepare) => "Objectives: Prepare",
            Section::LroUpdate => "LRO Update",
        }
    }

    /// The template's guidance for the section, shown to users as help.
    pub fn guidance(self) -> &'static str {
        match self {
            Section::SummaryOfThreats => "Concise assessment of the OCG/Priority Individual (PI) model and MO, the SOC threats that this plan relates to, the vulnerabilities being exploited, the place-based issues and geographic impact, who is at risk (people/places/organisations), professional enablers involved. This drives the response within the plan. Full details held in associated products.",
            Section::IntelligenceStrategy => "Set out the methodology to be employed to maximise the intelligence and information obtained about the OCG, PI, SOC Threats. This should include what gaps exist, the mechanism to reach into the community and how to obtain and share intelligence with partners. Include how you will be using the Government Agency Intelligence Network (GAIN) and the ROCU.",
            Section::Partnerships => "Concisely detail key stakeholders and interested parties who will be used to deliver activities or consulted on what needs to happen to tackle the threat. Detail who you are coproducing this plan with.",
            Section::Aim => "What is the overarching outcome you hope to achieve with your 4P SOC Management plan?",
            Section::Objectives(_) => "How will each P contribute towards the aim? You should not include your responses in the objective. Having defined your objectives, you need to identify how you're going to measure this.",
            Section::LroUpdate => "What activity has taken place during the last review period, what does that mean in the context of the OCG/PI's threat, harm, and risk and what is the focus during the next review period. General summary: provide the current rich picture, the risks that exist, any capabilities or resourcing issues, connection to specialist teams and partnership response. Does not have to be the case management log, LROs can track that using force systems.",
        }
    }
}

/// One of the template's standard objectives (4 per P), selected with 'Y'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StandardObjective {
    /// Stable id, e.g. `pursue-1`.
    pub id: &'static str,
    pub p: P,
    pub text: &'static str,
}

/// The standard objectives checklist, in the template's order.
pub const STANDARD_OBJECTIVES: [StandardObjective; 16] = [
    StandardObjective { id: "pursue-1", p: P::Pursue, text: "Develop the intelligence picture to improve understanding of the OCG/PI and associated criminality and in turn identify tactical options (people, locations, vehicles, finances, businesses, MO etc.)" },
    StandardObjective { id: "pursue-2", p: P::Pursue, text: "Assign/identify resources to investigate the criminal activity of the OCG/PI (overt and covert tactics)." },
    StandardObjective { id: "pursue-3", p: P::Pursue, text: "Disrupt the activities of the OCG using a variety of police and partner tactics and legislation (target vehicles (ANPR), arrest for non OCG/PI related offending, increase activity where the OCG/PI operates/impacts, plan and execute warrants, multi-agency days of action etc.)." },
    StandardObjective { id: "pursue-4", p: P::Pursue, text: "Target the OCG/PI's criminal finances and associated businesses." },
    StandardObjective { id: "prevent-1", p: P::Prevent, text: "Undertake direct intervention with OCG/PI members to prevent further criminality (enforcement of bail conditions, orders, licence conditions, serving of warning/deterrence letters/criminality notices etc.)." },
    StandardObjective { id: "prevent-2", p: P::Prevent, text: "Implement direct intervention with locations and business associated to the OCG/PI's criminality (closure orders etc.)." },
    StandardObjective { id: "prevent-3", p: P::Prevent, text: "Identify and risk assess individuals recognised/highlighted as being vulnerable to being drawn into SOC and/or exploited by this group, with multi-agency referrals and preventative work (including family members)." },
    StandardObjective { id: "prevent-4", p: P::Prevent, text: "Raise awareness of the risks of becoming involved in the OCG/PI's activity (focus on a particular geographic area, specific type of offending etc.)." },
    StandardObjective { id: "protect-1", p: P::Protect, text: "Identify potential victims/vulnerable individuals targeted by the OCG/PI's criminal activity and implement associated safeguarding and referrals." },
    StandardObjective { id: "protect-2", p: P::Protect, text: "Protect individuals from violence and intimidation linked to the OCG/PI's criminal activity (threats, tensions, disputes with other OCG/PIs etc.)" },
    StandardObjective { id: "protect-3", p: P::Protect, text: "Identify and protect locations/geographic areas vulnerable to the activities of the OCG/PI." },
    StandardObjective { id: "protect-4", p: P::Protect, text: "Protect businesses through awareness raising and direct activity to improve their resilience to the impact of the OCG/PI." },
    StandardObjective { id: "prepare-1", p: P::Prepare, text: "Undertake activity to raise awareness of the impact of SOC and to 'de-glamorise' the OCG/PI's activity." },
    StandardObjective { id: "prepare-2", p: P::Prepare, text: "Undertake community engagement in partnership with other agencies including the third/voluntary sector." },
    StandardObjective { id: "prepare-3", p: P::Prepare, text: "Ensure all relevant officers, staff and partner agencies are appropriately briefed regarding the threat posed by the OCG/PI and criminality involved." },
    StandardObjective { id: "prepare-4", p: P::Prepare, text: "Prepare for successful enforcement activity and keep the community updated, including considering the benefits of community impact assessments and statements and surveys before and after activity." },
];

/// Looks up a standard objective by id.
pub fn standard_objective(id: &str) -> Option<&'static StandardObjective> {
    STANDARD_OBJECTIVES.iter().find(|o| o.id == id)
}

/// The template's definition of each RAG status.
pub fn status_definition(status: RagStatus) -> &'static str {
    match status {
        RagStatus::Green => "Action complete.",
        RagStatus::Amber => "Action ongoing and on track to be delivered by the target date.",
        RagStatus::Red => "Action not started or not on track to be delivered by the target date.",
    }
}

/// The template's definition of each disruption assessment level.
pub fn disruption_definition(level: Disruption) -> &'static str {
    match level {
        Disruption::Negative => "Adverse impact: the activity led to an increase in the OCG's capability.",
        Disruption::None => "No discernible impact on the OCG or individual: a short term change.",
        Disruption::Minor => "Minimal, short-term impact on the capability of the OCG or individual.",
        Disruption::Moderate => "Noticeable, medium term disruptive impact on the capability of the OCG or individual.",
        Disruption::Major => "Significant, long-term impact on the capability of the OCG or individual.",
    }
}

/// Guidance on the action log, from Part B of the template.
pub const ACTION_LOG_GUIDANCE: &str = "Plan Owners should use this section to record the tactical activity and action that is allocated and undertaken to tackle and disrupt the OCG/PI based on the strategic objectives and focus given by the LRO. This must include an assessment of the impact of the activity taken. The LRO should regularly review the Tactical Activity and Action Log in conjunction with the Plan Owner. Actions can align to more than one 4P (Pursue, Prevent, Protect, Prepare): please ensure at least one is recorded, or more than one where appropriate.";

/// Guidance on the review date, from the template's header.
pub const REVIEW_GUIDANCE: &str = "Date of next review: linked to the TIER of the OCG. Review the plan in accordance with the period required in relation to the TIER of the OCG/PI.";

/// The document's own handling statement.
pub const HANDLING_STATEMENT: &str = "This document provides detail of management and activity in respect of the OCG or the Priority Individual. It should be handled, stored, and disseminated in accordance with its security marking, and read in conjunction with documents relating to the OCG and/or Priority Individual that this plan relates to.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_standard_objectives_per_p_with_unique_ids() {
        for p in P::ALL {
            assert_eq!(STANDARD_OBJECTIVES.iter().filter(|o| o.p == *p).count(), 4);
        }
        let mut ids: Vec<_> = STANDARD_OBJECTIVES.iter().map(|o| o.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 16);
        assert_eq!(standard_objective("protect-3").unwrap().p, P::Protect);
        assert!(standard_objective("pursue-9").is_none());
    }

    #[test]
    fn section_keys_round_trip() {
        for s in Section::ALL {
            assert_eq!(Section::from_key(s.key()), Some(s));
        }
        assert_eq!(Section::from_key("nope"), None);
    }
}
