//! The plan's header: marking, subject, tier, the officers, review dates and
//! the Control Strategy threats it tackles. Each fact shows as text and,
//! once live, as its editor.

use crate::live::{ConnectionBadge, LiveHandle, LiveText, PresenceBar};
use crate::present::{self, ReviewState};
use chrono::NaiveDate;
use leptos::prelude::*;
use plan::strategy::{ControlStrategy, ThreatChoice, ThreatKey, ThreatTag};
use plan::template::{HANDLING_STATEMENT, REVIEW_GUIDANCE};
use plan::{Header, HeaderText, SecurityMarking, SubjectKind, TextField, Tier};

/// One fact of the header: its value as text, and (live) its editor.
#[component]
fn Fact(
    label: &'static str,
    field: &'static str,
    #[prop(into)] text: Signal<String>,
    #[prop(optional)] wide: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="fact" class:fact-wide=wide>
            <dt>{label}</dt>
            <dd data-field=field>
                <span class="static-only">{move || text.get()}</span>
                <span class="live-only">{children()}</span>
            </dd>
        </div>
    }
}

/// A one-line text fact of the header, edited live.
#[component]
fn TextFact(field: HeaderText, header: Memo<Header>) -> impl IntoView {
    let text = Signal::derive(move || {
        header.with(|h| {
            present::or_not_set(match field {
                HeaderText::SubjectName => &h.subject_name,
                HeaderText::SubjectRef => &h.subject_ref,
                HeaderText::Lro => &h.lro,
                HeaderText::Sio => &h.sio,
                HeaderText::PlanOwner => &h.plan_owner,
            })
        })
    });
    view! {
        <Fact label=field.label() field=field.key() text=text>
            <LiveText field=TextField::Header(field) label=field.label().to_string()/>
        </Fact>
    }
}

/// A `<select>` over a closed set of values, written to the plan on change.
#[component]
fn ChoiceEditor(
    id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] current: Signal<String>,
    on_choose: impl Fn(String) + 'static,
) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    view! {
        <select
            id=id
            aria-label=label
            disabled=move || !live.may_edit_plan()
            prop:value=move || current.get()
            // Presence names the fact: `edit-subject-kind` → `subject_kind`.
            on:focus=move |_| live.focus(Some(id.trim_start_matches("edit-").replace('-', "_")))
            on:blur=move |_| live.focus(None)
            on:change=move |ev| on_choose(event_target_value(&ev))
        >
            {options
                .into_iter()
                .map(|(value, text)| {
                    let v = value.clone();
                    view! { <option value=value selected=move || current.get() == v>{text}</option> }
                })
                .collect_view()}
        </select>
    }
}

/// One threat's checkbox, with its management model and must-win battles
/// as help. A retired threat is offered only while tagged, to be unticked.
#[component]
fn ThreatCheckbox(threat: ThreatChoice, tagged: Memo<Vec<ThreatKey>>) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let help = threat
        .model
        .map(|m| m.label().to_string())
        .into_iter()
        .chain(threat.battles)
        .collect::<Vec<_>>()
        .join(" · ");
    let title = help.clone();
    let tag = threat.key;
    let key = tag.to_string();
    let checked = {
        let tag = tag.clone();
        move || tagged.with(|t| t.contains(&tag))
    };
    view! {
        <label class="check" class:retired=threat.retired title=title>
            <input
                type="checkbox"
                data-threat=key
                disabled=move || !live.may_edit_plan()
                prop:checked=checked
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    live.edit(|plan, txn| plan.tag_threat(txn, &tag, on));
                }
            />
            " " {threat.name}
            {threat.retired.then(|| view! { " " <strong class="flag">"(retired)"</strong> })}
            <span class="visually-hidden">" — " {help}</span>
        </label>
    }
}

