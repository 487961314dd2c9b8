//! Reading a user from a row of the accounts tables: the columns to select
//! (with the user's agency joined as `a`) and the row's decoding, alike on
//! PostgreSQL and SQLite.

use super::agencies_and_users::User;
use sqlx::Row;
use uuid::Uuid;

pub(super) const USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.agency_id, a.name AS agency, u.is_admin, u.strategic_lead, \
     u.may_lead_plans, u.disabled_at IS NOT NULL AS disabled";

pub(super) fn user_from<R: Row>(row: &R) -> Result<User, sqlx::Error>
where
    for<'r> Uuid: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> &'r str: sqlx::ColumnIndex<R>,
{
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        agency_id: row.try_get("agency_id")?,
        agency: row.try_get("agency")?,
        is_admin: row.try_get("is_admin")?,
        strategic_lead: row.try_get("strategic_lead")?,
        may_lead_plans: row.try_get("may_lead_plans")?,
        disabled: row.try_get("disabled")?,
    })
}
