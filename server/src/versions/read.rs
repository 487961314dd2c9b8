//! Reading a plan's past: the plan as it was at a review or after any
//! accepted update, as the viewer may see it, and the stored documents
//! behind each version.

use super::{no_history, not_member, Versions};
use crate::store::StoredPlan;
use anyhow::Context;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use plan::access_log::AccessKind;
use plan::load_plan;
use plan::versions::{At, Version};
use plan::PlanDoc;
use uuid::Uuid;

impl Versions {
    /// The plan as it was at `at`: any version for the LRO, plan owner and
    /// SIO; for others the plan now and the reviews they may read (one they
    /// may not is answered as if there were none).
    /// A consultation (logged).
    pub async fn version(&self, who: &Requester, plan: Uuid, at: At) -> Result<Version, ServiceError> {
        let (_, reach) = self.reach(who, plan, AccessKind::VersionViewed, &at.key()).await?;
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
    pub(super) async fn read(&self, plan: Uuid, at: At) -> Result<(PlanDoc, String, i64), ServiceError> {
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
}

/// The plan a stored snapshot and log describe.
pub(super) fn rebuild(stored: &StoredPlan) -> PlanDoc {
    let (doc, problems) = load_plan(
        stored.snapshot.as_ref().map(|s| s.state.as_slice()),
        stored.updates.iter().map(|u| u.update.as_slice()),
    );
    for problem in problems {
        tracing::error!(%problem, "a stored update could not be applied to a version; skipped");
    }
    doc
}
