//! Who is on a plan, changed atomically and audited: the membership
//! service. The REST routes ([`routes`]) and the plan page's team panel
//! (through [`app::team::ssr::Team`]) both call [`Memberships`], which also
//! tells the plan's open rooms (on every node) of each change.
//!
//! Every membership change (a plan's creator becoming its LRO, adding a
//! member, changing a role, removing a member) is decided by [`decide`]
//! against the plan's members as committed, written, and recorded in the
//! membership audit trail, all in one transaction that holds the plan's
//! member rows (see [`store`]). So two LROs demoting each other at once
//! cannot leave a plan without an LRO, and no change goes unrecorded.

mod handover;
pub mod invitation_store;
mod invitations;
pub mod routes;
mod rules;
mod store;

pub use handover::Afterwards;
pub use invitations::Added;
pub use routes::router;
pub use rules::{decide, require_lro, MemberChange, MemberChangeEntry, Person, Refusal};

use crate::access_log::AccessLog;
use crate::accounts::store::{AccountStore, Member};
use crate::accounts::User;
use crate::collab::rooms::Rooms;
use crate::plan_events::PlanEvents;
use crate::store::{NewStoredPlan, StoreError};
use crate::vetting::store::VettingStore;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use app::team::MemberView;
use invitation_store::InvitationStore;
use plan::access::Role;
use plan::access_log::AccessKind;
use std::sync::Arc;
use uuid::Uuid;

/// The one refusal an LRO gets for an email that cannot be added: no
/// account, a disabled one, whatever the reason. It says nothing about
/// anyone, so guessing emails learns no more than "can be added or not".
pub const NO_SUCH_COLLEAGUE: &str = "email: no such colleague can be added; check the address";

crate::store::composite_storage!(
    /// What the membership service keeps and reads.
    pub trait MembershipStorage: AccountStore + MembershipStore + VettingStore + InvitationStore
);

/// The membership service. Cheap to clone.
#[derive(Clone)]
pub struct Memberships {
    accounts: Arc<dyn AccountStore>,
    members: Arc<dyn MembershipStore>,
    vetting: Arc<dyn VettingStore>,
    invites: Arc<dyn InvitationStore>,
    /// The agencies whose people sign in through a provider: an LRO may
    /// invite someone of one of them who has no account yet.
    invitable: Arc<Vec<String>>,
    events: PlanEvents,
    rooms: Rooms,
    access: AccessLog,
}

impl Memberships {
    pub fn new(store: Arc<dyn MembershipStorage>, events: PlanEvents, rooms: Rooms, access: AccessLog) -> Self {
        Memberships {
            access,
            accounts: store.clone(),
            vetting: store.clone(),
            invites: store.clone(),
            invitable: Arc::new(Vec::new()),
            members: store,
            events,
            rooms,
        }
    }

    /// Lets LROs invite people of these agencies (those with a sign-in
    /// provider) who have no account yet.
    pub fn inviting_from(mut self, agencies: Vec<String>) -> Self {
        self.invitable = Arc::new(agencies);
        self
    }

    /// The plan's members; `NotFound` unless `who` is one of them. A
    /// consultation (logged). Why vetting shuts a member out is for the
    /// LRO, who manages members, alone.
    pub async fn members_for(&self, plan: Uuid, who: &Requester) -> Result<Vec<Member>, ServiceError> {
        let role = self.access.consult(who, plan, AccessKind::MembersRead, "").await?;
        let mut members = self.accounts.members(plan).await?;
        if !role.manages_members() {
            members.iter_mut().for_each(|m| m.lapse = None);
        }
        Ok(members)
    }

    /// Gives the active account with `email` a role on the plan; only its
    /// LRO may, and the last LRO stays. Audited. With `agency` named and no
    /// account of that email, invites them instead (see [`Added`]). The
    /// member is for the server's own use: answers to the LRO must not
    /// carry it (see [`NO_SUCH_COLLEAGUE`]).
    pub async fn set_member(
        &self,
        plan: Uuid,
        by: Uuid,
        email: &str,
        role: Role,
        agency: Option<&str>,
    ) -> Result<Added, ServiceError> {
        // Checked again in the change's transaction; checked here first so
        // that only the LRO learns whether an email can be added at all.
        require_lro(self.accounts.member_role(plan, by).await?)?;
        let email = email.trim().to_lowercase();
        let agency = agency.map(str::trim).filter(|a| !a.is_empty());
        let user = match (self.accounts.user_by_email(&email).await?, agency) {
            (None, Some(agency)) => return self.invite(plan, by, &email, role, agency).await,
            (None, None) => return Err(invitations::no_account(&self.invitable)),
            (Some(_), _) => self.colleague(plan, &email).await?,
        };
        let old = self.change(plan, by, user.id, Some(role)).await?;
        tracing::info!(%plan, %by, member = %user.id, old = ?old, role = role.key(), "plan member set");
        Ok(Added::Member(Member {
            user,
            role,
            lapse: None,
        }))
    }

