//! The people of a test: adding users and plan members, logging in as
//! them, and the clients that carry their sessions.

use super::{client_with_cookie, Fetch, TestApp, USER_PASSWORD};
use uuid::Uuid;

/// Someone a test adds: their email, name and agency.
#[derive(Debug, Clone, Copy)]
pub struct Person {
    pub email: &'static str,
    pub name: &'static str,
    pub agency: &'static str,
}

/// Pat, of a council: the partner most tests add to a plan.
pub const PAT: Person = Person {
    email: "pat@council.gov.uk",
    name: "Pat Partner",
    agency: "Northshire Council",
};

/// Sam, of another police force: a member of no plan unless a test says so.
pub const SAM: Person = Person {
    email: "sam@eastshire.police.uk",
    name: "Sam",
    agency: "Eastshire Police",
};

impl TestApp {
    /// Adds a user (and their agency, if new) with [`USER_PASSWORD`], who
    /// may lead plans (most tests' users create plans as their LRO).
    pub async fn add_user(&self, email: &str, name: &str, agency: &str) -> server::accounts::User {
        self.add_user_with(email, name, agency, true).await
    }

    /// [`TestApp::add_user`], saying whether they may lead plans.
    pub async fn add_user_with(
        &self,
        email: &str,
        name: &str,
        agency: &str,
        may_lead_plans: bool,
    ) -> server::accounts::User {
        let accounts = &self.state.accounts;
        let agency = match accounts.agency_named(agency).await.unwrap() {
            Some(a) => a,
            None => accounts.create_agency(agency, "Police force").await.unwrap(),
        };
        accounts
            .create_user(server::accounts::NewUser {
                email: email.into(),
                name: name.into(),
                agency_id: agency.id,
                password: USER_PASSWORD.into(),
                is_admin: false,
                strategic_lead: false,
                may_lead_plans,
                auditor: false,
            })
            .await
            .expect("a new user")
    }

    /// Adds a user and, as the plan's LRO, gives them `role` on it.
    pub async fn add_member(&self, plan: Uuid, email: &str, name: &str, agency: &str, role: &str) {
        self.add_user(email, name, agency).await;
        self.make_member(plan, email, role).await;
    }

    /// Adds `who` as a user and, as the plan's LRO, gives them `role` on
    /// it; returns their user id.
    pub async fn add_to_plan(&self, plan: Uuid, who: &Person, role: &str) -> Uuid {
        self.add_member(plan, who.email, who.name, who.agency, role).await;
        self.user_id(who.email).await
    }

    /// Adds `who` as a user (who may lead plans).
    pub async fn add_person(&self, who: &Person) -> server::accounts::User {
        self.add_user(who.email, who.name, who.agency).await
    }

    /// The id of the user `email`, from the database.
    pub async fn user_id(&self, email: &str) -> Uuid {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await
            .expect("the user exists")
    }

    /// The id of the agency named `name`; panics if there is none.
    pub async fn agency_id(&self, name: &str) -> Uuid {
        let agency = self.state.accounts.agency_named(name).await.unwrap();
        agency.expect("the agency exists").id
    }

    /// Makes the existing user `email` a member of `plan` as `role`, as its LRO.
    pub async fn make_member(&self, plan: Uuid, email: &str, role: &str) {
        let body = serde_json::json!({ "email": email, "role": role });
        let response = self.put_json(&format!("/api/plans/{plan}/members"), &body).await;
        assert_eq!(response.status(), 200, "the LRO adds {email} as {role}");
    }

    /// This app, with requests sent as `email` (logged in with [`USER_PASSWORD`]).
    pub async fn log_in_as(mut self, email: &str) -> TestApp {
        self.cookie = self.session_for(email).await;
        self.http = client_with_cookie(self.addr, &self.cookie);
        self
    }

    /// A new session cookie (`pillars_session=...`) for `email`.
    pub async fn session_for(&self, email: &str) -> String {
        let (_, token) = self.state.accounts.log_in(email, USER_PASSWORD).await.expect("logs in");
        format!("pillars_session={}", token.0)
    }

    /// A new session of [`crate::USER_EMAIL`] and a client connected to
    /// the plan in it.
    pub async fn connected_session(&self, plan: Uuid) -> (String, crate::Client) {
        let cookie = self.session_for(crate::USER_EMAIL).await;
        let client = crate::Client::connect(&self.ws_as(plan, &cookie)).await;
        (cookie, client)
    }

    /// The status of `GET /api/session` with `cookie`: 200 while the
    /// session lasts, 401 once it is over.
    pub async fn session_status(&self, cookie: &str) -> u16 {
        let response = self.client_as(cookie).get(self.url("/api/session")).sent().await;
        response.status().as_u16()
    }

    /// A client that sends `cookie` (from [`TestApp::session_for`]).
    pub fn client_as(&self, cookie: &str) -> reqwest::Client {
        client_with_cookie(self.addr, cookie)
    }

    /// A client that sends the session of `email` (a new one).
    pub async fn client_for(&self, email: &str) -> reqwest::Client {
        self.client_as(&self.session_for(email).await)
    }

    /// A client that sends no session cookie (from the app's own origin).
    pub fn anonymous(&self) -> reqwest::Client {
        client_with_cookie(self.addr, "")
    }
}
