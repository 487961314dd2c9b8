//! Passwords as the NCSC advises: the commonest are refused wherever a
//! password is set; a change of password (which needs the current one)
//! ends the user's other sessions and closes their sockets; "log out
//! everywhere" ends them all (reset links: `reset_links`).

use super::{create_admin, server_fn};
use integration_tests::{spawn_app, spawn_app_with_plan, Fetch, TestApp, USER_EMAIL, USER_PASSWORD};
use server::cli::Command;
use server::Config;
use sqlx::ConnectOptions;

/// On the bundled list (and at least 12 characters, so only the list
/// refuses them).
pub(super) const COMMON: [&str; 3] = ["password1234", "qwertyuiop123", "PasswordPassword"];
pub(super) const NEW_PASSWORD: &str = "lighthouse velvet tractor";

pub(super) async fn log_in_status(app: &TestApp, email: &str, password: &str) -> u16 {
    let body = serde_json::json!({ "email": email, "password": password });
    let response = app.anonymous().post(app.url("/api/session")).json(&body).sent().await;
    response.status().as_u16()
}

/// A server function's refusal, as its message.
pub(super) async fn refusal(response: reqwest::Response) -> String {
    assert!(!response.status().is_success(), "refused");
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_commonest_passwords_are_refused_wherever_one_is_set() {
    let app = spawn_app().await;
    // The command line's first administrator.
    let url = app.pool.connect_options().to_url_lossy().to_string();
    let command = Command::CreateAdmin {
        email: "ada@example.org".into(),
        name: "Ada Admin".into(),
        agency: "Northshire Police".into(),
        agency_kind: "Police force".into(),
    };
    let refused = server::cli::run(&Config::for_database(Some(url)), command, Some(COMMON[0].into())).await;
    assert!(refused.unwrap_err().to_string().contains("most common"));

    // An administrator adding a user.
    create_admin(&app, "ada@example.org").await;
    let ada = app.client_for("ada@example.org").await;
    let agency = app.agency_id("Northshire Police").await;
    for common in COMMON {
        let form = [
            ("name", "Sam Sergeant".to_string()),
            ("email", "sam@northshire.police.uk".to_string()),
            ("agency", agency.to_string()),
            ("password", common.to_string()),
        ];
        let said = refusal(server_fn(&app, &ada, "add_user", &form).await).await;
        assert!(said.contains("most common"), "{common}: {said}");
    }

    // A user changing theirs.
    for common in COMMON {
        let form = [
            ("current_password", USER_PASSWORD.to_string()),
            ("new_password", common.to_string()),
        ];
        let said = refusal(server_fn(&app, &app.http, "change_password", &form).await).await;
        assert!(said.contains("most common"), "{common}: {said}");
    }
    assert_eq!(log_in_status(&app, USER_EMAIL, USER_PASSWORD).await, 200, "unchanged");
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_and_closes_their_sockets() {
    let (app, plan) = spawn_app_with_plan("Operation Hazel").await;
    let (here, on_here) = app.connected_session(plan).await;
    let (other, on_other) = app.connected_session(plan).await;
    let changer = app.client_as(&here);

    let wrong = [
        ("current_password", "not my password".to_string()),
        ("new_password", NEW_PASSWORD.to_string()),
    ];
    let said = refusal(server_fn(&app, &changer, "change_password", &wrong).await).await;
    assert!(said.contains("not your password"), "{said}");
    assert_eq!(app.session_status(&other).await, 200, "a refused change ends nothing");

    let form = [
        ("current_password", USER_PASSWORD.to_string()),
        ("new_password", NEW_PASSWORD.to_string()),
    ];
    let changed = server_fn(&app, &changer, "change_password", &form).await;
    assert!(changed.status().is_success(), "{}", changed.text().await.unwrap());

    let (code, reason) = on_other.closed().await;
    assert_eq!(code, 4401, "{reason}");
    assert!(reason.contains("password was changed"), "{reason}");
    assert_eq!(app.session_status(&other).await, 401);
    assert_eq!(app.session_status(&app.cookie).await, 401, "every other session");
    assert_eq!(
        app.session_status(&here).await,
        200,
        "the session that changed it goes on"
    );
    assert_eq!(on_here.seen().closed, None, "and keeps its socket");

    assert_eq!(
        log_in_status(&app, USER_EMAIL, USER_PASSWORD).await,
        401,
        "the old password"
    );
    assert_eq!(log_in_status(&app, USER_EMAIL, NEW_PASSWORD).await, 200, "the new one");
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session_this_one_included() {
    let (app, plan) = spawn_app_with_plan("Operation Alder").await;
    let (here, on_here) = app.connected_session(plan).await;
    let (other, on_other) = app.connected_session(plan).await;

    let out = server_fn(&app, &app.client_as(&here), "log_out_everywhere", &[]).await;
    assert!(out.status().is_success(), "{}", out.status());
    assert!(
        out.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"),
        "the cookie is cleared"
    );
    for socket in [&on_here, &on_other] {
        let (code, reason) = socket.closed().await;
        assert_eq!(code, 4401, "{reason}");
    }
    for cookie in [&here, &other, &app.cookie] {
        assert_eq!(app.session_status(cookie).await, 401);
    }
    assert_eq!(
        log_in_status(&app, USER_EMAIL, USER_PASSWORD).await,
        200,
        "the password still works"
    );
}
