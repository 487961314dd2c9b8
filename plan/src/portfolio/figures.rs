//! The counts the portfolio shows, for one threat, the untagged plans or
//! the whole portfolio, and what storage hands over per plan to make them.

use super::facts::PlanFacts;
use crate::vocabulary::{Disruption, RagStatus, SubjectKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The national disruption scale, most positive first (the portfolio's order).
pub const LEVELS: [Disruption; 5] = [
    Disruption::Major,
    Disruption::Moderate,
    Disruption::Minor,
    Disruption::None,
    Disruption::Negative,
];

/// Index of a level in [`LEVELS`].
pub fn level_index(level: Disruption) -> usize {
    LEVELS
        .iter()
        .position(|l| *l == level)
        .expect("LEVELS holds every level")
}

/// Actions by RAG status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RagCounts {
    pub red: u32,
    pub amber: u32,
    pub green: u32,
    /// Status missing or unreadable.
    pub unset: u32,
}

impl RagCounts {
    pub fn total(&self) -> u32 {
        self.red + self.amber + self.green + self.unset
    }

    pub fn get(&self, status: Option<RagStatus>) -> u32 {
        match status {
            Some(RagStatus::Red) => self.red,
            Some(RagStatus::Amber) => self.amber,
            Some(RagStatus::Green) => self.green,
            None => self.unset,
        }
    }

    pub fn add(&mut self, status: Option<RagStatus>, n: u32) {
        match status {
            Some(RagStatus::Red) => self.red += n,
            Some(RagStatus::Amber) => self.amber += n,
            Some(RagStatus::Green) => self.green += n,
            None => self.unset += n,
        }
    }

    fn add_all(&mut self, other: &RagCounts) {
        self.red += other.red;
        self.amber += other.amber;
        self.green += other.green;
        self.unset += other.unset;
    }
}

/// One plan's figures as storage keeps them (already limited to one
/// agency's actions when the view asks for that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFigures {
    pub id: uuid::Uuid,
    pub facts: PlanFacts,
    /// Actions counted.
    pub actions: u32,
    pub rag: RagCounts,
    pub overdue_actions: u32,
    /// Assessed disruptions: (the action's date, level, how many).
    pub disruptions: Vec<(Option<NaiveDate>, Disruption, u32)>,
}

impl PlanFigures {
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.facts.next_review.is_some_and(|d| d < today)
    }

    /// Disruptions per level dated within `from..=to`.
    pub fn disruptions_in(&self, from: NaiveDate, to: NaiveDate) -> [u32; 5] {
        let mut out = [0; 5];
        for (date, level, n) in &self.disruptions {
            if date.is_some_and(|d| from <= d && d <= to) {
                out[level_index(*level)] += n;
            }
        }
        out
    }
}

/// Counts over a set of plans.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub plans: u32,
    /// Plans per tier: index 0 is "tier not set", then tiers 1 to 4.
    pub tiers: [u32; 5],
    pub ocg: u32,
    pub pi: u32,
    pub rag: RagCounts,
    pub overdue_actions: u32,
    pub overdue_reviews: u32,
    /// Disruptions in the period, by level in [`LEVELS`] order.
    pub disruptions: [u32; 5],
}

impl Figures {
    /// Adds one plan's figures.
    pub fn add(&mut self, plan: &PlanFigures, today: NaiveDate, from: NaiveDate, to: NaiveDate) {
        self.plans += 1;
        self.tiers[plan.facts.tier.map_or(0, |t| t.get() as usize)] += 1;
        match plan.facts.subject_kind {
            Some(SubjectKind::Ocg) => self.ocg += 1,
            Some(SubjectKind::Pi) => self.pi += 1,
            None => {}
        }
        self.rag.add_all(&plan.rag);
        self.overdue_actions += plan.overdue_actions;
        self.overdue_reviews += u32::from(plan.review_overdue(today));
        for (total, n) in self.disruptions.iter_mut().zip(plan.disruptions_in(from, to)) {
            *total += n;
        }
    }

    /// Plans whose kind is not recorded.
    pub fn kind_unknown(&self) -> u32 {
        self.plans - self.ocg - self.pi
    }

    pub fn disruption_total(&self) -> u32 {
        self.disruptions.iter().sum()
    }
}
