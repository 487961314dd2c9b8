//! The administration page's port, implemented by the accounts service:
//! agencies and users. The server functions admit administrators only (the
//! session guard put their verified account on the request); each change
//! is logged with the administrator who made it.

use super::{Accounts, NewUser};
use app::admin::ssr::{Admin, Roles};
use app::admin::AccountFlag;
use app::admin::{AgencyView, Directory, UserView};
use app::service_error::ServiceError;
use uuid::Uuid;

#[async_trait::async_trait]
impl Admin for Accounts {
    async fn directory(&self, _admin: Uuid) -> Result<Directory, ServiceError> {
        let agencies = self.agencies().await?;
        let users = self.users().await?;
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
                    auditor: u.auditor,
                    disabled: u.disabled,
                })
                .collect(),
        })
    }

    async fn add_agency(&self, admin: Uuid, name: &str, kind: &str) -> Result<(), ServiceError> {
        let agency = self.create_agency(name, kind).await?;
        tracing::info!(%admin, agency = %agency.id, "agency added");
        Ok(())
    }

    async fn disable_user(&self, admin: Uuid, user: Uuid) -> Result<(), ServiceError> {
        self.disable_user(user).await?;
        tracing::info!(%admin, %user, "user disabled");
        Ok(())
    }

    async fn set_flag(&self, admin: Uuid, user: Uuid, flag: AccountFlag, on: bool) -> Result<(), ServiceError> {
        self.set_flag(user, flag, on).await?;
        // Attributable: who granted or withdrew what, and to whom.
        tracing::info!(%admin, %user, flag = flag.label(), on, "account flag set");
        Ok(())
    }

    async fn issue_reset_link(&self, admin: Uuid, user: Uuid) -> Result<String, ServiceError> {
        let token = self.issue_reset_link(user).await?;
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
    ) -> Result<(), ServiceError> {
        let user = self
            .create_user(NewUser {
                email: email.into(),
                name: name.into(),
                agency_id: agency,
                password: password.into(),
                is_admin: roles.admin,
                strategic_lead: roles.strategic_lead,
                may_lead_plans: roles.may_lead_plans,
                auditor: roles.auditor,
            })
            .await?;
        tracing::info!(%admin, user = %user.id, is_admin = roles.admin, strategic_lead = roles.strategic_lead, may_lead_plans = roles.may_lead_plans, auditor = roles.auditor, "user added");
        Ok(())
    }
}
