//! Ending a session ends the connections opened in it: log-out, the idle
//! timeout and the lifetime close its websockets with 4401 (and its plans
//! list stream), and leave the same user's other sessions connected.
//! Messages on a websocket keep its session from going idle.

use integration_tests::events::PlanChanges;
use integration_tests::{spawn_app_with, spawn_app_with_plan, Client, Fetch, USER_EMAIL};
use plan::Section;
use std::time::{Duration, Instant};

/// Types into the plan's aim, one edit every `every`, for `how_long`.
async fn type_for(client: &Client, how_long: Duration, every: Duration) {
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < how_long {
        n += 1;
        client.edit(|p, t| p.set_section_text(t, Section::Aim, &format!("Dismantle the network ({n})")));
        tokio::time::sleep(every).await;
    }
}

#[tokio::test]
async fn logging_out_closes_that_sessions_connections_and_no_other() {
    let (app, plan) = spawn_app_with_plan("Operation Linden").await;
    let (leaving, on_leaving) = app.connected_session(plan).await;
    let (staying, on_staying) = app.connected_session(plan).await;
    let changes = PlanChanges::open(&app.client_as(&leaving), &app.url("/api/plans/changes")).await;

    let out = app.client_as(&leaving).delete(app.url("/api/session")).sent().await;
    assert_eq!(out.status(), 204);
    let (code, reason) = on_leaving.closed().await;
    assert_eq!(code, 4401, "{reason}");
    assert!(reason.contains("logged out"), "{reason}");
    changes.ended().await;

    // The same user's other session is still connected and still edits.
    on_staying.edit(|p, t| p.set_section_text(t, Section::Aim, "Still here"));
    let observer = Client::connect(&app.ws_as(plan, &staying)).await;
    observer.wait_for_aim("the other session's edit", "Still here").await;
    assert_eq!(on_staying.seen().closed, None, "the other session's socket stays open");
    assert_eq!(app.session_status(&leaving).await, 401);
    assert_eq!(app.session_status(&staying).await, 200);
}

#[tokio::test]
async fn an_idle_session_closes_its_sockets_but_typing_keeps_a_session_alive() {
    let idle = Duration::from_secs(2);
    let app = spawn_app_with(|c| c.session_idle = idle).await;
    let plan = app.create_plan("Operation Maple").await;
    let (quiet, busy) = (app.session_for(USER_EMAIL).await, app.session_for(USER_EMAIL).await);
    let opened = Instant::now();
    let on_quiet = Client::connect(&app.ws_as(plan, &quiet)).await;
    let typist = Client::connect(&app.ws_as(plan, &busy)).await;

    // Over twice the idle timeout of typing, with no other request.
    type_for(&typist, idle * 2 + idle / 2, Duration::from_millis(200)).await;
    let (code, reason) = on_quiet.closed().await;
    assert_eq!(code, 4401, "{reason}");
    assert!(reason.contains("without activity"), "{reason}");
    assert!(opened.elapsed() >= idle, "not before the idle timeout");
    assert_eq!(typist.seen().closed, None, "typing keeps the socket open");
    assert_eq!(app.session_status(&busy).await, 200, "and the session alive");
    assert_eq!(app.session_status(&quiet).await, 401);

    // Once the typing stops, the typist's session goes idle too.
    let stopped = Instant::now();
    let (code, reason) = typist.closed().await;
    assert_eq!(code, 4401, "{reason}");
    assert!(
        stopped.elapsed() >= idle - Duration::from_millis(500),
        "{:?}",
        stopped.elapsed()
    );
}

#[tokio::test]
async fn a_sessions_lifetime_closes_its_sockets_however_busy() {
    let lifetime = Duration::from_secs(3);
    let app = spawn_app_with(|c| c.session_lifetime = lifetime).await;
    let plan = app.create_plan("Operation Rowan").await;
    let logged_in = Instant::now();
    let cookie = app.session_for(USER_EMAIL).await;
    let typist = Client::connect(&app.ws_as(plan, &cookie)).await;
    let typing = type_for(&typist, Duration::from_secs(30), Duration::from_millis(200));
    let (code, reason) = tokio::select! {
        closed = typist.closed() => closed,
        _ = typing => panic!("still open after 30 s"),
    };
    assert_eq!(code, 4401, "{reason}");
    assert!(reason.contains("time limit"), "{reason}");
    assert!(logged_in.elapsed() >= lifetime, "not before the lifetime");
    assert_eq!(app.session_status(&cookie).await, 401);
}
