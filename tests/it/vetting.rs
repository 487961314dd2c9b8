//! Access follows vetting, on real PostgreSQL (and the store on SQLite
//! too): a member whose vetting is below what the plan needs, or has
//! expired, gets exactly the non-member 404 everywhere and loses their open
//! connections, whether an officer changes their vetting, the LRO raises
//! the plan's level, its marking rises, or time passes; every change is
//! recorded, and only administrators and vetting officers make them.

use integration_tests::{spawn_app_with, Fetch, TestApp, PAT, SAM};
use serde_json::json;
use server::Config;
use uuid::Uuid;

mod access;
mod members;
mod officers;
mod sockets;
mod store;

/// An administrator (who sets everyone's vetting in these tests).
const ADA: &str = "ada@northshire.police.uk";

/// A plan whose marking, OFFICIAL-SENSITIVE-OPERATIONAL, needs NPPV2
/// (configured) once set; OFFICIAL-SENSITIVE, its marking at first, needs
/// nothing.
const BY_MARKING: &str = "OFFICIAL-SENSITIVE-OPERATIONAL=NPPV2";

struct Vetted {
    app: TestApp,
    /// Dee's (the test app's user, NPPV3 for a year) plan.
    plan: Uuid,
    /// Ada, an administrator.
    admin: reqwest::Client,
    /// Pat's id: a member of the plan (in the role asked for), not vetted.
    pat: Uuid,
    /// Sam's id: not a member, not vetted.
    sam: Uuid,
}

/// The app (vetting by marking configured, the sweep every
/// `sweep_secs`), Ada, and Dee's plan "Operation Yew" with Pat on it as
/// `pat_role`.
async fn vetted(pat_role: &str, sweep_secs: u64) -> Vetted {
    let app = spawn_app_with(|config: &mut Config| {
        config.vetting_by_marking = BY_MARKING.into();
        config.vetting_sweep_secs = sweep_secs;
    })
    .await;
    app.add_user(ADA, "Ada Admin", integration_tests::USER_AGENCY).await;
    app.sql("UPDATE users SET is_admin = true WHERE email = 'ada@northshire.police.uk'")
        .await;
    let admin = app.client_for(ADA).await;
    let dee = app.user_id(integration_tests::USER_EMAIL).await;
    let set = set_vetting(&app, &admin, dee, "NPPV3", Some(&in_days(365))).await;
    assert_eq!(set.status(), 200, "Dee is vetted: {}", set.text().await.unwrap());
    let plan = app.create_plan("Operation Yew").await;
    let pat = app.add_to_plan(plan, &PAT, pat_role).await;
    let sam = app.add_person(&SAM).await.id;
    Vetted {
        app,
        plan,
        admin,
        pat,
        sam,
    }
}

/// `PUT /api/users/{user}/vetting` as `by`.
async fn set_vetting(
    app: &TestApp,
    by: &reqwest::Client,
    user: Uuid,
    level: &str,
    expires: Option<&str>,
) -> reqwest::Response {
    by.put(app.url(&format!("/api/users/{user}/vetting")))
        .json(&json!({ "level": level, "expires": expires }))
        .sent()
        .await
}

/// A page's server function `name` called as `by` with `form`, as the
/// page's form posts it.
async fn page_call(app: &TestApp, by: &reqwest::Client, name: &str, form: &[(&str, String)]) -> reqwest::Response {
    by.post(app.url(&format!("/api/fn/{name}"))).form(form).sent().await
}

/// `PUT /api/plans/{plan}/vetting` as `by`.
async fn raise(app: &TestApp, by: &reqwest::Client, plan: Uuid, level: &str) -> reqwest::Response {
    by.put(app.url(&format!("/api/plans/{plan}/vetting")))
        .json(&json!({ "level": level }))
        .sent()
        .await
}

/// The moment `days` from now, as RFC 3339 (negative: past).
fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

impl Vetted {
    /// Sets `user`'s vetting as Ada; it must be accepted.
    async fn vet(&self, user: Uuid, level: &str, expires: &str) {
        let set = set_vetting(&self.app, &self.admin, user, level, Some(expires)).await;
        assert_eq!(set.status(), 200, "{}", set.text().await.unwrap());
    }

    /// `GET /api/plans/{plan}/{what}` as the LRO, as JSON.
    async fn read(&self, what: &str) -> serde_json::Value {
        self.app.get_json(&format!("/api/plans/{}/{what}", self.plan)).await
    }

    /// The LRO sets the plan's level; it must be accepted.
    async fn raise_to(&self, level: &str) {
        let raised = raise(&self.app, &self.app.http, self.plan, level).await;
        assert_eq!(raised.status(), 200, "{}", raised.text().await.unwrap());
    }
}
