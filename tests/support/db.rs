//! Throwaway databases for tests: a fresh PostgreSQL database per call, and
//! a fresh SQLite file in a temporary directory.
//!
//! PostgreSQL is reached through `TEST_DATABASE_URL` (an admin URL: it must
//! be allowed to create databases), by default the local trust-auth server.

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, PgConnection};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::OnceCell;

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Every test database's name starts with this, then `<unix_seconds>_<hex>`.
const PREFIX: &str = "pillars_test_";

/// Test databases older than this are dropped by the next test run: old
/// enough that no running test can still be using them.
const MAX_AGE: Duration = Duration::from_secs(2 * 60 * 60);

/// The admin URL tests connect with.
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string())
}

fn unix_seconds() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

async fn admin_connection(url: &str) -> PgConnection {
    PgConnection::connect(url).await.unwrap_or_else(|e| {
        panic!(
            "cannot connect to PostgreSQL at {url}: {e}\n\
             Start PostgreSQL or point TEST_DATABASE_URL at a server where this user may create databases."
        )
    })
}

/// A new, empty, migrated database of its own. The database is left behind
/// when the test ends (there is no async drop) and removed by a later run.
pub async fn fresh_pg_pool() -> PgPool {
    let admin_url = admin_url();
    let mut admin = admin_connection(&admin_url).await;

    // Once per test process; a tokio OnceCell because the work is async and
    // concurrent tests must wait for the first caller rather than race it.
    static CLEANED: OnceCell<()> = OnceCell::const_new();
    CLEANED.get_or_init(|| drop_stale_databases(&mut admin)).await;

    let random = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("{PREFIX}{}_{}", unix_seconds(), &random[..12]);
    // The name is built only from digits, hex and our prefix, so it is safe
    // to splice into SQL (CREATE DATABASE takes no bind parameters).
    sqlx::query(AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
    // Closing politely frees the server's connection slot right away.
    admin.close().await.ok();

    let options = PgConnectOptions::from_str(&admin_url)
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is not a valid PostgreSQL URL: {e}"))
        .database(&name)
        // Statement logs would drown the test output.
        .disable_statement_logging();
    let pool = PgPoolOptions::new()
        .max_connections(5)
        .connect_with(options)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to test database {name}: {e}"));
    server::store::PgStore::migrate(&pool)
        .await
        .unwrap_or_else(|e| panic!("cannot migrate test database {name}: {e:?}"));
    pool
}

/// Drops test databases left by earlier runs once they are older than
/// [`MAX_AGE`]. Failures are reported but do not fail the test.
async fn drop_stale_databases(admin: &mut PgConnection) {
    // `_` is a LIKE wildcard, hence the escapes.
    let names: Vec<String> =
        match sqlx::query_scalar(r"SELECT datname FROM pg_database WHERE datname LIKE 'pillars\_test\_%'")
            .fetch_all(&mut *admin)
            .await
        {
            Ok(names) => names,
            Err(e) => {
                eprintln!("warning: cannot list old test databases: {e}");
                return;
            }
        };
    let cutoff = unix_seconds().saturating_sub(MAX_AGE.as_secs());
    for name in names {
        if !database_is_stale(&name, cutoff) {
            continue;
        }
        // Names come from pg_database but matched our own strict pattern.
        let sql = format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#);
        if let Err(e) = sqlx::query(AssertSqlSafe(sql)).execute(&mut *admin).await {
            eprintln!("warning: cannot drop old test database {name}: {e}");
        }
    }
}

/// Whether `name` is `pillars_test_<unix_seconds>_<hex>` created before
/// `cutoff`. Anything not matching exactly is left alone.
fn database_is_stale(name: &str, cutoff: u64) -> bool {
    let Some((seconds, hex)) = name.strip_prefix(PREFIX).and_then(|rest| rest.split_once('_')) else {
        return false;
    };
    let well_formed = !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    well_formed && seconds.parse::<u64>().is_ok_and(|created| created < cutoff)
}

/// A path for a new SQLite database, in a nested directory that does not
/// exist yet (the store must create it). Keep the [`tempfile::TempDir`]
/// alive while the database is in use; dropping it deletes everything.
pub fn fresh_sqlite_path() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("pillars-test-")
        .tempdir()
        .unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"));
    let path = dir.path().join("data").join("pillars.db");
    (dir, path)
}

#[cfg(test)]
mod tests {
    use super::database_is_stale;

    #[test]
    fn only_old_well_formed_names_are_stale() {
        assert!(database_is_stale("pillars_test_100_abc123", 200));
        assert!(!database_is_stale("pillars_test_300_abc123", 200));
        assert!(!database_is_stale("pillars_test_100_", 200));
        assert!(!database_is_stale("pillars_test_100_xyz", 200));
        assert!(!database_is_stale("pillars_test_x_abc", 200));
        assert!(!database_is_stale("pillars_prod", 200));
    }
}

/// Rebuilds a plan straight from the tables, as a fresh server would.
pub async fn load_from_database(pool: &PgPool, plan: uuid::Uuid) -> plan::PlanDoc {
    use server::store::{PgStore, PlanStore};
    let stored = PgStore::from_pool(pool.clone()).load(plan).await.unwrap();
    let snapshot = stored.snapshot.as_ref().map(|s| s.state.as_slice());
    let (plan, problems) = plan::load_plan(snapshot, stored.updates.iter().map(|u| u.update.as_slice()));
    assert!(problems.is_empty(), "{problems:?}");
    plan
}

/// The URL of the database `pool` is connected to, for a server node in
/// another process.
pub fn database_url(pool: &PgPool) -> String {
    let name = pool
        .connect_options()
        .get_database()
        .expect("test pools name their database")
        .to_string();
    let mut url = url_without_database(&admin_url());
    url.push('/');
    url.push_str(&name);
    url
}

fn url_without_database(url: &str) -> String {
    let (base, _) = url.split_once('?').unwrap_or((url, ""));
    match base.rfind('/') {
        Some(slash) if slash > base.find("//").map_or(0, |i| i + 1) => base[..slash].to_string(),
        _ => base.to_string(),
    }
}

/// A race forced in the database: [`hold_writes`] locks `table` against
/// writes (and `FOR UPDATE` reads) in a transaction of its own; the racers
/// then start, and [`release_when_waiting`] lets them go together once
/// `racers` sessions wait on a lock, so the test knows they overlapped.
pub async fn hold_writes(pool: &PgPool, table: &'static str) -> sqlx::Transaction<'static, sqlx::Postgres> {
    let mut gate = pool.begin().await.expect("a transaction");
    sqlx::query(AssertSqlSafe(format!("LOCK TABLE {table} IN EXCLUSIVE MODE")))
        .execute(&mut *gate)
        .await
        .expect("the table is locked");
    gate
}

/// See [`hold_writes`].
pub async fn release_when_waiting(pool: &PgPool, gate: sqlx::Transaction<'static, sqlx::Postgres>, racers: i64) {
    let deadline = std::time::Instant::now() + crate::PATIENCE;
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(pool)
        .await
        .expect("pg_stat_activity");
        if waiting >= racers {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{racers} racers reach the database at once"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    gate.commit().await.expect("the racers are let go");
}
