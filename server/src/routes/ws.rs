//! `GET /ws/plans/{id}`: the Yjs sync/awareness websocket. Thin glue that
//! adapts axum's socket to [`crate::collab::connection::run`].

use crate::collab::connection::{self, WsError, WsIn, WsOut};
use crate::collab::room::Access;
use crate::collab::rooms::{JoinError, Rooms};
use crate::error::ApiError;
use crate::routes::session::CurrentUser;
use crate::startup::AppState;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::{future, SinkExt, StreamExt};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/ws/plans/{id}", get(upgrade))
}

/// Unknown plans, and plans the user is not a member of, get a 404 before
/// any upgrade.
async fn upgrade(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound("plan"))?;
    let role = state
        .plans
        .role_of(id, user.id)
        .await?
        .ok_or(ApiError::NotFound("plan"))?;
    let access = Access {
        user: user.id,
        role,
        shown_as: format!("{} ({})", user.name, user.agency),
        agency: user.agency,
    };
    let limit = state.config.max_message_bytes;
    let rooms = state.rooms.clone();
    Ok(ws
        .max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| serve(socket, rooms, id, access, limit)))
}

async fn serve(mut socket: WebSocket, rooms: Rooms, plan_id: Uuid, access: Access, limit: usize) {
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
    let stream = stream.map(move |message| match message {
        Ok(Message::Binary(bytes)) => Ok(WsIn::Binary(bytes)),
        Ok(Message::Text(_)) => Ok(WsIn::Text),
        Ok(Message::Close(_)) => Ok(WsIn::Close),
        Ok(_) => Ok(WsIn::Control),
        Err(e) => Err(classify(e, limit)),
    });
    connection::run(joined, sink, stream, limit).await;
}

fn classify(e: axum::Error, limit: usize) -> WsError {
    use tokio_tungstenite::tungstenite::Error;
    match e.into_inner().downcast::<Error>() {
        Ok(err) if matches!(*err, Error::Capacity(_)) => WsError::TooLarge { limit },
        Ok(err) => WsError::Transport(err.to_string()),
        Err(other) => WsError::Transport(other.to_string()),
    }
}
