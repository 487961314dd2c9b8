//! Hostile text written into every text a user can set, by the paths users
//! write them: accounts (as an administrator makes them), the plan through
//! the API and its Yjs websocket, a review, a member, and a published
//! Control Strategy.

use crate::hostile::Corpus;
use crate::{Client, TestApp, USER_PASSWORD};
use chrono::{Duration, Utc};
use plan::strategy::{DraftThreat, ManagementModel, PublishedStrategy, StrategyDraft, ThreatKey};
use plan::{Disruption, HeaderText, NewAction, RagStatus, Section, P};
use serde_json::{json, Value};
use uuid::Uuid;

/// The administrator (and strategic lead, and the plan's LRO) every page
/// is opened as; their name and agency are hostile.
pub const ADMIN_EMAIL: &str = "hostile-admin@northshire.police.uk";

/// The plan everything was written into, and what was written.
pub struct HostilePlan {
    pub app: TestApp,
    pub plan: Uuid,
    pub corpus: Corpus,
    /// The first accepted update (the LRO's first edit: an objective) and
    /// the last one.
    pub first_seq: i64,
    pub last_seq: i64,
    /// A second plan, closed with a hostile summary and disruptions.
    pub closed: Uuid,
}

/// The code and name of each header text and section.
const HEADER: [(HeaderText, &str, &str); 5] = [
    (HeaderText::SubjectName, "sn", "plan subject"),
    (HeaderText::SubjectRef, "sr", "plan reference"),
    (HeaderText::Lro, "lo", "plan LRO"),
    (HeaderText::Sio, "si", "plan SIO"),
    (HeaderText::PlanOwner, "po", "plan owner"),
];
const SECTIONS: [(Section, &str); 9] = [
    (Section::SummaryOfThreats, "ts"),
    (Section::IntelligenceStrategy, "is"),
    (Section::Partnerships, "pa"),
    (Section::Aim, "ai"),
    (Section::Objectives(P::Pursue), "ou"),
    (Section::Objectives(P::Prevent), "ov"),
    (Section::Objectives(P::Protect), "ot"),
    (Section::Objectives(P::Prepare), "op"),
    (Section::LroUpdate, "lu"),
];

/// `app` (logged in as anyone) with the hostile administrator, plan,
/// member and strategy; the returned app is logged in as the administrator.
pub async fn write_everything(app: TestApp) -> HostilePlan {
    let mut corpus = Corpus::default();
    let accounts = &app.state.accounts;
    let agency = corpus.short("ag", "agency name (and action A's owner agency)");
    let kind = corpus.short("ak", "agency kind");
    let name = corpus.short("un", "user name (and action B's owner name)");
    let agency_id = accounts.create_agency(&agency, &kind).await.expect("an agency").id;
    accounts
        .create_user(server::accounts::NewUser {
            email: ADMIN_EMAIL.into(),
            name: name.clone(),
            agency_id,
            password: USER_PASSWORD.into(),
            is_admin: true,
            strategic_lead: true,
            may_lead_plans: true,
            auditor: true,
        })
        .await
        .expect("the hostile administrator");
    let app = app.log_in_as(ADMIN_EMAIL).await;

    let headers: Vec<String> = HEADER.iter().map(|(_, code, what)| corpus.short(code, what)).collect();
    let plan = app
        .create_plan_from(json!({
            "subject_kind": "OCG", "subject_name": headers[0], "subject_ref": headers[1], "tier": 2, "lro": headers[2]
        }))
        .await;
    let (member, member_agency) = (corpus.short("mn", "member name"), corpus.short("ma", "member agency"));
    app.add_member(
        plan,
        "hostile-partner@council.gov.uk",
        &member,
        &member_agency,
        "partner",
    )
    .await;
    let threat = publish_strategy(&app, &mut corpus).await;

    let sections: Vec<(Section, String)> = SECTIONS
        .iter()
        .map(|(s, code)| (*s, corpus.long(code, &format!("section {}", s.key()))))
        .collect();
    let objective = corpus.short("co", "objective of the plan's own");
    let today = Utc::now().date_naive();
    let a = NewAction {
        date: Some(today),
        target_date: Some(today - Duration::days(2)),
        owner_name: corpus.short("an", "action A owner name"),
        owner_agency: agency.clone(),
        update: corpus.long("au", "action A update/result"),
        status: RagStatus::Amber,
        disruption: Some(Disruption::Moderate),
        ..NewAction::new([P::Pursue, P::Prevent], corpus.long("at", "action A text"))
    };
    let b = NewAction {
        date: Some(today),
        owner_name: name.clone(),
        owner_agency: corpus.short("bg", "action B owner agency"),
        update: corpus.long("bu", "action B update/result"),
        ..NewAction::new([P::Protect], corpus.long("bt", "action B text"))
    };
    let c = NewAction::new([P::Prepare], corpus.long("ct", "action C text (deleted later)"));

    // A first edit (creating a plan is not a moment of its history), so
    // that comparing from it shows everything written after as new.
    let lro = Client::connect(&app.ws_url(plan)).await;
    lro.edit(|p, t| {
        p.add_custom_objective(t, P::Pursue, &objective);
    });
    durable(&app, plan, |p| {
        p.objectives_for(&p.transact(), P::Pursue).iter().any(|o| o.custom)
    })
    .await;
    let first_seq = last_seq(&app, plan).await;

    let c_id = lro.edit(|p, t| {
        for (field, value) in HEADER.iter().map(|h| h.0).zip(&headers).skip(3) {
            p.set_header_text(t, field, value);
        }
        for (section, text) in &sections {
            p.set_section_text(t, *section, text);
        }
        p.add_action(t, &a).unwrap();
        p.add_action(t, &b).unwrap();
        p.tag_threat(t, &threat, true);
        p.add_action(t, &c).unwrap()
    });
    durable(&app, plan, |p| p.actions(&p.transact()).len() == 3).await;

    // Recorded at a review (with the LRO update), then changed: the
    // comparison shows the old and new text and the deleted action.
    let review = app.record_review(plan).await;
    assert_eq!(review.status(), 201, "a review is recorded");
    let partnerships = corpus.long("pb", "section partnerships, after the review");
    lro.edit(|p, t| {
        p.set_section_text(t, Section::Partnerships, &partnerships);
        p.delete_action(t, &c_id).unwrap();
    });
    durable(&app, plan, |p| p.actions(&p.transact()).len() == 2).await;
    lro.close();
    let last_seq = last_seq(&app, plan).await;
    let closed = write_the_plans_life(&app, plan, &mut corpus).await;
    HostilePlan {
        app,
        plan,
        corpus,
        first_seq,
        last_seq,
        closed,
    }
}

