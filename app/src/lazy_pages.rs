//! Pages whose code the browser fetches when it first shows them, split
//! from the main WASM module by `cargo leptos build --split` (every build
//! needs the flag: without it the pages below cannot load). The main module
//! keeps the framework, the sign-in page, the plans list and the plan
//! editor: what a user sees first and the page they work in. Split, the
//! plan page needed 74 modules and 657 KiB gzipped; in the main module it
//! needs one of 573 KiB (see the README's "Bundle size"). Each route's
//! `data` half is empty: the pages load their own data, as they did
//! before, once their code is in.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

// Written out rather than made by a macro_rules!: the split module's name
// comes from where `#[lazy_route]` stands in the source, and inside a
// macro every expansion would stand at the same place.

/// The accounts and agencies administrators keep (`AdminPage`).
pub struct AdminRoute;

#[lazy_route]
impl LazyRoute for AdminRoute {
    fn data() -> Self {
        AdminRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::AdminPage/> }.into_any()
    }
}

/// The access log, for auditors (`AuditPage`).
pub struct AuditRoute;

#[lazy_route]
impl LazyRoute for AuditRoute {
    fn data() -> Self {
        AuditRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::AuditPage/> }.into_any()
    }
}

/// The regional portfolio (`PortfolioPage`).
pub struct PortfolioRoute;

#[lazy_route]
impl LazyRoute for PortfolioRoute {
    fn data() -> Self {
        PortfolioRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::PortfolioPage/> }.into_any()
    }
}

/// A plan's versions (`VersionsPage`).
pub struct VersionsRoute;

#[lazy_route]
impl LazyRoute for VersionsRoute {
    fn data() -> Self {
        VersionsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::VersionsPage/> }.into_any()
    }
}

/// One version of a plan (`VersionPage`).
pub struct VersionRoute;

#[lazy_route]
impl LazyRoute for VersionRoute {
    fn data() -> Self {
        VersionRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::VersionPage/> }.into_any()
    }
}

/// Two versions compared (`ComparePage`).
pub struct CompareRoute;

#[lazy_route]
impl LazyRoute for CompareRoute {
    fn data() -> Self {
        CompareRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::ComparePage/> }.into_any()
    }
}

/// The Control Strategy and its editor (`StrategyPage`).
pub struct StrategyRoute;

#[lazy_route]
impl LazyRoute for StrategyRoute {
    fn data() -> Self {
        StrategyRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::StrategyPage/> }.into_any()
    }
}

/// The actions a user owns across plans (`MyActionsPage`).
pub struct MyActionsRoute;

#[lazy_route]
impl LazyRoute for MyActionsRoute {
    fn data() -> Self {
        MyActionsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::MyActionsPage/> }.into_any()
    }
}

/// The disruption return (`DisruptionsPage`).
pub struct DisruptionsRoute;

#[lazy_route]
impl LazyRoute for DisruptionsRoute {
    fn data() -> Self {
        DisruptionsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::DisruptionsPage/> }.into_any()
    }
}

/// The notification centre (`NotificationsPage`).
pub struct NotificationsRoute;

#[lazy_route]
impl LazyRoute for NotificationsRoute {
    fn data() -> Self {
        NotificationsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::NotificationsPage/> }.into_any()
    }
}

/// How notifications are emailed (`NotificationSettingsPage`).
pub struct NotificationSettingsRoute;

#[lazy_route]
impl LazyRoute for NotificationSettingsRoute {
    fn data() -> Self {
        NotificationSettingsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::NotificationSettingsPage/> }.into_any()
    }
}
