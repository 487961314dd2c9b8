//! Who is on a plan, changed atomically and audited.
//!
//! Every membership change (a plan's creator becoming its LRO, adding a
//! member, changing a role, removing a member) is decided by [`decide`]
//! against the plan's members as committed, written, and recorded in the
//! membership audit trail, all in one transaction that holds the plan's
//! member rows (see [`store`]). So two LROs demoting each other at once
//! cannot leave a plan without an LRO, and no change goes unrecorded.

mod store;

use crate::store::{Snapshot, StoreError};
use chrono::{DateTime, Utc};
use plan::access::Role;
use plan::PlanSummary;
use uuid::Uuid;

/// A membership change someone asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberChange {
    pub plan: Uuid,
    /// Who asks (must be the plan's LRO).
    pub by: Uuid,
    /// Whose membership changes.
    pub user: Uuid,
    /// The new role; `None` removes them from the plan.
    pub role: Option<Role>,
}

/// Why a membership change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The one asking is not a member (or there is no such plan).
    #[error("plan not found")]
    PlanNotFound,
    #[error("only the plan's LRO can do this")]
    NotLro,
    /// Removing someone who is not a member.
    #[error("member not found")]
    NoSuchMember,
    #[error("a plan must keep at least one LRO")]
    LastLro,
}

/// Whether `change` may be made to a plan whose members are `members`;
/// `Ok` carries the member's role before the change (`None`: not a member).
pub fn decide(members: &[(Uuid, Role)], change: &MemberChange) -> Result<Option<Role>, Refusal> {
    let role_of = |user: Uuid| members.iter().find(|(id, _)| *id == user).map(|(_, role)| *role);
    match role_of(change.by) {
        None => return Err(Refusal::PlanNotFound),
        Some(role) if !role.manages_members() => return Err(Refusal::NotLro),
        Some(_) => {}
    }
    let old = role_of(change.user);
    if old.is_none() && change.role.is_none() {
        return Err(Refusal::NoSuchMember);
    }
    let lros = members.iter().filter(|(_, role)| *role == Role::Lro).count();
    if old == Some(Role::Lro) && change.role != Some(Role::Lro) && lros == 1 {
        return Err(Refusal::LastLro);
    }
    Ok(old)
}

/// Someone as the history names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub agency: String,
}

/// One recorded membership change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberChangeEntry {
    pub at: DateTime<Utc>,
    pub by: Person,
    pub member: Person,
    pub old: Option<Role>,
    pub new: Option<Role>,
}

impl MemberChangeEntry {
    /// How the history names the member: "Alice Smith (Council)".
    pub fn member_shown_as(&self) -> String {
        format!("{} ({})", self.member.name, self.member.agency)
    }
}

#[async_trait::async_trait]
pub trait MembershipStore: Send + Sync + 'static {
    /// Creates a plan from its first snapshot and summary with `lro` as its
    /// LRO, and records that in the trail, all in one transaction.
    async fn create_plan_with_lro(
        &self,
        id: Uuid,
        snapshot: &Snapshot,
        summary: &PlanSummary,
        lro: Uuid,
    ) -> Result<(), StoreError>;

    /// Makes `change` if [`decide`] allows it against the plan's members as
    /// committed, and records it, in one transaction holding the plan's
    /// member rows. `Ok(Ok(old role))`; nothing is written or recorded when
    /// the role is unchanged.
    async fn change_member(&self, change: &MemberChange) -> Result<Result<Option<Role>, Refusal>, StoreError>;

    /// The plan's membership changes, oldest first.
    async fn member_changes(&self, plan: Uuid) -> Result<Vec<MemberChangeEntry>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(by: Uuid, user: Uuid, role: Option<Role>) -> MemberChange {
        MemberChange {
            plan: Uuid::nil(),
            by,
            user,
            role,
        }
    }

    #[test]
    fn only_the_lro_changes_members_and_the_last_lro_stays() {
        let (lro, other, partner, stranger) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let one_lro = [(lro, Role::Lro), (partner, Role::Partner)];
        assert_eq!(
            decide(&one_lro, &change(stranger, partner, None)),
            Err(Refusal::PlanNotFound)
        );
        assert_eq!(decide(&one_lro, &change(partner, partner, None)), Err(Refusal::NotLro));
        assert_eq!(
            decide(&one_lro, &change(lro, stranger, None)),
            Err(Refusal::NoSuchMember)
        );
        assert_eq!(
            decide(&one_lro, &change(lro, lro, Some(Role::Sio))),
            Err(Refusal::LastLro)
        );
        assert_eq!(decide(&one_lro, &change(lro, lro, None)), Err(Refusal::LastLro));
        assert_eq!(
            decide(&one_lro, &change(lro, lro, Some(Role::Lro))),
            Ok(Some(Role::Lro))
        );
        assert_eq!(
            decide(&one_lro, &change(lro, partner, Some(Role::Viewer))),
            Ok(Some(Role::Partner))
        );
        assert_eq!(decide(&one_lro, &change(lro, stranger, Some(Role::Viewer))), Ok(None));

        let two_lros = [(lro, Role::Lro), (other, Role::Lro)];
        assert_eq!(decide(&two_lros, &change(lro, lro, None)), Ok(Some(Role::Lro)));
        assert_eq!(
            decide(&two_lros, &change(other, lro, Some(Role::Partner))),
            Ok(Some(Role::Lro))
        );
    }

    #[test]
    fn a_recorded_change_reads_as_a_history_entry() {
        let person = |name: &str, agency: &str| Person {
            id: Uuid::new_v4(),
            name: name.into(),
            agency: agency.into(),
        };
        let entry = MemberChangeEntry {
            at: "2026-11-23T09:00:00Z".parse().unwrap(),
            by: person("Dee Lro", "Northshire Police"),
            member: person("Alice Smith", "Council"),
            old: None,
            new: Some(Role::Partner),
        };
        let history = entry.to_history();
        assert_eq!(history.user, "Dee Lro");
        assert_eq!(history.changes[0].field, format!("member:{}", entry.member.id));
        assert_eq!(history.changes[0].old.as_deref(), Some(""));
        assert_eq!(history.changes[0].new.as_deref(), Some("partner"));
        assert_eq!(entry.member_shown_as(), "Alice Smith (Council)");
    }
}
