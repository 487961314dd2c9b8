//! A plan's comments, for the plan page: what the page shows of each, and
//! server functions over the server's [`ssr::CommentsPort`]. The server
//! decides who may do what (any member comments; the author edits; the
//! author, LRO, plan owner or SIO resolve; the LRO hides).

use leptos::prelude::*;
use plan::comments::Anchor;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A comment as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: Uuid,
    /// The thread's first comment (`None`: this is it).
    pub thread: Option<Uuid>,
    pub author: String,
    pub agency: String,
    /// What a thread is about (a thread's first comment only).
    pub anchor: Option<Anchor>,
    /// A range's words when the comment was made.
    pub quote: Option<String>,
    /// `None` when hidden.
    pub body: Option<String>,
    /// As `8 Dec 2026 10:04`.
    pub at: String,
    pub edited: bool,
    /// Who resolved the thread (its first comment only).
    pub resolved_by: Option<String>,
    /// Who hid it, and why.
    pub hidden: Option<(String, String)>,
    pub can_edit: bool,
    pub can_resolve: bool,
    pub can_hide: bool,
}

#[server(prefix = "/api/fn", endpoint = "plan_comments", output = crate::wire::Postcard)]
pub async fn plan_comments(plan: Uuid) -> Result<Vec<CommentView>, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::comments()?
        .comments(&who, plan)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Posts a comment: about `anchor` (JSON of [`Anchor`]; empty: the plan),
/// or a reply in the thread of `reply_to`.
#[server(prefix = "/api/fn", endpoint = "post_comment", output = crate::wire::Postcard)]
pub async fn post_comment(
    plan: Uuid,
    body: String,
    #[server(default)] anchor: String,
    #[server(default)] reply_to: Option<Uuid>,
    /// Members mentioned, by id, separated by commas.
    #[server(default)]
    mentions: String,
) -> Result<Uuid, ServerFnError> {
    let mentions = mentions
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(Uuid::parse_str)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ServerFnError::new("mentions: not members of this plan"))?;
    let who = crate::session::ssr::requester()?;
    let anchor = if anchor.trim().is_empty() {
        Anchor::Plan
    } else {
        serde_json::from_str(&anchor).map_err(|_| ServerFnError::new("anchor: not something a comment can be about"))?
    };
    ssr::comments()?
        .post(&who, plan, anchor, &body, reply_to, &mentions)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[server(prefix = "/api/fn", endpoint = "edit_comment", output = crate::wire::Postcard)]
pub async fn edit_comment(plan: Uuid, comment: Uuid, body: String) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::comments()?
        .edit(&who, plan, comment, &body)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

/// Resolves (`resolved`) or reopens a thread.
#[server(prefix = "/api/fn", endpoint = "resolve_comment", output = crate::wire::Postcard)]
pub async fn resolve_comment(plan: Uuid, comment: Uuid, resolved: bool) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::comments()?
        .resolve(&who, plan, comment, resolved)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[server(prefix = "/api/fn", endpoint = "hide_comment", output = crate::wire::Postcard)]
pub async fn hide_comment(plan: Uuid, comment: Uuid, reason: String) -> Result<(), ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::comments()?
        .hide(&who, plan, comment, &reason)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::CommentView;
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::ssr::Requester;
    use leptos::prelude::{use_context, ServerFnError};
    use plan::comments::Anchor;
    use std::sync::Arc;
    use uuid::Uuid;

    /// A plan's comments, implemented by the server's comments service.
    #[async_trait::async_trait]
    pub trait CommentsPort: Send + Sync + 'static {
        /// A consultation, which the server logs.
        async fn comments(&self, who: &Requester, plan: Uuid) -> Result<Vec<CommentView>, ServiceError>;
        async fn post(
            &self,
            who: &Requester,
            plan: Uuid,
            anchor: Anchor,
            body: &str,
            reply_to: Option<Uuid>,
            mentions: &[Uuid],
        ) -> Result<Uuid, ServiceError>;
        async fn edit(&self, who: &Requester, plan: Uuid, comment: Uuid, body: &str) -> Result<(), ServiceError>;
        async fn resolve(&self, who: &Requester, plan: Uuid, comment: Uuid, resolved: bool)
            -> Result<(), ServiceError>;
        async fn hide(&self, who: &Requester, plan: Uuid, comment: Uuid, reason: &str) -> Result<(), ServiceError>;
    }

    pub type CommentsRef = Arc<dyn CommentsPort>;

    pub fn comments() -> Result<CommentsRef, ServerFnError> {
        use_context::<CommentsRef>().ok_or_else(|| {
            tracing::error!("no app::comments::ssr::CommentsRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
