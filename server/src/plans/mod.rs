//! The plans service: creating, listing, reading and exporting plans. The
//! REST routes ([`routes`]) and the pages (through [`app::ssr::PlanDirectory`])
//! both call [`Plans`]. A plan is visible only to its members: to anyone
//! else it does not exist (the same answer as for an unknown plan).

pub mod routes;

pub use routes::router;

use crate::access_log::AccessLog;
use crate::accounts::store::AccountStore;
use crate::membership::MembershipStore;
use crate::plan_events::{MemberWatcher, PlanEvents};
use crate::store::{NewStoredPlan, PlanStore, Snapshot, StoreError};
use app::plan_page::PlanPageData;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use plan::access::Role;
use plan::access_log::AccessKind;
use plan::strategy::PublishedStrategy;
use plan::{NewPlan, PlanDoc, PlanExport, PlanSummary, ReviewIntervals};
use std::sync::Arc;
use tokio::sync::watch;
use uuid::Uuid;
use yrs::updates::encoder::Encode;
use yrs::{ReadTxn, StateVector};

#[derive(Clone)]
pub struct Plans {
    store: Arc<dyn PlanStore>,
    accounts: Arc<dyn AccountStore>,
    members: Arc<dyn MembershipStore>,
    portfolio: Arc<dyn crate::portfolio::PortfolioStore>,
    life: Arc<dyn crate::lifecycle::store::LifecycleStore>,
    intervals: ReviewIntervals,
    events: PlanEvents,
    /// The current Control Strategy, which names threat tags.
    strategy: watch::Receiver<Arc<PublishedStrategy>>,
    /// Where each reading of a plan is recorded (and need-to-know judged).
    access: AccessLog,
}

crate::store::composite_storage!(
    /// What the plans service keeps and reads.
    pub trait PlansStorage: PlanStore
        + AccountStore
        + MembershipStore
        + crate::portfolio::PortfolioStore
        + crate::lifecycle::store::LifecycleStore
);

impl Plans {
    pub fn new(
        store: Arc<dyn PlansStorage>,
        intervals: ReviewIntervals,
        events: PlanEvents,
        strategy: watch::Receiver<Arc<PublishedStrategy>>,
        access: AccessLog,
    ) -> Self {
        Plans {
            access,
            accounts: store.clone(),
            members: store.clone(),
            portfolio: store.clone(),
            life: store.clone(),
            store,
            intervals,
            events,
            strategy,
        }
    }

    /// Changes to the plans list.
    pub fn events(&self) -> &PlanEvents {
        &self.events
    }

    /// Changes to the plans `user` is a member of (and to which they are).
    pub async fn watch_for(&self, user: Uuid) -> Result<MemberWatcher<Arc<dyn AccountStore>>, StoreError> {
        self.events.watch_for(user, self.accounts.clone()).await
    }

    pub fn store(&self) -> &Arc<dyn PlanStore> {
        &self.store
    }

    /// Creates a plan (already validated), with `creator` as its LRO;
    /// returns its export and summary. Only accounts that may lead plans
    /// may (see [`MAY_NOT_LEAD`]).
    pub async fn create(&self, new: &NewPlan, creator: Uuid) -> Result<(PlanExport, PlanSummary), ServiceError> {
        // Read at each creation, so that an administrator's withdrawal
        // holds at once, without a new log-in.
        if !self.accounts.may_lead_plans(creator).await? {
            return Err(ServiceError::Forbidden(MAY_NOT_LEAD.into()));
        }
        let id = Uuid::new_v4();
        let today = chrono::Utc::now().date_naive();
        let doc = PlanDoc::create(new, today);
        let (snapshot, export, summary) = {
            let txn = doc.transact();
            let snapshot = Snapshot {
                upto_seq: 0,
                state: txn.encode_state_as_update_v1(&StateVector::default()),
                state_vector: txn.state_vector().encode_v1(),
            };
            (
                snapshot,
                doc.export(&txn, id, &self.intervals)
                    .name_threats(&self.strategy().strategy),
                doc.summary(&txn, id, &self.intervals),
            )
        };
        // One transaction: a plan never exists without its LRO.
        self.members
            .create_plan_with_lro(
                NewStoredPlan {
                    id,
                    snapshot: &snapshot,
                    summary: &summary,
                },
                creator,
            )
            .await?;
        tracing::info!(plan = %id, subject = %new.subject_name, "plan created");
        if let Err(e) = crate::portfolio::refresh(&*self.portfolio, id, &doc, 0, &self.intervals, true).await {
            // Its room writes them when the plan is first opened.
            tracing::error!(plan = %id, error = ?e, "could not write a new plan's portfolio facts");
        }
        self.events.membership_changed(id, creator);
        Ok((export, summary))
    }

    /// The plans `user` is a member of, newest first.
    pub async fn list_for(&self, user: Uuid) -> Result<Vec<PlanSummary>, ServiceError> {
        let mine: std::collections::HashSet<Uuid> = self.accounts.member_plans(user).await?.into_iter().collect();
        let mut all = self.store.list_plans().await?;
        all.retain(|p| mine.contains(&p.id));
        Ok(all)
    }

    /// `user`'s role on the plan; `None` for non-members and unknown plans.
    pub async fn role_of(&self, plan: Uuid, user: Uuid) -> Result<Option<Role>, StoreError> {
        self.accounts.member_role(plan, user).await
    }

