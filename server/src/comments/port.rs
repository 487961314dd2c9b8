//! The plan page's comments port, through the same operations as REST.

use super::Comments;
use app::service_error::ServiceError;
use app::session::ssr::Requester;
use plan::comments::Anchor;
use uuid::Uuid;

#[async_trait::async_trait]
impl app::comments::ssr::CommentsPort for Comments {
    async fn comments(&self, who: &Requester, plan: Uuid) -> Result<Vec<app::comments::CommentView>, ServiceError> {
        Comments::comments(self, who, plan).await
    }

    async fn post(
        &self,
        who: &Requester,
        plan: Uuid,
        anchor: Anchor,
        body: &str,
        reply_to: Option<Uuid>,
        mentions: &[Uuid],
    ) -> Result<Uuid, ServiceError> {
        Comments::post(self, who, plan, anchor, body, reply_to, mentions).await
    }

    async fn edit(&self, who: &Requester, plan: Uuid, comment: Uuid, body: &str) -> Result<(), ServiceError> {
        Comments::edit(self, who, plan, comment, body).await
    }

    async fn resolve(&self, who: &Requester, plan: Uuid, comment: Uuid, resolved: bool) -> Result<(), ServiceError> {
        Comments::resolve(self, who, plan, comment, resolved).await
    }

    async fn hide(&self, who: &Requester, plan: Uuid, comment: Uuid, reason: &str) -> Result<(), ServiceError> {
        Comments::hide(self, who, plan, comment, reason).await
    }
}
