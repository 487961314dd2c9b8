//! Restoring from an older version (the plan's LRO only): a section's text
//! or a deleted action comes back as a new edit through the plan's room.

use super::{edit_error, Versions};
use crate::collab::room::Access;
use crate::collab::server_edit::edit_as;
use app::service_error::ServiceError;
use app::session::Viewer;
use plan::access::Role;
use plan::versions::{At, RestoreTarget};
use plan::Section;
use uuid::Uuid;

impl Versions {
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
