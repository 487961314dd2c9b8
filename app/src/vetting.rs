//! Vetting, for the pages: people's vetting on `/admin` (administrators and
//! vetting officers set it; every change is recorded) and a plan's needed
//! level on its page (its LRO may raise it, and sees which members it shuts
//! out and why). Server functions over the server's [`ssr::VettingPort`],
//! which decides who may do what.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use plan::vetting::Lapse;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A person's vetting, as `/admin` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonVetting {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub agency: String,
    /// One of the configured levels (the lowest: none).
    pub level: String,
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether it has expired (judged by the server's clock).
    pub expired: bool,
    pub vetting_officer: bool,
}

/// One recorded change of someone's vetting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VettingChangeView {
    pub at: DateTime<Utc>,
    /// Who made it: "Name (Agency)".
    pub by: String,
    /// Whose vetting: "Name (Agency)".
    pub whom: String,
    /// Level, and expiry if any: "NPPV2 until 2027-03-31".
    pub old: String,
    pub new: String,
}

/// Everyone's vetting and its latest changes, for administrators and
/// vetting officers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VettingDirectory {
    /// The configured levels, lowest (none) first.
    pub levels: Vec<String>,
    pub people: Vec<PersonVetting>,
    /// Newest first.
    pub changes: Vec<VettingChangeView>,
    /// Whether the viewer may make people vetting officers (administrators).
    pub grants_officers: bool,
}

/// What a plan needs, for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanVettingView {
    /// The level the plan needs now (the lowest: none).
    pub needs: String,
    /// What its marking implies.
    pub implied: String,
    /// The level its LRO raised it to, if above the marking's.
    pub raised: Option<String>,
    /// The levels its LRO may set (from the marking's up), for the LRO only.
    pub choices: Vec<String>,
    /// Members shut out and why, for the LRO only.
    pub lapses: Vec<(Uuid, Lapse)>,
}

#[cfg(feature = "ssr")]
fn served<T>(answer: Result<T, crate::service_error::ServiceError>) -> Result<T, ServerFnError> {
    answer.map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[server(prefix = "/api/fn", endpoint = "people_vetting", output = crate::wire::Postcard)]
pub async fn people_vetting() -> Result<VettingDirectory, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    served(ssr::port()?.directory(&who).await)
}

/// Sets a person's vetting: a level and, above none, the date it expires on.
#[server(prefix = "/api/fn", endpoint = "set_vetting", output = crate::wire::Postcard)]
pub async fn set_vetting(user: Uuid, level: String, #[server(default)] expires: String) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    served(ssr::port()?.set_vetting(&who, user, &level, &expires).await)
}

/// Makes a user a vetting officer (`on`), or no longer one (administrators).
#[server(prefix = "/api/fn", endpoint = "set_vetting_officer", output = crate::wire::Postcard)]
pub async fn set_vetting_officer(user: Uuid, on: bool) -> Result<(), ServerFnError> {
    let admin = crate::admin::ssr::admin()?;
    let flag = crate::admin::AccountFlag::VettingOfficer;
    served(crate::admin::ssr::port()?.set_flag(admin, user, flag, on).await)
}

#[server(prefix = "/api/fn", endpoint = "plan_vetting", output = crate::wire::Postcard)]
pub async fn plan_vetting(plan: Uuid) -> Result<PlanVettingView, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    served(ssr::port()?.plan(&who, plan).await)
}

/// The plan's LRO sets the level it needs (never below its marking's).
#[server(prefix = "/api/fn", endpoint = "raise_plan_vetting", output = crate::wire::Postcard)]
pub async fn raise_plan_vetting(plan: Uuid, level: String) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    served(ssr::port()?.raise(&who, plan, &level).await.map(|_| ()))
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{PlanVettingView, VettingDirectory};
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::ssr::Requester;
    use leptos::prelude::{use_context, ServerFnError};
    use std::sync::Arc;
    use uuid::Uuid;

    /// Vetting, implemented by the server's vetting service.
    #[async_trait::async_trait]
    pub trait VettingPort: Send + Sync + 'static {
        async fn directory(&self, who: &Requester) -> Result<VettingDirectory, ServiceError>;
        async fn set_vetting(
            &self,
            who: &Requester,
            user: Uuid,
            level: &str,
            expires: &str,
        ) -> Result<(), ServiceError>;
        /// A consultation of the plan, which the server logs.
        async fn plan(&self, who: &Requester, plan: Uuid) -> Result<PlanVettingView, ServiceError>;
        /// The level the plan needs afterwards.
        async fn raise(&self, who: &Requester, plan: Uuid, level: &str) -> Result<String, ServiceError>;
    }

    pub type VettingRef = Arc<dyn VettingPort>;

    pub fn port() -> Result<VettingRef, ServerFnError> {
        use_context::<VettingRef>().ok_or_else(|| {
            tracing::error!("no app::vetting::ssr::VettingRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
