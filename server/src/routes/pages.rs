//! The Leptos pages: server-side rendering, server functions and the other
//! files of the built site (the favicon); `/pkg/*`, the WASM bundle and CSS,
//! is [`crate::routes::assets`].

use crate::plans::Plans;
use crate::state::AppState;
use app::api::PlanPageData;
use app::session::ssr::SessionsRef;
use app::ssr::{Directory, DirectoryError, PlanDirectory};
use app::team::ssr::{Team, TeamRef};
use app::team::{ChangeRow, MemberView};
use axum::extract::FromRef;
use axum::Router;
use leptos::prelude::{provide_context, LeptosOptions};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use plan::access::Role;
use plan::{NewPlan, PlanSummary};
use std::sync::{Arc, OnceLock};
use uuid::Uuid;

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

pub fn router(state: &AppState) -> Router<AppState> {
    let directory: Directory = Arc::new(state.plans.clone());
    let sessions: SessionsRef = Arc::new(crate::routes::session::PageSessions(state.clone()));
    let team: TeamRef = Arc::new(PageTeam(state.clone()));
    let admin: app::admin::ssr::AdminRef = Arc::new(crate::routes::admin::PageAdmin(state.clone()));
    let portfolio: app::portfolio::ssr::PortfolioRef = Arc::new(state.portfolios.clone());
    let versions: app::versions::ssr::VersionsRef = Arc::new(state.versions.clone());
    let actions: app::actions_across::ssr::ActionsRef = Arc::new(state.actions.clone());
    let strategy: app::strategy::ssr::StrategyRef = Arc::new(state.strategies.clone());
    let options = state.leptos.clone();
    Router::new()
        .leptos_routes_with_context(
            state,
            route_list(),
            move || {
                crate::security::csp::provide_to_page();
                provide_context(directory.clone());
                provide_context(sessions.clone());
                provide_context(team.clone());
                provide_context(admin.clone());
                provide_context(portfolio.clone());
                provide_context(versions.clone());
                provide_context(strategy.clone());
                provide_context(actions.clone());
            },
            move || app::shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            crate::security::csp::provide_to_page,
            app::shell,
        ))
}

/// The app's routes, generated once per process. Generating them raises a
/// process-wide leptos flag under which any resource first polled meanwhile
/// waits forever (leptos issue 4773), so a second generation while pages
/// are being served, as when tests start servers side by side, could hang
/// a page render for good.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// The pages reach plans through the same operations as the JSON API.
#[async_trait::async_trait]
impl PlanDirectory for Plans {
    async fn list_plans(&self, viewer: Uuid) -> Result<Vec<PlanSummary>, DirectoryError> {
        self.list_for(viewer).await.map_err(internal)
    }

    async fn create_plan(&self, viewer: Uuid, plan: NewPlan) -> Result<PlanSummary, DirectoryError> {
        let plan = plan.validate()?;
        let (_, summary) = self.create(&plan, viewer).await.map_err(refused)?;
        Ok(summary)
    }

    async fn get_plan(&self, viewer: Uuid, id: Uuid) -> Result<Option<PlanPageData>, DirectoryError> {
        let Some(role) = self.role_of(id, viewer).await.map_err(internal)? else {
            return Ok(None);
        };
        let plan = self.load(id).await.map_err(internal)?;
        let strategy = self.strategy().strategy.clone();
        Ok(plan.map(|plan| PlanPageData::new(id, &plan, self.intervals(), role, strategy)))
    }
}

/// Members and history for the plan page, through the same operations as
/// the JSON API (membership changes reach open connections too).
struct PageTeam(AppState);

fn refused(e: crate::plans::MembershipError) -> DirectoryError {
    match e {
        crate::plans::MembershipError::Store(e) => internal(e),
        other => DirectoryError::Invalid(other.to_string()),
    }
}

#[async_trait::async_trait]
impl Team for PageTeam {
    async fn members(&self, viewer: Uuid, plan: Uuid) -> Result<Vec<MemberView>, DirectoryError> {
        let members = self.0.plans.members_for(plan, viewer).await.map_err(internal)?;
        let members = members.ok_or_else(|| DirectoryError::Invalid("Plan not found.".into()))?;
        Ok(members
            .into_iter()
            .map(|m| MemberView {
                user_id: m.user.id,
                name: m.user.name,
                email: m.user.email,
                agency: m.user.agency,
                role: m.role,
            })
            .collect())
    }

    async fn set_member(&self, viewer: Uuid, plan: Uuid, email: &str, role: Role) -> Result<(), DirectoryError> {
        let member = self
            .0
            .plans
            .set_member(plan, viewer, email, role)
            .await
            .map_err(refused)?;
        self.0.rooms.member_changed(plan, member.user.id, Some(role)).await;
        Ok(())
    }

    async fn remove_member(&self, viewer: Uuid, plan: Uuid, user: Uuid) -> Result<(), DirectoryError> {
        self.0.plans.remove_member(plan, viewer, user).await.map_err(refused)?;
        self.0.rooms.member_changed(plan, user, None).await;
        Ok(())
    }

    async fn history(&self, viewer: Uuid, plan: Uuid) -> Result<Vec<ChangeRow>, DirectoryError> {
        let history = self.0.plans.history_for(plan, viewer).await.map_err(refused)?;
        let export = self.0.plans.export(plan).await.map_err(internal)?;
        let names = crate::routes::history::names(export.as_ref(), &history);
        Ok(history
            .entries
            .into_iter()
            .flat_map(|e| {
                let at = e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string();
                let names = &names;
                e.changes.into_iter().map(move |c| ChangeRow {
                    at: at.clone(),
                    who: e.user.clone(),
                    agency: e.agency.clone(),
                    what: plan::change_label::describe(&c.field, names),
                    field: c.field,
                    old: c.old,
                    new: c.new,
                })
            })
            .collect())
    }
}

fn internal(e: impl std::fmt::Debug) -> DirectoryError {
    tracing::error!(error = ?e, "page data failed");
    DirectoryError::Internal(format!("{e:?}"))
}
