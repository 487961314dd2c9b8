//! A reader of `GET /api/plans/changes`, the plans list's server-sent
//! event stream, one event at a time.

use crate::PATIENCE;

pub struct PlanChanges {
    response: reqwest::Response,
    buffer: String,
    event: &'static str,
}

impl PlanChanges {
    /// Opens the stream as whoever `client` is logged in as.
    pub async fn open(client: &reqwest::Client, url: &str) -> PlanChanges {
        Self::open_for(client, url, "plan").await
    }

    /// Opens an event stream whose events are named `event`.
    pub async fn open_for(client: &reqwest::Client, url: &str, event: &'static str) -> PlanChanges {
        let response = client.get(url).send().await.expect("GET /api/plans/changes");
        assert_eq!(response.status(), 200, "the stream opens");
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        PlanChanges {
            response,
            buffer: String::new(),
            event,
        }
    }

    /// The data of the next `plan` event (a plan's id, or `*`); panics if
    /// none comes within [`PATIENCE`] or the stream ends.
    pub async fn next(&mut self) -> String {
        tokio::time::timeout(PATIENCE, self.next_unbounded())
            .await
            .expect("a plan event within the patience")
    }

    /// Waits (bounded by [`PATIENCE`]) for the server to end the stream,
    /// skipping any events; panics if it does not.
    pub async fn ended(mut self) {
        let end = async { while let Ok(Some(_)) = self.response.chunk().await {} };
        tokio::time::timeout(PATIENCE, end)
            .await
            .expect("the server ends the stream within the patience");
    }

    async fn next_unbounded(&mut self) -> String {
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                let mut name = "message";
                let mut data = None;
                for line in event.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        name = value.trim();
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data = Some(value.trim().to_string());
                    }
                }
                // Keep-alive comments carry no event.
                if let (true, Some(data)) = (name == self.event, data) {
                    return data;
                }
            }
            let chunk = self
                .response
                .chunk()
                .await
                .expect("the stream stays readable")
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}
