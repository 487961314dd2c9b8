//! Which other nodes are alive. Each node's listening connection carries
//! its id as its `application_name`; PostgreSQL ends a connection as soon
//! as its process dies (the kernel closes the socket on SIGKILL too), so
//! the nodes whose names vanish from `pg_stat_activity` are gone. Their
//! connections' presence is then removed within one or two checks (2–4 s),
//! not left to linger until clients time it out (30 s in y-protocols;
//! never in a room's own state, which newcomers are sent).

use crate::collab::rooms::Rooms;
use sqlx::PgPool;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

/// How often a node looks for nodes that are gone.
const CHECK_EVERY: Duration = Duration::from_secs(2);

const NAME_PREFIX: &str = "pillars-node ";

/// The `application_name` of `node`'s listening connection.
pub(super) fn connection_name(node: Uuid) -> String {
    format!("{NAME_PREFIX}{node}")
}

/// Nodes this one has heard from since the last check (their presence
/// notices), filled by the listener.
#[derive(Debug, Clone, Default)]
pub(super) struct Heard(Arc<Mutex<HashSet<Uuid>>>);

impl Heard {
    pub(super) fn from(&self, node: Uuid) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(node);
    }

    fn take(&self) -> HashSet<Uuid> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// What the checks so far have seen.
#[derive(Debug, Default)]
struct Seen {
    /// Alive at the last check.
    alive: HashSet<Uuid>,
    /// Heard from, but not alive at the last check: a node that died
    /// before any check saw it, or one whose connection is not named yet.
    unseen: HashSet<Uuid>,
}

impl Seen {
    /// Records the nodes alive now and those heard from since the last
    /// check; returns the nodes gone: alive at the last check and not now,
    /// or heard from yet not alive at two checks running.
    fn gone(&mut self, alive: HashSet<Uuid>, heard: HashSet<Uuid>) -> Vec<Uuid> {
        let mut gone: Vec<Uuid> = self.alive.difference(&alive).copied().collect();
        let mut unseen = HashSet::new();
        for node in heard.union(&self.unseen) {
            if alive.contains(node) || self.alive.contains(node) {
                continue;
            }
            if self.unseen.contains(node) {
                gone.push(*node);
            } else {
                unseen.insert(*node);
            }
        }
        self.alive = alive;
        self.unseen = unseen;
        gone
    }
}

/// Every [`CHECK_EVERY`], tells this node's rooms of each other node gone
/// (see [`Seen::gone`]).
pub(super) async fn watch(pool: PgPool, node: Uuid, heard: Heard, rooms: Rooms) {
    let mut seen = Seen::default();
    let mut ticks = tokio::time::interval(CHECK_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let names: Vec<String> = match sqlx::query_scalar(
            "SELECT application_name FROM pg_stat_activity \
             WHERE datname = current_database() AND starts_with(application_name, $1)",
        )
        .bind(NAME_PREFIX)
        .fetch_all(&pool)
        .await
        {
            Ok(names) => names,
            // Without the database nothing can be judged: the next check will.
            Err(e) => {
                tracing::debug!(error = %e, "could not check which server nodes are alive");
                continue;
            }
        };
        let alive = names
            .iter()
            .filter_map(|name| name.strip_prefix(NAME_PREFIX)?.parse().ok())
            .filter(|other| *other != node)
            .collect();
        for other in seen.gone(alive, heard.take()) {
            tracing::warn!(node = %other, "another server node is gone; removing its connections' presence");
            rooms.node_gone(other).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_is_gone_once_seen_alive_and_then_not() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let none = HashSet::new;
        let mut seen = Seen::default();
        assert!(seen.gone([a].into(), none()).is_empty(), "nothing was alive before");
        assert!(seen.gone([a, b].into(), none()).is_empty());
        assert_eq!(seen.gone([b].into(), none()), [a]);
        assert!(seen.gone([b].into(), none()).is_empty(), "told once");
        assert!(
            seen.gone([a, b].into(), none()).is_empty(),
            "a node back is alive again"
        );
    }

    #[test]
    fn a_node_heard_from_but_never_seen_is_gone_at_the_second_check() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let none = HashSet::new;
        let mut seen = Seen::default();
        // `a` spoke and died between two checks; `b` spoke before its
        // connection was named, and is seen at the next check.
        assert!(
            seen.gone(none(), [a, b].into()).is_empty(),
            "one check may be too early"
        );
        assert_eq!(seen.gone([b].into(), none()), [a]);
        assert!(
            seen.gone([b].into(), [a].into()).is_empty(),
            "heard again: one more chance"
        );
        assert_eq!(seen.gone([b].into(), none()), [a]);
        assert!(
            seen.gone([b].into(), [b].into()).is_empty(),
            "an alive node is never gone"
        );
    }

    #[test]
    fn connection_names_carry_the_node() {
        let node = Uuid::new_v4();
        let name = connection_name(node);
        assert_eq!(name.strip_prefix(NAME_PREFIX).and_then(|n| n.parse().ok()), Some(node));
        assert!(name.len() < 64, "PostgreSQL keeps application names under 64 bytes");
    }
}