/// The header block of the plan page.
#[component]
pub fn PlanHeader(header: Memo<Header>, strategy: ControlStrategy, today: NaiveDate) -> impl IntoView {
    let live = expect_context::<LiveHandle>();
    let next_review = Memo::new(move |_| header.with(|h| h.next_review(&live.intervals)));
    let review = move || ReviewState::of(next_review.get(), today);
    let threats = Memo::new(move |_| live.read(|plan, txn| plan.threats(txn)));
    let strategy = StoredValue::new(strategy);
    let threat_names = Signal::derive(move || {
        let tags = strategy.with_value(|s| s.name_tags(&threats.get()));
        ThreatTag::line(&tags).unwrap_or_else(|| present::NOT_SET.to_string())
    });
    // Changes only when the boxes offered do (a retired tag removed), so
    // ticking a box does not rebuild the list under the keyboard's focus.
    let choices = Memo::new(move |_| strategy.with_value(|s| s.tag_choices(&threats.get())));
    let kind = move || header.get().subject_kind;
    let enum_options = |values: &[&'static str]| values.iter().map(|v| (v.to_string(), v.to_string())).collect();
    view! {
        <header class="plan-header">
            <p class="eyebrow">"4P SOC management plan"</p>
            <h1 id="plan-title">
                <span class="kind-badge" title=move || present::kind_long(kind())>
                    {move || present::kind_short(kind())}
                </span>
                " "
                {move || present::or_not_set(&header.get().subject_name)}
            </h1>
            <ConnectionBadge/>
            <PresenceBar/>
            <p class="handling">{HANDLING_STATEMENT}</p>
            <dl class="facts" id="plan-header">
                <Fact label="Security marking" field="marking" text=Signal::derive(move || header.get().marking.to_string())>
                    <ChoiceEditor
                        id="edit-marking"
                        label="Security marking"
                        options=enum_options(&SecurityMarking::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>())
                        current=Signal::derive(move || header.get().marking.to_string())
                        on_choose=move |v| {
                            if let Ok(m) = v.parse() {
                                live.edit(|plan, txn| plan.set_marking(txn, m));
                            }
                        }
                    />
                </Fact>
                <Fact label="Subject type" field="subject_kind" text=Signal::derive(move || present::kind_long(kind()).to_string())>
                    <ChoiceEditor
                        id="edit-subject-kind"
                        label="Subject type"
                        options=SubjectKind::ALL.iter().map(|k| (k.to_string(), present::kind_long(Some(*k)).to_string())).collect()
                        current=Signal::derive(move || kind().map(|k| k.to_string()).unwrap_or_default())
                        on_choose=move |v| {
                            if let Ok(k) = v.parse() {
                                live.edit(|plan, txn| plan.set_subject_kind(txn, k));
                            }
                        }
                    />
                </Fact>
                <TextFact field=HeaderText::SubjectName header=header/>
                <TextFact field=HeaderText::SubjectRef header=header/>
                <Fact label="Tier" field="tier" text=Signal::derive(move || present::tier_text(header.get().tier))>
                    <ChoiceEditor
                        id="edit-tier"
                        label="Tier"
                        options=Tier::ALL.iter().map(|t| (t.get().to_string(), present::tier_text(Some(*t)))).collect()
                        current=Signal::derive(move || header.get().tier.map(|t| t.get().to_string()).unwrap_or_default())
                        on_choose=move |v| {
                            if let Some(t) = v.parse().ok().and_then(|n| Tier::new(n).ok()) {
                                live.edit(|plan, txn| plan.set_tier(txn, t));
                            }
                        }
                    />
                </Fact>
                <TextFact field=HeaderText::Lro header=header/>
                <TextFact field=HeaderText::Sio header=header/>
                <TextFact field=HeaderText::PlanOwner header=header/>
                <div class="fact">
                    <dt>"Date of next review"</dt>
                    <dd data-field="next_review" class=move || review().class()>
                        {move || present::format_opt_date(next_review.get())}
                        {move || review().flag().map(|f| view! { " " <strong class="flag">{f}</strong> })}
                    </dd>
                </div>
                <Fact label="Last review" field="last_review" text=Signal::derive(move || present::format_opt_date(header.get().last_review))>
                    <input
                        type="date"
                        id="edit-last-review"
                        aria-label="Last review"
                        disabled=move || !live.may_edit_plan()
                        on:focus=move |_| live.focus(Some("last_review".into()))
                        on:blur=move |_| live.focus(None)
                        prop:value=move || header.get().last_review.map(|d| d.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let date = event_target_value(&ev).parse::<NaiveDate>().ok();
                            live.edit(|plan, txn| plan.set_last_review(txn, date));
                        }
                    />
                </Fact>
                <Fact label="SOC threats tackled" field="threats" text=threat_names wide=true>
                    <fieldset class="threats">
                        <legend class="visually-hidden">"SOC threats tackled"</legend>
                        {move || choices.get().into_iter().map(|area| view! {
                            <div class="threat-area" data-area=area.area.clone()>
                                <span class="threat-area-name">{area.area.clone()}</span>
                                {area.threats.into_iter().map(|t| view! { <ThreatCheckbox threat=t tagged=threats/> }).collect_view()}
                            </div>
                        }).collect_view()}
                    </fieldset>
                </Fact>
            </dl>
            <details class="guidance">
                <summary>"Guidance"</summary>
                <p>{REVIEW_GUIDANCE}</p>
            </details>
        </header>
    }
    .into_any()
}
