//! `/plans/:id`: the whole plan, laid out as the template, co-edited live.
//!
//! Every part renders from the plan's replica ([`LiveHandle::read`]): on the
//! server for the first paint (readable without JavaScript, and what print
//! uses), then in the browser, where each part follows the replica as it
//! changes. Plain text shows as text (`.static-only`); the editors
//! (`.live-only`) replace it once the page is live.

use super::action_log::{ActionLog, ActionLogGuidance};
use super::objectives::Checklist;
use super::plan_header::PlanHeader;
use super::reviews_panel::ReviewsPanel;
use super::team::TeamPanel;
use crate::api::get_plan;
use crate::components::{AccountBar, ErrorPage, Marking, NotFound};
use crate::escape::PageTitle;
use crate::live::{field_text, LiveHandle, LiveText, Viewing};
use crate::present;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use plan::strategy::ControlStrategy;
use plan::{PlanDoc, ReviewIntervals, Section, TextField, P};

/// The plan page: loads the plan, or answers "Plan not found" (404).
#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let plan = crate::wire::resource(move || params.read().get("id").unwrap_or_default(), get_plan);
    let today = present::today();
    view! {
        <Suspense fallback=|| {
            view! {
                <Marking/>
                <main class="page" id="main">
                    <p class="loading">"Loading plan…"</p>
                </main>
                <Marking bottom=true/>
            }
        }>
            {move || Suspend::new(async move {
                match plan.await {
                    Ok(Some(data)) => match data.plan() {
                        Ok(doc) => {
                            let viewing = Viewing {
                                role: data.role,
                                agency: data.viewer_agency.clone(),
                                name: data.viewer_name.clone(),
                                closed: data.closed(),
                            };
                            let life = data.life.clone();
                            let glass = data.break_glass.clone();
                            let handed = data.handed_over.clone();
                            view! {
                                <PlanView id=data.id plan=doc intervals=data.intervals viewing=viewing strategy=data.strategy today=today life=life break_glass=glass handed_over=handed/>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorPage error=ServerFnError::new(e)/> }.into_any(),
                    },
                    Ok(None) => {
                        let id = params.read().get("id").unwrap_or_default();
                        view! { <NotFound title="Plan not found"/> <super::break_glass::BreakGlassOffer plan=id/> }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A whole plan, live.
#[component]
pub fn PlanView(
    id: uuid::Uuid,
    plan: PlanDoc,
    intervals: ReviewIntervals,
    viewing: Viewing,
    /// The current Control Strategy, for the threat tags.
    strategy: ControlStrategy,
    today: NaiveDate,
    /// Where the plan is in its life (none: open).
    #[prop(default = None)]
    life: Option<plan::lifecycle::PlanLife>,
    /// Break-glass access lately (shown to the LRO and plan owner).
    #[prop(default = Vec::new())]
    break_glass: Vec<plan::access_log::BreakGlassNote>,
    /// Who handed the plan to the viewer lately, and when.
    #[prop(default = None)]
    handed_over: Option<(String, chrono::DateTime<chrono::Utc>)>,
) -> impl IntoView {
    let live = LiveHandle::new(id, plan, intervals, viewing);
    provide_context(live);
    live.start();
    super::comments::CommentsHandle::provide(id);
    let header = Memo::new(move |_| live.read(|plan, txn| plan.header(txn)));
    let marking = Signal::derive(move || header.get().marking);
    let title = move || {
        let name = present::or_not_set(&header.get().subject_name);
        format!("{name} — 4P SOC management plan — Pillars")
    };
    let sections = Section::ALL
        .iter()
        .map(|s| {
            let checklist = match s {
                Section::Objectives(p) => Some(view! { <Checklist p=*p/> }),
                _ => None,
            };
            view! { <PlanSection section=*s>{checklist}</PlanSection> }
        })
        .collect_view();
    let action_logs = P::ACTION_LOG_ORDER
        .iter()
        .map(|p| view! { <ActionLog p=*p today=today/> })
        .collect_view();

    view! {
        <PageTitle text=title/>
        <Marking marking=marking/>
        <AccountBar/>
        <crate::components::RecordsPrinting plan=id/>
        <main class="page plan" id="main" data-plan-id=id.to_string()>
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href="/">"← All plans"</a>
            </nav>
            <super::break_glass::BreakGlassNotice notes=break_glass/>
            {handed_over.map(|(by, at)| view! {
                <p class="notice" role="status" id="handed-over">
                    {format!("{by} handed this plan to you on {}: you are its LRO now.", crate::dates::long(at.date_naive()))}
                </p>
            })}
            <super::lifecycle_panel::ClosedBanner life=life.clone()/>
            <PlanHeader header=header strategy=strategy today=today/>

            <section class="part part-a" aria-labelledby="part-a">
                <h2 id="part-a">"Part A — The plan"</h2>
                {sections}
            </section>

            <section class="part part-b" aria-labelledby="part-b">
                <h2 id="part-b">"Part B — Response and assessment"</h2>
                <h3>"Tactical activity and action log"</h3>
                <ActionLogGuidance/>
                {action_logs}
            </section>

            <super::comments::PlanComments/>
            <super::comments::PrintedComments/>
            <ReviewsPanel id=id/>
            <TeamPanel/>
            <super::lifecycle_panel::LifecyclePanel life=life/>

            <nav class="breadcrumbs bottom" aria-label="Back">
                <a href="/">"← All plans"</a>
            </nav>
        </main>
        <Marking marking=marking bottom=true/>
    }
}

/// One text section: its title, the template's guidance, the text (and its
/// editor), and any extra content (the objectives checklist).
#[component]
fn PlanSection(section: Section, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let field = TextField::Section(section);
    let text = Memo::new({
        let field = field.clone();
        move |_| field_text(&live, &field)
    });
    let heading_id = format!("section-{}-heading", section.key());
    view! {
        <section
            class="plan-section"
            id=format!("section-{}", section.key())
            data-section=section.key()
            aria-labelledby=heading_id.clone()
        >
            <h3 id=heading_id.clone()>{section.title()}</h3>
            <details class="guidance">
                <summary>"Guidance"</summary>
                <p>{section.guidance()}</p>
            </details>
            <div class="section-text static-only" class:empty=move || text.get().trim().is_empty()>
                {move || {
                    let t = text.get();
                    if t.trim().is_empty() { "Not yet completed.".to_string() } else { t }
                }}
            </div>
            <div class="live-only">
                <LiveText field=field label=section.title().to_string() multiline=true/>
            </div>
            {children.map(|c| c())}
            <super::comments::SectionComments section=section/>
        </section>
    }
    .into_any()
}
