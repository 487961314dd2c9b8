//! More than one server node on one PostgreSQL.
//!
//! Any number of nodes share one database; a plan may be open on several at
//! once. What one node does that others must see travels through
//! PostgreSQL's LISTEN/NOTIFY, never node to node:
//!
//! - **Document updates** are not sent at all. Appending them notifies
//!   [`UPDATES_CHANNEL`] with a pointer ("node plan last-seq") in the same
//!   transaction, so the notice exists only once they are durable. Nodes
//!   with the plan open read the committed rows after their own last seq
//!   ([`crate::store::PlanStore::updates_after`]) and relay them. A room
//!   appends the seqs after the last it holds; if another node took them
//!   first, the append fails whole and the room appends again after what
//!   the others logged, holding the plan's append lock so that this second
//!   try cannot lose ([`crate::audit::AuditStore::append_audited_after`]).
//! - **Everything else** (presence, membership and account changes, ended
//!   sessions, a new Control Strategy, plans-list notices) is a small JSON
//!   [`Notice`] on [`NOTICES_CHANNEL`], sent after the change it reports is
//!   stored.
//!
//! PostgreSQL was chosen over Redis because the updates are already
//! committed there: a notice that is delivered only on commit makes
//! "durable before relayed" hold by construction, nodes need no second
//! service, and Redis here keeps nothing on disk. A notice missed while a
//! node's listening connection was down is made good when it reconnects:
//! every open room then catches up from storage.
//!
//! A node that dies without a word (SIGKILL, a lost machine) is noticed by
//! the others within seconds, when its listening connection ends, and one
//! that freezes when it stops saying it is alive (`liveness`): its
//! connections' presence is removed.
//!
//! With SQLite (one node) there is no cluster: [`Publisher::none`].

mod listener;
mod liveness;

pub(crate) use listener::encode_presence;
pub use listener::{listen, Handles};

use crate::store::bind;
use plan::access::Role;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tokio::sync::mpsc;
use uuid::Uuid;

/// Notified by each append of document updates: "node plan last-seq"
/// (the store writes it: [`crate::store::commit_notice`]).
pub use crate::store::commit_notice::UPDATES_CHANNEL;
/// Carries [`Notice`]s as JSON.
pub const NOTICES_CHANNEL: &str = "pillars_notices";

/// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD: usize = 7900;
/// Notices waiting to be sent; past this, presence is dropped (and
/// renewed by clients anyway) rather than memory grown.
const OUTBOX: usize = 4096;

/// What one node tells the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// Presence changes of the plan's connections on the sending node
    /// (a v1 awareness update, base64).
    Presence {
        plan: Uuid,
        update: String,
        /// The user behind each client id it announces, so that every node
        /// holds the id for them (absent from a node of an older release).
        #[serde(default)]
        users: Vec<(u64, Uuid)>,
    },
    /// A member's role changed (`None`: removed from the plan).
    Member {
        plan: Uuid,
        user: Uuid,
        role: Option<Role>,
    },
    UserDisabled {
        user: Uuid,
    },
    /// A session was logged out (its key, base64).
    SessionEnded {
        key: String,
    },
    /// A new Control Strategy version was published.
    Strategy,
    /// The sending node is alive (every two seconds; see `liveness`).
    Alive,
    /// The plan's summary changed (plans lists refresh).
    PlanChanged {
        plan: Uuid,
    },
    MembershipChanged {
        plan: Uuid,
        user: Uuid,
    },
    /// The plan's stored state was rewritten (a redaction): its room
    /// closes its clients with `reason` and reloads.
    Reload {
        plan: Uuid,
        reason: String,
    },
    /// A plan's comment was posted or changed (its open pages refresh).
    CommentChanged {
        plan: Uuid,
        comment: Uuid,
    },
    /// These people have new notifications (their bells ring).
    Bell {
        users: Vec<Uuid>,
    },
    /// Some members of the plan may have new notifications.
    BellPlan {
        plan: Uuid,
    },
    /// A kind this release does not know: sent by a node of a newer
    /// release while nodes are upgraded one at a time. Ignored, so that a
    /// new kind of notice never needs every node upgraded at once.
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    node: Uuid,
    #[serde(flatten)]
    notice: Notice,
}

