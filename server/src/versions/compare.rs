//! Comparing two versions of a plan: what changed between them, and who
//! changed each part (from the audit trail).

use super::Versions;
use anyhow::Context;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use plan::access_log::AccessKind;
use plan::versions::{compare, At, Comparison, VersionComparison};
use plan::PlanDoc;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The two versions a comparison is between, `(from, to)`; either may be
/// left to its default.
pub type Between = (Option<At>, Option<At>);

impl Versions {
    /// What changed between two versions, `(from, to)`: from defaults to
    /// the last review, else the plan as created, and to defaults to now;
    /// with who changed each part.
    pub async fn compare(
        &self,
        who: &Requester,
        plan: Uuid,
        between: Between,
    ) -> Result<VersionComparison, ServiceError> {
        let (from, to) = between;
        let detail = format!(
            "{} to {}",
            from.map_or("last review".into(), At::key),
            to.map_or("now".into(), At::key)
        );
        self.require_history(who, plan, AccessKind::VersionsCompared, &detail)
            .await?;
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
