//! A member whose vetting expired is a non-member everywhere (page, API,
//! websocket, history CSV, portfolio, my actions, plans list), and in
//! again once renewed; the LRO sees why in the members panel.

use super::{in_days, page_call, vetted, Vetted};
use integration_tests::{Client, Fetch, TestApp, PAT, SAM};
use plan::{NewAction, P};
use serde_json::Value;
use server::collab::room::Access;
use server::collab::server_edit::edit_as;

/// Every way to read the plan, with `{id}` for it.
const READS: [&str; 6] = [
    "/plans/{id}",
    "/api/plans/{id}",
    "/api/plans/{id}/members",
    "/api/plans/{id}/history?format=csv&for=Court",
    "/api/plans/{id}/versions",
    "/api/plans/{id}/vetting",
];

/// What `client` is answered for each read of the plan: status and body
/// (the page's body left out: it carries per-request nonces).
async fn answers(v: &Vetted, client: &reqwest::Client) -> Vec<(u16, String)> {
    let mut all = Vec::new();
    for path in READS {
        let response = client
            .get(v.app.url(&path.replace("{id}", &v.plan.to_string())))
            .sent()
            .await;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        let body = if path.starts_with("/api/") { body } else { String::new() };
        all.push((status, body));
    }
    all
}

/// The plan's name in a portfolio drill-down of every plan, if it is named.
async fn named_in_portfolio(app: &TestApp, client: &reqwest::Client) -> bool {
    let drill: Value = client.get(app.url("/api/portfolio?list=all")).json_body().await;
    drill["portfolio"]["list"]["plans"]
        .as_array()
        .is_some_and(|plans| plans.iter().any(|p| p["name"] == "Operation Yew (OCG-1)"))
}

async fn my_actions(app: &TestApp, client: &reqwest::Client) -> usize {
    let mine: Value = client.get(app.url("/api/my-actions")).json_body().await;
    mine["by_agency"].as_array().map_or(0, Vec::len)
}

async fn listed(app: &TestApp, client: &reqwest::Client) -> usize {
    let plans: Value = client.get(app.url("/api/plans")).json_body().await;
    plans.as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn an_expired_member_gets_the_non_member_404_everywhere_and_is_let_in_again_once_renewed() {
    // Pat is a second LRO, so that the history is theirs to read too.
    let v = vetted("lro", 3600).await;
    v.vet(v.pat, "NPPV2", &in_days(365)).await;
    v.raise_to("NPPV2").await;
    let dee = v.app.user_id(integration_tests::USER_EMAIL).await;
    let council = NewAction {
        owner_agency: PAT.agency.into(),
        ..NewAction::new([P::Prevent], "Tenancy check")
    };
    edit_as(&v.app.state.rooms, v.plan, Access::full(dee), move |p, t| {
        p.add_action(t, &council)
    })
    .await
    .unwrap();
    let (pat, sam) = (v.app.client_for(PAT.email).await, v.app.client_for(SAM.email).await);

    // In date and at the plan's level: let in everywhere (the control).
    for (path, (status, body)) in READS.iter().zip(answers(&v, &pat).await) {
        assert_eq!(status, 200, "{path}: {body}");
    }
    let pat_cookie = v.app.session_for(PAT.email).await;
    let open = Client::connect(&v.app.ws_as(v.plan, &pat_cookie)).await;
    assert!(named_in_portfolio(&v.app, &pat).await, "named in the portfolio");
    assert_eq!(my_actions(&v.app, &pat).await, 1, "the council's action is Pat's");
    assert_eq!(listed(&v.app, &pat).await, 1);

    // Expired yesterday: exactly what Sam, no member, is answered.
    v.vet(v.pat, "NPPV2", &in_days(-1)).await;
    let (code, reason) = open.closed().await;
    assert_eq!(code, 4403, "the open page is closed at once: {reason}");
    let strangers = answers(&v, &sam).await;
    assert!(strangers.iter().all(|(status, _)| *status == 404), "{strangers:?}");
    assert_eq!(answers(&v, &pat).await, strangers, "the same 404s, byte for byte");
    let page = pat.get(v.app.url(&format!("/plans/{}", v.plan))).text_body().await;
    assert!(!page.contains("Operation Yew"), "the page names nothing");
    match tokio_tungstenite::connect_async(v.app.ws_as(v.plan, &pat_cookie)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 404),
        other => panic!("expected 404 before the upgrade, got {other:?}"),
    }
    assert!(
        !named_in_portfolio(&v.app, &pat).await,
        "no longer named in the portfolio"
    );
    assert_eq!(my_actions(&v.app, &pat).await, 0, "nor in my actions");
    assert_eq!(listed(&v.app, &pat).await, 0, "nor in the plans list");
    v.app.state.access_log.flush().await;
    let refusals: Vec<(String, bool)> = sqlx::query_as(
        "SELECT DISTINCT basis, granted FROM access_log WHERE user_id = $1 AND plan_id = $2 AND NOT granted",
    )
    .bind(v.pat)
    .bind(v.plan)
    .fetch_all(&v.app.pool)
    .await
    .unwrap();
    assert_eq!(
        refusals,
        [("refused: vetting does not clear them".to_string(), false)],
        "each refused read is logged as vetting's"
    );

    // Renewed: in again, still a member (their membership stayed).
    v.vet(v.pat, "NPPV2", &in_days(365)).await;
    for (path, (status, body)) in READS.iter().zip(answers(&v, &pat).await) {
        assert_eq!(status, 200, "{path} once renewed: {body}");
    }
}

