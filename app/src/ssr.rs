//! Server-only code: the data-access port the server implements, and helpers
//! the server functions use. The app crate never depends on the server
//! crate; the server provides a [`Directory`] as context instead.

use crate::present::GENERIC_ERROR;
use leptos::prelude::{use_context, ServerFnError};
use std::sync::Arc;

use crate::service_error::ServiceError;

/// Where the pages read and create plans. Implemented by the server.
#[async_trait::async_trait]
pub trait PlanDirectory: Send + Sync + 'static {
    /// The plans `viewer` is a member of.
    async fn list_plans(&self, viewer: uuid::Uuid) -> Result<Vec<plan::PlanSummary>, ServiceError>;
    /// Creates a plan with `viewer` as its LRO.
    async fn create_plan(&self, viewer: uuid::Uuid, plan: plan::NewPlan) -> Result<plan::PlanSummary, ServiceError>;
    /// `None` for unknown plans and plans `viewer` is not a member of.
    /// A consultation, which the server logs.
    async fn get_plan(
        &self,
        who: &crate::session::ssr::Requester,
        id: uuid::Uuid,
    ) -> Result<Option<crate::plan_page::PlanPageData>, ServiceError>;
}

/// What the server provides as context to SSR routes and server functions.
pub type Directory = Arc<dyn PlanDirectory>;

/// The logged-in user's id. The server's session guard runs before any
/// page or server function, so a missing viewer is a server fault.
pub fn viewer_id() -> Result<uuid::Uuid, ServerFnError> {
    crate::session::ssr::viewer().map(|v| v.id).ok_or_else(|| {
        tracing::error!("no viewer on the request: is the session guard in front of the pages?");
        ServerFnError::ServerError("Log in first.".to_string())
    })
}

/// The directory from context, or an error (logged) if the server did not
/// provide one.
pub fn directory() -> Result<Directory, ServerFnError> {
    use_context::<Directory>().ok_or_else(|| {
        tracing::error!("no app::ssr::Directory in context: provide_context(directory) in the server");
        ServerFnError::ServerError(GENERIC_ERROR.to_string())
    })
}

/// Sets the HTTP status of the page being rendered (no-op outside a request).
/// Only effective for routes rendered with `SsrMode::Async` (or before the
/// first chunk is streamed).
pub fn set_status(status: axum::http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{create_plan, get_plan, list_plans};
    use leptos::prelude::{provide_context, Owner};
    use leptos::reactive::computed::ScopedFuture;
    use std::future::Future;
    use std::sync::Mutex;

    /// An in-memory directory for tests.
    #[derive(Default)]
    struct Memory(Mutex<Vec<plan::PlanSummary>>, Option<&'static str>);

    #[async_trait::async_trait]
    impl PlanDirectory for Memory {
        async fn list_plans(&self, _viewer: uuid::Uuid) -> Result<Vec<plan::PlanSummary>, ServiceError> {
            match self.1 {
                Some(internal) => Err(ServiceError::Internal(anyhow::anyhow!(internal))),
                None => Ok(self.0.lock().unwrap().clone()),
            }
        }
        async fn create_plan(
            &self,
            _viewer: uuid::Uuid,
            plan: plan::NewPlan,
        ) -> Result<plan::PlanSummary, ServiceError> {
            let summary = plan::PlanSummary {
                id: uuid::Uuid::new_v4(),
                marking: Default::default(),
                subject_kind: Some(plan.subject_kind),
                subject_name: plan.subject_name,
                subject_ref: plan.subject_ref,
                tier: Some(plan.tier),
                lro: plan.lro,
                next_review: None,
                actions: Default::default(),
            };
            self.0.lock().unwrap().push(summary.clone());
            Ok(summary)
        }
        async fn get_plan(
            &self,
            _who: &crate::session::ssr::Requester,
            _id: uuid::Uuid,
        ) -> Result<Option<crate::plan_page::PlanPageData>, ServiceError> {
            Ok(None)
        }
    }

    async fn with_directory<F: Future>(dir: Option<Directory>, f: impl FnOnce() -> F) -> F::Output {
        let owner = Owner::new();
        let fut = owner.with(|| {
            if let Some(dir) = dir {
                provide_context(dir);
            }
            // What the server's session guard puts on every request.
            let mut parts = axum::http::Request::new(()).into_parts().0;
            let viewer = crate::session::Viewer {
                id: uuid::Uuid::nil(),
                name: "Dee Lro".into(),
                email: "lro@example.org".into(),
                agency: "Police".into(),
                is_admin: false,
                strategic_lead: false,
                may_lead_plans: true,
                auditor: false,
                vetting_officer: false,
                vetting_notice: None,
            };
            parts.extensions.insert(crate::session::ssr::Requester {
                viewer: viewer.clone(),
                session: "00".into(),
                address: None,
                user_agent: None,
            });
            parts.extensions.insert(viewer);
            provide_context(parts);
            ScopedFuture::new(f())
        });
        fut.await
    }

    #[tokio::test]
    async fn server_functions_use_the_directory_from_context() {
        let dir: Directory = Arc::new(Memory::default());
        let created = with_directory(Some(dir.clone()), || {
            create_plan(
                "OCG".into(),
                " Red Kings ".into(),
                "OCG/42".into(),
                "2".into(),
                "DI Jones".into(),
            )
        })
        .await
        .unwrap();
        assert_eq!(created.subject_name, "Red Kings");
        let listed = with_directory(Some(dir.clone()), list_plans).await.unwrap();
        assert_eq!(listed, vec![created]);
        let missing = with_directory(Some(dir), || get_plan("not-a-uuid".into()))
            .await
            .unwrap();
        assert_eq!(missing, None);
    }

    #[tokio::test]
    async fn invalid_input_is_refused_with_the_field_named() {
        let dir: Directory = Arc::new(Memory::default());
        let err = with_directory(Some(dir.clone()), || {
            create_plan("OCG".into(), "".into(), "".into(), "1".into(), "".into())
        })
        .await
        .unwrap_err();
        assert_eq!(
            err,
            ServerFnError::ServerError("Subject name: must not be empty".into())
        );
        assert!(with_directory(Some(dir), list_plans).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn internal_errors_and_a_missing_directory_show_a_generic_message() {
        let dir: Directory = Arc::new(Memory(Mutex::default(), Some("db down")));
        let err = with_directory(Some(dir), list_plans).await.unwrap_err();
        assert_eq!(err, ServerFnError::ServerError(GENERIC_ERROR.into()));
        let err = with_directory(None, list_plans).await.unwrap_err();
        assert_eq!(err, ServerFnError::ServerError(GENERIC_ERROR.into()));
    }

    #[test]
    fn refusals_pass_through() {
        let e = ServiceError::Invalid("Tier: bad".into()).into_server_fn_error();
        assert_eq!(e, ServerFnError::ServerError("Tier: bad".into()));
    }
}
