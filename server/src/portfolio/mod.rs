//! The regional portfolio service: every plan seen against the Control
//! Strategy. The REST routes ([`router`]) and the page's server function
//! (through [`app::ssr::PortfolioPort`]) both call [`Portfolios`], which owns
//! the rules (need-to-know), the reads and the CSV.
//!
//! Need-to-know: administrators and strategic leads count every plan;
//! everyone else counts only their own plans. Plans are named (and linked)
//! only for their members.
//!
//! The figures come from facts kept in storage ([`store`]), which each
//! room refreshes for what an accepted update touched ([`record`]).

mod fact_writes;
pub mod live;
pub mod routes;
pub(crate) mod rows;
pub mod store;

pub use routes::router;
pub use store::{AllFacts, FactsAsOf, PortfolioStore};

use crate::access_log::{Access, AccessLog};
use crate::store::StoreError;
use anyhow::Context;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use app::session::Viewer;
use chrono::NaiveDate;
use plan::access_log::{AccessKind, Basis};
use plan::portfolio::{aggregate, export, PortfolioQuery, PortfolioView, Touched, FACTS_VERSION};
use plan::strategy::PublishedStrategy;
use plan::{PlanDoc, ReviewIntervals, SecurityMarking};
use std::collections::HashMap;
use std::sync::Arc;
use store::FiguresScope;
use tokio::sync::watch;
use uuid::Uuid;

#[derive(Clone)]
pub struct Portfolios {
    store: Arc<dyn PortfolioStore>,
    strategy: watch::Receiver<Arc<PublishedStrategy>>,
    access: AccessLog,
}

/// The flag a viewer counts every plan in the region under, if any.
fn region_basis(viewer: &Viewer) -> Option<Basis> {
    if viewer.is_admin {
        Some(Basis::Administrator)
    } else if viewer.strategic_lead {
        Some(Basis::StrategicLead)
    } else {
        None
    }
}

/// Whether the viewer counts every plan in the region.
pub fn sees_whole_region(viewer: &Viewer) -> bool {
    viewer.is_admin || viewer.strategic_lead
}

impl Portfolios {
    pub fn new(
        store: Arc<dyn PortfolioStore>,
        strategy: watch::Receiver<Arc<PublishedStrategy>>,
        access: AccessLog,
    ) -> Self {
        Portfolios {
            store,
            strategy,
            access,
        }
    }

    /// The portfolio as `who` may see it. Each plan a drill-down names is
    /// consulted (logged); counts name none.
    pub async fn view(
        &self,
        who: &Requester,
        query: &PortfolioQuery,
        today: NaiveDate,
    ) -> Result<PortfolioView, ServiceError> {
        let view = self.counts(&who.viewer, query, today).await?;
        // Counts of every plan are read under a flag, and recorded as such.
        if let Some(basis) = region_basis(&who.viewer) {
            let detail = serde_json::to_string(&view.query).unwrap_or_default();
            self.access
                .record(Access::by(who, AccessKind::PortfolioRead, basis).detail(detail))
                .await;
        }
        if let Some(list) = &view.portfolio.list {
            let named = list.plans.iter().filter_map(|p| p.id);
            let consulted = named.map(|plan| {
                self.access
                    .consult(who, plan, AccessKind::NamedInPortfolio, &list.title)
            });
            // Named only for members, so each is granted; a plan left
            // meanwhile is logged as refused, and stays named this once.
            let _ = futures_util::future::join_all(consulted).await;
        }
        Ok(view)
    }

    /// The portfolio's figures as `viewer` may see them.
    async fn counts(
        &self,
        viewer: &Viewer,
        query: &PortfolioQuery,
        today: NaiveDate,
    ) -> Result<PortfolioView, ServiceError> {
        let filter = query.parse(today).map_err(ServiceError::Invalid)?;
        let strategy = self.strategy.borrow().clone();
        let whole_region = sees_whole_region(viewer);
        let member = (!whole_region).then_some(viewer.id);
        let scope = FiguresScope {
            member,
            agency: filter.agency.as_deref(),
            today,
            window: plan::portfolio::aggregate::disruption_window(&filter, today),
        };
        let figures = self
            .store
            .figures(scope)
            .await
            .context("reading the portfolio's figures")?;
        let names = self.member_plan_names(viewer.id).await?;
        let agencies = self.store.action_agencies(member).await.context("listing agencies")?;
        let portfolio = aggregate(&strategy.strategy, &filter, today, &figures, &names, whole_region);
        let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
        let until = portfolio.to.succ_opt().unwrap_or(portfolio.to);
        let closed = self
            .store
            .closed_between(member, start(portfolio.from), start(until))
            .await
            .context("counting the plans closed in the period")?;
        let closed = plan::lifecycle::Outcome::ALL
            .into_iter()
            .filter_map(|o| {
                let n = closed
                    .iter()
                    .filter(|(k, _)| k == o.key())
                    .map(|(_, n)| *n)
                    .sum::<i64>();
                (n > 0).then_some((o, n as u32))
            })
            .collect();
        Ok(PortfolioView {
            marking: SecurityMarking::OfficialSensitive,
            strategy_title: strategy.strategy.title.clone(),
            strategy_version: strategy.version,
            threats: strategy
                .strategy
                .threats
                .iter()
                .map(|t| (t.key.to_string(), t.name.clone(), t.retired))
                .collect(),
            agencies,
            query: filter.to_query(),
            portfolio,
            closed,
        })
    }

