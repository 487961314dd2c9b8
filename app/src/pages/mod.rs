//! The routed pages.

mod action_log;
pub mod plan;
pub mod plans;

pub use plan::{PlanPage, PlanView};
pub use plans::{NewPlanForm, PlansPage, PlansTable};
