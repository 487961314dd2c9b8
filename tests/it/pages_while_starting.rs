//! Pages keep rendering while other servers start in the same process.
//!
//! Building a server generates the app's route list, and while leptos does
//! that it suspends, process-wide, every resource first polled meanwhile;
//! such a resource never wakes (leptos issue 4773). A page render caught in
//! that window never finished: the browser's navigation stalled and CI
//! waited out WebDriver's 300 s. Routes are now generated once per process.

use integration_tests::{spawn_app, spawn_app_with_plan};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_servers_start() {
    let (app, plan) = spawn_app_with_plan("Operation Rowan").await;
    let pages = [app.url("/"), app.url(&format!("/plans/{plan}"))];
    let starting = tokio::spawn(async {
        for _ in 0..12 {
            drop(spawn_app().await);
        }
    });
    let mut rendered = 0;
    while !starting.is_finished() {
        for page in &pages {
            let response = tokio::time::timeout(Duration::from_secs(20), async {
                let response = app.http.get(page).send().await.unwrap();
                assert_eq!(response.status(), 200, "{page}");
                response.text().await.unwrap()
            })
            .await
            .unwrap_or_else(|_| panic!("{page} did not finish rendering while servers were starting"));
            assert!(response.contains("Operation Rowan"), "{page} is whole");
            rendered += 1;
        }
    }
    starting.await.unwrap();
    println!("{rendered} pages rendered while 12 servers started");
    assert!(rendered > 0);
}
