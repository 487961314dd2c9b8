//! What every handler can reach: the features' services, built once by
//! [`crate::startup`] (the composition root) and shared by the routes.

use crate::access_log::AccessLog;
use crate::accounts::Accounts;
use crate::actions_across::ActionsAcross;
use crate::collab::rooms::Rooms;
use crate::config::Config;
use crate::history::Histories;
use crate::membership::Memberships;
use crate::plans::Plans;
use crate::portfolio::Portfolios;
use crate::strategy::Strategies;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// The public origins and what follows from them (cookies, CSP).
    pub web: Arc<crate::security::WebPolicy>,
    pub plans: Plans,
    pub memberships: Memberships,
    pub histories: Histories,
    pub rooms: Rooms,
    pub accounts: Accounts,
    pub portfolios: Portfolios,
    pub versions: crate::versions::Versions,
    /// `/my-actions` and the disruption return.
    pub actions: ActionsAcross,
    pub strategies: Strategies,
    /// Closing and reopening plans.
    pub lifecycles: crate::lifecycle::Lifecycles,
    /// Signing in through identity providers.
    pub sso: crate::sso::Sso,
    pub comments: crate::comments::Comments,
    pub suggestions: crate::suggestions::Suggestions,
    /// Who consulted or disclosed which plan.
    pub access_log: AccessLog,
    /// People's and plans' vetting.
    pub vettings: crate::vetting::Vettings,
    /// The notification centre and people's email settings.
    pub notifications: crate::notifications::Notifications,
    pub leptos: leptos::prelude::LeptosOptions,
}
