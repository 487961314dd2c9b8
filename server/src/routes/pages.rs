//! The page host: the Leptos pages' server-side rendering and server
//! functions, each feature's service handed to them as the port it
//! implements, and the other files of the built site (the favicon);
//! `/pkg/*`, the WASM bundle and CSS, is [`crate::routes::assets`].

use crate::state::AppState;
use app::session::ssr::SessionsRef;
use app::ssr::Directory;
use app::team::ssr::{HistoryRef, TeamRef};
use axum::extract::FromRef;
use axum::Router;
use leptos::prelude::{provide_context, LeptosOptions};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::{Arc, OnceLock};

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

pub fn router(state: &AppState) -> Router<AppState> {
    let directory: Directory = Arc::new(state.plans.clone());
    let sessions: SessionsRef = Arc::new(state.accounts.clone());
    let team: TeamRef = Arc::new(state.memberships.clone());
    let history: HistoryRef = Arc::new(state.histories.clone());
    let admin: app::admin::ssr::AdminRef = Arc::new(state.accounts.clone());
    let portfolio: app::portfolio::ssr::PortfolioRef = Arc::new(state.portfolios.clone());
    let versions: app::versions::ssr::VersionsRef = Arc::new(state.versions.clone());
    let actions: app::actions_across::ssr::ActionsRef = Arc::new(state.actions.clone());
    let strategy: app::strategy::ssr::StrategyRef = Arc::new(state.strategies.clone());
    let access_log: app::access_log::ssr::AccessLogRef = Arc::new(state.access_log.clone());
    let lifecycle: app::lifecycle::ssr::LifecycleRef = Arc::new(state.lifecycles.clone());
    let sign_in: app::sign_in::ssr::SignInRef = Arc::new(state.sso.clone());
    let vetting: app::vetting::ssr::VettingRef = Arc::new(state.vettings.clone());
    let comments: app::comments::ssr::CommentsRef = Arc::new(state.comments.clone());
    let suggestions: app::suggestions::ssr::SuggestionsRef = Arc::new(state.suggestions.clone());
    let notifications: app::notifications::ssr::NotificationsRef = Arc::new(state.notifications.clone());
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
                provide_context(history.clone());
                provide_context(admin.clone());
                provide_context(portfolio.clone());
                provide_context(versions.clone());
                provide_context(strategy.clone());
                provide_context(actions.clone());
                provide_context(access_log.clone());
                provide_context(lifecycle.clone());
                provide_context(sign_in.clone());
                provide_context(vetting.clone());
                provide_context(comments.clone());
                provide_context(suggestions.clone());
                provide_context(notifications.clone());
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
