//! Plans are named only to their members, in the portfolio's page, API
//! and CSV; a partner sees only their own plans' figures.

use super::{fixture, threat, view};
use integration_tests::Fetch;
use serde_json::Value;

#[tokio::test]
async fn plans_are_named_only_to_their_members_in_the_page_the_api_and_the_csv() {
    let f = fixture().await;
    let hidden = ["Operation Closed", &f.closed.to_string()].map(String::from);
    // The lead counts every plan but is a member of Red Kings only.
    let drill = view(&f.app, &f.lead, "list=county-lines&only=red").await;
    let lines = drill["portfolio"]["list"]["plans"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["name"], "Red Kings");
    assert_eq!(lines[0]["id"], f.red_kings.to_string());
    assert_eq!(
        (lines[1]["name"].clone(), lines[1]["id"].clone()),
        (Value::Null, Value::Null)
    );
    let page = f
        .lead
        .get(f.app.url("/portfolio?list=county-lines&only=red"))
        .text_body()
        .await;
    assert!(
        page.contains("Red Kings") && page.contains("A plan you are not a member of"),
        "the page lists both"
    );
    let csv = f
        .lead
        .get(f.app.url("/api/portfolio.csv?list=county-lines"))
        .text_body()
        .await;
    for text in [drill.to_string(), page, csv.clone()] {
        for secret in &hidden {
            assert!(!text.contains(secret.as_str()), "{secret} leaked");
        }
    }
    assert!(
        csv.starts_with("\"OFFICIAL-SENSITIVE\"\n") && csv.ends_with("\"OFFICIAL-SENSITIVE\"\n"),
        "{csv}"
    );
    assert!(csv.contains("\"Commodity\",\"County Lines\",\"Force-led, ROCU assisted\""));

    // Pat, a partner on Red Kings only, sees only its figures.
    let v = view(&f.app, &f.pat, "").await;
    assert_eq!(v["portfolio"]["whole_region"], false);
    assert_eq!(v["portfolio"]["total"]["plans"], 1);
    assert_eq!(
        threat(&v, "county-lines")["figures"]["rag"],
        serde_json::json!({ "red": 1, "amber": 1, "green": 1, "unset": 0 })
    );
    assert!(threat(&v, "fraud")["figures"]["plans"] == 0);
    let text = v.to_string();
    for secret in hidden
        .iter()
        .chain([&"Blue Ring".to_string(), &f.blue_ring.to_string()])
    {
        assert!(!text.contains(secret.as_str()), "{secret} reached Pat");
    }
    let pat_csv = f.pat.get(f.app.url("/api/portfolio.csv")).text_body().await;
    assert!(pat_csv.contains("your plans only"));
}
