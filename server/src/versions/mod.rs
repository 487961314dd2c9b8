//! Reviews and versions of a plan: recording a review (with a frozen copy
//! of the whole plan), reading the plan as it was at a review or after any
//! accepted update, comparing two versions (who changed what, from the
//! audit trail) and restoring a section or a deleted action from an older
//! version. One service, called by the REST routes ([`routes`]) and the
//! pages' server functions alike; edits go through the plan's room
//! ([`crate::collab::server_edit`]), so they are admitted, audited and live.

pub mod redact;
pub mod redact_store;
pub mod routes;
pub mod store;

use crate::collab::room::Access;
use crate::collab::rooms::Rooms;
use crate::collab::server_edit::{edit_as, EditError};
use crate::plans::Plans;
use crate::store::StoredPlan;
use anyhow::Context;
use app::service_error::ServiceError;
use app::session::Viewer;
use plan::access::Role;
use plan::load_plan;
use plan::versions::{
    compare, reach, At, Comparison, Moment, Reach, RestoreTarget, ReviewRecord, Version, VersionComparison,
};
use plan::{PlanDoc, Section};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use store::NewReview;
use uuid::Uuid;

/// How many of the latest moments a version list shows.
const MOMENTS_SHOWN: i64 = 200;

/// What the versions service keeps and reads.
pub trait VersionsStorage: store::VersionStore + redact_store::RedactionStore {}
impl<T: store::VersionStore + redact_store::RedactionStore> VersionsStorage for T {}

#[derive(Clone)]
pub struct Versions {
    store: Arc<dyn VersionsStorage>,
    plans: Plans,
    rooms: Rooms,
}

fn not_member() -> ServiceError {
    ServiceError::NotFound("plan")
}

fn no_history() -> ServiceError {
    ServiceError::Forbidden("only the plan's LRO, plan owner and SIO can see its earlier versions and changes".into())
}

fn edit_error(e: EditError) -> ServiceError {
    match e {
        EditError::NotFound => not_member(),
        EditError::Model(e) => ServiceError::Invalid(e.to_string()),
        EditError::Denied(reason) => ServiceError::Forbidden(reason),
        EditError::Unavailable(reason) => ServiceError::Internal(anyhow::anyhow!(reason)),
    }
}

impl Versions {
    pub fn new(store: Arc<dyn VersionsStorage>, plans: Plans, rooms: Rooms) -> Self {
        Versions { store, plans, rooms }
    }

    async fn role(&self, viewer: &Viewer, plan: Uuid) -> Result<Role, ServiceError> {
        self.plans
            .role_of(plan, viewer.id)
            .await
            .context("reading a membership")?
            .ok_or_else(not_member)
    }

    /// What the viewer may read of the plan's past (`NotFound` for non-members).
    async fn reach(&self, viewer: &Viewer, plan: Uuid) -> Result<(Role, Reach), ServiceError> {
        let role = self.role(viewer, plan).await?;
        if reach::sees_history(role) {
            return Ok((role, Reach::History));
        }
        let (changes, since) = self
            .store
            .membership_of(plan, viewer.id)
            .await
            .context("reading a member's membership")?;
        Ok((role, Reach::of(role, reach::spans(&changes, since))))
    }

    /// The plan's history is for its LRO, plan owner and SIO: others are
    /// refused, members with a reason, non-members as for an unknown plan.
    async fn require_history(&self, viewer: &Viewer, plan: Uuid) -> Result<(), ServiceError> {
        if reach::sees_history(self.role(viewer, plan).await?) {
            Ok(())
        } else {
            Err(no_history())
        }
    }

    async fn lro_or_owner(&self, viewer: &Viewer, plan: Uuid, what: &str) -> Result<Access, ServiceError> {
        let role = self.role(viewer, plan).await?;
        if !matches!(role, Role::Lro | Role::PlanOwner) {
            return Err(ServiceError::Forbidden(format!(
                "only the plan's LRO or plan owner can {what}"
            )));
        }
        Ok(Access {
            user: viewer.id,
            role,
            agency: viewer.agency.clone(),
            shown_as: String::new(),
        })
    }

