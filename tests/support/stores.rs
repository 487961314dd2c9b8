//! Contract tests of the stores, run on both implementations.

use server::accounts::{Agency, User};
use server::store::Store;
use uuid::Uuid;

/// Runs each named `async fn(&S)` (S a store trait object both stores
/// implement) once on a fresh PostgreSQL database, as `postgres::name`, and
/// once on a fresh SQLite file, as `sqlite::name`.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let pool = $crate::db::fresh_pg_pool().await;
                    let store = ::server::store::PgStore::from_pool(pool);
                    super::$name(&store).await;
                }
            )*
        }

        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    // `_dir` keeps the database's directory alive to the end.
                    let (_dir, path) = $crate::db::fresh_sqlite_path();
                    let store = ::server::store::SqliteStore::open(&path).await.expect("open SQLite store");
                    super::$name(&store).await;
                }
            )*
        }
    };
}

/// A user of an agency of their own, stored directly; returns their id.
pub async fn user(store: &dyn Store, name: &str) -> Uuid {
    let agency = Agency {
        id: Uuid::new_v4(),
        name: format!("{name}'s agency"),
        kind: "Police force".into(),
    };
    store.insert_agency(&agency).await.unwrap();
    let user = User {
        id: Uuid::new_v4(),
        email: format!("{}@example.org", name.to_lowercase()),
        name: name.into(),
        agency_id: agency.id,
        agency: agency.name,
        is_admin: false,
        strategic_lead: false,
        disabled: false,
    };
    store.insert_user(&user, "not a real hash").await.unwrap();
    user.id
}
