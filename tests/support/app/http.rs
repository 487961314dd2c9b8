//! Requests to the app over HTTP: as its logged-in user ([`TestApp`]'s
//! own helpers) or through any client ([`Fetch`]), and the plan requests
//! most tests make.

use super::TestApp;
use reqwest::{RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// Sends a request and reads its answer, panicking if there is none.
#[allow(async_fn_in_trait)]
pub trait Fetch {
    /// The response, whatever its status.
    async fn sent(self) -> Response;
    /// The response's body as text, whatever its status.
    async fn text_body(self) -> String;
    /// The response's body as JSON, whatever its status.
    async fn json_body<T: DeserializeOwned>(self) -> T;
}

impl Fetch for RequestBuilder {
    async fn sent(self) -> Response {
        self.send().await.expect("the request is answered")
    }

    async fn text_body(self) -> String {
        self.sent().await.text().await.expect("a text body")
    }

    async fn json_body<T: DeserializeOwned>(self) -> T {
        self.sent().await.json().await.expect("a JSON body")
    }
}

impl TestApp {
    /// `GET path` as the logged-in user.
    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).sent().await
    }

    /// `GET path`'s body as text, whatever its status.
    pub async fn get_text(&self, path: &str) -> String {
        self.http.get(self.url(path)).text_body().await
    }

    /// `GET path`'s body as JSON, whatever its status.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> T {
        self.http.get(self.url(path)).json_body().await
    }

    /// `POST path` with no body, as the logged-in user.
    pub async fn post(&self, path: &str) -> Response {
        self.http.post(self.url(path)).sent().await
    }

    /// `POST path` with a JSON body, as the logged-in user.
    pub async fn post_json(&self, path: &str, body: &impl Serialize) -> Response {
        self.http.post(self.url(path)).json(body).sent().await
    }

    /// `PUT path` with a JSON body, as the logged-in user.
    pub async fn put_json(&self, path: &str, body: &impl Serialize) -> Response {
        self.http.put(self.url(path)).json(body).sent().await
    }

    /// `POST path` with `body` sent as it is, labelled as JSON.
    pub async fn post_raw_json(&self, path: &str, body: &'static str) -> Response {
        let request = self
            .http
            .post(self.url(path))
            .header("content-type", "application/json");
        request.body(body).sent().await
    }

    /// Records a review of the plan (`POST /api/plans/{plan}/reviews`).
    pub async fn record_review(&self, plan: Uuid) -> Response {
        self.post(&format!("/api/plans/{plan}/reviews")).await
    }

    /// Creates a plan through the API and returns its id.
    pub async fn create_plan(&self, subject: &str) -> Uuid {
        self.create_plan_from(serde_json::json!({
            "subject_kind": "OCG", "subject_name": subject, "subject_ref": "OCG-1", "tier": 2, "lro": "DI Okafor"
        }))
        .await
    }

    /// Creates a plan from a `POST /api/plans` body and returns its id.
    pub async fn create_plan_from(&self, body: Value) -> Uuid {
        let response = self.post_json("/api/plans", &body).await;
        assert_eq!(response.status(), 201, "creating a plan");
        let body: Value = response.json().await.expect("JSON body");
        body["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("the plan has an id")
    }

    /// `GET /api/plans`.
    pub async fn list_plans(&self) -> Value {
        let response = self.get("/api/plans").await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("JSON body")
    }

    /// The action `id` in the plan's JSON export; panics if it has none.
    pub async fn exported_action(&self, plan: Uuid, id: &str) -> Value {
        let export = self.export(plan).await;
        let actions = export["actions"].as_array().expect("the export's actions");
        actions
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .expect("the action is exported")
    }

    /// The plan's JSON export from the API.
    pub async fn export(&self, plan: Uuid) -> Value {
        let response = self.get(&format!("/api/plans/{plan}")).await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("JSON body")
    }
}
