//! Stored XSS, proved absent: hostile text (tests/support/hostile.rs) is
//! written into every text a user can set, then every page of the app's
//! route list is opened as the administrator who leads the plan and owns
//! its actions, and looked at three ways: the HTML the server sent (no
//! payload in it unescaped), that HTML as Chromium builds it with
//! JavaScript off (as first rendered), and the page hydrated. No payload
//! may become an element or attribute or run, and each page must show its
//! fields' text literally, so a field not rendered at all fails too.
//! (Needs `cargo leptos build --split` first, like every browser test.)

use integration_tests::browser::{spawn_site, Browser};
use integration_tests::hostile_fixture::{write_everything, HostilePlan, ADMIN_EMAIL};
use integration_tests::hostile_page::{inspect_when_shown, raw_in_html, watch, Inspection};

/// The text fields of the plan as its page shows them.
const PLAN_PAGE: &[&str] = &[
    "sn", "sr", "lo", "si", "po", "ts", "is", "pb", "ai", "ou", "ov", "ot", "op", "lu", "co", "at", "an", "au", "ag",
    "bt", "bg", "bu", "un", "mn", "ma", "tn",
];

/// For each route of the app: the pages opened for it (`{id}` is the
/// plan; `{first}` and `{last}` its first and last update) and the fields
/// each must show. A new route fails the test until it is listed here.
fn visits() -> Vec<(&'static str, Vec<(&'static str, &'static [&'static str])>)> {
    vec![
        ("/login", vec![("/login", &[][..])]),
        ("/admin", vec![("/admin", &["un", "ag", "ak", "mn", "ma"][..])]),
        // The account bar names the viewer and their agency.
        ("/account", vec![("/account", &["un", "ag"][..])]),
        // A token from the address goes back into the form: hostile too.
        (
            "/reset",
            vec![("/reset?token=%22%3E%3Cb%20data-pwned%3Dtk%3Ex%3C%2Fb%3E", &[][..])],
        ),
        ("/", vec![("/", &["sn", "sr", "lo"][..])]),
        (
            "/portfolio",
            vec![
                // Its agency filter offers the agencies that own actions.
                ("/portfolio", &["sx", "sg", "tn", "ag", "bg"][..]),
                ("/portfolio?list=all", &["sn", "sx"][..]),
            ],
        ),
        (
            "/plans/{id}",
            vec![("/plans/{id}", PLAN_PAGE), ("/plans/{closed}", &["cs", "cd"][..])],
        ),
        (
            "/plans/{id}/versions",
            vec![("/plans/{id}/versions", &["lu", "un"][..])],
        ),
        (
            "/plans/{id}/version",
            vec![
                (
                    "/plans/{id}/version?at=review-1",
                    &["sn", "sr", "pa", "ai", "lu", "at", "ct", "co"][..],
                ),
                ("/plans/{id}/version?at=seq-{first}", &["sn", "sr", "lo"][..]),
                ("/plans/{id}/version?at=seq-{last}", &["sn", "pb", "at", "bt", "au"][..]),
            ],
        ),
        (
            "/plans/{id}/compare",
            vec![
                // A changed section's old and new words interleave (pa,
                // pb): they are checked for escaping here, shown whole on
                // the version and plan pages.
                ("/plans/{id}/compare?from=review-1&to=now", &["ct"][..]),
                (
                    "/plans/{id}/compare?from=seq-{first}&to=now",
                    &["ai", "at", "bt", "si", "po"][..],
                ),
            ],
        ),
        (
            "/strategy",
            vec![
                ("/strategy", &["sx", "sa", "sp", "sl", "sg", "tn", "tb", "un"][..]),
                ("/strategy?version=1", &[][..]),
            ],
        ),
        (
            "/my-actions",
            vec![(
                "/my-actions",
                &["sn", "at", "an", "au", "ag", "bt", "bg", "bu", "un"][..],
            )],
        ),
        (
            "/disruptions",
            vec![
                ("/disruptions", &["sn", "at", "an", "ag"][..]),
                ("/disruptions?plan={id}", &["sn", "at"][..]),
            ],
        ),
        // The account bar, and the plan named in the viewer's notification.
        ("/notifications", vec![("/notifications", &["sn", "un", "ag"][..])]),
        (
            "/notifications/settings",
            vec![("/notifications/settings", &["un", "ag"][..])],
        ),
        // Last: the plan's readings so far, by the administrator (an
        // auditor too), are what it lists.
        ("/audit", vec![("/audit?search=1", &["un", "ag", "rc", "br"][..])]),
    ]
}

