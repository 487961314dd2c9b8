//! What the plan page is rendered from.

use plan::strategy::ControlStrategy;
use plan::{PlanDoc, ReviewIntervals};
use serde::{Deserialize, Serialize};

/// What the plan page is rendered from: the plan's whole document state
/// (so the browser's replica starts from it and its first sync fetches only
/// what changed since) and how reviews are scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPageData {
    pub id: uuid::Uuid,
    /// [`PlanDoc::encode_state`].
    #[serde(with = "crate::wire::bytes")]
    pub state: Vec<u8>,
    pub intervals: ReviewIntervals,
    /// The viewer's role on the plan.
    pub role: plan::access::Role,
    /// Who the viewer is (filled in from the session).
    pub viewer_name: String,
    pub viewer_agency: String,
    /// The current Control Strategy: the threats the plan can be tagged with.
    pub strategy: ControlStrategy,
    /// Where the plan is in its life (closed: read-only for everyone).
    pub life: Option<plan::lifecycle::PlanLife>,
    /// Break-glass access to the plan lately (for its LRO and plan owner).
    #[serde(default)]
    pub break_glass: Vec<plan::access_log::BreakGlassNote>,
    /// Who handed the plan to the viewer, and when, if that was lately.
    #[serde(default)]
    pub handed_over: Option<(String, chrono::DateTime<chrono::Utc>)>,
}

impl PlanPageData {
    pub fn new(
        id: uuid::Uuid,
        plan: &PlanDoc,
        intervals: ReviewIntervals,
        role: plan::access::Role,
        strategy: ControlStrategy,
    ) -> Self {
        PlanPageData {
            id,
            state: plan.encode_state(),
            intervals,
            role,
            viewer_name: String::new(),
            viewer_agency: String::new(),
            strategy,
            life: None,
            break_glass: Vec::new(),
            handed_over: None,
        }
    }

    /// With where the plan is in its life.
    pub fn living(mut self, life: Option<plan::lifecycle::PlanLife>) -> Self {
        self.life = life;
        self
    }

    /// Whether the plan is closed (read-only for everyone).
    pub fn closed(&self) -> bool {
        self.life.as_ref().is_some_and(|l| l.closed)
    }

    /// A replica of the plan.
    pub fn plan(&self) -> Result<PlanDoc, String> {
        PlanDoc::from_state(&self.state).map_err(|e| e.to_string())
    }
}