    /// The whole plan as exported; `NotFound` unless `who` is a member.
    /// A consultation (logged).
    pub async fn export_for(&self, id: Uuid, who: &Requester) -> Result<PlanExport, ServiceError> {
        self.access.consult(who, id, AccessKind::ReadByApi, "").await?;
        self.export(id).await?.ok_or(ServiceError::NotFound("plan"))
    }

    /// The plan as its page shows it, if `who` is a member. A consultation
    /// (logged).
    pub async fn page_for(&self, id: Uuid, who: &Requester) -> Result<Option<PlanPageData>, ServiceError> {
        let role = match self.access.consult(who, id, AccessKind::Opened, "").await {
            Ok(role) => role,
            Err(ServiceError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let plan = self.load(id).await?;
        let strategy = self.strategy().strategy.clone();
        let life = self.life.plan_life(id).await?;
        // The LRO and plan owner are told of break-glass access (a week back).
        let glass = if matches!(role, Role::Lro | Role::PlanOwner) {
            self.access.recent_break_glass(id, 7).await?
        } else {
            Vec::new()
        };
        let handed_over = if role == Role::Lro {
            self.handed_to(id, who.viewer.id).await?
        } else {
            None
        };
        Ok(plan.map(|plan| {
            let mut page = PlanPageData::new(id, &plan, self.intervals, role, strategy).living(life);
            page.break_glass = glass;
            page.handed_over = handed_over;
            page
        }))
    }

    /// Who made `user` the plan's LRO in the last week, and when (a
    /// handover, which the new LRO is told of on the plan's page).
    async fn handed_to(
        &self,
        plan: Uuid,
        user: Uuid,
    ) -> Result<Option<(String, chrono::DateTime<chrono::Utc>)>, ServiceError> {
        let week_ago = chrono::Utc::now() - chrono::Duration::days(7);
        let changes = self.members.member_changes(plan).await?;
        Ok(changes
            .into_iter()
            .rev()
            .find(|c| c.member.id == user && c.new == Some(Role::Lro) && c.by.id != user)
            .filter(|c| c.at >= week_ago)
            .map(|c| (format!("{} ({})", c.by.name, c.by.agency), c.at)))
    }

    /// The current Control Strategy.
    pub fn strategy(&self) -> Arc<PublishedStrategy> {
        self.strategy.borrow().clone()
    }

    pub fn intervals(&self) -> ReviewIntervals {
        self.intervals
    }

    /// The whole plan as exported.
    pub async fn export(&self, id: Uuid) -> Result<Option<PlanExport>, StoreError> {
        let Some(doc) = self.load(id).await? else {
            return Ok(None);
        };
        let export = doc.export(&doc.transact(), id, &self.intervals);
        Ok(Some(export.name_threats(&self.strategy().strategy)))
    }

    /// The whole plan as stored: snapshot plus every logged update, which
    /// includes every update any client has been sent.
    pub async fn load(&self, id: Uuid) -> Result<Option<PlanDoc>, StoreError> {
        Ok(self.load_with_seq(id).await?.map(|(plan, _)| plan))
    }

    /// Rebuilds the portfolio's facts for plans that have none or older
    /// ones (plans made before the portfolio existed). A room may open one
    /// meanwhile: only stale facts are replaced, so a room's newer ones win.
    pub async fn backfill_portfolio_facts(&self) -> Result<usize, StoreError> {
        use plan::portfolio::FACTS_VERSION;
        let stale = self.portfolio.plans_with_stale_facts(FACTS_VERSION).await?;
        let mut done = 0;
        for id in stale {
            let Some((doc, seq)) = self.load_with_seq(id).await? else {
                continue;
            };
            crate::portfolio::write_all_facts(&*self.portfolio, id, &doc, seq, &self.intervals, true).await?;
            self.events.changed(id);
            done += 1;
        }
        Ok(done)
    }

    /// The plan as stored, and the seq of the last update in it.
    pub async fn load_with_seq(&self, id: Uuid) -> Result<Option<(PlanDoc, i64)>, StoreError> {
        let stored = match self.store.load(id).await {
            Ok(stored) => stored,
            Err(StoreError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let snapshot = stored.snapshot.as_ref().map(|s| s.state.as_slice());
        let (plan, problems) = plan::load_plan(snapshot, stored.updates.iter().map(|u| u.update.as_slice()));
        for problem in problems {
            tracing::error!(plan = %id, %problem, "a stored update could not be applied; skipped");
        }
        Ok(Some((plan, stored.last_seq())))
    }
}

/// Why a plan could not be created for someone who may not lead plans.
pub const MAY_NOT_LEAD: &str =
    "your account may not lead plans, so it cannot create them: ask an administrator if you should";

/// The pages reach plans through the same operations as the JSON API.
#[async_trait::async_trait]
impl app::ssr::PlanDirectory for Plans {
    async fn list_plans(&self, viewer: Uuid) -> Result<Vec<PlanSummary>, ServiceError> {
        self.list_for(viewer).await
    }

    async fn create_plan(&self, viewer: Uuid, plan: NewPlan) -> Result<PlanSummary, ServiceError> {
        let plan = plan.validate()?;
        Ok(self.create(&plan, viewer).await?.1)
    }

    async fn get_plan(&self, who: &Requester, id: Uuid) -> Result<Option<PlanPageData>, ServiceError> {
        self.page_for(id, who).await
    }
}
