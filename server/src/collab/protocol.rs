//! The standard Yjs sync and awareness protocol (y-protocols), as frames.
//!
//! A binary websocket frame holds one or more messages. We split frames
//! into messages ourselves, with exact byte accounting, so that a truncated
//! message or trailing garbage is refused rather than silently ignored
//! (yrs's `MessageReader` stops quietly at a short read). Payloads are then
//! decoded by yrs, behind `catch_unwind` so that no input can take the
//! room down.

use bytes::Bytes;
use plan::admission::decode::ReadUpdate;
use yrs::sync::{AwarenessUpdate, Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::StateVector;

/// Why a frame was refused. The text is what the client is told.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("malformed message: {0}")]
    Malformed(String),
    #[error("document update could not be decoded: {0}")]
    BadUpdate(String),
    #[error("unsupported message type {0}")]
    Unsupported(u64),
    #[error("text frames are not supported; send binary Yjs sync/awareness messages")]
    TextFrame,
    #[error("message of {size} bytes is over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
}

impl ProtocolError {
    /// The websocket close code for this refusal (RFC 6455 §7.4.1).
    pub fn close_code(&self) -> u16 {
        match self {
            ProtocolError::Malformed(_) | ProtocolError::BadUpdate(_) => 1007,
            ProtocolError::Unsupported(_) | ProtocolError::TextFrame => 1003,
            ProtocolError::TooLarge { .. } => 1009,
        }
    }
}

/// One decoded message from a client.
#[derive(Debug)]
pub enum Inbound {
    SyncStep1(StateVector),
    /// A sync step 2 or an update: both carry a document update, read by
    /// admission's reader (its only decoding before it is applied).
    Update {
        raw: Vec<u8>,
        read: ReadUpdate,
    },
    Awareness(AwarenessUpdate),
    AwarenessQuery,
    /// Auth messages are server-to-client only in y-protocols; ignored.
    Auth,
}

const MSG_SYNC: u64 = 0;
const MSG_AWARENESS: u64 = 1;
const MSG_AUTH: u64 = 2;
const MSG_QUERY_AWARENESS: u64 = 3;

/// Splits and decodes a whole frame; any bad part refuses the whole frame.
pub fn decode_frame(frame: &[u8]) -> Result<Vec<Inbound>, ProtocolError> {
    if frame.is_empty() {
        return Err(ProtocolError::Malformed("empty frame".into()));
    }
    let mut reader = Reader { buf: frame, pos: 0 };
    let mut messages = Vec::new();
    while reader.pos < frame.len() {
        messages.push(decode_message(&mut reader)?);
    }
    Ok(messages)
}

fn decode_message(r: &mut Reader<'_>) -> Result<Inbound, ProtocolError> {
    match r.var_uint()? {
        MSG_SYNC => {
            let kind = r.var_uint()?;
            let payload = r.var_buf()?;
            match kind {
                // A state vector entry is a client and a clock; an update's
                // client group at least a count, a client and a clock.
                0 => fits(payload, 2, "state vector")?,
                1 | 2 => fits(payload, 3, "update").map_err(|e| match e {
                    ProtocolError::Malformed(why) => ProtocolError::BadUpdate(why),
                    other => other,
                })?,
                _ => {}
            }
            match kind {
                0 => guarded(|| StateVector::decode_v1(payload))
                    .map(Inbound::SyncStep1)
                    .map_err(|e| ProtocolError::Malformed(format!("state vector: {e}"))),
                1 | 2 => guarded(|| ReadUpdate::new(payload))
                    .map(|read| Inbound::Update {
                        raw: payload.to_vec(),
                        read,
                    })
                    .map_err(ProtocolError::BadUpdate),
                other => Err(ProtocolError::Malformed(format!("unknown sync message type {other}"))),
            }
        }
        MSG_AWARENESS => {
            let payload = r.var_buf()?;
            // An entry is at least a client, a clock and a state's length.
            fits(payload, 3, "awareness update")?;
            guarded(|| AwarenessUpdate::decode_v1(payload))
                .map(Inbound::Awareness)
                .map_err(|e| ProtocolError::Malformed(format!("awareness update: {e}")))
        }
        MSG_QUERY_AWARENESS => Ok(Inbound::AwarenessQuery),
        MSG_AUTH => {
            if r.var_uint()? == 0 {
                r.var_buf()?; // the denial reason, a length-prefixed string
            }
            Ok(Inbound::Auth)
        }
        other => Err(ProtocolError::Unsupported(other)),
    }
}

/// Runs a yrs decoder so that a panic on hostile input becomes an error.
fn guarded<T, E: std::fmt::Display>(decode: impl FnOnce() -> Result<T, E>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("decoder rejected the payload".into()),
    }
}

