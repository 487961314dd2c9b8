//! Handing a plan to another officer: they become its LRO, and the old LRO
//! becomes its plan owner or leaves it, in one transaction, both recorded
//! in the plan's history. The new LRO holds every LRO power at once, on
//! every node.

use super::{require_lro, Memberships};
use crate::membership::MemberChange;
use app::service_error::ServiceError;
use plan::access::Role;
use uuid::Uuid;

/// What the old LRO becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Afterwards {
    PlanOwner,
    Leaves,
}

impl Afterwards {
    /// `plan_owner` or `leave`.
    pub fn parse(value: &str) -> Result<Afterwards, ServiceError> {
        match value.trim() {
            "plan_owner" => Ok(Afterwards::PlanOwner),
            "leave" => Ok(Afterwards::Leaves),
            other => Err(ServiceError::Invalid(format!(
                "then: {other:?} is not plan_owner or leave"
            ))),
        }
    }

    fn role(self) -> Option<Role> {
        match self {
            Afterwards::PlanOwner => Some(Role::PlanOwner),
            Afterwards::Leaves => None,
        }
    }
}

impl Memberships {
    /// Hands the plan from its LRO `by` to the active account with `email`
    /// (whether a member yet or not); `by` becomes what `then` says. The new
    /// LRO's id.
    pub async fn hand_over(&self, plan: Uuid, by: Uuid, email: &str, then: Afterwards) -> Result<Uuid, ServiceError> {
        require_lro(self.accounts.member_role(plan, by).await?)?;
        let to = self.colleague(plan, email).await?.id;
        if to == by {
            return Err(ServiceError::Invalid(
                "email: that is you; hand the plan to another officer".into(),
            ));
        }
        let changes = [
            MemberChange {
                plan,
                by,
                user: to,
                role: Some(Role::Lro),
            },
            MemberChange {
                plan,
                by,
                user: by,
                role: then.role(),
            },
        ];
        let olds = self.members.change_members(&changes).await??;
        for (change, old) in changes.iter().zip(olds) {
            if super::store::told_of(change, old).is_some() {
                self.events.bell(&[change.user]);
            }
            self.events.membership_changed(plan, change.user);
            self.rooms.member_changed(plan, change.user, change.role).await;
        }
        tracing::info!(%plan, from = %by, to = %to, then = ?then, "plan handed over");
        Ok(to)
    }
}