    /// The portfolio as CSV, headed and footed by the marking. Names no
    /// plan; a disclosure of counts made for `recipients` (logged, with the
    /// flag the counts were read under).
    pub async fn csv(
        &self,
        who: &Requester,
        query: &PortfolioQuery,
        today: NaiveDate,
        recipients: &str,
    ) -> Result<String, ServiceError> {
        let viewer = &who.viewer;
        let view = self.counts(viewer, query, today).await?;
        let basis = region_basis(viewer).unwrap_or(Basis::OwnPlans);
        let detail = serde_json::to_string(&view.query).unwrap_or_default();
        let entry = Access::by(who, AccessKind::PortfolioExported, basis)
            .detail(detail)
            .for_whom(recipients);
        self.access.record(entry).await;
        let title = format!("{} (version {})", view.strategy_title, view.strategy_version);
        Ok(export::to_csv(view.marking.as_str(), &title, &view.portfolio))
    }

    async fn member_plan_names(&self, user: Uuid) -> Result<HashMap<Uuid, String>, ServiceError> {
        let plans = self
            .store
            .member_plan_names(user)
            .await
            .context("reading the viewer's plans")?;
        Ok(plans
            .into_iter()
            .map(|(id, name, reference)| {
                let name = if reference.trim().is_empty() {
                    name
                } else {
                    format!("{name} ({reference})")
                };
                (id, name)
            })
            .collect())
    }
}

/// Keeps a plan's stored facts current from its room, whose `doc` holds
/// the plan as of `seq`. Cheap: only what the accepted updates touched is
/// read and written.
pub async fn record(
    store: &dyn PortfolioStore,
    plan_id: Uuid,
    doc: &PlanDoc,
    seq: i64,
    intervals: &ReviewIntervals,
    touched: &Touched,
) -> Result<(), StoreError> {
    if touched.is_empty() {
        return Ok(());
    }
    let (facts, (actions, removed)) = {
        let txn = doc.transact();
        (
            touched.plan.then(|| doc.plan_facts(&txn, intervals)),
            doc.action_facts(&txn, &touched.actions),
        )
    };
    store
        .update_facts(FactsAsOf {
            plan: plan_id,
            seq,
            facts: facts.as_ref(),
            actions: &actions,
            removed: &removed,
        })
        .await
}

/// Writes all of a plan's facts when storage has none or older ones (or
/// `force`, after a failed write). O(plan), so only at a room's start or to
/// repair.
pub async fn refresh(
    store: &dyn PortfolioStore,
    plan_id: Uuid,
    doc: &PlanDoc,
    seq: i64,
    intervals: &ReviewIntervals,
    force: bool,
) -> Result<(), StoreError> {
    if !force && store.facts_version(plan_id).await? >= Some(FACTS_VERSION) {
        return Ok(());
    }
    write_all_facts(store, plan_id, doc, seq, intervals, false).await
}

/// Writes every fact of a plan as of `seq`; with `only_if_stale`, only
/// where storage holds none or older ones (a room may have written newer).
pub async fn write_all_facts(
    store: &dyn PortfolioStore,
    plan_id: Uuid,
    doc: &PlanDoc,
    seq: i64,
    intervals: &ReviewIntervals,
    only_if_stale: bool,
) -> Result<(), StoreError> {
    let (facts, actions) = {
        let txn = doc.transact();
        (doc.plan_facts(&txn, intervals), doc.all_action_facts(&txn))
    };
    store
        .replace_facts(
            AllFacts {
                plan: plan_id,
                seq,
                facts: &facts,
                actions: &actions,
            },
            only_if_stale,
        )
        .await
}

#[async_trait::async_trait]
impl app::portfolio::ssr::PortfolioPort for Portfolios {
    async fn view(&self, who: &Requester, query: &PortfolioQuery) -> Result<PortfolioView, ServiceError> {
        Portfolios::view(self, who, query, chrono::Utc::now().date_naive()).await
    }
}
