//! Presence (Yjs awareness) in a room: what a connection may announce,
//! under the name of its account, and what other nodes relay.

use super::{ConnId, Outgoing, Post, Room, Target};
use crate::collab::protocol;
use bytes::Bytes;
use std::sync::Arc;
use uuid::Uuid;
use yrs::sync::AwarenessUpdate;

impl Room {
    /// Applies presence changes from another server node's connections,
    /// for relay to every connection here, and notes which node they came
    /// from. `users` names the user behind each client id: the id is held
    /// for them here too, and an entry for an id another user holds is
    /// dropped.
    pub fn apply_remote_presence(
        &mut self,
        node: Uuid,
        mut update: AwarenessUpdate,
        users: &[(u64, Uuid)],
    ) -> Option<Outgoing> {
        update.clients.retain(|client, entry| {
            let user = users.iter().find(|(id, _)| *id == client.get()).map(|(_, user)| *user);
            match user {
                Some(user) if entry.json.as_ref() != "null" => self.gate.announce(client.get(), user),
                _ => true,
            }
        });
        if update.clients.is_empty() {
            return None;
        }
        self.awareness.apply_update(update.clone()).ok()?;
        let clients = self.remote.entry(node).or_default();
        for (client, entry) in &update.clients {
            if entry.json.as_ref() == "null" {
                clients.remove(client);
            } else {
                clients.insert(*client);
            }
        }
        if clients.is_empty() {
            self.remote.remove(&node);
        }
        Some(Outgoing {
            target: Target::All,
            post: Post::Presence(Arc::new(update)),
        })
    }

    /// Removes the presence of another node's connections, that node being
    /// gone, for relay to every connection here.
    pub fn node_gone(&mut self, node: Uuid) -> Option<Outgoing> {
        let clients = self.remote.remove(&node)?;
        for client in &clients {
            self.awareness.remove_state(*client);
        }
        let update = self.awareness.update_with_clients(clients).ok()?;
        (!update.clients.is_empty()).then(|| Outgoing {
            target: Target::All,
            post: Post::Presence(Arc::new(update)),
        })
    }

    /// Applies the entries of a presence update that this connection may
    /// make (its own clients, or clients nobody has claimed) and returns
    /// what to relay.
    pub(super) fn apply_awareness(&mut self, conn: ConnId, mut update: AwarenessUpdate) -> Option<AwarenessUpdate> {
        // Presence is attributable: the name shown is the account's.
        let shown_as = self.conns.get(&conn)?.access.shown_as.clone();
        if !shown_as.is_empty() {
            update
                .clients
                .retain(|_, entry| match attributed(&entry.json, &shown_as) {
                    Some(json) => {
                        entry.json = json.into();
                        true
                    }
                    None => false,
                });
        }
        update.clients.retain(|client, _| {
            self.conns
                .iter()
                .all(|(other, owned)| *other == conn || !owned.clients.contains(client))
        });
        // An id held for another user is theirs to show; announcing one
        // that nobody holds holds it for this connection's user.
        let user = self.conns.get(&conn)?.access.user;
        update
            .clients
            .retain(|client, entry| entry.json.as_ref() == "null" || self.gate.announce(client.get(), user));
        if update.clients.is_empty() {
            return None;
        }
        let owned = &mut self.conns.get_mut(&conn)?.clients;
        for (client, entry) in &update.clients {
            if entry.json.as_ref() == "null" {
                owned.remove(client);
            } else {
                owned.insert(*client);
            }
        }
        self.awareness.apply_update(update.clone()).ok()?;
        Some(update)
    }

    pub(super) fn full_awareness(&self) -> Option<Bytes> {
        let update = self.awareness.update().ok()?;
        (!update.clients.is_empty()).then(|| protocol::awareness(update))
    }
}

/// A presence state with `user.name` set to `name`; `null` (leaving) as it
/// is; `None` for anything that is not a JSON object.
pub(super) fn attributed(json: &str, name: &str) -> Option<String> {
    if json == "null" {
        return Some(json.to_string());
    }
    let mut state: serde_json::Value = serde_json::from_str(json).ok()?;
    let object = state.as_object_mut()?;
    let user = object
        .entry("user")
        .or_insert_with(|| serde_json::Value::Object(Default::default()));
    if !user.is_object() {
        *user = serde_json::Value::Object(Default::default());
    }
    user.as_object_mut()?
        .insert("name".into(), serde_json::Value::String(name.to_string()));
    Some(state.to_string())
}
