//! The 4P SOC management plan, as a typed API over one yrs document per plan.
//!
//! Shared by the server (storage, export, permission checks) and the browser
//! (editing). No networking and no storage here: plain types with unit tests.

pub mod access;
pub mod access_log;
pub mod across;
pub mod actions;
pub mod admission;
pub mod caret;
pub mod change_label;
pub mod comments;
pub mod csv;
pub mod doc;
pub mod export;
pub mod fields;
pub mod header;
pub mod lifecycle;
pub mod load;
pub mod model_error;
pub mod notifications;
pub mod portfolio;
pub mod presence;
pub mod review;
pub mod state;
pub mod strategy;
pub mod suggestions;
pub mod sync_client;
pub mod template;
pub mod text;
pub mod versions;
pub mod vetting;
pub mod vocabulary;

pub use actions::{Action, ActionChange, NewAction};
pub use doc::{new_doc, Header, HeaderText, ModelError, NewPlan, PlanDoc};
pub use export::{ObjectiveEntry, PlanExport, PlanSummary, StatusCounts};
pub use fields::{ActionText, TextField};
pub use load::load_plan;
pub use review::ReviewIntervals;
pub use template::{Section, StandardObjective, STANDARD_OBJECTIVES};
pub use vocabulary::{Disruption, InvalidValue, RagStatus, SecurityMarking, SubjectKind, Tier, P};
