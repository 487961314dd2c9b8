//! Redacting a passage of a plan (its LRO only): the passage's characters,
//! found in the version the LRO names, are masked in every stored version,
//! snapshot, log entry and review of the plan, and scrubbed from every
//! plain copy (audit values, summary, portfolio texts, disruption returns),
//! in one transaction. The plan's rooms, here and on other nodes, close
//! their clients with 4409 so pages reload the plan from storage: a page
//! keeping its copy would go on showing the passage. The audit trail
//! records who, when, why and which field, never the passage.

use super::redact_store::{RedactStoreError, RedactionEntry, Rewrite};
use super::Versions;
use app::service_error::ServiceError;
use app::session::Viewer;
use plan::access::Role;
use plan::fields::TextField;
use plan::versions::redact::{self, Passage, RedactError, RedactRequest, Redacted};
use plan::versions::At;
use uuid::Uuid;

/// The longest reason kept, in characters.
pub const MAX_REASON: usize = 500;

const RELOAD: &str = "a passage of this plan was redacted; reload the page";

/// Masks one passage: by id in updates, by its text in plain copies.
struct Masking<'a> {
    passage: &'a Passage,
    text: &'a str,
}

impl Rewrite for Masking<'_> {
    fn update(&self, bytes: &[u8]) -> Result<Option<Vec<u8>>, RedactError> {
        redact::redact_update(bytes, self.passage)
    }

    fn text(&self, text: &str) -> Option<String> {
        redact::scrub_text(text, self.text)
    }

    fn json(&self, value: &mut serde_json::Value) -> bool {
        redact::scrub_json(value, self.text)
    }
}

fn store_error(e: RedactStoreError) -> ServiceError {
    ServiceError::Internal(anyhow::Error::from(e).context("redacting a plan"))
}

/// The request's parts, checked: the version, the field and the reason.
fn checked(request: &RedactRequest) -> Result<(At, TextField, &str), ServiceError> {
    let at = At::parse(&request.at).map_err(|e| ServiceError::Invalid(format!("at: {e}")))?;
    let field: TextField = request
        .field
        .parse()
        .map_err(|e| ServiceError::Invalid(format!("field: {e}")))?;
    if request.text.trim().chars().count() < redact::MIN_PASSAGE {
        return Err(ServiceError::Invalid(RedactError::TooShort.to_string()));
    }
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::Invalid("reason: say why the passage is redacted".into()));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(ServiceError::Invalid(format!(
            "reason: at most {MAX_REASON} characters"
        )));
    }
    if redact::scrub_text(reason, &request.text).is_some() {
        return Err(ServiceError::Invalid(
            "reason: it must not quote the passage (the reason is kept in the history)".into(),
        ));
    }
    Ok((at, field, reason))
}

impl Versions {
    /// Redacts `request.text` from every stored copy of the plan (LRO only).
    pub async fn redact(&self, viewer: &Viewer, plan: Uuid, request: RedactRequest) -> Result<Redacted, ServiceError> {
        if self.role(viewer, plan).await? != Role::Lro {
            return Err(ServiceError::Forbidden(
                "only the plan's LRO can redact a passage".into(),
            ));
        }
        let (at, field, reason) = checked(&request)?;
        let (doc, _, _) = self.read(plan, at).await?;
        let passage = redact::locate(&doc, &field, &request.text).map_err(|e| ServiceError::Invalid(e.to_string()))?;
        drop(doc);
        let masking = Masking {
            passage: &passage,
            text: &request.text,
        };
        let field_key = field.to_string();
        let version = at.key();
        let entry = RedactionEntry {
            by: viewer.id,
            field: &field_key,
            version: &version,
            reason,
            changes: serde_json::json!([{
                "field": format!("redaction:{field_key}"),
                "old": null,
                "new": format!("{} characters redacted, as found in {version}. Why: {reason}", passage.len()),
            }]),
        };
        // Rooms hold the plan in memory and would write it back when they
        // compact: they end first, and again after the rewrite, so a room
        // opened in between (from what was stored before) is not kept
        // either, and a second pass masks anything it wrote meanwhile.
        self.rooms.reload(plan, RELOAD).await;
        let rows = self
            .store
            .redact(plan, &masking, Some(&entry))
            .await
            .map_err(store_error)?;
        self.rooms.reload(plan, RELOAD).await;
        let again = self.store.redact(plan, &masking, None).await.map_err(store_error)?;
        tracing::info!(%plan, by = %viewer.id, field = %field_key, version, rows, again, "passage redacted");
        Ok(Redacted {
            field: field_key,
            at: version,
            reason: reason.to_string(),
            masked: passage.len(),
            rows: rows + again,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str, reason: &str) -> RedactRequest {
        RedactRequest {
            at: "now".into(),
            field: "aim".into(),
            text: text.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn a_request_needs_a_passage_a_field_and_a_reason_that_does_not_quote_it() {
        assert!(checked(&request("Jo Bloggs of Elm Street", "Names a source")).is_ok());
        for (bad, says) in [
            (request("Jo", "Names a source"), "at least"),
            (request("Jo Bloggs of Elm Street", "  "), "reason"),
            (
                request("Jo Bloggs of Elm Street", "Jo Bloggs of Elm Street"),
                "must not quote",
            ),
            (
                request("Jo Bloggs of Elm Street", &"x".repeat(MAX_REASON + 1)),
                "at most",
            ),
            (
                RedactRequest {
                    field: "nowhere".into(),
                    ..request("Jo Bloggs of Elm Street", "Names a source")
                },
                "field",
            ),
            (
                RedactRequest {
                    at: "yesterday".into(),
                    ..request("Jo Bloggs of Elm Street", "Names a source")
                },
                "at:",
            ),
        ] {
            match checked(&bad) {
                Err(ServiceError::Invalid(message)) => assert!(message.contains(says), "{message}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