/// What the access log and a plan's life keep of what users type: for
/// whom a download is, a break-glass reason, a closing. Returns the plan
/// closed.
async fn write_the_plans_life(app: &TestApp, plan: Uuid, corpus: &mut Corpus) -> Uuid {
    let recipients = corpus.short("rc", "for whom a download is");
    let csv = app
        .http
        .get(app.url(&format!("/api/plans/{plan}/history")))
        .query(&[("format", "csv"), ("for", recipients.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200, "the history is downloaded");

    // A plan the administrator hands over and leaves, then opens again by
    // breaking the glass.
    let other = app.create_plan("Operation Glass").await;
    let handover = json!({ "email": "hostile-partner@council.gov.uk", "then": "leave" });
    let answer = app.post_json(&format!("/api/plans/{other}/handover"), &handover).await;
    assert_eq!(answer.status(), 204, "handed over");
    let reason = corpus.long("br", "break-glass reason");
    let answer = app
        .post_json(&format!("/api/plans/{other}/break-glass"), &json!({ "reason": reason }))
        .await;
    assert_eq!(answer.status(), 200, "the glass is broken");

    // Named as the first plan: every plan page's title is checked for it.
    let subject = corpus.field("sn").payloads.join(" ");
    let closed = app
        .create_plan_from(json!({ "subject_kind": "OCG", "subject_name": subject, "tier": 3 }))
        .await;
    let closing = json!({
        "outcome": "other",
        "summary": corpus.long("cs", "closing summary"),
        "disruptions": corpus.long("cd", "disruptions achieved at closing"),
    });
    let answer = app.post_json(&format!("/api/plans/{closed}/close"), &closing).await;
    assert_eq!(answer.status(), 200, "closed");
    app.state.access_log.flush().await;
    closed
}

/// Publishes a strategy whose every text is hostile, with a new threat;
/// returns the new threat's key.
async fn publish_strategy(app: &TestApp, corpus: &mut Corpus) -> ThreatKey {
    let current: PublishedStrategy = app.get_json("/api/strategy").await;
    let mut draft = StrategyDraft::from_current(current.version, &current.strategy);
    draft.title = corpus.short("sx", "strategy title");
    draft.aim = Some(corpus.long("sa", "strategy aim"));
    draft
        .spr_themes
        .get_or_insert_with(Vec::new)
        .push(corpus.short("sp", "strategy SPR theme"));
    draft
        .local_priorities
        .get_or_insert_with(Vec::new)
        .push(corpus.short("sl", "strategy local priority"));
    let area = corpus.short("sg", "strategy SGG area");
    draft.areas.push(area.clone());
    let name = corpus.short("tn", "threat name");
    draft.threats.push(DraftThreat {
        key: None,
        area,
        name: name.clone(),
        model: ManagementModel::RegionallyLed,
        battles: vec![corpus.long("tb", "threat's must-win battle")],
        retired: false,
    });
    let response = app.post_json("/api/strategy", &draft).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 201, "the hostile strategy is published: {text}");
    let published: PublishedStrategy = serde_json::from_str(&text).unwrap();
    published
        .strategy
        .threats
        .iter()
        .find(|t| t.name == name)
        .expect("the new threat")
        .key
        .clone()
}

/// Waits until a fresh connection to the plan sees `ready`: the server
/// has taken the edits.
async fn durable(app: &TestApp, plan: Uuid, ready: impl Fn(&plan::PlanDoc) -> bool) {
    let check = Client::connect(&app.ws_url(plan)).await;
    check.wait_for_doc("the hostile edits on the server", ready).await;
    check.close();
}

async fn last_seq(app: &TestApp, plan: Uuid) -> i64 {
    let response = app.get(&format!("/api/plans/{plan}/versions")).await;
    assert_eq!(response.status(), 200, "the LRO reads the plan's moments");
    let moments: Value = response.json().await.unwrap();
    moments
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["seq"].as_i64())
        .max()
        .expect("the plan has a moment")
}
