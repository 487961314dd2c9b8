//! The rules of membership: who may change a plan's members, and how a
//! recorded change reads.

use chrono::{DateTime, Utc};
use plan::access::Role;
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

/// Whether someone with `role` on a plan (`None`: not a member) may do
/// what only its LRO may: manage its members, read its whole history.
pub fn require_lro(role: Option<Role>) -> Result<(), Refusal> {
    match role {
        None => Err(Refusal::PlanNotFound),
        Some(role) if !role.manages_members() => Err(Refusal::NotLro),
        Some(_) => Ok(()),
    }
}

/// Whether `change` may be made to a plan whose members are `members`;
/// `Ok` carries the member's role before the change (`None`: not a member).
pub fn decide(members: &[(Uuid, Role)], change: &MemberChange) -> Result<Option<Role>, Refusal> {
    let role_of = |user: Uuid| members.iter().find(|(id, _)| *id == user).map(|(_, role)| *role);
    require_lro(role_of(change.by))?;
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
}
