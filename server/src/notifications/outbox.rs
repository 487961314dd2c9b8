//! Writing notifications: the one way any feature tells people of an event,
//! **inside the transaction that makes the event** ("added to a plan" is
//! written with the membership change, "assigned an action" with the
//! update that assigned it). So a notification exists exactly when its
//! event does: a rolled-back change notifies nobody, a committed one cannot
//! lose its notifications. The rows are the in-app notification centre and
//! the email outbox at once ([`super::sender`] emails them).
//!
//! ```ignore
//! use crate::notifications::{Notify, Outbox, Recipients};
//! let mut tx = store.begin_write().await?;
//! // ... the feature's own writes ...
//! let told = tx
//!     .write_notifications(&[Notify {
//!         kind: Kind::Reply,
//!         plan,
//!         link: &plan::notifications::comment_link(plan, &comment),
//!         to: Recipients::Members(&thread_people),
//!         by: Some(author),
//!         event: None,
//!     }], now)
//!     .await?;
//! tx.commit().await?;
//! events.bell(&told); // after the commit: their bells update live
//! ```
//!
//! Recipients are always members of the plan and never the person who made
//! the event; disabled accounts are never notified. Whether each is emailed
//! at once, in the digest or not at all follows their settings, read in the
//! same statement. Who may see a notification is judged again when it is
//! read: one about a plan its person can no longer open is hidden.

use crate::store::{bind, postgres_sql, sqlite_sql, DbContext, StoreError};
use chrono::{DateTime, Utc};
use plan::access::Role;
use plan::notifications::Kind;
use sqlx::{PgConnection, SqliteConnection};
use uuid::Uuid;

/// Whom to tell, among the plan's members.
#[derive(Debug, Clone, Copy)]
pub enum Recipients<'a> {
    /// One member.
    Member(Uuid),
    /// Several members (a thread's people, those mentioned).
    Members(&'a [Uuid]),
    /// The members of the agency with this name (any case, spaces trimmed).
    Agency(&'a str),
    /// The members with this name (any case, spaces trimmed): an action's
    /// free-text owner.
    Named(&'a str),
    /// The members holding any of these roles (say, those who decide on a
    /// suggestion: LRO, plan owner, SIO).
    Roles(&'a [Role]),
}

/// One event to tell of.
#[derive(Debug, Clone, Copy)]
pub struct Notify<'a> {
    pub kind: Kind,
    pub plan: Uuid,
    /// Where in the app it leads: [`plan::notifications::action_link`],
    /// [`plan::notifications::comment_link`], ...
    pub link: &'a str,
    pub to: Recipients<'a>,
    /// Who made the event: never told of it.
    pub by: Option<Uuid>,
    /// Names the event for kinds told at most once per event and person
    /// (`None`: every call tells). A second write of the same key for the
    /// same person is skipped.
    pub event: Option<&'a str>,
}

/// Writes notifications on a connection inside the caller's transaction.
/// Implemented for PostgreSQL's and SQLite's connections, so a store's
/// macro calls it alike for both: `tx.write_notifications(&notes, now)`.
#[async_trait::async_trait]
pub trait Outbox: Send {
    /// Writes each event's notifications as of `now`; the people told (a
    /// person once however many rows), whose bells the caller rings once
    /// the transaction has committed ([`crate::plan_events::PlanEvents::bell`]).
    async fn write_notifications(&mut self, notes: &[Notify<'_>], now: DateTime<Utc>) -> Result<Vec<Uuid>, StoreError>;
}

/// The rows one event writes: its recipients' by `{filter}` (which binds
/// `$8`), with each one's choice of email (`$6`: the kind's default).
const WRITE: &str = "INSERT INTO notifications \
     (user_id, plan_id, kind, link, event_key, created_at, email, email_due_at) \
     SELECT m.user_id, $1, $2, $3, $4, $5, \
     CASE COALESCE(s.delivery, $6) WHEN 'at_once' THEN 'queued' ELSE COALESCE(s.delivery, $6) END, $5 \
     FROM plan_members m JOIN users u ON u.id = m.user_id \
     LEFT JOIN notification_settings s ON s.user_id = m.user_id AND s.kind = $2 \
     WHERE m.plan_id = $1 AND u.disabled_at IS NULL AND ($7 IS NULL OR m.user_id <> $7) AND {filter} \
     ON CONFLICT DO NOTHING RETURNING user_id";

const BY_USER: &str = "m.user_id = $8";
const BY_ROLE: &str = "m.role = $8";
const BY_NAME: &str = "lower(trim(u.name)) = lower(trim($8))";
const BY_AGENCY: &str =
    "EXISTS (SELECT 1 FROM agencies a WHERE a.id = u.agency_id AND lower(trim(a.name)) = lower(trim($8)))";

/// One statement's filter and the value it binds.
enum Filter<'a> {
    User(Uuid),
    Text(&'static str, &'a str),
}

impl<'a> Recipients<'a> {
    /// A statement per member or role (SQLite binds no arrays).
    fn filters(self) -> Vec<Filter<'a>> {
        match self {
            Recipients::Member(user) => vec![Filter::User(user)],
            Recipients::Members(users) => users.iter().map(|u| Filter::User(*u)).collect(),
            Recipients::Agency(name) => vec![Filter::Text(BY_AGENCY, name)],
            Recipients::Named(name) => vec![Filter::Text(BY_NAME, name)],
            Recipients::Roles(roles) => roles.iter().map(|r| Filter::Text(BY_ROLE, r.key())).collect(),
        }
    }
}

macro_rules! outbox {
    ($conn:ty, $sql:path) => {
        #[async_trait::async_trait]
        impl Outbox for $conn {
            async fn write_notifications(
                &mut self,
                notes: &[Notify<'_>],
                now: DateTime<Utc>,
            ) -> Result<Vec<Uuid>, StoreError> {
                let mut told: Vec<Uuid> = Vec::new();
                for note in notes {
                    let default = note.kind.default_delivery().key();
                    for filter in note.to.filters() {
                        let (sql, text, user) = match filter {
                            Filter::User(user) => (BY_USER, None, Some(user)),
                            Filter::Text(sql, text) => (sql, Some(text), None),
                        };
                        let query = bind!(
                            sqlx::query_scalar($sql(&WRITE.replace("{filter}", sql))),
                            note.plan,
                            note.kind.key(),
                            note.link,
                            note.event,
                            now,
                            default,
                            note.by
                        );
                        let query = match user {
                            Some(user) => query.bind(user),
                            None => query.bind(text),
                        };
                        let rows: Vec<Uuid> = query
                            .fetch_all(&mut *self)
                            .await
                            .context("writing notifications")?;
                        told.extend(rows);
                    }
                }
                told.sort();
                told.dedup();
                Ok(told)
            }
        }
    };
}

outbox!(PgConnection, postgres_sql);
outbox!(SqliteConnection, sqlite_sql);