/// Sends notices to the other nodes without waiting. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Publisher {
    node: Uuid,
    outbox: Option<mpsc::Sender<String>>,
}

impl Publisher {
    /// One node alone: nothing is sent.
    pub fn none() -> Self {
        Publisher {
            node: Uuid::nil(),
            outbox: None,
        }
    }

    /// Sends through `pool` as `node` (from a task of its own).
    pub fn start(pool: PgPool, node: Uuid) -> Self {
        let (tx, rx) = mpsc::channel(OUTBOX);
        tokio::spawn(send_all(pool, rx));
        Publisher { node, outbox: Some(tx) }
    }

    pub fn node(&self) -> Uuid {
        self.node
    }

    pub fn publish(&self, notice: Notice) {
        let Some(outbox) = &self.outbox else { return };
        let envelope = Envelope {
            node: self.node,
            notice,
        };
        let payload = match serde_json::to_string(&envelope) {
            Ok(payload) if payload.len() <= MAX_PAYLOAD => payload,
            Ok(payload) => {
                tracing::warn!(
                    bytes = payload.len(),
                    "a notice too large for NOTIFY was not sent to other nodes"
                );
                return;
            }
            Err(e) => {
                tracing::error!(error = %e, "could not encode a notice");
                return;
            }
        };
        if outbox.try_send(payload).is_err() {
            tracing::warn!("the notice outbox is full; a notice to other nodes was dropped");
        }
    }
}

/// Sends what is waiting, many notices per round trip.
async fn send_all(pool: PgPool, mut rx: mpsc::Receiver<String>) {
    let mut batch = Vec::new();
    while rx.recv_many(&mut batch, 256).await > 0 {
        let sent = bind!(
            sqlx::query("SELECT pg_notify($1, payload) FROM UNNEST($2::text[]) AS n(payload)"),
            NOTICES_CHANNEL,
            &batch
        )
        .execute(&pool)
        .await;
        if let Err(e) = sent {
            // The receivers catch up from storage when their own
            // connection returns; what is lost here is presence and
            // prompts, which are renewed or re-read.
            tracing::warn!(error = %e, notices = batch.len(), "could not notify other nodes");
        }
        batch.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip_and_name_their_node() {
        let node = Uuid::new_v4();
        let notice = Notice::Member {
            plan: Uuid::new_v4(),
            user: Uuid::new_v4(),
            role: Some(Role::Partner),
        };
        let json = serde_json::to_string(&Envelope {
            node,
            notice: notice.clone(),
        })
        .unwrap();
        let back: Envelope = serde_json::from_str(&json).unwrap();
        assert_eq!((back.node, back.notice), (node, notice));
    }

    /// Nodes are upgraded one at a time, so an older node hears notices
    /// from a newer one and the other way round.
    #[test]
    fn notices_from_other_releases_are_understood_or_set_aside() {
        let node = Uuid::new_v4();
        let newer = format!(r#"{{"node":"{node}","kind":"plan_archived","plan":"{node}","by":"x"}}"#);
        let back: Envelope = serde_json::from_str(&newer).expect("a newer kind is not malformed");
        assert_eq!((back.node, back.notice), (node, Notice::Unknown));

        let plan = Uuid::new_v4();
        let older = format!(r#"{{"node":"{node}","kind":"presence","plan":"{plan}","update":"AA=="}}"#);
        let back: Envelope = serde_json::from_str(&older).expect("presence without users");
        assert_eq!(
            back.notice,
            Notice::Presence {
                plan,
                update: "AA==".into(),
                users: vec![]
            }
        );

        for malformed in [
            r#"{"node":"x","kind":"alive"}"#,
            r#"{"kind":"alive"}"#,
            "alive",
            r#"{"node":"00000000-0000-0000-0000-000000000000"}"#,
        ] {
            assert!(serde_json::from_str::<Envelope>(malformed).is_err(), "{malformed}");
        }
    }
}
