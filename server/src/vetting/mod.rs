//! Vetting: access follows it. Each person holds a level (NPPV1..3, or a
//! force's national equivalent: configured data) until an expiry date, set
//! by administrators and vetting officers (an account flag) and recorded
//! change by change (`vetting_changes`, append-only). Each plan needs the
//! level its marking implies, or more if its LRO raised it (recorded in the
//! plan's history).
//!
//! Who may open a plan is the database's judgement (`cleared_members`,
//! which the accounts store's `member_role` and `member_plans`, and the
//! portfolio's and my-actions' joins read), so a member whose vetting is
//! below the plan's level or has expired gets the non-member 404
//! everywhere. Their membership stays: the plan's LRO sees why they are
//! shut out. Open connections follow too: a change here closes those it
//! shuts out at once (4403), on every node ([`Vettings::shut_out_user`],
//! [`Vettings::shut_out_plan`]), and since vetting also lapses by time
//! passing, each node sweeps its open plans every
//! `PILLARS_VETTING_SWEEP_SECS` ([`sweep`]).

mod port;
mod records;
pub mod routes;
pub mod store;
pub mod sweep;

pub use routes::router;

use crate::access_log::AccessLog;
use crate::accounts::store::AccountStore;
use crate::collab::rooms::Rooms;
use crate::plan_events::PlanEvents;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use plan::vetting::{HeldVetting, VettingPolicy};
use plan::SecurityMarking;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use store::{PlanNeeds, PlanRaise, VettingChange, VettingChangeEntry, VettingStore};
use uuid::Uuid;

crate::store::composite_storage!(
    /// What the vetting service keeps and reads.
    pub trait VettingStorage: AccountStore + VettingStore
);

/// How many recorded changes of vetting a listing shows.
const CHANGES_SHOWN: i64 = 500;

/// The vetting service. Cheap to clone.
#[derive(Clone)]
pub struct Vettings {
    store: Arc<dyn VettingStore>,
    accounts: Arc<dyn AccountStore>,
    policy: Arc<VettingPolicy>,
    rooms: Rooms,
    events: PlanEvents,
    access: AccessLog,
    /// (plan, member) pairs the sweep has already shut out on this node.
    swept: Arc<Mutex<HashSet<(Uuid, Uuid)>>>,
}

impl Vettings {
    /// Writes the force's settings into the database (so that it judges
    /// clearances by them), then serves.
    pub async fn start(
        store: Arc<dyn VettingStorage>,
        policy: VettingPolicy,
        rooms: Rooms,
        events: PlanEvents,
        access: AccessLog,
    ) -> Result<Vettings, crate::store::StoreError> {
        store.configure(&policy).await?;
        Ok(Vettings {
            accounts: store.clone(),
            store,
            policy: Arc::new(policy),
            rooms,
            events,
            access,
            swept: Arc::default(),
        })
    }

    pub fn policy(&self) -> &VettingPolicy {
        &self.policy
    }

    /// Sets `user`'s vetting (administrators and vetting officers; nobody
    /// their own): a level and, above none, the date it expires on.
    /// Recorded; their open connections to plans it shuts them out of close
    /// at once.
    pub async fn set_vetting(
        &self,
        who: &Requester,
        user: Uuid,
        level: &str,
        expires: Option<&str>,
    ) -> Result<HeldVetting, ServiceError> {
        officer(who)?;
        if user == who.viewer.id {
            return Err(ServiceError::Forbidden(
                "nobody sets their own vetting: ask another vetting officer".into(),
            ));
        }
        let levels = &self.policy.levels;
        let (level, expires_at) = levels.check_setting(level, expires).map_err(ServiceError::Invalid)?;
        let new = HeldVetting {
            level: (level != levels.lowest()).then_some(level),
            expires_at,
        };
        let change = VettingChange {
            by: who.viewer.id,
            user,
            new: &new,
        };
        let old = self
            .store
            .set_vetting(change)
            .await?
            .ok_or(ServiceError::NotFound("user"))?;
        tracing::info!(by = %who.viewer.id, %user, ?old, ?new, "vetting set");
        self.forget_swept(user);
        self.shut_out_user(user).await?;
        Ok(new)
    }

    /// Recorded changes of vetting, newest first (`user`'s only, if given):
    /// for administrators, vetting officers and auditors.
    pub async fn changes(&self, who: &Requester, user: Option<Uuid>) -> Result<Vec<VettingChangeEntry>, ServiceError> {
        if !who.viewer.auditor {
            officer(who)?;
        }
        Ok(self.store.vetting_changes(user, CHANGES_SHOWN).await?)
    }

