//! The app's database, read and written directly: what a test arranges
//! or checks beneath the API.

use super::TestApp;
use uuid::Uuid;

impl TestApp {
    /// Runs a statement that takes no parameters.
    pub async fn sql(&self, statement: &'static str) {
        sqlx::query(statement)
            .execute(&self.pool)
            .await
            .expect("the statement runs");
    }

    /// A `count(*)` (or any one number) of a query whose `$1` is `plan`.
    pub async fn count_for(&self, query: &'static str, plan: Uuid) -> i64 {
        sqlx::query_scalar(query)
            .bind(plan)
            .fetch_one(&self.pool)
            .await
            .expect("the count is read")
    }
}
