//! The routed pages.

mod action_editor;
mod action_log;
pub mod admin;
pub mod disruptions;
pub mod login;
pub mod my_actions;
mod objectives;
pub mod plan;
mod plan_header;
#[cfg(all(test, feature = "ssr"))]
mod plan_tests;
pub mod plans;
mod reviews_panel;
mod version_view;
pub mod versions;
pub mod compare;
pub mod portfolio;
mod portfolio_charts;
mod portfolio_tables;
pub mod strategy;
mod strategy_editor;
mod team;

pub use admin::AdminPage;
pub use disruptions::DisruptionsPage;
pub use login::LoginPage;
pub use my_actions::MyActionsPage;
pub use plan::{PlanPage, PlanView};
pub use plans::{NewPlanForm, PlansPage, PlansTable};
pub use compare::ComparePage;
pub use portfolio::PortfolioPage;
pub use versions::{VersionPage, VersionsPage};
pub use strategy::StrategyPage;