    /// What the plan needs, for a member (a consultation, logged): the
    /// marking's level, the LRO's raise, and the level needed now.
    pub async fn plan_for(&self, who: &Requester, plan: Uuid) -> Result<(plan::access::Role, PlanNeeds), ServiceError> {
        let role = self
            .access
            .consult(who, plan, plan::access_log::AccessKind::MembersRead, "vetting")
            .await?;
        let needs = self
            .store
            .plan_needs(plan)
            .await?
            .ok_or(ServiceError::NotFound("plan"))?;
        Ok((role, needs))
    }

    /// The level the plan's marking implies (the lowest if none).
    pub fn implied(&self, needs: &PlanNeeds) -> &str {
        let marking = needs.marking.as_deref().and_then(|m| m.parse::<SecurityMarking>().ok());
        marking
            .and_then(|m| self.policy.by_marking.implied(m))
            .unwrap_or(self.policy.levels.lowest())
    }

    /// The plan's LRO sets the level it needs: never below what its
    /// marking implies, nor above what they hold themselves. Recorded in
    /// the plan's history; members it shuts out are disconnected at once.
    /// The level the plan needs afterwards.
    pub async fn raise(&self, who: &Requester, plan: Uuid, level: &str) -> Result<String, ServiceError> {
        let by = who.viewer.id;
        crate::membership::require_lro(self.accounts.member_role(plan, by).await?)?;
        let levels = &self.policy.levels;
        let level = levels.canonical(level).map_err(ServiceError::Invalid)?.to_string();
        let needs = self
            .store
            .plan_needs(plan)
            .await?
            .ok_or(ServiceError::NotFound("plan"))?;
        let implied = self.implied(&needs).to_string();
        let rank = |l: &str| levels.rank(l).unwrap_or(usize::MAX);
        if rank(&level) < rank(&implied) {
            let marking = needs.marking.unwrap_or_default();
            return Err(ServiceError::Invalid(format!(
                "level: this plan is marked {marking}, which needs {implied} at least"
            )));
        }
        self.require_own(who, &level).await?;
        let raised = (rank(&level) > rank(&implied)).then_some(level.as_str());
        let old = self
            .store
            .raise_plan(PlanRaise {
                plan,
                by,
                level: raised,
            })
            .await?
            .map_err(|_| ServiceError::NotFound("plan"))?;
        tracing::info!(%plan, %by, ?old, new = ?raised, "plan's vetting level set");
        self.shut_out_plan(plan).await?;
        Ok(level)
    }

    /// Refuses to raise a plan above what the LRO holds (they would shut
    /// themselves out).
    async fn require_own(&self, who: &Requester, level: &str) -> Result<(), ServiceError> {
        let levels = &self.policy.levels;
        if levels.rank(level) == Some(0) {
            return Ok(());
        }
        let user = self.accounts.user_by_email(&who.viewer.email).await?;
        let held = user.map(|u| u.vetting).unwrap_or_default();
        let holds = held.level.as_deref().and_then(|l| levels.rank(l)).unwrap_or(0);
        if holds < levels.rank(level).unwrap_or(usize::MAX) || held.expired(chrono::Utc::now()) {
            return Err(ServiceError::Invalid(format!(
                "level: you would shut yourself out: your own vetting does not meet {level}"
            )));
        }
        Ok(())
    }

    /// Closes `user`'s connections to every plan their vetting shuts them
    /// out of, on every node, and updates their plans lists.
    pub async fn shut_out_user(&self, user: Uuid) -> Result<(), ServiceError> {
        let pairs = self.store.shut_out(None, Some(user)).await?;
        self.close(pairs).await;
        Ok(())
    }

    /// Closes the connections of every member the plan's level shuts out,
    /// on every node.
    pub async fn shut_out_plan(&self, plan: Uuid) -> Result<(), ServiceError> {
        let pairs = self.store.shut_out(Some(plan), None).await?;
        self.close(pairs).await;
        Ok(())
    }

    async fn close(&self, pairs: Vec<(Uuid, Uuid)>) {
        for (plan, user) in pairs {
            tracing::info!(%plan, %user, "vetting shuts a member out");
            self.rooms.member_changed(plan, user, None).await;
            self.events.membership_changed(plan, user);
        }
    }

    /// The sweep may shut `user` out again (their vetting changed).
    fn forget_swept(&self, user: Uuid) {
        let mut swept = self.swept.lock().unwrap_or_else(|e| e.into_inner());
        swept.retain(|(_, u)| *u != user);
    }
}

/// Administrators and vetting officers set vetting; anyone else is refused.
fn officer(who: &Requester) -> Result<(), ServiceError> {
    if who.viewer.is_admin || who.viewer.vetting_officer {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "only administrators and vetting officers manage vetting".into(),
        ))
    }
}
