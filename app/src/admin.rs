//! Administration: agencies and user accounts. Only administrators reach
//! these; the server checks on every call.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyView {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub is_admin: bool,
    /// Edits and publishes the Control Strategy.
    pub strategic_lead: bool,
    /// Creates plans (and so leads them).
    pub may_lead_plans: bool,
    /// Searches and exports the whole access log (professional standards).
    #[serde(default)]
    pub auditor: bool,
    pub disabled: bool,
}

/// What an administrator grants or withdraws, beyond taking part in plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountFlag {
    /// Edits and publishes the Control Strategy.
    StrategicLead,
    /// Creates plans (and so leads them).
    MayLeadPlans,
    /// Searches and exports the whole access log.
    Auditor,
    /// Sets people's vetting (level and expiry), as administrators can.
    VettingOfficer,
}

impl AccountFlag {
    pub fn label(self) -> &'static str {
        match self {
            AccountFlag::StrategicLead => "strategic lead",
            AccountFlag::MayLeadPlans => "may lead plans",
            AccountFlag::Auditor => "auditor",
            AccountFlag::VettingOfficer => "vetting officer",
        }
    }
}

/// Agencies and users, for the administration page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub agencies: Vec<AgencyView>,
    pub users: Vec<UserView>,
}

#[server(prefix = "/api/fn", endpoint = "admin_directory", output = crate::wire::Postcard)]
pub async fn admin_directory() -> Result<Directory, ServerFnError> {
    let viewer = ssr::admin()?;
    ssr::port()?
        .directory(viewer)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[server(prefix = "/api/fn", endpoint = "add_agency", output = crate::wire::Postcard)]
pub async fn add_agency(name: String, kind: String) -> Result<(), ServerFnError> {
    let viewer = ssr::admin()?;
    ssr::port()?
        .add_agency(viewer, &name, &kind)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[server(prefix = "/api/fn", endpoint = "add_user", output = crate::wire::Postcard)]
pub async fn add_user(
    name: String,
    email: String,
    agency: Uuid,
    password: String,
    #[server(default)] admin: Option<String>,
    #[server(default)] strategic_lead: Option<String>,
    #[server(default)] may_lead_plans: Option<String>,
    #[server(default)] auditor: Option<String>,
) -> Result<(), ServerFnError> {
    let viewer = ssr::admin()?;
    let roles = ssr::Roles {
        admin: admin.is_some(),
        strategic_lead: strategic_lead.is_some(),
        may_lead_plans: may_lead_plans.is_some(),
        auditor: auditor.is_some(),
    };
    ssr::port()?
        .add_user(viewer, &name, &email, agency, &password, roles)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Disables an account: no more log-ins; its sessions and connections end.
#[server(prefix = "/api/fn", endpoint = "disable_user", output = crate::wire::Postcard)]
pub async fn disable_user(user: Uuid) -> Result<(), ServerFnError> {
    let viewer = ssr::admin()?;
    if viewer == user {
        return Err(ServerFnError::new("You cannot disable your own account."));
    }
    ssr::port()?
        .disable_user(viewer, user)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Makes a user a strategic lead (`on`), or no longer one.
#[server(prefix = "/api/fn", endpoint = "set_strategic_lead", output = crate::wire::Postcard)]
pub async fn set_strategic_lead(user: Uuid, on: bool) -> Result<(), ServerFnError> {
    set_flag(user, AccountFlag::StrategicLead, on).await
}

/// Lets a user create plans (`on`), or no longer.
#[server(prefix = "/api/fn", endpoint = "set_may_lead_plans", output = crate::wire::Postcard)]
pub async fn set_may_lead_plans(user: Uuid, on: bool) -> Result<(), ServerFnError> {
    set_flag(user, AccountFlag::MayLeadPlans, on).await
}

/// Makes a user an auditor (`on`), or no longer one.
#[server(prefix = "/api/fn", endpoint = "set_auditor", output = crate::wire::Postcard)]
pub async fn set_auditor(user: Uuid, on: bool) -> Result<(), ServerFnError> {
    set_flag(user, AccountFlag::Auditor, on).await
}

#[cfg(feature = "ssr")]
async fn set_flag(user: Uuid, flag: AccountFlag, on: bool) -> Result<(), ServerFnError> {
    let viewer = ssr::admin()?;
    ssr::port()?
        .set_flag(viewer, user, flag, on)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// A password reset link just issued for `user`: shown to the
/// administrator once, to send on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLink {
    pub user: Uuid,
    /// `/reset?token=...`, on this site.
    pub path: String,
}

/// Issues a one-time reset link for a user (good for an hour); any earlier
/// one stops working. Without JavaScript the form's answer is the admin
/// page again, with the link's token in its address to show it.
#[server(prefix = "/api/fn", endpoint = "issue_reset_link", output = crate::wire::Postcard)]
pub async fn issue_reset_link(user: Uuid) -> Result<ResetLink, ServerFnError> {
    let viewer = ssr::admin()?;
    let token = ssr::port()?
        .issue_reset_link(viewer, user)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)?;
    let plain_form = crate::session::ssr::request()?
        .headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if plain_form {
        leptos_axum::redirect(&format!("/admin?reset_user={user}&reset_token={token}#reset-link"));
    }
    Ok(ResetLink {
        user,
        path: crate::account::reset_path(&token),
    })
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::Directory;
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use leptos::prelude::{use_context, ServerFnError};
    use std::sync::Arc;
    use uuid::Uuid;

    /// What a new account may do beyond taking part in plans.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub struct Roles {
        pub admin: bool,
        pub strategic_lead: bool,
        /// Creates plans (and so leads them).
        pub may_lead_plans: bool,
        pub auditor: bool,
    }

    /// Administration, implemented by the server.
    #[async_trait::async_trait]
    pub trait Admin: Send + Sync + 'static {
        async fn directory(&self, admin: Uuid) -> Result<Directory, ServiceError>;
        async fn add_agency(&self, admin: Uuid, name: &str, kind: &str) -> Result<(), ServiceError>;
        async fn disable_user(&self, admin: Uuid, user: Uuid) -> Result<(), ServiceError>;
        /// Grants (`on`) or withdraws a flag.
        async fn set_flag(
            &self,
            admin: Uuid,
            user: Uuid,
            flag: super::AccountFlag,
            on: bool,
        ) -> Result<(), ServiceError>;
        /// Returns the new link's token.
        async fn issue_reset_link(&self, admin: Uuid, user: Uuid) -> Result<String, ServiceError>;
        async fn add_user(
            &self,
            admin: Uuid,
            name: &str,
            email: &str,
            agency: Uuid,
            password: &str,
            roles: Roles,
        ) -> Result<(), ServiceError>;
    }

    pub type AdminRef = Arc<dyn Admin>;

    pub fn port() -> Result<AdminRef, ServerFnError> {
        use_context::<AdminRef>().ok_or_else(|| {
            tracing::error!("no app::admin::ssr::AdminRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }

    /// The viewer's id, if they are an administrator.
    pub fn admin() -> Result<Uuid, ServerFnError> {
        match crate::session::ssr::viewer() {
            Some(v) if v.is_admin => Ok(v.id),
            _ => Err(ServerFnError::ServerError("Only administrators can do this.".into())),
        }
    }
}
