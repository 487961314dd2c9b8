//! Actions across plans: `/my-actions` and the disruption return. The REST
//! routes ([`routes`]) and the pages' server functions (through
//! [`app::actions_across::ssr::ActionsPort`]) both call [`ActionsAcross`],
//! which owns the rules, the reads, the edits and the recorded returns.
//!
//! - Need-to-know: only the viewer's plans are read; a plan they are not a
//!   member of is `NotFound`, as an unknown one.
//! - Lists come from the facts kept per action (one query), never from
//!   reading documents.
//! - Every edit (an update/result, status or disruption; "mark submitted")
//!   is made with [`edit_as`] as the viewer's own connection to the plan:
//!   admitted by the plan's gate (the final check: a partner changes only
//!   its own agency's actions), stored, audited as the viewer and relayed
//!   live. Lists offer only what the viewer may edit.

pub mod routes;
pub mod store;

pub use routes::router;
pub use store::{ActionsStore, ReturnRecord};

use crate::access_log::AccessLog;
use crate::collab::room::Access;
use crate::collab::rooms::Rooms;
use crate::collab::server_edit::edit_as;
use anyhow::Context;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use app::session::Viewer;
use chrono::{NaiveDate, SubsecRound, Utc};
use plan::access::Role;
use plan::access_log::AccessKind;
use plan::across::disruptions::{self, DisruptionReturn, RecordedReturn};
use plan::across::mine::{my_actions, MyActionEdit, MyActionsQuery, MyActionsView};
use plan::{ActionChange, ModelError};
use std::collections::BTreeMap;
use std::sync::Arc;
use uuid::Uuid;

crate::store::composite_storage!(
    /// What actions across plans read and keep: the actions' facts and
    /// returns, and the viewer's role on a plan.
    pub trait ActionsStorage: ActionsStore + crate::accounts::store::AccountStore
);

#[derive(Clone)]
pub struct ActionsAcross {
    store: Arc<dyn ActionsStorage>,
    rooms: Rooms,
    access: AccessLog,
}

/// Whether the role makes the plan's disruption return.
fn makes_return(role: Role) -> bool {
    matches!(role, Role::Lro | Role::PlanOwner)
}

impl ActionsAcross {
    pub fn new(store: Arc<dyn ActionsStorage>, rooms: Rooms, access: AccessLog) -> Self {
        ActionsAcross { store, rooms, access }
    }

    /// Hands out a recorded return as CSV for `recipients`: a disclosure of
    /// each plan it names (logged). Only while the reader is still a
    /// member of each: a plan left since is not handed out again.
    pub async fn hand_out(
        &self,
        who: &Requester,
        recorded: &RecordedReturn,
        recipients: &str,
    ) -> Result<(), ServiceError> {
        let detail = format!("return {}", recorded.id);
        for plan in &recorded.plan_ids {
            self.access
                .disclose(who, *plan, AccessKind::DisruptionsExported, &detail, recipients)
                .await
                .map_err(|_| ServiceError::NotFound("return"))?;
        }
        Ok(())
    }

    /// The viewer's actions, by agency and by name, across their plans.
    pub async fn my_actions(
        &self,
        viewer: &Viewer,
        query: &MyActionsQuery,
        today: NaiveDate,
    ) -> Result<MyActionsView, ServiceError> {
        let filter = query.parse().map_err(ServiceError::Invalid)?;
        let rows = self
            .store
            .owned_actions(viewer.id, &viewer.agency, &viewer.name)
            .await
            .context("reading my actions")?;
        Ok(my_actions(rows, &viewer.agency, &viewer.name, &filter, today))
    }

    /// The viewer's role on the plan; `NotFound` for a non-member.
    async fn role(&self, viewer: &Viewer, plan: Uuid) -> Result<Role, ServiceError> {
        let role = self
            .store
            .member_role(plan, viewer.id)
            .await
            .context("reading a membership")?;
        role.ok_or(ServiceError::NotFound("plan"))
    }

    /// Makes `edit` on the plan as the viewer's connection would.
    async fn edit_as<T>(
        &self,
        viewer: &Viewer,
        plan: Uuid,
        edit: impl FnOnce(&plan::PlanDoc, &mut yrs::TransactionMut) -> Result<T, ModelError>,
    ) -> Result<T, ServiceError> {
        let role = self.role(viewer, plan).await?;
        let access = Access {
            user: viewer.id,
            role,
            agency: viewer.agency.clone(),
            shown_as: format!("{} ({})", viewer.name, viewer.agency),
        };
        edit_as(&self.rooms, plan, access, edit)
            .await
            .map_err(ServiceError::from)
    }

    /// Changes an action's update/result, status or disruption.
    pub async fn edit(&self, viewer: &Viewer, edit: &MyActionEdit) -> Result<(), ServiceError> {
        let asked = edit.clone();
        self.edit_as(viewer, edit.plan, move |plan, txn| {
            let current = plan.action(txn, &asked.action)?;
            let changes = asked.changes(&current)?;
            changes
                .iter()
                .try_for_each(|c| plan.change_action(txn, &asked.action, c))
        })
        .await
    }

