//! Edits made by the server on a member's behalf (from `/my-actions`, a
//! restore, "mark submitted", recording a review): made exactly as that
//! member's browser would make them, so they take the same path as every
//! other edit. The server joins the plan's room as a connection with the
//! member's access, syncs a fresh replica, makes the edit there and sends
//! it as a Yjs update: the room's admission checks it, the room stores it
//! with its audit record and relays it live. A sync step 1 sent after it is
//! answered only once the update's batch is durable, which is the edit's
//! acknowledgement; a refusal arrives before it as the permission-denied
//! message.

use super::room::Access;
use super::rooms::{JoinError, Joined, Rooms};
use plan::sync_client::{ConnectionState, SyncClient};
use plan::{ModelError, PlanDoc};
use std::time::Duration;
use uuid::Uuid;
use yrs::TransactionMut;

/// How long an edit may wait on its room before giving up.
const PATIENCE: Duration = Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("plan not found")]
    NotFound,
    /// The edit itself is invalid (unknown action, bad value).
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The room's admission refused it; the reason names place and rule.
    #[error("{0}")]
    Denied(String),
    /// The room could not be reached, was closing, or did not answer.
    #[error("the plan could not be changed just now: {0}")]
    Unavailable(String),
}

impl From<EditError> for app::service_error::ServiceError {
    fn from(e: EditError) -> Self {
        use app::service_error::ServiceError;
        match e {
            EditError::NotFound => ServiceError::NotFound("plan"),
            EditError::Model(ModelError::UnknownAction(_)) => ServiceError::NotFound("action"),
            EditError::Model(e) => ServiceError::Invalid(e.to_string()),
            EditError::Denied(reason) => ServiceError::Forbidden(reason),
            EditError::Unavailable(reason) => ServiceError::Internal(anyhow::anyhow!(reason)),
        }
    }
}

impl From<JoinError> for EditError {
    fn from(e: JoinError) -> Self {
        match e {
            JoinError::NotFound => EditError::NotFound,
            other => EditError::Unavailable(other.to_string()),
        }
    }
}

/// Makes `edit` on the plan as `access`'s user and waits until it is
/// durable and relayed, or refused. An edit that changes nothing is fine.
pub async fn edit_as<T>(
    rooms: &Rooms,
    plan: Uuid,
    access: Access,
    edit: impl FnOnce(&PlanDoc, &mut TransactionMut) -> Result<T, ModelError>,
) -> Result<T, EditError> {
    let mut joined = rooms.join(plan, access).await?;
    let mut client = SyncClient::new(PlanDoc::new(plan::new_doc()));
    send(&joined, client.on_open()).await?;
    exchange(&mut joined, &mut client).await?;
    let (value, update) = {
        let mut txn = client.plan().transact_mut();
        let value = edit(client.plan(), &mut txn)?;
        (value, txn.encode_update_v1())
    };
    if let Some(frame) = client.local_update(update) {
        send(&joined, frame).await?;
    }
    // Answered after the update's batch is committed (or refused).
    send(&joined, client.on_open()).await?;
    exchange(&mut joined, &mut client).await?;
    Ok(value)
}

async fn send(joined: &Joined, frame: Vec<u8>) -> Result<(), EditError> {
    if joined.room.send(frame.into()).await {
        Ok(())
    } else {
        Err(EditError::Unavailable("the plan's room closed".into()))
    }
}

/// Handles the room's frames until the replica is synced again.
async fn exchange(joined: &mut Joined, client: &mut SyncClient) -> Result<(), EditError> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while client.state() != ConnectionState::Synced {
        let frames = tokio::select! {
            frames = joined.inbox.recv() => frames,
            reason = &mut joined.kicked => {
                let reason = reason.map(|r| r.reason).unwrap_or_else(|_| "the plan's room closed".into());
                return Err(EditError::Unavailable(reason));
            }
            _ = tokio::time::sleep_until(deadline) => return Err(EditError::Unavailable("no answer from the plan's room".into())),
        };
        let Some(frames) = frames else {
            return Err(EditError::Unavailable("the plan's room closed".into()));
        };
        for frame in frames {
            let incoming = client
                .on_frame(&frame)
                .map_err(|e| EditError::Unavailable(e.to_string()))?;
            if let Some(reason) = incoming.denied {
                return Err(EditError::Denied(reason));
            }
            for reply in incoming.replies {
                send(joined, reply).await?;
            }
        }
    }
    Ok(())
}

/// Reads the plan as it is now in its room (a fresh replica synced as
/// `access`'s user), changing nothing.
pub async fn read_as<T>(
    rooms: &Rooms,
    plan: Uuid,
    access: Access,
    read: impl FnOnce(&PlanDoc, &yrs::Transaction) -> T,
) -> Result<T, EditError> {
    let mut joined = rooms.join(plan, access).await?;
    let mut client = SyncClient::new(PlanDoc::new(plan::new_doc()));
    send(&joined, client.on_open()).await?;
    exchange(&mut joined, &mut client).await?;
    let txn = client.plan().transact();
    Ok(read(client.plan(), &txn))
}