    /// Records a review: last review becomes today (a normal edit, audited
    /// and live, so the next review date moves by the tier's interval), then
    /// the plan as it now stands is frozen with the LRO update.
    pub async fn record_review(&self, viewer: &Viewer, plan: Uuid) -> Result<ReviewRecord, ServiceError> {
        let access = self.lro_or_owner(viewer, plan, "record a review").await?;
        let today = chrono::Utc::now().date_naive();
        edit_as(&self.rooms, plan, access, |p, t| {
            p.set_last_review(t, Some(today));
            Ok(())
        })
        .await
        .map_err(edit_error)?;
        let stored = self
            .plans
            .store()
            .load(plan)
            .await
            .context("loading the plan to freeze it")?;
        let doc = rebuild(&stored);
        let lro_update = doc.section_text(&doc.transact(), Section::LroUpdate);
        let state = doc.encode_state();
        let review = NewReview {
            plan,
            by: viewer.id,
            reviewed_on: today,
            lro_update: &lro_update,
            upto_seq: stored.last_seq(),
            state: &state,
        };
        let number = self.store.insert_review(&review).await.context("recording a review")?;
        tracing::info!(%plan, by = %viewer.id, number, "review recorded");
        self.reviews(viewer, plan)
            .await?
            .into_iter()
            .find(|r| r.number == number)
            .ok_or_else(|| anyhow::anyhow!("review {number} vanished").into())
    }

    /// The reviews the viewer may read, oldest first: every one for the
    /// LRO, plan owner and SIO; for others those recorded while they were
    /// members.
    pub async fn reviews(&self, viewer: &Viewer, plan: Uuid) -> Result<Vec<ReviewRecord>, ServiceError> {
        let (_, reach) = self.reach(viewer, plan).await?;
        let mut reviews = self.store.reviews(plan).await.context("reading reviews")?;
        reviews.retain(|r| reach.sees_review(r.at));
        Ok(reviews)
    }

    /// The latest moments of the plan's history (LRO, plan owner, SIO).
    pub async fn moments(&self, viewer: &Viewer, plan: Uuid) -> Result<Vec<Moment>, ServiceError> {
        self.require_history(viewer, plan).await?;
        Ok(self
            .store
            .moments(plan, MOMENTS_SHOWN)
            .await
            .context("reading moments")?)
    }

    /// The plan as it was at `at`: any version for the LRO, plan owner and
    /// SIO; for others the plan now and the reviews they may read (one they
    /// may not is answered as if there were none).
    pub async fn version(&self, viewer: &Viewer, plan: Uuid, at: At) -> Result<Version, ServiceError> {
        let (_, reach) = self.reach(viewer, plan).await?;
        let (doc, label) = match at {
            At::Seq(_) if !reach.is_history() => return Err(no_history()),
            At::Review(n) if !reach.is_history() => {
                let (doc, label, _, recorded) = self.read_review(plan, n).await?;
                if !reach.sees_review(recorded) {
                    return Err(ServiceError::NotFound("review"));
                }
                (doc, label)
            }
            at => {
                let (doc, label, _) = self.read(plan, at).await?;
                (doc, label)
            }
        };
        let intervals = self.plans.intervals();
        let export = doc
            .export(&doc.transact(), plan, &intervals)
            .name_threats(&self.plans.strategy().strategy);
        Ok(Version { at, label, export })
    }

