//! Comments in two real Chromium pages: a comment shows live on the other
//! page, and a comment on words of the aim stays on them while the other
//! page types before them, then says when they are deleted.

use integration_tests::browser::{spawn_site_with_plan, Browser};
use integration_tests::{Client, PAT, SAM};
use plan::Section;
use std::time::Instant;

#[tokio::test]
async fn a_partners_comment_shows_live_on_the_lros_page() {
    let (app, plan) = spawn_site_with_plan("Operation Wren").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let url = app.url(&format!("/plans/{plan}"));
    let (pat, lro) = Browser::pair_on(&app, &url, PAT.email).await;

    pat.send_keys_to("new-comment-plan", "Who is serving the closure order?")
        .await;
    let posted = Instant::now();
    pat.click("#comments .new-comment button[type='submit']").await;
    let thread = lro
        .wait_for_text("#comments .thread", "Pat's comment", |t| t.contains("closure order"))
        .await;
    println!("comment relay, post → shown on the other page: {:?}", posted.elapsed());
    assert!(thread.contains(PAT.name) && thread.contains(PAT.agency), "{thread}");

    // The LRO replies; Pat sees it in the thread without reloading.
    lro.send_keys_to(&format!("reply-{}", thread_id(&lro).await), "The council, Friday")
        .await;
    lro.click("#comments .thread form.reply button").await;
    pat.wait_for_text("#comments .thread", "the reply", |t| t.contains("The council, Friday"))
        .await;
    lro.assert_accessible("the plan page with a comment thread").await;
}

async fn thread_id(browser: &Browser) -> String {
    let thread = browser.wait_for("#comments .thread").await;
    thread.attr("data-comment-id").await.unwrap().expect("a thread id")
}

#[tokio::test]
async fn a_comment_on_words_stays_on_them_while_the_other_page_types_before_them() {
    let (app, plan) = spawn_site_with_plan("Operation Teal").await;
    app.add_to_plan(plan, &SAM, "plan_owner").await;
    let writer = Client::connect(&app.ws_url(plan)).await;
    writer.edit(|p, t| p.set_section_text(t, Section::Aim, "Disrupt the supply of drugs"));
    let url = app.url(&format!("/plans/{plan}"));
    let (sam, lro) = Browser::pair_on(&app, &url, SAM.email).await;
    sam.wait_for_value("#text-aim", "the aim", |v| v.contains("supply"))
        .await;

    // Sam selects "the supply" and comments on it.
    let select = "const t = document.getElementById('text-aim'); t.focus(); t.setSelectionRange(8, 18);";
    sam.client.execute(select, vec![]).await.unwrap();
    sam.click("#section-aim .section-comments summary").await;
    sam.send_keys_to("new-comment-aim", "Which supply: crack or heroin?")
        .await;
    sam.click("#section-aim .new-comment button[type='submit']").await;
    let words = "#section-aim .thread q.words-now";
    lro.click("#section-aim .section-comments summary").await;
    lro.wait_for_text(words, "the words quoted", |t| t == "the supply")
        .await;

    // The LRO types before them: the comment stays on its words.
    lro.caret_to_start_of_aim().await;
    lro.send_keys_to("text-aim", "Jointly: ").await;
    sam.wait_for_value("#text-aim", "the LRO's typing", |v| v.starts_with("Jointly: "))
        .await;
    assert_eq!(sam.wait_for(words).await.text().await.unwrap(), "the supply");
    assert_eq!(lro.wait_for(words).await.text().await.unwrap(), "the supply");

    // Its words deleted: the comment says so and keeps them.
    writer
        .wait_for_aim("the LRO's typing", "Jointly: Disrupt the supply of drugs")
        .await;
    writer.edit(|p, t| p.set_section_text(t, Section::Aim, "Jointly: Disrupt drugs"));
    let gone = sam
        .wait_for_text("#section-aim .thread .words-gone", "the words gone", |t| {
            t.contains("the supply")
        })
        .await;
    assert!(gone.contains("deleted"), "{gone}");
}

#[tokio::test]
async fn a_partners_suggestion_accepted_by_the_lro_changes_the_text_on_both_pages() {
    let (app, plan) = spawn_site_with_plan("Operation Kite").await;
    app.add_to_plan(plan, &PAT, "partner").await;
    let writer = Client::connect(&app.ws_url(plan)).await;
    writer.edit(|p, t| p.set_section_text(t, Section::Aim, "Disrupt the supply of drugs"));
    let url = app.url(&format!("/plans/{plan}"));
    let (pat, lro) = Browser::pair_on(&app, &url, PAT.email).await;

    pat.click("#section-aim .section-comments summary").await;
    pat.send_keys_to("suggest-aim", "Protect the young people it exploits.")
        .await;
    pat.click("#section-aim form.suggest button[type='submit']").await;
    lro.click("#section-aim .section-comments summary").await;
    let shown = lro
        .wait_for_text(
            "#section-aim .suggestion ins",
            "Pat's suggestion, as a tracked change",
            |t| t.contains("young people"),
        )
        .await;
    assert_eq!(shown, "Protect the young people it exploits.");
    // Nothing changed yet, on either page.
    assert_eq!(
        pat.value_of("text-aim").await.as_deref(),
        Some("Disrupt the supply of drugs")
    );

    lro.click("#section-aim .suggestion button.accept").await;
    for page in [&lro, &pat] {
        page.wait_for_value("#text-aim", "the accepted paragraph", |v| {
            v == "Disrupt the supply of drugs\n\nProtect the young people it exploits."
        })
        .await;
    }
    pat.wait_for_text("#section-aim .suggestion .resolved-note", "the decision", |t| {
        t.contains("Accepted by Dee Lro")
    })
    .await;
    lro.assert_accessible("the plan page with a suggested change").await;
}

#[tokio::test]
async fn typing_at_offers_the_members_and_the_mentioned_lros_bell_counts_up_without_a_reload() {
    let (app, plan) = spawn_site_with_plan("Operation Stint").await;
    app.add_to_plan(plan, &PAT, "viewer").await;
    let url = app.url(&format!("/plans/{plan}"));
    let (pat, lro) = Browser::pair_on(&app, &url, PAT.email).await;
    lro.wait_for("#notifications-count[data-count='0']").await;
    lro.client
        .execute("window.stillThisPage = true;", vec![])
        .await
        .unwrap();

    pat.send_keys_to("new-comment-plan", "Is this ours, @De").await;
    let offered = pat
        .wait_for_text("#comments .mention-choices", "the members matching", |t| {
            t.contains("Dee Lro")
        })
        .await;
    assert!(!offered.contains(PAT.name), "only those matching: {offered}");
    pat.assert_accessible("the plan page offering mentions").await;
    pat.click("#comments .mention-choices button.mention").await;
    pat.wait_for_value("#new-comment-plan", "the name written", |v| {
        v == "Is this ours, @Dee Lro "
    })
    .await;
    pat.click("#comments .new-comment button[type='submit']").await;

    lro.wait_for("#notifications-count[data-count='1']").await;
    let same_page = lro
        .client
        .execute("return window.stillThisPage === true;", vec![])
        .await
        .unwrap();
    assert_eq!(same_page, serde_json::json!(true), "the bell rose without a reload");
}