    /// The disruptions to submit: of one plan (LRO and plan owner only), or
    /// of every plan where the viewer is either.
    pub async fn disruptions(&self, viewer: &Viewer, plan: Option<Uuid>) -> Result<DisruptionReturn, ServiceError> {
        if let Some(plan) = plan {
            if !makes_return(self.role(viewer, plan).await?) {
                return Err(ServiceError::Forbidden(
                    "only the plan's LRO or plan owner makes its disruption return".into(),
                ));
            }
        }
        let mut rows = self
            .store
            .unsubmitted_disruptions(viewer.id, plan)
            .await
            .context("reading disruptions")?;
        disruptions::sort(&mut rows);
        Ok(DisruptionReturn {
            marking: disruptions::marking(&rows, plan),
            plan,
            rows,
        })
    }

    /// The return as exported: recorded (who, when, which plans, the rows)
    /// so that [`Self::recorded`] produces it again.
    pub async fn export(&self, viewer: &Viewer, plan: Option<Uuid>) -> Result<RecordedReturn, ServiceError> {
        let content = self.disruptions(viewer, plan).await?;
        let mut plan_ids: Vec<Uuid> = content.rows.iter().map(|r| r.plan_id).chain(plan).collect();
        plan_ids.sort();
        plan_ids.dedup();
        // Kept to the second, so the stored time reads back as it was shown.
        let recorded = RecordedReturn {
            id: Uuid::new_v4(),
            by: viewer.name.clone(),
            at: Utc::now().trunc_subsecs(0),
            plan_ids,
            content,
        };
        let plans = recorded
            .plan_ids
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let json = serde_json::to_string(&recorded.content).context("writing a return")?;
        let record = ReturnRecord {
            id: recorded.id,
            user: viewer.id,
            at: recorded.at,
            marking: recorded.content.marking.as_str().to_string(),
            plans,
            rows: json,
        };
        self.store.record_return(&record).await.context("recording a return")?;
        Ok(recorded)
    }

    /// A recorded return, exactly as it was produced (its maker only).
    pub async fn recorded(&self, viewer: &Viewer, id: Uuid) -> Result<RecordedReturn, ServiceError> {
        let stored = self.store.recorded_return(id).await.context("reading a return")?;
        // Someone else's return is as unknown as a missing one.
        let Some((record, by)) = stored.filter(|(r, _)| r.user == viewer.id) else {
            return Err(ServiceError::NotFound("return"));
        };
        let content: DisruptionReturn = serde_json::from_str(&record.rows).context("reading a recorded return")?;
        let plan_ids = record.plans.split(',').filter_map(|p| p.parse().ok()).collect();
        Ok(RecordedReturn {
            id,
            by,
            at: record.at,
            plan_ids,
            content,
        })
    }

    /// Marks disruptions submitted, one edit per plan: the one `action`
    /// (any member; the plan's gate decides), or every row of the return of
    /// `plan` or of all the viewer's plans. How many were marked.
    pub async fn mark_submitted(
        &self,
        viewer: &Viewer,
        plan: Option<Uuid>,
        action: Option<String>,
    ) -> Result<usize, ServiceError> {
        let mut by_plan: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
        match (plan, action) {
            (Some(plan), Some(action)) => {
                by_plan.insert(plan, vec![action]);
            }
            (None, Some(_)) => return Err(ServiceError::Invalid("plan: name the plan of the action".into())),
            (plan, None) => {
                for row in self.disruptions(viewer, plan).await?.rows {
                    by_plan.entry(row.plan_id).or_default().push(row.action.id);
                }
            }
        }
        // Counted in the document, not the list: the facts the list is read
        // from may not yet show a marking made a moment ago.
        let mut marked = 0;
        for (plan, actions) in by_plan {
            marked += self
                .edit_as(viewer, plan, move |doc, txn| {
                    let mut newly = 0;
                    for id in &actions {
                        if !doc.action(txn, id)?.submitted {
                            doc.change_action(txn, id, &ActionChange::Submitted(true))?;
                            newly += 1;
                        }
                    }
                    Ok(newly)
                })
                .await?;
        }
        Ok(marked)
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

#[async_trait::async_trait]
impl app::actions_across::ssr::ActionsPort for ActionsAcross {
    async fn my_actions(&self, viewer: &Viewer, query: &MyActionsQuery) -> Result<MyActionsView, ServiceError> {
        ActionsAcross::my_actions(self, viewer, query, today()).await
    }

    async fn edit(&self, viewer: &Viewer, edit: &MyActionEdit) -> Result<(), ServiceError> {
        ActionsAcross::edit(self, viewer, edit).await
    }

    async fn disruptions(&self, viewer: &Viewer, plan: Option<Uuid>) -> Result<DisruptionReturn, ServiceError> {
        ActionsAcross::disruptions(self, viewer, plan).await
    }

    async fn mark_submitted(
        &self,
        viewer: &Viewer,
        plan: Option<Uuid>,
        action: Option<String>,
    ) -> Result<usize, ServiceError> {
        ActionsAcross::mark_submitted(self, viewer, plan, action).await
    }

    async fn record_return(&self, viewer: &Viewer, plan: Option<Uuid>) -> Result<Uuid, ServiceError> {
        Ok(ActionsAcross::export(self, viewer, plan).await?.id)
    }
}
