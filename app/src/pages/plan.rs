//! `/plans/:id`: a read-only view of a whole plan, laid out as the template.

use super::action_log::{ActionLog, ActionLogGuidance};
use crate::api::get_plan;
use crate::components::{ErrorPage, Marking, NotFound};
use crate::live::{ConnectionBadge, LiveHandle, LiveText};
use crate::present::{self, ReviewState};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use plan::template::{HANDLING_STATEMENT, REVIEW_GUIDANCE};
use plan::{HeaderText, ObjectiveEntry, PlanExport, Section, P};

/// The plan page: loads the plan, or answers "Plan not found" (404).
#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let plan = Resource::new(move || params.read().get("id").unwrap_or_default(), get_plan);
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
                    Ok(Some(p)) => view! { <PlanView plan=p today=today/> }.into_any(),
                    Ok(None) => view! { <NotFound title="Plan not found"/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A whole plan, read-only.
#[component]
pub fn PlanView(plan: PlanExport, today: NaiveDate) -> impl IntoView {
    let marking = plan.marking;
    let live = LiveHandle::new(plan.id);
    provide_context(live);
    live.start();
    let h = plan.header.clone();
    let name = present::or_not_set(&h.subject_name);
    let review = ReviewState::of(plan.next_review, today);
    let threats: Vec<String> = plan
        .threats
        .iter()
        .map(|id| {
            plan::control_strategy::threat(id)
                .map(|t| t.name.to_string())
                .unwrap_or_else(|| id.clone())
        })
        .collect();
    let threats = (!threats.is_empty()).then(|| {
        view! {
            <div class="fact fact-wide">
                <dt>"SOC threats tackled"</dt>
                <dd data-field="threats">{threats.join(", ")}</dd>
            </div>
        }
    });
    let text_fact = move |field: HeaderText, value: &str| {
        view! {
            <div class="fact">
                <dt>{field.label()}</dt>
                <dd data-field=field.key()>{present::or_not_set(value)}</dd>
            </div>
        }
    };
    let sections = Section::ALL
        .iter()
        .map(|s| {
            let text = plan.sections.get(s.key()).cloned().unwrap_or_default();
            let checklist = match s {
                Section::Objectives(p) => {
                    let entries = plan.objectives.get(p.key()).cloned().unwrap_or_default();
                    Some(view! { <Checklist p=*p entries=entries/> })
                }
                _ => None,
            };
            view! { <PlanSection section=*s text=text>{checklist}</PlanSection> }
        })
        .collect_view();
    let action_logs = P::ACTION_LOG_ORDER
        .iter()
        .map(|p| view! { <ActionLog p=*p actions=present::actions_for(&plan.actions, *p) today=today/> })
        .collect_view();

    view! {
        <Title text=format!("{name} — 4P SOC management plan — Pillars")/>
        <Marking marking=marking/>
        <main class="page plan" id="main" data-plan-id=plan.id.to_string()>
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <a href="/">"← All plans"</a>
            </nav>
            <header class="plan-header">
                <p class="eyebrow">"4P SOC management plan"</p>
                <h1 id="plan-title">
                    <span class="kind-badge" title=present::kind_long(h.subject_kind)>
                        {present::kind_short(h.subject_kind)}
                    </span>
                    " "
                    {name.clone()}
                </h1>
                <ConnectionBadge/>
                <p class="handling">{HANDLING_STATEMENT}</p>
                <dl class="facts" id="plan-header">
                    <div class="fact">
                        <dt>"Subject type"</dt>
                        <dd data-field="subject_kind">{present::kind_long(h.subject_kind)}</dd>
                    </div>
                    {text_fact(HeaderText::SubjectName, &h.subject_name)}
                    {text_fact(HeaderText::SubjectRef, &h.subject_ref)}
                    <div class="fact">
                        <dt>"Tier"</dt>
                        <dd data-field="tier">{present::tier_text(h.tier)}</dd>
                    </div>
                    {text_fact(HeaderText::Lro, &h.lro)}
                    {text_fact(HeaderText::Sio, &h.sio)}
                    {text_fact(HeaderText::PlanOwner, &h.plan_owner)}
                    <div class="fact">
                        <dt>"Date of next review"</dt>
                        <dd data-field="next_review" class=review.class()>
                            {present::format_opt_date(plan.next_review)}
                            {review.flag().map(|f| view! { " " <strong class="flag">{f}</strong> })}
                        </dd>
                    </div>
                    <div class="fact">
                        <dt>"Last review"</dt>
                        <dd data-field="last_review">{present::format_opt_date(h.last_review)}</dd>
                    </div>
                    {threats}
                </dl>
                <details class="guidance">
                    <summary>"Guidance"</summary>
                    <p>{REVIEW_GUIDANCE}</p>
                </details>
            </header>

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

            <nav class="breadcrumbs bottom" aria-label="Back">
                <a href="/">"← All plans"</a>
            </nav>
        </main>
        <Marking marking=marking bottom=true/>
    }
}

/// One text section: its title, the template's guidance, the text, and any
/// extra content (the objectives checklist).
#[component]
fn PlanSection(section: Section, text: String, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let text_for_editor = text.clone();
    let body = if text.trim().is_empty() {
        view! { <p class="section-text empty">"Not yet completed."</p> }.into_any()
    } else {
        view! { <div class="section-text">{text}</div> }.into_any()
    };
    view! {
        <section class="plan-section" id=format!("section-{}", section.key()) data-section=section.key()>
            <h3>{section.title()}</h3>
            <details class="guidance">
                <summary>"Guidance"</summary>
                <p>{section.guidance()}</p>
            </details>
            {body}
            <LiveText key=section.key() label=section.title().to_string() initial=text_for_editor/>
            {children.map(|c| c())}
        </section>
    }
}

/// The objectives checklist for one P ('Y' for those selected).
#[component]
fn Checklist(p: P, entries: Vec<ObjectiveEntry>) -> impl IntoView {
    let heading_id = format!("objectives-{}-heading", p.key());
    view! {
        <div class="checklist" id=format!("objectives-{}", p.key())>
            <h4 id=heading_id.clone()>{p.heading()}</h4>
            <p class="hint">"Selected objectives are marked Y."</p>
            <ul class="objectives" aria-labelledby=heading_id>
                {entries
                    .into_iter()
                    .map(|o| {
                        let selected = o.selected;
                        view! {
                            <li
                                class="objective"
                                class:selected=selected
                                data-objective-id=o.id.clone()
                                data-selected=selected.to_string()
                            >
                                <span class="objective-mark" aria-hidden="true">
                                    {if selected { "✓ Y" } else { "" }}
                                </span>
                                <span class="visually-hidden">
                                    {if selected { "Selected: " } else { "Not selected: " }}
                                </span>
                                <span class="objective-text">{o.text}</span>
                                {o.custom.then(|| view! { " " <span class="tag">"Added"</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use leptos_meta::provide_meta_context;
    use plan::{ActionChange, NewAction, NewPlan, PlanDoc, ReviewIntervals, SubjectKind, Tier};
    use plan::{Disruption, RagStatus};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn sample() -> PlanExport {
        let new = NewPlan {
            subject_kind: SubjectKind::Ocg,
            subject_name: "Red Kings".into(),
            subject_ref: "OCG/42".into(),
            tier: Tier::new(1).unwrap(),
            lro: "DI Jones".into(),
        };
        let doc = PlanDoc::create(&new, d("2026-01-15"));
        {
            let mut txn = doc.transact_mut();
            doc.set_section_text(&mut txn, Section::Aim, "Dismantle the group <b>now</b>");
            doc.select_objective(&mut txn, "pursue-4", true).unwrap();
            let id = doc
                .add_action(
                    &mut txn,
                    &NewAction {
                        ps: [P::Pursue, P::Protect].into_iter().collect(),
                        date: Some(d("2026-01-20")),
                        target_date: Some(d("2026-02-01")),
                        text: "Execute warrant".into(),
                        owner_name: "DS Smith".into(),
                        owner_agency: "Police".into(),
                        update: String::new(),
                        status: RagStatus::Amber,
                        disruption: None,
                        submitted: false,
                    },
                )
                .unwrap();
            doc.change_action(&mut txn, &id, &ActionChange::Disruption(Some(Disruption::Major)))
                .unwrap();
        }
        let txn = doc.transact();
        doc.export(&txn, uuid::Uuid::nil(), &ReviewIntervals::default())
    }

    fn render(plan: PlanExport, today: NaiveDate) -> String {
        Owner::new().with(|| {
            provide_meta_context();
            view! { <PlanView plan=plan today=today/> }.to_html()
        })
    }

    fn positions(html: &str, needles: &[&str]) -> Vec<usize> {
        needles
            .iter()
            .map(|n| html.find(n).unwrap_or_else(|| panic!("missing {n}")))
            .collect()
    }

    #[test]
    fn the_plan_reads_in_the_templates_order() {
        let html = render(sample(), d("2026-03-01"));
        let titles: Vec<&str> = Section::ALL.iter().map(|s| s.title()).collect();
        let pos = positions(&html, &titles);
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "sections out of order");
        let logs: Vec<String> = P::ACTION_LOG_ORDER
            .iter()
            .map(|p| format!("id=\"action-log-{}\"", p.key()))
            .collect();
        let pos = positions(&html, &logs.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "action logs out of order");
        assert_eq!(html.matches("class=\"marking ").count(), 2);
        assert!(html.contains("OFFICIAL-SENSITIVE"));
        for heading in P::ALL.iter().map(|p| p.heading()) {
            assert!(html.contains(heading), "{heading}");
        }
    }

    #[test]
    fn the_plan_shows_its_values_escaped_and_flags_overdue_work() {
        let html = render(sample(), d("2026-03-01"));
        assert!(html.contains("Dismantle the group &lt;b&gt;now&lt;/b&gt;"));
        assert!(html.contains("Red Kings"));
        // Tier 1: next review a month after creation, now past.
        assert!(html.contains("15 Feb 2026"));
        assert_eq!(
            html.matches(">Overdue<").count(),
            1 + 2,
            "review + the action in two tables"
        );
        assert_eq!(
            html.matches("data-action-id=").count(),
            2,
            "the action is under PURSUE and PROTECT"
        );
        assert!(html.contains("class=\"rag rag-amber\">AMBER<"));
        assert!(html.contains(">MAJOR<"));
        assert!(html.contains("DS Smith / Police"));
        assert!(html.contains("data-objective-id=\"pursue-4\" data-selected=\"true\""));
        assert!(html.contains("data-objective-id=\"pursue-1\" data-selected=\"false\""));
        assert_eq!(
            html.matches("<summary>Guidance</summary>").count(),
            Section::ALL.len() + 2
        );

        let html = render(sample(), d("2026-01-20"));
        assert!(!html.contains(">Overdue<"));
    }
}
