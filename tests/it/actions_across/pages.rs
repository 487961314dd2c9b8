//! The pages of `/my-actions` and the disruption return: rendered with
//! the marking, and their plain forms (no JavaScript) edit through the
//! plan's gate.

use super::{fixture, post_form};

#[tokio::test]
async fn the_pages_render_marked_and_their_plain_forms_edit_through_the_gate() {
    let f = fixture().await;
    let page = |client: &reqwest::Client, path: &str| {
        let request = client.get(f.app.url(path));
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, html) = page(&f.pat, "/my-actions").await;
    assert_eq!(status, 200);
    for text in [
        "Owned by my agency (Northshire Council)",
        "Cedar closure order",
        "Birch warrant",
        "id=\"my-overdue-count\"",
        "marking-bottom",
    ] {
        assert!(html.contains(text), "{text} in /my-actions");
    }
    assert!(!html.contains("Damson arrest") && !html.contains("Elm council visit"));
    assert!(
        html.contains("data-count=\"1\""),
        "the top bar counts Pat's one overdue action"
    );
    let (_, filtered) = page(&f.pat, "/my-actions?overdue=true").await;
    assert!(filtered.contains("Cedar closure order") && !filtered.contains("Alder mentoring"));

    // A plain form post (no JavaScript) to the page's server function.
    let (alder, mentoring) = f.ids["Alder mentoring"].clone();
    let form = [
        ("edit[plan]", alder.to_string()),
        ("edit[action]", mentoring.clone()),
        ("edit[update]", "Met the family".into()),
        ("edit[status]", "GREEN".into()),
        ("edit[disruption]", "".into()),
    ];
    let response = post_form(&f, &f.pat, "edit_my_action", &form).await;
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    let stored = f.app.exported_action(alder, &mentoring).await;
    assert_eq!(
        (stored["update"].as_str(), stored["status"].as_str()),
        (Some("Met the family"), Some("GREEN"))
    );
    let (birch, warrant) = f.ids["Birch warrant"].clone();
    let form = [
        ("edit[plan]", birch.to_string()),
        ("edit[action]", warrant),
        ("edit[status]", "GREEN".into()),
    ];
    let refused = post_form(&f, &f.pat, "edit_my_action", &form).await;
    assert!(!refused.status().is_success());
    assert!(refused.text().await.unwrap().contains("partner"));

    // The return's page: the LRO's, with the rows; a partner is told no.
    let (status, html) = page(&f.app.http, "/disruptions").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Damson arrest")
            && html.contains("Mark all submitted")
            && html.contains("action=\"/api/fn/record_disruption_return\"")
    );
    let (_, refused) = page(&f.pat, &format!("/disruptions?plan={alder}")).await;
    assert!(
        refused.contains("id=\"disruptions-error\""),
        "a partner's view of a plan's return is refused"
    );
    let marked = post_form(&f, &f.app.http, "mark_submitted", &[("plan", alder.to_string())]).await;
    assert_eq!(integration_tests::fn_answer::<usize>(marked).await, 2);
    // "Mark all submitted" across plans posts no plan at all.
    let all = post_form(&f, &f.app.http, "mark_submitted", &[]).await;
    assert_eq!(integration_tests::fn_answer::<usize>(all).await, 1, "Damson's");
}
