//! The consultation and disclosure log (Data Protection Act 2018, s.62):
//! every reading of a plan and every handing out of it, with who, when,
//! what, why and from where. Alterations are the audit trail's (`audit`).
//!
//! [`AccessLog::consult`] is the one need-to-know gate for reading a plan:
//! it answers the reader's role (or the same 404 as for a plan that does not
//! exist) and records the reading either way, so a non-member's probe is
//! visible under the prober's name. Entries go through a bounded [`queue`]
//! to one writer, so a read never waits on the log's write.
//!
//! Who reads the log: a plan's LRO (its entries, without addresses), every
//! user (their own), and auditors (everyone's, searched and exported; the
//! search and the export are themselves entries). See [`routes`] and the
//! pages' [`app::access_log::ssr::AccessLogPort`] ([`port`]).

pub mod break_glass;
mod csv;
pub mod entry;
mod port;
pub mod queue;
pub mod routes;
pub mod store;

pub use entry::Access;
pub use routes::router;

use crate::accounts::store::AccountStore;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use break_glass::BreakGlassStore;
use plan::access::Role;
use plan::access_log::{AccessEntry, AccessKind, AccessQuery, Basis, PAGE_SIZE};
use queue::Queue;
use std::sync::Arc;
use store::{AccessLogStore, Filter};
use uuid::Uuid;

crate::store::composite_storage!(
    /// What the access log keeps and reads.
    pub trait AccessLogStorage: AccountStore + AccessLogStore + BreakGlassStore
);

/// The access log service. Cheap to clone.
#[derive(Clone)]
pub struct AccessLog {
    accounts: Arc<dyn AccountStore>,
    store: Arc<dyn AccessLogStore>,
    glass: Arc<dyn BreakGlassStore>,
    /// How long break-glass access lasts.
    glass_lasts: chrono::Duration,
    queue: Queue,
}

impl AccessLog {
    /// Starts the log's writer; at most `capacity` entries wait for it.
    /// Break-glass access lasts an hour ([`AccessLog::with_break_glass_for`]).
    pub fn start(store: Arc<dyn AccessLogStorage>, capacity: usize) -> AccessLog {
        AccessLog {
            accounts: store.clone(),
            store: store.clone(),
            glass: store.clone(),
            glass_lasts: chrono::Duration::hours(1),
            queue: Queue::start(store, capacity),
        }
    }

    /// Break-glass access lasts `lasts`.
    pub fn with_break_glass_for(mut self, lasts: std::time::Duration) -> AccessLog {
        self.glass_lasts = chrono::Duration::from_std(lasts).unwrap_or(chrono::Duration::hours(1));
        self
    }

    /// Opens the plan to `who` in an emergency, read-only, until the time
    /// returned: only auditors, strategic leads and administrators who are
    /// not members, and only with a reason. Anyone else, or no reason: the
    /// same 404 as for no plan. The grant is logged, with its reason.
    pub async fn break_glass(
        &self,
        who: &Requester,
        plan: Uuid,
        reason: &str,
    ) -> Result<chrono::DateTime<chrono::Utc>, ServiceError> {
        let reason = reason.trim();
        let v = &who.viewer;
        let may = v.auditor || v.strategic_lead || v.is_admin;
        if !may || reason.is_empty() || reason.len() > plan::lifecycle::MAX_TEXT {
            return Err(ServiceError::NotFound("plan"));
        }
        if self.accounts.member_role(plan, v.id).await?.is_some() {
            return Err(ServiceError::Invalid(
                "you are a member of this plan: open it as usual".into(),
            ));
        }
        let now = chrono::Utc::now();
        let until = now + self.glass_lasts;
        let grant = break_glass::Grant {
            plan,
            user: v.id,
            reason,
            at: now,
            until,
        };
        if !self.glass.grant_break_glass(grant).await? {
            return Err(ServiceError::NotFound("plan"));
        }
        tracing::warn!(%plan, user = %v.id, %until, "break-glass access granted");
        self.record(
            Access::by(who, AccessKind::BrokeGlass, Basis::BreakGlass)
                .on(plan)
                .detail(reason),
        )
        .await;
        Ok(until)
    }

    /// Break-glass grants on the plan in the last `days`, newest first.
    pub async fn recent_break_glass(
        &self,
        plan: Uuid,
        days: i64,
    ) -> Result<Vec<plan::access_log::BreakGlassNote>, ServiceError> {
        let since = chrono::Utc::now() - chrono::Duration::days(days);
        Ok(self.glass.break_glass_since(plan, since).await?)
    }

    /// May `who` read `plan`? Their role if so (a non-member holding
    /// break-glass access reads as a viewer); the 404 every unknown plan
    /// gets if not. Records the reading (`kind`, on `detail`) either way.
    pub async fn consult(
        &self,
        who: &Requester,
        plan: Uuid,
        kind: AccessKind,
        detail: &str,
    ) -> Result<Role, ServiceError> {
        self.disclose(who, plan, kind, detail, "").await
    }

