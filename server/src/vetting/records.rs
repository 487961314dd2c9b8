//! What the vetting store is asked to write, and what it reads back.

use chrono::{DateTime, Utc};
use plan::vetting::HeldVetting;
use uuid::Uuid;

/// Someone setting a person's vetting.
#[derive(Debug, Clone, Copy)]
pub struct VettingChange<'a> {
    pub by: Uuid,
    pub user: Uuid,
    pub new: &'a HeldVetting,
}

/// A plan's LRO setting the level it needs (`level: None`: what its
/// marking implies).
#[derive(Debug, Clone, Copy)]
pub struct PlanRaise<'a> {
    pub plan: Uuid,
    pub by: Uuid,
    pub level: Option<&'a str>,
}

/// One recorded change of a person's vetting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VettingChangeEntry {
    pub at: DateTime<Utc>,
    /// "Name (Agency)" of who made it, and of whose vetting it is.
    pub by: String,
    pub whom: String,
    pub user: Uuid,
    pub old: HeldVetting,
    pub new: HeldVetting,
}

/// One recorded change of the level a plan needs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanVettingChange {
    pub at: DateTime<Utc>,
    pub by_id: Uuid,
    pub by_name: String,
    pub by_agency: String,
    /// The level raised to (`None`: as the marking implies).
    pub old_level: Option<String>,
    pub new_level: Option<String>,
}

/// What a plan needs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanNeeds {
    pub marking: Option<String>,
    /// The level its LRO raised it to, if any.
    pub raised: Option<String>,
    /// The level it needs now (the lowest: nothing).
    pub needs: Option<String>,
    /// Whether it needs any vetting at all (else it clears everyone).
    pub needs_any: bool,
}

/// Whether a person is cleared for a plan, and the level it needs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Clearance {
    pub cleared: bool,
    pub needs: Option<String>,
}

/// A plan that is not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoSuchPlan;