    /// The document at `at`, a label for it, and the last seq it holds.
    async fn read(&self, plan: Uuid, at: At) -> Result<(PlanDoc, String, i64), ServiceError> {
        match at {
            At::Review(n) => {
                let (doc, label, upto_seq, _) = self.read_review(plan, n).await?;
                Ok((doc, label, upto_seq))
            }
            At::Seq(seq) => {
                let stored = self.store.as_at(plan, seq).await.map_err(|e| match e {
                    crate::store::StoreError::NotFound(_) => not_member(),
                    e => anyhow::Error::from(e).context("reading a version").into(),
                })?;
                if stored.last_seq() < seq {
                    return Err(ServiceError::NotFound("version"));
                }
                let when = match self.store.moment(plan, seq).await.context("reading a moment")? {
                    Some(m) => format!(", made {} by {}", m.at.format("%-d %B %Y %H:%M:%S UTC"), m.by),
                    None => String::new(),
                };
                Ok((rebuild(&stored), format!("As it was after change {seq}{when}"), seq))
            }
            At::Now => {
                let stored = self.plans.store().load(plan).await.context("loading the plan")?;
                Ok((rebuild(&stored), "The plan as it is now".to_string(), stored.last_seq()))
            }
        }
    }

    /// A review's frozen copy, its label, its last seq and when it was recorded.
    async fn read_review(
        &self,
        plan: Uuid,
        n: i32,
    ) -> Result<(PlanDoc, String, i64, chrono::DateTime<chrono::Utc>), ServiceError> {
        let (review, state) = self
            .store
            .review(plan, n)
            .await
            .context("reading a review")?
            .ok_or(ServiceError::NotFound("review"))?;
        let doc =
            PlanDoc::from_state(&state).map_err(|e| anyhow::anyhow!("review {n} of {plan} is unreadable: {e}"))?;
        let label = format!(
            "Review {n}, recorded {} by {}",
            review.at.format("%-d %B %Y %H:%M UTC"),
            review.by
        );
        Ok((doc, label, review.upto_seq, review.at))
    }

    /// What changed from `from` (default: the last review, else the plan as
    /// created) to `to` (default: now), with who changed each part.
    pub async fn compare(
        &self,
        viewer: &Viewer,
        plan: Uuid,
        from: Option<At>,
        to: Option<At>,
    ) -> Result<VersionComparison, ServiceError> {
        self.require_history(viewer, plan).await?;
        let from = match from {
            Some(at) => at,
            None => self
                .store
                .reviews(plan)
                .await
                .context("reading reviews")?
                .last()
                .map_or(At::Seq(0), |r| At::Review(r.number)),
        };
        let to = to.unwrap_or(At::Now);
        let intervals = self.plans.intervals();
        let strategy = self.plans.strategy();
        let (old, from_label, from_seq) = self.read(plan, from).await?;
        let (new, to_label, to_seq) = self.read(plan, to).await?;
        let export = |d: &PlanDoc| {
            d.export(&d.transact(), plan, &intervals)
                .name_threats(&strategy.strategy)
        };
        let mut comparison = compare(&export(&old), &export(&new));
        let (low, high) = (from_seq.min(to_seq), from_seq.max(to_seq));
        let changes = self
            .store
            .changes_between(plan, low, high)
            .await
            .context("reading who changed what")?;
        attribute(&mut comparison, &changes);
        Ok(VersionComparison {
            from,
            from_label,
            to,
            to_label,
            comparison,
        })
    }

    /// Brings a section's text, or a deleted action, back from `from`, as a
    /// new edit by the viewer (LRO only): audited and live; nothing is rewritten.
    pub async fn restore(
        &self,
        viewer: &Viewer,
        plan: Uuid,
        from: At,
        target: RestoreTarget,
    ) -> Result<(), ServiceError> {
        let role = self.role(viewer, plan).await?;
        if role != Role::Lro {
            return Err(ServiceError::Forbidden(
                "only the plan's LRO can restore from an older version".into(),
            ));
        }
        let (old, _, _) = self.read(plan, from).await?;
        let access = Access {
            user: viewer.id,
            role,
            agency: viewer.agency.clone(),
            shown_as: String::new(),
        };
        match target {
            RestoreTarget::Section { key } => {
                let section = Section::from_key(&key)
                    .ok_or_else(|| ServiceError::Invalid(format!("section: there is no section {key:?}")))?;
                let text = old.section_text(&old.transact(), section);
                edit_as(&self.rooms, plan, access, move |p, t| {
                    p.set_section_text(t, section, &text);
                    Ok(())
                })
                .await
                .map_err(edit_error)
            }
            RestoreTarget::Action { id } => {
                let action = old
                    .action(&old.transact(), &id)
                    .map_err(|_| ServiceError::NotFound("action in that version"))?;
                let restored = plan::NewAction {
                    ps: action.ps,
                    date: action.date,
                    target_date: action.target_date,
                    text: action.text,
                    owner_name: action.owner_name,
                    owner_agency: action.owner_agency,
                    update: action.update,
                    status: action.status.unwrap_or(plan::RagStatus::Red),
                    disruption: action.disruption,
                    submitted: action.submitted,
                };
                edit_as(&self.rooms, plan, access, move |p, t| {
                    if p.action(t, &id).is_ok() {
                        return Err(plan::ModelError::Field {
                            field: "action",
                            message: "it is still in the plan".into(),
                        });
                    }
                    p.add_action(t, &restored).map(|_| ())
                })
                .await
                .map_err(edit_error)
            }
        }
    }
}

