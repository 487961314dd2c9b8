//! The regional portfolio: every plan's figures seen against the Control
//! Strategy. Pure logic: storage hands over [`PlanFigures`]; [`aggregate`]
//! makes the [`Portfolio`] the page, the API and the CSV show.
//!
//! - [`facts`]: what is kept per plan and per action, and which of it an
//!   accepted update touched.
//! - [`filter`]: the query (filters, period, drill-down) parsed.
//! - [`figures`]: the counts; [`aggregate`]: the portfolio from them.
//! - [`chart`]: the pictures' geometry; [`export`]: the CSV.

pub mod aggregate;
pub mod chart;
pub mod export;
pub mod facts;
pub mod figures;
pub mod filter;

pub use aggregate::{aggregate, Portfolio};
pub use facts::{ActionFacts, PlanFacts, Touched, FACTS_VERSION};
pub use figures::{Figures, PlanFigures, RagCounts, LEVELS};
pub use filter::{Drill, Only, PortfolioFilter, PortfolioQuery, Scope};

/// What a clicked count means, in words.
pub fn only_label(only: Only) -> String {
    match only {
        Only::Plans => "every plan".into(),
        Only::Tier(Some(t)) => format!("tier {} plans", t.get()),
        Only::Tier(None) => "plans with no tier".into(),
        Only::Kind(Some(k)) => format!("{} plans", k.as_str()),
        Only::Kind(None) => "plans with no subject kind".into(),
        Only::Rag(Some(s)) => format!("plans with {} actions", s.as_str()),
        Only::Rag(None) => "plans with actions whose status is not set".into(),
        Only::OverdueActions => "plans with overdue actions".into(),
        Only::OverdueReviews => "plans overdue for review".into(),
        Only::Disruption(d) => format!("plans with {} disruptions in the period", d.as_str()),
    }
}

#[cfg(test)]
mod tests;

/// What the portfolio page, the API and the CSV are made from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PortfolioView {
    pub marking: crate::SecurityMarking,
    pub strategy_title: String,
    pub strategy_version: i64,
    /// Every threat of the strategy, for the filter: (key, name, retired).
    pub threats: Vec<(String, String, bool)>,
    /// Agencies owning actions in the plans counted, for the filter.
    pub agencies: Vec<String>,
    /// The query as understood (defaults filled in).
    pub query: PortfolioQuery,
    pub portfolio: Portfolio,
    /// Plans closed in the period (they leave the live figures), by the
    /// outcome they were closed with, in [`crate::lifecycle::Outcome::ALL`]'s
    /// order.
    #[serde(default)]
    pub closed: Vec<(crate::lifecycle::Outcome, u32)>,
}
