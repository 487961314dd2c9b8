//! Who may sign in for the first time: administrators invite a person by
//! email into an agency (their first sign-in through its provider makes
//! their account) or link an existing account (its next sign-in there
//! links it for good).

use super::{store, Sso};
use chrono::Utc;
use uuid::Uuid;

/// Why an invitation could not be made.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("only administrators invite people")]
    NotAdmin,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Accounts(#[from] crate::accounts::AccountError),
}

impl From<InviteError> for app::service_error::ServiceError {
    fn from(e: InviteError) -> Self {
        use app::service_error::ServiceError;
        match e {
            InviteError::NotAdmin => ServiceError::Forbidden(e.to_string()),
            InviteError::Invalid(message) => ServiceError::Invalid(message),
            InviteError::Store(e) => ServiceError::Internal(e.into()),
            InviteError::Accounts(e) => e.into(),
        }
    }
}

/// What an invitation does at the person's first sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Invited {
    /// Makes their account, in the agency given.
    NewAccount,
    /// Links their existing account (its own agency's provider).
    Linked,
}

impl Sso {
    /// An administrator (`by`, if `is_admin`) lets `email` sign in through
    /// an agency's provider: an existing account of that email is linked at
    /// its next sign-in there; anyone else's first sign-in makes their
    /// account in `agency` (which a new account needs).
    pub async fn invite(
        &self,
        by: Uuid,
        is_admin: bool,
        email: &str,
        agency: Option<&str>,
    ) -> Result<Invited, InviteError> {
        if !is_admin {
            return Err(InviteError::NotAdmin);
        }
        let email = email.trim().to_lowercase();
        if !email.contains('@') || email.len() > 254 {
            return Err(InviteError::Invalid("email: give the person's work email".into()));
        }
        let (agency, user, invited) = match self.store.user_by_email(&email).await? {
            Some(user) => (user.agency_id, Some(user.id), Invited::Linked),
            None => {
                let name = agency.map(str::trim).filter(|a| !a.is_empty());
                let name = name.ok_or_else(|| InviteError::Invalid("agency: choose the person's agency".into()))?;
                let agency = self.accounts.agency_named(name).await?;
                let agency =
                    agency.ok_or_else(|| InviteError::Invalid(format!("agency: there is no agency named {name:?}")))?;
                (agency.id, None, Invited::NewAccount)
            }
        };
        let invitation = store::Invitation {
            id: Uuid::new_v4(),
            email: email.clone(),
            agency_id: agency,
            user_id: user,
        };
        self.store.invite(&invitation, by, Utc::now()).await?;
        tracing::info!(%by, %email, ?invited, "invited to sign in through a provider");
        Ok(invited)
    }
}