#[tokio::test]
async fn no_text_a_user_can_set_becomes_markup_or_runs_on_any_page() {
    let started = std::time::Instant::now();
    let app = spawn_site().await;
    let hostile: HostilePlan = write_everything(app).await;
    let (app, plan, corpus) = (&hostile.app, hostile.plan, &hostile.corpus);
    // A notification about the plan, for the viewer, so that the centre
    // names it (the viewer made everything else, and is told of none).
    sqlx::query(
        "INSERT INTO notifications (user_id, plan_id, kind, link, created_at, email, email_due_at) \
         SELECT id, $1, 'review_due', '/plans/' || $1::text, now(), 'off', now() FROM users WHERE email = $2",
    )
    .bind(plan)
    .bind(ADMIN_EMAIL)
    .execute(&app.pool)
    .await
    .unwrap();
    let routes: Vec<String> = server::routes::pages::route_list()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    let visits = visits();
    let unlisted: Vec<&String> = routes.iter().filter(|r| !visits.iter().any(|(v, _)| v == r)).collect();
    assert!(
        unlisted.is_empty(),
        "pages not listed in this test's visits (say which fields they show): {unlisted:?}"
    );

    let (live, first_render) = (Browser::start().await, Browser::start_without_javascript().await);
    watch(&live).await;
    live.log_in_as(app, ADMIN_EMAIL).await;
    first_render.log_in_as(app, ADMIN_EMAIL).await;

    let mut findings: Vec<String> = Vec::new();
    let mut visited: Vec<&str> = Vec::new();
    for (route, pages) in &visits {
        if !routes.iter().any(|r| r == route) {
            findings.push(format!("{route} is listed here but is no route of the app"));
            continue;
        }
        for (page, fields) in pages {
            let path = page
                .replace("{id}", &plan.to_string())
                .replace("{first}", &hostile.first_seq.to_string())
                .replace("{last}", &hostile.last_seq.to_string())
                .replace("{closed}", &hostile.closed.to_string());
            let url = app.url(&path);

            let html = app.http.get(&url).send().await.unwrap().text().await.unwrap();
            for raw in raw_in_html(corpus, &html) {
                findings.push(format!("{path}: unescaped in the server's HTML: {raw}"));
            }

            first_render.client.goto(&url).await.unwrap();
            first_render.wait_for("body").await;
            let page = inspect_when_shown(&first_render, corpus, fields).await;
            report(&mut findings, &format!("{path} (first render)"), &page, corpus, fields);

            live.client.goto(&url).await.unwrap();
            live.wait_for("body[data-hydrated=true]").await;
            let page = inspect_when_shown(&live, corpus, fields).await;
            report(&mut findings, &format!("{path} (hydrated)"), &page, corpus, fields);
            for violation in &page.csp_violations {
                findings.push(format!("{path}: CSP violation: {violation}"));
            }
            eprintln!("{path}: shows {:?}", corpus.shown_in(&page.shown));
        }
        visited.push(route);
    }
    live.close().await;
    first_render.close().await;

    // Every field is shown somewhere: one no page lists is not checked.
    let listed: Vec<&str> = visits
        .iter()
        .flat_map(|(_, pages)| pages.iter().flat_map(|(_, f)| f.iter().copied()))
        .collect();
    for (code, written) in corpus.fields() {
        if !listed.contains(&code.as_str()) {
            findings.push(format!("{} ({code}) is expected on no page", written.name));
        }
    }
    assert_eq!(visited.len(), routes.len(), "every route was visited");
    eprintln!(
        "{} routes, {} fields, in {:?}",
        routes.len(),
        corpus.fields().count(),
        started.elapsed()
    );
    assert!(
        findings.is_empty(),
        "{} findings:\n{}",
        findings.len(),
        findings.join("\n")
    );
}

/// Adds to `findings` what escaped on one page and what it failed to show.
fn report(
    findings: &mut Vec<String>,
    page: &str,
    seen: &Inspection,
    corpus: &integration_tests::hostile::Corpus,
    fields: &[&str],
) {
    for injected in &seen.injected {
        findings.push(format!("{page}: {}", corpus.explain(injected)));
    }
    for marker in &seen.ran {
        findings.push(format!("{page}: script ran: {}", corpus.explain(marker)));
    }
    for missing in corpus.missing_from(fields, &seen.shown) {
        findings.push(format!("{page}: not shown literally: {missing}"));
    }
    // The plan's own pages name it in their title, where leptos writes
    // text raw on the server.
    if page.starts_with("/plans/") && !page.contains("/versions") && !page.contains("/compare") {
        for missing in corpus.missing_from(&["sn"], &seen.title) {
            findings.push(format!("{page}: not in the title literally: {missing}"));
        }
    }
}