#[tokio::test]
async fn the_members_panel_tells_the_lro_who_vetting_shuts_out_and_why() {
    let v = vetted("partner", 3600).await;
    let vic = v
        .app
        .add_user("vic@northshire.police.uk", "Vic Viewer", "Northshire Police")
        .await
        .id;
    v.app.make_member(v.plan, "vic@northshire.police.uk", "viewer").await;
    v.app.make_member(v.plan, SAM.email, "viewer").await;
    v.vet(v.pat, "NPPV2", &in_days(-3)).await;
    v.vet(vic, "NPPV1", &in_days(365)).await;
    v.vet(v.sam, "NPPV3", &in_days(365)).await;
    v.raise_to("NPPV2").await;

    let members: Value = v.read("members").await;
    let vetting_of = |name: &str| {
        let member = members.as_array().unwrap().iter().find(|m| m["user"]["name"] == name);
        member.unwrap_or_else(|| panic!("{name} is still listed: {members}"))["vetting"].clone()
    };
    let expired_on = (chrono::Utc::now() - chrono::Duration::days(3))
        .date_naive()
        .to_string();
    assert_eq!(
        vetting_of("Pat Partner"),
        serde_json::json!({ "expired_on": expired_on, "needs": null })
    );
    assert_eq!(
        vetting_of("Vic Viewer"),
        serde_json::json!({ "expired_on": null, "needs": "NPPV2" })
    );
    assert_eq!(vetting_of("Sam"), Value::Null, "Sam is cleared");

    // The page's server function: the lapses, for the LRO's panel.
    let answer = page_call(&v.app, &v.app.http, "plan_vetting", &[("plan", v.plan.to_string())]).await;
    let view: app::vetting::PlanVettingView = integration_tests::fn_answer(answer).await;
    assert_eq!((view.needs.as_str(), view.raised.as_deref()), ("NPPV2", Some("NPPV2")));
    let mut shut_out: Vec<_> = view.lapses.iter().map(|(id, _)| *id).collect();
    shut_out.sort();
    let mut expected = vec![v.pat, vic];
    expected.sort();
    assert_eq!(shut_out, expected);
    let page = v.app.get_text(&format!("/plans/{}", v.plan)).await;
    assert!(page.contains("needs NPPV2"), "the LRO's page says why Vic is shut out");

    // Sam, a cleared viewer, sees the members but not why others are out.
    let sam = v.app.client_for(SAM.email).await;
    let seen: Value = sam
        .get(v.app.url(&format!("/api/plans/{}/members", v.plan)))
        .json_body()
        .await;
    assert!(
        seen.as_array().unwrap().iter().all(|m| m["vetting"].is_null()),
        "{seen}"
    );
}

#[tokio::test]
async fn a_person_is_told_at_the_top_of_every_page_that_their_vetting_expires_soon() {
    let v = vetted("partner", 3600).await;
    let pat = v.app.client_for(PAT.email).await;
    let top = |days: i64| {
        let (v, pat) = (&v, &pat);
        async move {
            v.vet(v.pat, "NPPV2", &in_days(days)).await;
            let page = pat.get(v.app.url("/my-actions")).text_body().await;
            let notice = page.find("id=\"vetting-notice\"").map(|i| {
                let from = page[..i].rfind("<p").unwrap_or(i);
                page[from..page[i..].find("</p>").map_or(page.len(), |e| i + e)].to_string()
            });
            notice
        }
    };
    assert_eq!(top(45).await, None, "not yet: 45 days ahead");
    let month = top(20).await.expect("told 20 days ahead");
    assert!(
        month.contains("Your NPPV2 vetting expires on") && month.contains("in 20 days"),
        "{month}"
    );
    assert!(!month.contains("urgent"), "{month}");
    let week = top(5).await.expect("told 5 days ahead");
    assert!(week.contains("urgent") && week.contains("in 5 days"), "{week}");
    let gone = top(-2).await.expect("told once expired");
    assert!(gone.contains("Your NPPV2 vetting expired on"), "{gone}");
    let me: Value = pat.get(v.app.url("/api/session")).json_body().await;
    assert_eq!(me["vetting"]["level"], "NPPV2");
}
