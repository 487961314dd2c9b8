//! The administration page's port: agencies and users through the
//! accounts service. The server functions admit administrators only (the
//! session guard put their verified account on the request).

use crate::accounts::{AccountError, NewUser};
use crate::state::AppState;
use app::admin::ssr::{Admin, Roles};
use app::admin::{AgencyView, Directory, UserView};
use app::ssr::DirectoryError;
use uuid::Uuid;

pub struct PageAdmin(pub AppState);

fn refused(e: AccountError) -> DirectoryError {
    match e {
        AccountError::Internal(e) => {
            tracing::error!(error = ?e, "administration failed");
            DirectoryError::Internal(e.to_string())
        }
        other => DirectoryError::Invalid(other.to_string()),
    }
}

#[async_trait::async_trait]
impl Admin for PageAdmin {
    async fn directory(&self, _admin: Uuid) -> Result<Directory, DirectoryError> {
        let accounts = &self.0.accounts;
        let agencies = accounts.agencies().await.map_err(refused)?;
        let users = accounts.users().await.map_err(refused)?;
        Ok(Directory {
            agencies: agencies
                .into_iter()
                .map(|a| AgencyView {
                    id: a.id,
                    name: a.name,
                    kind: a.kind,
                })
                .collect(),
            users: users
                .into_iter()
                .map(|u| UserView {
                    id: u.id,
                    name: u.name,
                    email: u.email,
                    agency: u.agency,
                    is_admin: u.is_admin,
                    strategic_lead: u.strategic_lead,
                    may_lead_plans: u.may_lead_plans,
                    disabled: u.disabled,
                })
                .collect(),
        })
    }

    async fn add_agency(&self, admin: Uuid, name: &str, kind: &str) -> Result<(), DirectoryError> {
        let agency = self.0.accounts.create_agency(name, kind).await.map_err(refused)?;
        tracing::info!(%admin, agency = %agency.id, "agency added");
        Ok(())
    }

    async fn disable_user(&self, admin: Uuid, user: Uuid) -> Result<(), DirectoryError> {
        self.0.accounts.disable_user(user).await.map_err(refused)?;
        self.0.rooms.user_disabled(user).await;
        tracing::info!(%admin, %user, "user disabled");
        Ok(())
    }

    async fn set_strategic_lead(&self, admin: Uuid, user: Uuid, on: bool) -> Result<(), DirectoryError> {
        self.0.accounts.set_strategic_lead(user, on).await.map_err(refused)?;
        // Attributable: who granted or withdrew it, and to whom.
        tracing::info!(%admin, %user, strategic_lead = on, "strategic lead flag set");
        Ok(())
    }

    async fn set_may_lead_plans(&self, admin: Uuid, user: Uuid, on: bool) -> Result<(), DirectoryError> {
        self.0.accounts.set_may_lead_plans(user, on).await.map_err(refused)?;
        // Attributable: who let whom create plans, or stopped them.
        tracing::info!(%admin, %user, may_lead_plans = on, "may-lead-plans flag set");
        Ok(())
    }

    async fn issue_reset_link(&self, admin: Uuid, user: Uuid) -> Result<String, DirectoryError> {
        let token = self.0.accounts.issue_reset_link(user).await.map_err(refused)?;
        // Attributable: who can have set this user's new password.
        tracing::info!(%admin, %user, "password reset link issued");
        Ok(token.0)
    }

    async fn add_user(
        &self,
        admin: Uuid,
        name: &str,
        email: &str,
        agency: Uuid,
        password: &str,
        roles: Roles,
    ) -> Result<(), DirectoryError> {
        let user = self
            .0
            .accounts
            .create_user(NewUser {
                email: email.into(),
                name: name.into(),
                agency_id: agency,
                password: password.into(),
                is_admin: roles.admin,
                strategic_lead: roles.strategic_lead,
                may_lead_plans: roles.may_lead_plans,
            })
            .await
            .map_err(refused)?;
        tracing::info!(%admin, user = %user.id, is_admin = roles.admin, strategic_lead = roles.strategic_lead, may_lead_plans = roles.may_lead_plans, "user added");
        Ok(())
    }
}
