//! The commit of accepted updates (every keystroke that lands): each update
//! to the plan's log, its audit entry and the client ids it claimed, all or
//! nothing, in one transaction that also tells the other server nodes
//! ([`crate::store::commit_notice`]).
//!
//! On PostgreSQL every append takes the plan's append lock (a transaction
//! advisory lock) before it writes. A plain append gives its seqs and fails
//! whole if another node took them first; [`pg_append_after`] holds the
//! lock while it reads what the others logged and appends after it, so a
//! room that lost a race appends at its second try, however hot the plan.
//!
//! A room knows every claim logged up to the seqs it holds, so a claim it
//! did not know of was logged after them: a clash on a claim is a lost
//! race too, and the second try, reading the claims under the lock, tells
//! a user's own claim made again (a client that reconnected to another
//! node) from another user's ([`StoreError::ClaimTaken`]).

use super::{claims, json, AuditedUpdate};
use crate::store::bind;
use crate::store::commit_notice;
use crate::store::{
    committed, postgres_sql, sqlite_sql, CommittedUpdate, DbContext, PgStore, SqliteStore, StoreError, UPDATES_AFTER,
};
use sqlx::{PgConnection, SqliteConnection};
use uuid::Uuid;

/// The plan's append lock, held until the transaction ends.
const LOCK: &str = "SELECT pg_advisory_xact_lock(hashtextextended('pillars append ' || $1::text, 0))";

/// One statement, so one round trip and one transaction: the lock, the log,
/// the audit trail, the claims, and the notice to other nodes, which
/// PostgreSQL delivers only once this commits. Each insert reads from
/// `locked`, so none writes a row before the lock is held.
const APPEND: &str = r#"WITH locked AS (
        SELECT pg_advisory_xact_lock(hashtextextended('pillars append ' || $1::text, 0))
    ), logged AS (
        INSERT INTO plan_updates (plan_id, seq, "update")
        SELECT $1, $2 + u.ord - 1, u.data FROM locked, UNNEST($3::bytea[]) WITH ORDINALITY AS u(data, ord)
    ), claimed AS (
        INSERT INTO plan_clients (plan_id, client_id, user_id)
        SELECT $1, c.client_id, c.user_id FROM locked, UNNEST($6::bigint[], $7::uuid[]) AS c(client_id, user_id)
    ), audited AS (
        INSERT INTO plan_changes (plan_id, seq, user_id, changes)
        SELECT $1, $2 + c.ord - 1, c.user_id, c.changes
        FROM locked, UNNEST($4::uuid[], $5::jsonb[]) WITH ORDINALITY AS c(user_id, changes, ord)
    )
    SELECT pg_notify($8, $9 || ' ' || ($2 + cardinality($3::bytea[]) - 1)::text)"#;

/// Who owns the given client ids of a plan.
const OWNERS: &str = "SELECT client_id, user_id FROM plan_clients WHERE plan_id = $1 AND client_id = ANY($2)";

/// What one append writes to a plan: `updates` at the seqs from
/// `first_seq`, and the client ids they claim.
pub(super) struct Append<'a> {
    pub plan: Uuid,
    pub first_seq: i64,
    pub updates: &'a [AuditedUpdate<'a>],
    pub claims: &'a [(i64, Uuid)],
}

/// Commits `append` as a transaction of its own: one statement, or, when
/// it assigns actions, that and their notifications in one transaction.
pub(super) async fn pg_commit(store: &PgStore, append: Append<'_>) -> Result<(), StoreError> {
    if append.updates.iter().all(|u| u.assigned.is_empty()) {
        let mut conn = store.pool().acquire().await.context("appending audited updates")?;
        return pg_append(store, &mut conn, append).await;
    }
    let (plan, updates) = (append.plan, append.updates);
    let mut tx = store.begin_write().await?;
    pg_append(store, &mut tx, append).await?;
    super::notify_assignments(&mut *tx, plan, updates).await?;
    tx.commit().await.context("committing audited updates")
}

/// Writes `append` as part of `conn`'s transaction (or as a transaction of
/// its own).
async fn pg_append(store: &PgStore, conn: &mut PgConnection, append: Append<'_>) -> Result<(), StoreError> {
    let appended = bind!(
        sqlx::query(postgres_sql(APPEND)),
        append.plan,
        append.first_seq,
        append.updates.iter().map(|u| u.update).collect::<Vec<_>>(),
        append.updates.iter().map(|u| u.user).collect::<Vec<_>>(),
        append.updates.iter().map(|u| json(u.changes)).collect::<Vec<_>>(),
        append.claims.iter().map(|(client, _)| *client).collect::<Vec<_>>(),
        append.claims.iter().map(|(_, user)| *user).collect::<Vec<_>>(),
        commit_notice::UPDATES_CHANNEL,
        commit_notice::prefix(store.node(), append.plan)
    )
    .execute(conn)
    .await;
    match appended {
        Err(sqlx::Error::Database(e)) if matches!(e.constraint(), Some("plan_updates_pkey" | "plan_clients_pkey")) => {
            Err(StoreError::SeqTaken(append.plan))
        }
        other => other.map(|_| ()).context("appending audited updates"),
    }
}

