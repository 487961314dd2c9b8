//! Pillars' Leptos front end: the pages, rendered on the server (`ssr`) and
//! hydrated in the browser (`hydrate`).
//!
//! - [`shell`] is the HTML document; [`App`] holds the routes.
//! - [`api`] holds the server functions; they reach data through the
//!   [`ssr::PlanDirectory`] the server provides as context.
//! - [`present`] holds the plain view logic (formatting, form parsing).

#![recursion_limit = "256"]

pub mod access_log;
pub mod account;
pub mod actions_across;
pub mod admin;
pub mod api;
pub mod changes;
pub mod comments;
pub mod components;
pub mod dates;
pub mod escape;
pub mod invitations;
pub mod lazy_pages;
pub mod lifecycle;
pub mod live;
pub mod notifications;
pub mod pages;
pub mod plan_page;
pub mod portfolio;
pub mod present;
#[cfg(feature = "ssr")]
pub mod service_error;
pub mod session;
pub mod sign_in;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod strategy;
pub mod strategy_form;
pub mod suggestions;
pub mod team;
pub mod versions;
pub mod vetting;
pub mod wire;

use lazy_pages::*;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

pub use components::{Marking, NotFound};
pub use pages::{AccountPage, NotificationSettingsPage, NotificationsPage, ResetPage};
pub use pages::{
    AdminPage, AuditPage, ComparePage, DisruptionsPage, LoginPage, MyActionsPage, PlanPage, PlansPage, PortfolioPage,
    StrategyPage, VersionPage, VersionsPage,
};

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="robots" content="noindex, nofollow"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                // Named as the build named it: `pillars.css`, or with its
                // content hash in a release built with LEPTOS_HASH_FILES.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The app: its routes (the stylesheet is in [`shell`]).
///
/// Pages render with `SsrMode::Async`: the server waits for their data, so
/// the whole page (and its HTTP status, e.g. 404) is in the first response
/// and readable without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/reset") view=ResetPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/") view=PlansPage ssr=SsrMode::Async/>
                <Route path=path!("/portfolio") view={Lazy::<PortfolioRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/plans/:id") view=PlanPage ssr=SsrMode::Async/>
                <Route path=path!("/plans/:id/versions") view={Lazy::<VersionsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/plans/:id/version") view={Lazy::<VersionRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/plans/:id/compare") view={Lazy::<CompareRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/strategy") view={Lazy::<StrategyRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/my-actions") view={Lazy::<MyActionsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/disruptions") view={Lazy::<DisruptionsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/notifications/settings") view={Lazy::<NotificationSettingsRoute>::new()} ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// The browser entry point. Hydration waits for the code of a page split
/// from the main module ([`lazy_pages`]), so it runs as a task.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let body = leptos::prelude::document().body().expect("a page has a body");
        leptos::mount::hydrate_from_async(body.clone(), App).await.forget();
        // Marks the page as live, for browser tests and for anyone debugging.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
