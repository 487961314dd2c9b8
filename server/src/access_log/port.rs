//! The pages' access log, through the same operations as the API.

use super::AccessLog;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use plan::access_log::{AccessEntry, AccessKind, AccessQuery};
use uuid::Uuid;

#[async_trait::async_trait]
impl app::access_log::ssr::AccessLogPort for AccessLog {
    async fn plan_log(&self, who: &Requester, plan: Uuid) -> Result<Vec<AccessEntry>, ServiceError> {
        AccessLog::plan_log(self, who, plan).await
    }

    async fn own_log(&self, who: &Requester) -> Result<Vec<AccessEntry>, ServiceError> {
        AccessLog::own_log(self, who).await
    }

    async fn search(&self, who: &Requester, query: &AccessQuery) -> Result<Vec<AccessEntry>, ServiceError> {
        AccessLog::search(self, who, query).await
    }

    async fn printed(&self, who: &Requester, plan: Uuid, detail: &str) -> Result<(), ServiceError> {
        let detail: String = detail.chars().take(200).collect();
        self.disclose(who, plan, AccessKind::Printed, &detail, "").await?;
        Ok(())
    }

    async fn break_glass(&self, who: &Requester, plan: Uuid, reason: &str) -> Result<(), ServiceError> {
        AccessLog::break_glass(self, who, plan, reason).await.map(|_| ())
    }
}
