//! Suggested changes to a plan's text sections, for the plan page: what
//! the page shows of each, and server functions over the server's
//! [`ssr::SuggestionsPort`]. Any member suggests; the LRO, plan owner or
//! SIO accept or reject (the server decides who may).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A suggestion as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub id: Uuid,
    pub author: String,
    pub agency: String,
    /// The section's key.
    pub section: String,
    /// A replacement's words (sticky positions); `None`: a new paragraph.
    pub range: Option<(Vec<u8>, Vec<u8>)>,
    /// The words it replaces, as they were when suggested.
    pub original: Option<String>,
    pub proposed: String,
    /// As `8 Dec 2026 10:04`.
    pub at: String,
    /// "Accepted by …" or "Rejected by …: reason"; `None` while open.
    pub decision: Option<String>,
    pub can_decide: bool,
}

impl SuggestionView {
    /// What it changes, as the model applies it.
    pub fn proposed(&self) -> plan::suggestions::Proposed {
        plan::suggestions::Proposed::from_parts(self.range.clone(), self.original.clone(), self.proposed.clone())
    }
}

#[server(prefix = "/api/fn", endpoint = "plan_suggestions", output = crate::wire::Postcard)]
pub async fn plan_suggestions(plan: Uuid) -> Result<Vec<SuggestionView>, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::suggestions()?
        .suggestions(&who, plan)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Suggests replacing the words of `anchor` (JSON of a range [`Anchor`])
/// with `text`, or, with no anchor, adding `text` as a paragraph to
/// `section`.
#[server(prefix = "/api/fn", endpoint = "suggest_change", output = crate::wire::Postcard)]
pub async fn suggest_change(
    plan: Uuid,
    section: String,
    text: String,
    #[server(default)] anchor: String,
) -> Result<Uuid, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    let anchor = match anchor.trim() {
        "" => None,
        json => Some(serde_json::from_str(json).map_err(|_| ServerFnError::new("anchor: not words of the plan"))?),
    };
    ssr::suggestions()?
        .suggest(&who, plan, &section, anchor, &text)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[server(prefix = "/api/fn", endpoint = "decide_suggestion", output = crate::wire::Postcard)]
pub async fn decide_suggestion(
    plan: Uuid,
    suggestion: Uuid,
    accept: bool,
    #[server(default)] reason: String,
) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::suggestions()?
        .decide(&who, plan, suggestion, accept, &reason)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::SuggestionView;
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::ssr::Requester;
    use leptos::prelude::{use_context, ServerFnError};
    use plan::comments::Anchor;
    use std::sync::Arc;
    use uuid::Uuid;

    /// A plan's suggestions, implemented by the server's suggestions service.
    #[async_trait::async_trait]
    pub trait SuggestionsPort: Send + Sync + 'static {
        async fn suggestions(&self, who: &Requester, plan: Uuid) -> Result<Vec<SuggestionView>, ServiceError>;
        async fn suggest(
            &self,
            who: &Requester,
            plan: Uuid,
            section: &str,
            anchor: Option<Anchor>,
            text: &str,
        ) -> Result<Uuid, ServiceError>;
        async fn decide(
            &self,
            who: &Requester,
            plan: Uuid,
            suggestion: Uuid,
            accept: bool,
            reason: &str,
        ) -> Result<(), ServiceError>;
    }

    pub type SuggestionsRef = Arc<dyn SuggestionsPort>;

    pub fn suggestions() -> Result<SuggestionsRef, ServerFnError> {
        use_context::<SuggestionsRef>().ok_or_else(|| {
            tracing::error!("no app::suggestions::ssr::SuggestionsRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