/// lib0 encoding primitives with exact position tracking.
/// Refuses a payload whose leading count promises more entries than its
/// bytes could hold: yrs' decoders reserve room for the declared count
/// before reading a single entry, so a few bytes could make it reserve
/// gigabytes.
fn fits(payload: &[u8], min_entry_bytes: usize, what: &str) -> Result<(), ProtocolError> {
    let mut r = Reader { buf: payload, pos: 0 };
    let count = r.var_uint()?;
    let room = (payload.len() - r.pos) / min_entry_bytes;
    if count > room as u64 {
        return Err(ProtocolError::Malformed(format!(
            "{what} declares {count} entries in {} bytes",
            payload.len()
        )));
    }
    Ok(())
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn var_uint(&mut self) -> Result<u64, ProtocolError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = *self
                .buf
                .get(self.pos)
                .ok_or_else(|| ProtocolError::Malformed("message ends inside a number".into()))?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(ProtocolError::Malformed("number too long".into()))
    }

    fn var_buf(&mut self) -> Result<&'a [u8], ProtocolError> {
        let len = self.var_uint()?;
        let remaining = self.buf.len() - self.pos;
        let len = usize::try_from(len).ok().filter(|l| *l <= remaining).ok_or_else(|| {
            ProtocolError::Malformed(format!("message declares {len} bytes but only {remaining} follow"))
        })?;
        let out = &self.buf[self.pos..self.pos + len];
        self.pos += len;
        Ok(out)
    }
}

/// Encodes one message as a frame.
pub fn encode(message: &Message) -> Bytes {
    Bytes::from(message.encode_v1())
}

pub fn sync_step1(sv: StateVector) -> Bytes {
    encode(&Message::Sync(SyncMessage::SyncStep1(sv)))
}

pub fn sync_step2(update: Vec<u8>) -> Bytes {
    encode(&Message::Sync(SyncMessage::SyncStep2(update)))
}

pub fn sync_update(update: Vec<u8>) -> Bytes {
    encode(&Message::Sync(SyncMessage::Update(update)))
}

pub fn awareness(update: AwarenessUpdate) -> Bytes {
    encode(&Message::Awareness(update))
}

/// A presence update about nobody: every Yjs client takes it and changes
/// nothing, so it serves as a keepalive (see
/// [`super::connection::Limits::keepalive`]).
pub fn keepalive() -> Bytes {
    awareness(AwarenessUpdate {
        clients: Default::default(),
    })
}

/// y-protocols' permission-denied message (an auth message), with why.
pub fn permission_denied(reason: &str) -> Bytes {
    encode(&Message::Auth(Some(reason.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{Doc, ReadTxn, Text, Transact};

    fn an_update() -> Vec<u8> {
        let doc = Doc::new();
        let text = doc.get_or_insert_text("aim");
        text.insert(&mut doc.transact_mut(), 0, "hello");
        let update = doc.transact().encode_state_as_update_v1(&StateVector::default());
        update
    }

    #[test]
    fn decodes_several_messages_in_one_frame() {
        let mut frame = sync_step1(StateVector::default()).to_vec();
        frame.extend_from_slice(&sync_update(an_update()));
        frame.extend_from_slice(&encode(&Message::AwarenessQuery));
        let msgs = decode_frame(&frame).unwrap();
        assert!(matches!(
            msgs[..],
            [Inbound::SyncStep1(_), Inbound::Update { .. }, Inbound::AwarenessQuery]
        ));
    }

    #[test]
    fn refuses_truncated_frames_and_trailing_garbage() {
        let frame = sync_update(an_update());
        for cut in 1..frame.len() {
            assert!(decode_frame(&frame[..cut]).is_err(), "truncated at {cut} was accepted");
        }
        let mut garbage = frame.to_vec();
        garbage.push(0x00);
        assert!(decode_frame(&garbage).is_err());
        assert!(decode_frame(&[]).is_err());
    }

    #[test]
    fn refuses_updates_that_do_not_decode_and_unknown_types() {
        let mut frame = vec![0u8, 2, 5];
        frame.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert!(matches!(decode_frame(&frame), Err(ProtocolError::BadUpdate(_))));
        assert_eq!(decode_frame(&[9, 0]).unwrap_err(), ProtocolError::Unsupported(9));
        assert_eq!(decode_frame(&[9, 0]).unwrap_err().close_code(), 1003);
    }

    #[test]
    fn random_bytes_never_panic() {
        // Random tails behind each message type's own prefix, so that the
        // bytes reach every decoder, not only the first check.
        const PREFIXES: [&[u8]; 7] = [&[], &[0, 0], &[0, 1], &[0, 2], &[1], &[2], &[3]];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let (mut decoded, mut refused) = (0, 0);
        for len in 0..2000 {
            let mut frame = PREFIXES[len % PREFIXES.len()].to_vec();
            frame.extend((0..(len % 97) / 8).map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed & 0xff) as u8
            }));
            match decode_frame(&frame) {
                Ok(messages) => {
                    assert!(!messages.is_empty(), "a frame read whole holds a message: {frame:?}");
                    decoded += 1;
                }
                Err(e) => {
                    assert!(!e.to_string().is_empty(), "a refusal says why: {frame:?}");
                    refused += 1;
                }
            }
        }
        // Both ways were taken: the bytes reached past the first check.
        assert!(decoded > 0 && refused > 0, "{decoded} decoded, {refused} refused");
    }
}