    /// The active account with `email`, if their vetting clears them for
    /// the plan. An unknown email and a disabled account are refused alike,
    /// with a message that does not even repeat the email; a colleague
    /// whose vetting is below what the plan needs, or has expired, with the
    /// level it needs (checked again at every read: adding them anyway
    /// would not let them in).
    async fn colleague(&self, plan: Uuid, email: &str) -> Result<User, ServiceError> {
        let user = match self.accounts.user_by_email(email).await? {
            Some(user) if !user.disabled => user,
            _ => return Err(ServiceError::Invalid(NO_SUCH_COLLEAGUE.into())),
        };
        match self.vetting.clearance(plan, user.id).await? {
            Some(c) if !c.cleared => Err(ServiceError::Invalid(format!(
                "email: this plan needs {} vetting, in date, and this colleague's vetting is below it or has \
                 expired; ask a vetting officer, or choose someone else",
                c.needs.as_deref().unwrap_or("higher")
            ))),
            _ => Ok(user),
        }
    }

    /// Removes a member; only the LRO may, and the last LRO stays. Audited.
    pub async fn remove_member(&self, plan: Uuid, by: Uuid, member: Uuid) -> Result<(), ServiceError> {
        let old = self.change(plan, by, member, None).await?;
        tracing::info!(%plan, %by, %member, old = ?old, "plan member removed");
        Ok(())
    }

    /// Makes the change, then tells the plans list and the plan's open
    /// rooms (their connections gain or lose rights at once).
    async fn change(&self, plan: Uuid, by: Uuid, user: Uuid, role: Option<Role>) -> Result<Option<Role>, ServiceError> {
        let change = MemberChange { plan, by, user, role };
        let old = self.members.change_member(&change).await??;
        if old != role {
            self.events.membership_changed(plan, user);
        }
        if store::told_of(&change, old).is_some() {
            self.events.bell(&[user]);
        }
        self.rooms.member_changed(plan, user, role).await;
        Ok(old)
    }
}

impl From<Refusal> for ServiceError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::PlanNotFound => ServiceError::NotFound("plan"),
            Refusal::NoSuchMember => ServiceError::NotFound("member"),
            Refusal::NotLro => ServiceError::Forbidden(refusal.to_string()),
            Refusal::LastLro => ServiceError::Invalid(refusal.to_string()),
        }
    }
}

/// The plan page's team panel, through the same operations as the API.
#[async_trait::async_trait]
impl app::team::ssr::Team for Memberships {
    async fn members(&self, who: &Requester, plan: Uuid) -> Result<Vec<MemberView>, ServiceError> {
        Ok(self
            .members_for(plan, who)
            .await?
            .into_iter()
            .map(|m| MemberView {
                user_id: m.user.id,
                name: m.user.name,
                email: m.user.email,
                agency: m.user.agency,
                role: m.role,
            })
            .collect())
    }

    async fn set_member(
        &self,
        viewer: Uuid,
        plan: Uuid,
        email: &str,
        role: Role,
        agency: Option<&str>,
    ) -> Result<bool, ServiceError> {
        let added = Memberships::set_member(self, plan, viewer, email, role, agency).await?;
        Ok(matches!(added, Added::Invited))
    }

    async fn invitations(&self, who: &Requester, plan: Uuid) -> Result<app::team::Invitations, ServiceError> {
        let open = Memberships::invitations(self, plan, who).await?;
        Ok(app::team::Invitations {
            agencies: self.invitable.to_vec(),
            open: open
                .into_iter()
                .map(|i| app::team::InvitationView {
                    role: Role::parse(&i.role).unwrap_or(Role::Viewer),
                    email: i.email,
                    agency: i.agency,
                    invited_by: i.invited_by,
                    invited_on: i.invited_at.format("%-d %b %Y").to_string(),
                })
                .collect(),
        })
    }

    async fn withdraw_invitation(&self, viewer: Uuid, plan: Uuid, email: &str) -> Result<(), ServiceError> {
        Memberships::withdraw_invitation(self, plan, viewer, email).await
    }

    async fn remove_member(&self, viewer: Uuid, plan: Uuid, user: Uuid) -> Result<(), ServiceError> {
        Memberships::remove_member(self, plan, viewer, user).await
    }

    async fn hand_over(&self, viewer: Uuid, plan: Uuid, email: &str, then: &str) -> Result<(), ServiceError> {
        let then = Afterwards::parse(then)?;
        Memberships::hand_over(self, plan, viewer, email, then)
            .await
            .map(|_| ())
    }
}

#[async_trait::async_trait]
pub trait MembershipStore: Send + Sync + 'static {
    /// Creates a plan from its first snapshot and summary with `lro` as its
    /// LRO, and records that in the trail, all in one transaction.
    async fn create_plan_with_lro(&self, plan: NewStoredPlan<'_>, lro: Uuid) -> Result<(), StoreError>;

    /// Makes `change` if [`decide`] allows it against the plan's members as
    /// committed, and records it, in one transaction holding the plan's
    /// member rows. `Ok(Ok(old role))`; nothing is written or recorded when
    /// the role is unchanged.
    async fn change_member(&self, change: &MemberChange) -> Result<Result<Option<Role>, Refusal>, StoreError> {
        Ok(self
            .change_members(std::slice::from_ref(change))
            .await?
            .map(|old| old.first().copied().flatten()))
    }

    /// Makes every change of one plan in order, each decided against the
    /// members as the ones before it left them, all in one transaction: all
    /// are made and recorded, or (one refused) none. The old role of each.
    async fn change_members(&self, changes: &[MemberChange]) -> Result<Result<Vec<Option<Role>>, Refusal>, StoreError>;

    /// The plan's membership changes, oldest first.
    async fn member_changes(&self, plan: Uuid) -> Result<Vec<MemberChangeEntry>, StoreError>;
}
