//! Answers that can be CSV downloads: the `?format=` a route takes, and
//! the download itself.

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// `?format=csv` (or `json`, the default) on routes that answer either,
/// and `for=` whom a CSV download is (a disclosure the access log records
/// with its recipients, as the user names them; optional).
#[derive(Debug, Default, Deserialize)]
pub struct Format {
    pub format: Option<String>,
    #[serde(rename = "for", default)]
    pub recipients: String,
}

impl Format {
    /// Whether CSV was asked for.
    pub fn csv(&self) -> bool {
        self.format.as_deref() == Some("csv")
    }
}

/// `body` as a CSV file named `filename` for the browser to save.
pub fn attachment(filename: &str, body: String) -> Response {
    let headers = [
        (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
    ];
    (headers, body).into_response()
}
