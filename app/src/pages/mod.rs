//! The routed pages.

mod access_table;
pub mod account;
mod action_editor;
mod action_log;
pub mod admin;
mod admin_reset;
pub mod audit;
mod break_glass;
pub mod compare;
pub mod disruptions;
mod lifecycle_panel;
pub mod login;
pub mod my_actions;
mod new_plan_form;
mod objectives;
pub mod plan;
mod plan_header;
#[cfg(all(test, feature = "ssr"))]
mod plan_tests;
pub mod plans;
pub mod portfolio;
mod portfolio_charts;
mod portfolio_tables;
mod redact_form;
pub mod reset;
mod restore_button;
mod retention;
mod reviews_panel;
pub mod strategy;
mod strategy_editor;
mod team;
mod version_view;
pub mod versions;

pub use account::AccountPage;
pub use admin::AdminPage;
pub use audit::AuditPage;
pub use compare::ComparePage;
pub use disruptions::DisruptionsPage;
pub use login::LoginPage;
pub use my_actions::MyActionsPage;
pub use plan::{PlanPage, PlanView};
pub use plans::{NewPlanForm, PlansPage, PlansTable};
pub use portfolio::PortfolioPage;
pub use reset::ResetPage;
pub use strategy::StrategyPage;
pub use versions::{VersionPage, VersionsPage};
