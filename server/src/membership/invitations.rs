//! An LRO adding someone who has no account yet: an invitation onto the
//! plan, taken up at the person's first sign-in through the provider of
//! the agency the LRO named ([`Memberships::join_invited`], called by single
//! sign-on). They join with the role given, added by the LRO, recorded in
//! the plan's history like any other addition.

use super::invitation_store::{NewInvitation, OpenInvitation};
use super::{require_lro, MemberChange, Memberships, NO_SUCH_COLLEAGUE};
use crate::accounts::store::Member;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use chrono::Utc;
use plan::access::Role;
use uuid::Uuid;

/// What adding someone by email did.
#[derive(Debug)]
pub enum Added {
    /// They have an account and are on the plan now.
    Member(Member),
    /// They have none yet: they join at their first sign-in.
    Invited,
}

impl Memberships {
    /// Invites `email`, who has no account, in `agency` (one whose people
    /// sign in through a provider), to join the plan as `role`. The LRO
    /// only, and only while the plan asks for no vetting: a new account
    /// has none until a vetting officer records it.
    pub(super) async fn invite(
        &self,
        plan: Uuid,
        by: Uuid,
        email: &str,
        role: Role,
        agency: &str,
    ) -> Result<Added, ServiceError> {
        if !self.invitable.iter().any(|a| a.eq_ignore_ascii_case(agency)) {
            return Err(ServiceError::Invalid(format!(
                "agency: {agency:?} has no sign-in provider here, so nobody can join through it; {}",
                if self.invitable.is_empty() {
                    "ask an administrator"
                } else {
                    "choose one listed"
                }
            )));
        }
        let agency_id = match self.accounts.agency_by_name(agency).await? {
            Some(a) => a.id,
            None => {
                return Err(ServiceError::Invalid(format!(
                    "agency: there is no agency named {agency:?}"
                )))
            }
        };
        let needs = self.vetting.plan_needs(plan).await?.filter(|n| n.needs_any);
        if let Some(needs) = needs.map(|n| n.needs.unwrap_or_else(|| "some".into())) {
            return Err(ServiceError::Invalid(format!(
                "email: this plan needs {needs} vetting, and someone without an account has none recorded; \
                 ask an administrator to invite them and a vetting officer to record their vetting, then add them"
            )));
        }
        if !email.contains('@') || email.len() > 254 {
            return Err(ServiceError::Invalid("email: give the person's work email".into()));
        }
        let invitation = NewInvitation {
            plan,
            email,
            agency: agency_id,
            role: role.key(),
            by,
            at: Utc::now(),
        };
        self.invites.invite_to_plan(&invitation).await?;
        tracing::info!(%plan, %by, %email, role = role.key(), agency, "invited onto a plan");
        Ok(Added::Invited)
    }

    /// The plan's open invitations: its LRO only (anyone else: not found,
    /// or forbidden to a member).
    pub async fn invitations(&self, plan: Uuid, who: &Requester) -> Result<Vec<OpenInvitation>, ServiceError> {
        require_lro(self.accounts.member_role(plan, who.viewer.id).await?)?;
        Ok(self.invites.open_invitations(plan).await?)
    }

    /// Withdraws the invitation of `email`; the LRO only.
    pub async fn withdraw_invitation(&self, plan: Uuid, by: Uuid, email: &str) -> Result<(), ServiceError> {
        require_lro(self.accounts.member_role(plan, by).await?)?;
        let email = email.trim().to_lowercase();
        if !self.invites.withdraw_invitation(plan, &email, by, Utc::now()).await? {
            return Err(ServiceError::NotFound("invitation"));
        }
        tracing::info!(%plan, %by, %email, "invitation withdrawn");
        Ok(())
    }

    /// The agencies an LRO may invite people of (those with a provider).
    pub fn invitable_agencies(&self) -> &[String] {
        &self.invitable
    }

    /// Takes up every open invitation of `email` in `agency` for the new
    /// account `user`, at its first sign-in. Each is decided as the
    /// inviting LRO's addition now: one whose inviter is no longer the
    /// plan's LRO is refused (and closed), the rest join. The number joined.
    pub async fn join_invited(&self, user: Uuid, email: &str, agency: Uuid) -> Result<usize, ServiceError> {
        let mut joined = 0;
        for waiting in self.invites.waiting_for(email, agency).await? {
            let role = Role::parse(&waiting.role).unwrap_or(Role::Viewer);
            let change = MemberChange {
                plan: waiting.plan_id,
                by: waiting.invited_by,
                user,
                role: Some(role),
            };
            match self.members.change_member(&change).await? {
                Ok(_) => {
                    joined += 1;
                    self.events.membership_changed(waiting.plan_id, user);
                }
                Err(refusal) => tracing::warn!(plan = %waiting.plan_id, %user, %refusal,
                    "an invitation could not be taken up; its inviter may no longer be the LRO"),
            }
            // Closed either way: a refused one would be refused again.
            self.invites.joined(waiting.id, Utc::now()).await?;
        }
        Ok(joined)
    }
}

/// The refusal of an email that has no account when no agency was named.
pub(super) fn no_account(invitable: &[String]) -> ServiceError {
    if invitable.is_empty() {
        ServiceError::Invalid(NO_SUCH_COLLEAGUE.into())
    } else {
        ServiceError::Invalid(format!(
            "{NO_SUCH_COLLEAGUE}, or, if they have no account yet, choose their agency to invite them"
        ))
    }
}
