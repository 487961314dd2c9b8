//! The portfolio's server function. Its body reaches the server's portfolio
//! service through the [`ssr::PortfolioPort`] the server provides as
//! context, the same service the REST routes call.

use leptos::prelude::*;
use plan::portfolio::{PortfolioQuery, PortfolioView};

/// The portfolio as the logged-in user may see it.
#[server(prefix = "/api/fn", endpoint = "portfolio", output = crate::wire::Postcard)]
pub async fn portfolio(#[server(default)] query: PortfolioQuery) -> Result<PortfolioView, ServerFnError> {
    let who = crate::session::ssr::requester()?;
    ssr::port()?
        .view(&who, &query)
        .await
        .map_err(crate::service_error::ServiceError::into_server_fn_error)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::present::GENERIC_ERROR;
    use crate::service_error::ServiceError;
    use crate::session::ssr::Requester;
    use leptos::prelude::{use_context, ServerFnError};
    use plan::portfolio::{PortfolioQuery, PortfolioView};
    use std::sync::Arc;

    /// The portfolio service, implemented by the server.
    #[async_trait::async_trait]
    pub trait PortfolioPort: Send + Sync + 'static {
        /// Plans a drill-down names are consulted, which the server logs.
        async fn view(&self, who: &Requester, query: &PortfolioQuery) -> Result<PortfolioView, ServiceError>;
    }

    pub type PortfolioRef = Arc<dyn PortfolioPort>;

    pub fn port() -> Result<PortfolioRef, ServerFnError> {
        use_context::<PortfolioRef>().ok_or_else(|| {
            tracing::error!("no app::portfolio::ssr::PortfolioRef in context");
            ServerFnError::ServerError(GENERIC_ERROR.to_string())
        })
    }
}