/// Holding the plan's append lock: reads every update logged after
/// `after`, appends `updates` after the last of them, and returns what it
/// read.
pub(super) async fn pg_append_after(
    store: &PgStore,
    plan: Uuid,
    after: i64,
    updates: &[AuditedUpdate<'_>],
) -> Result<Vec<CommittedUpdate>, StoreError> {
    let mut tx = store.pool().begin().await.context("starting an append after others")?;
    bind!(sqlx::query(postgres_sql(LOCK)), plan)
        .execute(&mut *tx)
        .await
        .context("taking the plan's append lock")?;
    let rows = bind!(sqlx::query_as(postgres_sql(UPDATES_AFTER)), plan, after)
        .fetch_all(&mut *tx)
        .await
        .context("reading what other nodes appended")?;
    let others = committed(rows);
    let first_seq = others.last().map_or(after, |u| u.seq) + 1;
    let wanted: Vec<_> = claims(updates).collect();
    // Most batches claim nothing: no round trip for them.
    let owners: Vec<(i64, Uuid)> = if wanted.is_empty() {
        Vec::new()
    } else {
        bind!(
            sqlx::query_as(postgres_sql(OWNERS)),
            plan,
            wanted.iter().map(|(client, _)| *client).collect::<Vec<_>>()
        )
        .fetch_all(&mut *tx)
        .await
        .context("reading who owns the client ids claimed")?
    };
    let claims = new_claims(plan, wanted, &owners)?;
    let append = Append {
        plan,
        first_seq,
        updates,
        claims: &claims,
    };
    pg_append(store, &mut tx, append).await?;
    super::notify_assignments(&mut *tx, plan, updates).await?;
    tx.commit().await.context("committing an append after others")?;
    Ok(others)
}

/// The claims still to record, given who owns their client ids already:
/// one its own user holds is dropped, one another user holds refuses all.
fn new_claims(plan: Uuid, wanted: Vec<(i64, Uuid)>, owners: &[(i64, Uuid)]) -> Result<Vec<(i64, Uuid)>, StoreError> {
    let mut claims = Vec::with_capacity(wanted.len());
    for (client, user) in wanted {
        match owners.iter().find(|(owned, _)| *owned == client) {
            None => claims.push((client, user)),
            Some((_, owner)) if *owner == user => {}
            Some(_) => {
                return Err(StoreError::ClaimTaken {
                    plan,
                    client: client as u64,
                })
            }
        }
    }
    Ok(claims)
}

/// [`pg_commit`] for SQLite: one transaction holding its write lock.
pub(super) async fn sqlite_commit(store: &SqliteStore, append: Append<'_>) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await?;
    sqlite_append(&mut tx, append).await?;
    tx.commit().await.context("committing audited updates")
}

/// [`pg_append_after`] for SQLite: one transaction holding its write lock.
pub(super) async fn sqlite_commit_after(
    store: &SqliteStore,
    plan: Uuid,
    after: i64,
    updates: &[AuditedUpdate<'_>],
) -> Result<Vec<CommittedUpdate>, StoreError> {
    let mut tx = store.begin_write().await?;
    let others = sqlite_append_after(&mut tx, plan, after, updates).await?;
    tx.commit().await.context("committing audited updates")?;
    Ok(others)
}

/// Writes `append` and its notifications as part of `tx`, which holds
/// SQLite's write lock.
async fn sqlite_append(tx: &mut SqliteConnection, append: Append<'_>) -> Result<(), StoreError> {
    let (plan, updates) = (append.plan, append.updates);
    sqlite_append_only(tx, append).await?;
    super::notify_assignments(tx, plan, updates).await
}

/// Writes `append` as part of `tx`.
async fn sqlite_append_only(tx: &mut SqliteConnection, append: Append<'_>) -> Result<(), StoreError> {
    // In-process, so a row per statement costs no round trips.
    for (seq, u) in (append.first_seq..).zip(append.updates) {
        let inserted = bind!(
            sqlx::query(r#"INSERT INTO plan_updates (plan_id, seq, "update") VALUES (?1, ?2, ?3)"#),
            append.plan,
            seq,
            u.update
        )
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(StoreError::SeqTaken(append.plan)),
            other => other.context("appending updates")?,
        };
        bind!(
            sqlx::query("INSERT INTO plan_changes (plan_id, seq, user_id, changes) VALUES (?1, ?2, ?3, ?4)"),
            append.plan,
            seq,
            u.user,
            json(u.changes).to_string()
        )
        .execute(&mut *tx)
        .await
        .context("recording the audit trail")?;
    }
    for (client, user) in append.claims {
        let claimed = bind!(
            sqlx::query("INSERT INTO plan_clients (plan_id, client_id, user_id) VALUES (?1, ?2, ?3)"),
            append.plan,
            client,
            user
        )
        .execute(&mut *tx)
        .await;
        match claimed {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(StoreError::SeqTaken(append.plan)),
            other => other.context("recording who owns a client id")?,
        };
    }
    Ok(())
}

/// [`pg_append_after`] for SQLite, whose write lock `tx` holds.
async fn sqlite_append_after(
    tx: &mut SqliteConnection,
    plan: Uuid,
    after: i64,
    updates: &[AuditedUpdate<'_>],
) -> Result<Vec<CommittedUpdate>, StoreError> {
    let rows = bind!(sqlx::query_as(sqlite_sql(UPDATES_AFTER)), plan, after)
        .fetch_all(&mut *tx)
        .await
        .context("reading a plan's later updates")?;
    let others = committed(rows);
    let first_seq = others.last().map_or(after, |u| u.seq) + 1;
    let mut owners = Vec::new();
    for (client, _) in claims(updates) {
        let owner: Option<Uuid> = bind!(
            sqlx::query_scalar("SELECT user_id FROM plan_clients WHERE plan_id = ?1 AND client_id = ?2"),
            plan,
            client
        )
        .fetch_optional(&mut *tx)
        .await
        .context("reading who owns a client id claimed")?;
        owners.extend(owner.map(|user| (client, user)));
    }
    let claims = new_claims(plan, claims(updates).collect(), &owners)?;
    let append = Append {
        plan,
        first_seq,
        updates,
        claims: &claims,
    };
    sqlite_append(tx, append).await?;
    Ok(others)
}
