//! Small shared components.

use crate::present;
use leptos::prelude::*;
use leptos_meta::{Style, Title};
use plan::SecurityMarking;

/// The security marking banner, shown at the top and bottom of every page.
/// The top one also puts the marking in the print page margins, so it is
/// repeated on every printed page.
#[component]
pub fn Marking(
    /// The plan's marking; OFFICIAL-SENSITIVE when not given.
    #[prop(optional)]
    marking: Option<SecurityMarking>,
    /// The banner at the foot of the page (otherwise the top one).
    #[prop(optional)]
    bottom: bool,
) -> impl IntoView {
    let marking = marking.unwrap_or_default();
    let class = if bottom {
        "marking marking-bottom"
    } else {
        "marking marking-top"
    };
    let print = (!bottom).then(|| view! { <Style id="marking-print">{present::print_marking_css(marking)}</Style> });
    view! {
        {print}
        <div class=class role="note" aria-label="Security marking" data-marking=marking.as_str()>
            {marking.as_str()}
        </div>
    }
}

/// A page with the marking banners, a title and a link back to the list.
#[component]
fn MessagePage(title: &'static str, message: String) -> impl IntoView {
    view! {
        <Title text=format!("{title} — Pillars")/>
        <Marking/>
        <main class="page message-page" id="main">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href="/">"← All plans"</a>
            </nav>
            <h1>{title}</h1>
            <p>{message}</p>
        </main>
        <Marking bottom=true/>
    }
}

/// "Plan not found" (or "Page not found"), answered with HTTP 404.
#[component]
pub fn NotFound(
    /// The heading, e.g. "Plan not found".
    #[prop(default = "Page not found")]
    title: &'static str,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(axum::http::StatusCode::NOT_FOUND);
    view! {
        <MessagePage
            title=title
            message="There is nothing at this address. It may have been mistyped, or the plan may have been removed."
                .to_string()
        />
    }
}

/// A failed server call, answered with HTTP 500 when rendered on the server.
#[component]
pub fn ErrorPage(error: ServerFnError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    view! { <MessagePage title="Something went wrong" message=present::user_message(&error)/> }
}
