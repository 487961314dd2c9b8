//! The listening side: one connection per node LISTENs on both channels
//! and hands what other nodes did to this node's services.

use super::{Envelope, Notice, NOTICES_CHANNEL, UPDATES_CHANNEL};
use crate::accounts::Accounts;
use crate::collab::rooms::Rooms;
use crate::plan_events::PlanEvents;
use crate::store::bind;
use crate::store::commit_notice;
use crate::strategy::Strategies;
use base64::Engine;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;
use yrs::sync::AwarenessUpdate;
use yrs::updates::decoder::Decode;

/// This node's services that other nodes' notices reach.
#[derive(Clone)]
pub struct Handles {
    pub rooms: Rooms,
    pub accounts: Accounts,
    pub strategies: Strategies,
    pub events: PlanEvents,
    pub comments: crate::comments::CommentEvents,
    /// How this node tells the others (that it is alive, for one).
    pub others: super::Publisher,
}

/// How long to wait before listening again after the connection failed.
const RETRY: Duration = Duration::from_millis(500);

/// Listens for other nodes (not `node` itself) until the process ends,
/// reconnecting whenever the connection drops; after each reconnection
/// every open room catches up from storage, since notices sent meanwhile
/// are lost.
pub async fn listen(pool: PgPool, node: Uuid, handles: Handles) {
    let heard = super::liveness::Heard::default();
    tokio::spawn(super::liveness::watch(
        pool.clone(),
        node,
        heard.clone(),
        handles.rooms.clone(),
        handles.others.clone(),
    ));
    let mut reconnecting = false;
    loop {
        let mut listener = match connect(&pool, node).await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for other server nodes yet; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        if reconnecting {
            tracing::info!("listening for other server nodes again; open plans catch up from storage");
            handles.rooms.catch_up_all().await;
            handles.strategies.reload().await;
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    dispatch(node, &handles, &heard, notification.channel(), notification.payload()).await
                }
                Ok(None) => {
                    tracing::warn!("lost the connection that listens for other server nodes");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "listening for other server nodes failed");
                    break;
                }
            }
        }
        reconnecting = true;
        tokio::time::sleep(RETRY).await;
    }
}

async fn connect(pool: &PgPool, node: Uuid) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    // How other nodes tell this one is alive (super::liveness).
    bind!(
        sqlx::query("SELECT set_config('application_name', $1, false)"),
        super::liveness::connection_name(node)
    )
    .execute(&mut listener)
    .await?;
    listener.listen_all([UPDATES_CHANNEL, NOTICES_CHANNEL]).await?;
    Ok(listener)
}

async fn dispatch(node: Uuid, handles: &Handles, heard: &super::liveness::Heard, channel: &str, payload: &str) {
    if channel == UPDATES_CHANNEL {
        match commit_notice::parse(payload) {
            Some((from, _, _)) if from == node => {}
            Some((_, plan, seq)) => handles.rooms.committed_elsewhere(plan, seq).await,
            None => tracing::warn!(payload, "ignored a malformed update notice"),
        }
        return;
    }
    let envelope: Envelope = match serde_json::from_str(payload) {
        Ok(envelope) => envelope,
        Err(e) => {
            tracing::warn!(error = %e, "ignored a malformed notice from another node");
            return;
        }
    };
    if envelope.node == node {
        return;
    }
    match envelope.notice {
        Notice::Presence { plan, update, users } => match decode_presence(&update) {
            Some(update) if update.clients.is_empty() => {}
            Some(update) => {
                heard.from(envelope.node);
                handles
                    .rooms
                    .presence_elsewhere(plan, envelope.node, update, users)
                    .await
            }
            None => tracing::warn!(%plan, "ignored a malformed presence notice"),
        },
        Notice::Member { plan, user, role } => handles.rooms.member_changed_here(plan, user, role).await,
        Notice::UserDisabled { user } => {
            handles.rooms.user_disabled(user).await;
            handles.accounts.user_disabled_elsewhere(user);
        }
        Notice::SessionEnded { key } => match base64::engine::general_purpose::STANDARD.decode(key) {
            Ok(key) => handles.accounts.logged_out_elsewhere(key),
            Err(_) => tracing::warn!("ignored a malformed session notice"),
        },
        Notice::Strategy => handles.strategies.reload().await,
        Notice::Alive => heard.beat(envelope.node),
        Notice::PlanChanged { plan } => handles.events.changed_here(plan),
        Notice::MembershipChanged { plan, user } => handles.events.membership_changed_here(plan, user),
        Notice::CommentChanged { plan, comment } => handles.comments.changed_here(plan, comment),
        Notice::Reload { plan, reason } => handles.rooms.reload_here(plan, &reason).await,
        Notice::Bell { users } => users.into_iter().for_each(|user| handles.events.bell_here(user)),
        Notice::BellPlan { plan } => handles.events.bell_plan_here(plan),
        Notice::Unknown => tracing::debug!(
            node = %envelope.node,
            "ignored a notice of a kind this release does not know (a node of a newer release)"
        ),
    }
}

fn decode_presence(base64_update: &str) -> Option<AwarenessUpdate> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(base64_update).ok()?;
    std::panic::catch_unwind(|| AwarenessUpdate::decode_v1(&bytes).ok())
        .ok()
        .flatten()
}

/// Presence changes as a [`Notice`] payload.
pub(crate) fn encode_presence(update: &AwarenessUpdate) -> String {
    use yrs::updates::encoder::Encode;
    base64::engine::general_purpose::STANDARD.encode(update.encode_v1())
}
