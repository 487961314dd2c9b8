//! The Control Strategy page's server functions, and the port the server
//! implements for them ([`ssr::StrategyPort`]).

use crate::session::Viewer;
use crate::strategy_form::StrategyForm;
use leptos::prelude::*;
use plan::strategy::{PublishedStrategy, StrategyVersion};
use serde::{Deserialize, Serialize};

/// Who may publish a new version of the strategy.
pub fn may_publish(viewer: &Viewer) -> bool {
    viewer.is_admin || viewer.strategic_lead
}

/// What the strategy page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyPageData {
    /// The version shown (the current one unless another was asked for).
    pub shown: PublishedStrategy,
    /// The current version's number.
    pub current: i64,
    /// Every version, newest first.
    pub versions: Vec<StrategyVersion>,
    /// The viewer may publish a new version.
    pub may_edit: bool,
}

/// The strategy page's data: the current version, or `version`.
#[server(prefix = "/api/fn", endpoint = "get_strategy", output = crate::wire::Postcard)]
pub async fn get_strategy(version: Option<i64>) -> Result<StrategyPageData, ServerFnError> {
    use crate::service_error::ServiceError;
    let viewer = ssr::viewer()?;
    let port = ssr::port()?;
    let current = port.current();
    let shown = match version {
        Some(n) if n != current.version => port.version(n).await.map_err(ServiceError::into_server_fn_error)?,
        _ => PublishedStrategy::clone(&current),
    };
    let versions = port.versions().await.map_err(ServiceError::into_server_fn_error)?;
    Ok(StrategyPageData {
        shown,
        current: current.version,
        versions,
        may_edit: may_publish(&viewer),
    })
}

/// Publishes the editor's form as the next version; returns its number.
#[server(prefix = "/api/fn", endpoint = "publish_strategy", output = crate::wire::Postcard)]
pub async fn publish_strategy(draft: StrategyForm) -> Result<i64, ServerFnError> {
    use crate::service_error::ServiceError;
    let viewer = ssr::viewer()?;
    let draft = match draft.into_draft() {
        Ok(draft) => draft,
        Err(message) => return Err(ServerFnError::ServerError(message)),
    };
    let published = ssr::port()?
        .publish(&viewer, draft)
        .await
        .map_err(ServiceError::into_server_fn_error)?;
    // Without JavaScript the form post lands back on the page, now current.
    leptos_axum::redirect("/strategy");
    Ok(published.version)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::Viewer;
    use leptos::prelude::{use_context, ServerFnError};
    use plan::strategy::{PublishedStrategy, StrategyDraft, StrategyVersion};
    use std::sync::Arc;

    /// The Control Strategy service, implemented by the server.
    #[async_trait::async_trait]
    pub trait StrategyPort: Send + Sync + 'static {
        fn current(&self) -> Arc<PublishedStrategy>;
        async fn versions(&self) -> Result<Vec<StrategyVersion>, ServiceError>;
        async fn version(&self, version: i64) -> Result<PublishedStrategy, ServiceError>;
        async fn publish(&self, viewer: &Viewer, draft: StrategyDraft) -> Result<Arc<PublishedStrategy>, ServiceError>;
    }

    pub type StrategyRef = Arc<dyn StrategyPort>;

    pub fn port() -> Result<StrategyRef, ServerFnError> {
        use_context::<StrategyRef>().ok_or_else(|| {
            tracing::error!("no app::strategy::ssr::StrategyRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }

    /// The logged-in viewer (the session guard put them on the request).
    pub fn viewer() -> Result<Viewer, ServerFnError> {
        crate::session::ssr::viewer().ok_or_else(|| ServerFnError::ServerError("Log in first.".to_string()))
    }
}
