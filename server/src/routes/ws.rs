//! `GET /ws/plans/{id}`: the Yjs sync/awareness websocket. Thin glue that
//! adapts axum's socket to [`crate::collab::connection::run_until`], which
//! runs it until its session ends (close code 4401; 4403 if the account is
//! disabled). Every message from the client counts as activity on the
//! session (see [`crate::accounts::session_watch`]).

use crate::accounts::session_watch::SessionWatch;
use crate::accounts::SessionEnd;
use crate::collab::connection::{self, Limits, WsError, WsIn, WsOut};
use crate::collab::room::Access;
use crate::collab::rooms::{CloseReason, JoinError, Rooms};
use crate::routes::extract::{Caller, CurrentSession, PlanId};
use crate::state::AppState;
use app::service_error::ServiceError;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::{future, SinkExt, StreamExt};
use plan::access_log::AccessKind;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/ws/plans/{id}", get(upgrade))
}

/// Unknown plans, and plans the user is not a member of, get a 404 before
/// any upgrade. Each join is a consultation, logged once (not per message).
async fn upgrade(
    c: Caller,
    CurrentSession(session): CurrentSession,
    PlanId(id): PlanId,
    ws: WebSocketUpgrade,
) -> Result<Response, ServiceError> {
    let state = c.state;
    // Watching from before the upgrade, so no ending falls in between.
    let watch = state.accounts.watch_session(&session);
    let user = session.user;
    let role = state.access_log.consult(&c.who, id, AccessKind::Joined, "").await?;
    let access = Access {
        user: user.id,
        role,
        shown_as: format!("{} ({})", user.name, user.agency),
        agency: user.agency,
    };
    let limits = Limits {
        max_message: state.config.max_message_bytes,
        keepalive: std::time::Duration::from_secs(state.config.keepalive_secs.max(1)),
    };
    let rooms = state.rooms.clone();
    Ok(ws
        .max_message_size(limits.max_message)
        .max_frame_size(limits.max_message)
        .on_upgrade(move |socket| serve(socket, rooms, id, access, limits, watch)))
}

async fn serve(
    mut socket: WebSocket,
    rooms: Rooms,
    plan_id: Uuid,
    access: Access,
    limits: Limits,
    watch: SessionWatch,
) {
    // Counted until its goodbye is said: a stopping server waits for it.
    let _open = rooms.connection_opened();
    let joined = match rooms.join(plan_id, access).await {
        Ok(joined) => joined,
        Err(e) => {
            let code = if e == JoinError::NotFound { 4404 } else { 1011 };
            let frame = CloseFrame {
                code,
                reason: e.to_string().into(),
            };
            let _ = socket.send(Message::Close(Some(frame))).await;
            return;
        }
    };
    let (sink, stream) = socket.split();
    let sink = sink.with(|out: WsOut| {
        future::ready(Ok::<_, axum::Error>(match out {
            WsOut::Binary(bytes) => Message::Binary(bytes),
            WsOut::Close(r) => Message::Close(Some(CloseFrame {
                code: r.code,
                reason: r.reason.into(),
            })),
        }))
    });
    let activity = watch.activity();
    let stream = stream.map(move |message| match message {
        Ok(Message::Binary(bytes)) => {
            activity.mark();
            Ok(WsIn::Binary(bytes))
        }
        Ok(Message::Text(_)) => Ok(WsIn::Text),
        Ok(Message::Close(_)) => Ok(WsIn::Close),
        Ok(_) => Ok(WsIn::Control),
        Err(e) => Err(classify(e, limits.max_message)),
    });
    let session_ended = async move { session_closing(watch.ended().await) };
    connection::run_until(joined, sink, stream, limits, session_ended).await;
}

/// How a connection is closed when its session ends: 4401 (log in again),
/// or 4403 for a disabled account, as when removed from the plan.
pub fn session_closing(end: SessionEnd) -> CloseReason {
    let code = if end == SessionEnd::Disabled { 4403 } else { 4401 };
    CloseReason {
        code,
        reason: end.to_string(),
    }
}

fn classify(e: axum::Error, limit: usize) -> WsError {
    use tokio_tungstenite::tungstenite::Error;
    match e.into_inner().downcast::<Error>() {
        Ok(err) if matches!(*err, Error::Capacity(_)) => WsError::TooLarge { limit },
        Ok(err) => WsError::Transport(err.to_string()),
        Err(other) => WsError::Transport(other.to_string()),
    }
}