/// The plan a stored snapshot and log describe.
fn rebuild(stored: &StoredPlan) -> PlanDoc {
    let (doc, problems) = load_plan(
        stored.snapshot.as_ref().map(|s| s.state.as_slice()),
        stored.updates.iter().map(|u| u.update.as_slice()),
    );
    for problem in problems {
        tracing::error!(%problem, "a stored update could not be applied to a version; skipped");
    }
    doc
}

/// Names, for each changed part, who changed it between the versions.
fn attribute(comparison: &mut Comparison, changes: &[(String, Vec<plan::access::Change>)]) {
    let mut by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (who, list) in changes {
        for change in list {
            by.entry(change.field.as_str()).or_default().insert(who.as_str());
        }
    }
    let names = |field: &str| {
        by.get(field)
            .map(|s| s.iter().map(|n| n.to_string()).collect())
            .unwrap_or_default()
    };
    for s in &mut comparison.sections {
        s.by = names(&s.field);
    }
    for f in &mut comparison.fields {
        f.by = names(&f.field);
    }
    for a in &mut comparison.actions {
        a.by = names(&format!("action:{}", a.id));
        for f in &mut a.fields {
            f.by = names(&f.field);
        }
    }
}

#[async_trait::async_trait]
impl app::versions::ssr::VersionsPort for Versions {
    async fn reviews(&self, viewer: &Viewer, plan: Uuid) -> Result<app::versions::ReviewsData, ServiceError> {
        let (role, reach) = self.reach(viewer, plan).await?;
        let moments = if reach.is_history() {
            Versions::moments(self, viewer, plan).await?
        } else {
            Vec::new()
        };
        Ok(app::versions::ReviewsData {
            reviews: Versions::reviews(self, viewer, plan).await?,
            moments,
            can_review: matches!(role, Role::Lro | Role::PlanOwner),
            can_restore: role == Role::Lro,
            sees_history: reach.is_history(),
            can_redact: role == Role::Lro,
        })
    }

    async fn record_review(&self, viewer: &Viewer, plan: Uuid) -> Result<ReviewRecord, ServiceError> {
        Versions::record_review(self, viewer, plan).await
    }

    async fn version(&self, viewer: &Viewer, plan: Uuid, at: At) -> Result<Version, ServiceError> {
        Versions::version(self, viewer, plan, at).await
    }

    async fn compare(
        &self,
        viewer: &Viewer,
        plan: Uuid,
        from: Option<At>,
        to: Option<At>,
    ) -> Result<VersionComparison, ServiceError> {
        Versions::compare(self, viewer, plan, from, to).await
    }

    async fn restore(&self, viewer: &Viewer, plan: Uuid, from: At, target: RestoreTarget) -> Result<(), ServiceError> {
        Versions::restore(self, viewer, plan, from, target).await
    }

    async fn redact(
        &self,
        viewer: &Viewer,
        plan: Uuid,
        request: plan::versions::redact::RedactRequest,
    ) -> Result<plan::versions::redact::Redacted, ServiceError> {
        Versions::redact(self, viewer, plan, request).await
    }
}
