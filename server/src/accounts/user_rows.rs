//! Reading accounts from rows of the accounts tables, alike on PostgreSQL
//! and SQLite: a user's columns to select (with the user's agency joined as
//! `a`) and their decoding, an agency's, and [`run!`], the step every accounts
//! query takes.

use super::agencies_and_users::{Agency, User};
use chrono::{DateTime, Utc};
use sqlx::{ColumnIndex, Decode, FromRow, Row, Type};
use uuid::Uuid;

pub(super) const USER_COLUMNS: &str =
    "u.id, u.email, u.name, u.agency_id, a.name AS agency, u.is_admin, u.strategic_lead, \
     u.may_lead_plans, u.auditor, u.disabled_at IS NOT NULL AS disabled, u.vetting_officer, \
     u.vetting_level, u.vetting_expires_at";

/// A user from the columns of [`USER_COLUMNS`], by name.
impl<'r, R: Row> FromRow<'r, R> for User
where
    &'r str: ColumnIndex<R>,
    Uuid: Decode<'r, R::Database> + Type<R::Database>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    bool: Decode<'r, R::Database> + Type<R::Database>,
    DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(User {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            agency_id: row.try_get("agency_id")?,
            agency: row.try_get("agency")?,
            is_admin: row.try_get("is_admin")?,
            strategic_lead: row.try_get("strategic_lead")?,
            may_lead_plans: row.try_get("may_lead_plans")?,
            auditor: row.try_get("auditor")?,
            disabled: row.try_get("disabled")?,
            vetting_officer: row.try_get("vetting_officer")?,
            vetting: plan::vetting::HeldVetting {
                level: row.try_get("vetting_level")?,
                expires_at: row.try_get("vetting_expires_at")?,
            },
        })
    }
}

/// An agency's columns, in the order [`agency`] reads them.
pub(super) const AGENCY_COLUMNS: &str = "id, name, kind";

pub(super) type AgencyRow = (Uuid, String, String);

pub(super) fn agency((id, name, kind): AgencyRow) -> Agency {
    Agency { id, name, kind }
}

/// `run!(execute(query, values...) on executor, context)`: the query with
/// its values bound (as [`crate::store::bind`]), run by `execute`,
/// `fetch_all`, ... on the executor (the pool, or a transaction); a
/// failure says `context`.
macro_rules! run {
    ($run:ident($query:expr $(, $value:expr)* $(,)?) on $on:expr, $context:expr) => {
        crate::store::bind!($query $(, $value)*).$run($on).await.context($context)
    };
}
pub(super) use run;
