//! The pages' [`app::vetting::ssr::VettingPort`], implemented by the
//! vetting service: `/admin`'s vetting section and a plan's needed level.

use super::{officer, Vettings};
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use app::vetting::{PersonVetting, PlanVettingView, VettingChangeView, VettingDirectory};
use plan::access::Role;
use plan::vetting::{HeldVetting, VettingLevels};
use uuid::Uuid;

/// A person's vetting as one line: "NPPV2 until 2027-03-31", "none".
fn held_text(levels: &VettingLevels, held: &HeldVetting) -> String {
    match held.expires_at {
        Some(at) => format!("{} until {}", held.level_or(levels), at.format("%Y-%m-%d %H:%M UTC")),
        None => held.level_or(levels).to_string(),
    }
}

impl Vettings {
    /// Everyone's vetting and the latest changes (administrators and
    /// vetting officers).
    pub async fn directory(&self, who: &Requester) -> Result<VettingDirectory, ServiceError> {
        officer(who)?;
        let levels = &self.policy.levels;
        let now = chrono::Utc::now();
        let people = self
            .accounts
            .users()
            .await?
            .into_iter()
            .filter(|u| !u.disabled)
            .map(|u| PersonVetting {
                id: u.id,
                level: u.vetting.level_or(levels).to_string(),
                expires_at: u.vetting.expires_at,
                expired: u.vetting.expired(now),
                name: u.name,
                email: u.email,
                agency: u.agency,
                vetting_officer: u.vetting_officer,
            })
            .collect();
        let changes = self
            .changes(who, None)
            .await?
            .into_iter()
            .map(|c| VettingChangeView {
                at: c.at,
                old: held_text(levels, &c.old),
                new: held_text(levels, &c.new),
                by: c.by,
                whom: c.whom,
            })
            .collect();
        Ok(VettingDirectory {
            levels: levels.names().to_vec(),
            people,
            changes,
            grants_officers: who.viewer.is_admin,
        })
    }

    /// What the plan needs, for its page: to its LRO, also the levels they
    /// may set and the members it shuts out, and why.
    pub async fn plan_view(&self, who: &Requester, plan: Uuid) -> Result<PlanVettingView, ServiceError> {
        let (role, needs) = self.plan_for(who, plan).await?;
        let levels = &self.policy.levels;
        let implied = self.implied(&needs).to_string();
        let lro = role == Role::Lro;
        let lapses = if lro {
            let members = self.accounts.members(plan).await?;
            members
                .into_iter()
                .filter_map(|m| m.lapse.map(|l| (m.user.id, l)))
                .collect()
        } else {
            Vec::new()
        };
        Ok(PlanVettingView {
            needs: needs.needs.or(needs.raised.clone()).unwrap_or_default(),
            choices: if lro {
                levels.from(&implied).to_vec()
            } else {
                Vec::new()
            },
            raised: needs.raised,
            implied,
            lapses,
        })
    }
}

#[async_trait::async_trait]
impl app::vetting::ssr::VettingPort for Vettings {
    async fn directory(&self, who: &Requester) -> Result<VettingDirectory, ServiceError> {
        Vettings::directory(self, who).await
    }

    async fn set_vetting(&self, who: &Requester, user: Uuid, level: &str, expires: &str) -> Result<(), ServiceError> {
        Vettings::set_vetting(self, who, user, level, Some(expires))
            .await
            .map(|_| ())
    }

    async fn plan(&self, who: &Requester, plan: Uuid) -> Result<PlanVettingView, ServiceError> {
        self.plan_view(who, plan).await
    }

    async fn raise(&self, who: &Requester, plan: Uuid, level: &str) -> Result<String, ServiceError> {
        Vettings::raise(self, who, plan, level).await
    }
}