    /// As [`AccessLog::consult`], for a disclosure made for `recipients`.
    pub async fn disclose(
        &self,
        who: &Requester,
        plan: Uuid,
        kind: AccessKind,
        detail: &str,
        recipients: &str,
    ) -> Result<Role, ServiceError> {
        let (role, basis) = match self.accounts.member_role(plan, who.viewer.id).await? {
            Some(role) => (Some(role), Basis::Member(role)),
            // Only a non-member pays for this look-up.
            None if self
                .glass
                .holds_break_glass(plan, who.viewer.id, chrono::Utc::now())
                .await? =>
            {
                (Some(Role::Viewer), Basis::BreakGlass)
            }
            // A member shut out by vetting is refused alike, and logged as such.
            None if self.accounts.is_listed_member(plan, who.viewer.id).await? => (None, Basis::NotCleared),
            None => (None, Basis::NotMember),
        };
        let entry = Access::by(who, kind, basis)
            .on(plan)
            .detail(detail)
            .for_whom(recipients);
        self.record(entry).await;
        role.ok_or(ServiceError::NotFound("plan"))
    }

    /// Records an entry whose basis the caller has decided.
    pub async fn record(&self, entry: Access) {
        self.queue.push(entry).await;
    }

    /// Returns once every entry recorded before the call is written.
    pub async fn flush(&self) {
        self.queue.flush().await;
    }

    /// Entries waiting to be written.
    pub fn queue_depth(&self) -> usize {
        self.queue.depth()
    }

    /// Writes every queued entry; for a stopping server.
    pub async fn stop(&self) {
        self.queue.stop().await;
    }

    /// Who has read or handed out the plan, for its LRO only: without
    /// addresses and user agents, which are for auditors. Reading it is
    /// itself an entry.
    pub async fn plan_log(&self, who: &Requester, plan: Uuid) -> Result<Vec<AccessEntry>, ServiceError> {
        let role = self.consult(who, plan, AccessKind::AccessLogRead, "").await?;
        if role != Role::Lro {
            return Err(ServiceError::Forbidden(
                "only the plan's LRO sees who has looked at it".into(),
            ));
        }
        let filter = Filter {
            plan: Some(plan),
            ..Filter::default()
        };
        // Every reading so far, this one included.
        self.flush().await;
        let mut entries = self.store.accesses(&filter, PAGE_SIZE).await?;
        for e in &mut entries {
            e.address = None;
            e.user_agent = None;
        }
        Ok(entries)
    }

    /// What `who` has read or handed out, newest first.
    pub async fn own_log(&self, who: &Requester) -> Result<Vec<AccessEntry>, ServiceError> {
        let filter = Filter {
            user: Some(who.viewer.id),
            ..Filter::default()
        };
        self.flush().await;
        Ok(self.store.accesses(&filter, PAGE_SIZE).await?)
    }

    /// The auditor's search (newest [`PAGE_SIZE`] entries), itself an entry.
    pub async fn search(&self, who: &Requester, query: &AccessQuery) -> Result<Vec<AccessEntry>, ServiceError> {
        let filter = self.auditor_filter(who, query).await?;
        self.record(audited(who, AccessKind::AccessLogRead, &filter, query))
            .await;
        self.flush().await;
        Ok(self.store.accesses(&filter, PAGE_SIZE).await?)
    }

    /// The auditor's export as CSV, headed and footed by the marking; a
    /// disclosure made for `recipients`.
    pub async fn export(&self, who: &Requester, query: &AccessQuery, recipients: &str) -> Result<String, ServiceError> {
        let filter = self.auditor_filter(who, query).await?;
        let entry = audited(who, AccessKind::AccessLogExported, &filter, query).for_whom(recipients);
        self.record(entry).await;
        self.flush().await;
        let entries = self.store.accesses(&filter, AccessQuery::MAX_EXPORT).await?;
        Ok(csv::to_csv(plan::SecurityMarking::OfficialSensitive.as_str(), &entries))
    }

    /// The search an auditor asked for; anyone else is refused.
    async fn auditor_filter(&self, who: &Requester, query: &AccessQuery) -> Result<Filter, ServiceError> {
        if !who.viewer.auditor {
            return Err(ServiceError::Forbidden("only auditors search the access log".into()));
        }
        let search = query.parse().map_err(ServiceError::Invalid)?;
        let user = match &search.user_email {
            Some(email) => Some(
                self.accounts
                    .user_by_email(email)
                    .await?
                    .ok_or_else(|| ServiceError::Invalid(format!("user: no account has the email {email}")))?
                    .id,
            ),
            None => None,
        };
        Ok(Filter {
            user,
            plan: search.plan,
            agency: search.agency,
            from: search.from,
            until: search.until,
        })
    }
}

/// An auditor's reading of the log: about the plan searched for, if one,
/// with the search as its detail.
fn audited(who: &Requester, kind: AccessKind, filter: &Filter, query: &AccessQuery) -> Access {
    let detail = serde_json::to_string(query).unwrap_or_default();
    let entry = Access::by(who, kind, Basis::Auditor).detail(detail);
    match filter.plan {
        Some(plan) => entry.on(plan),
        None => entry,
    }
}
