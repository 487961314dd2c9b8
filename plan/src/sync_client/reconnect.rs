//! Keeping a client connected: reconnect delays, taking a silent server
//! for gone, and what to do once the server closes the connection.

/// Reconnect delays: doubling from `base_ms` up to `max_ms`, reset once a
/// connection reaches sync.
#[derive(Debug, Clone)]
pub struct Backoff {
    base_ms: u32,
    max_ms: u32,
    attempt: u32,
}

impl Backoff {
    pub fn new(base_ms: u32, max_ms: u32) -> Self {
        Backoff {
            base_ms: base_ms.max(1),
            max_ms: max_ms.max(base_ms),
            attempt: 0,
        }
    }

    /// The delay before the next attempt, in milliseconds.
    pub fn next_delay_ms(&mut self) -> u32 {
        let delay = self
            .base_ms
            .saturating_mul(1u32 << self.attempt.min(16))
            .min(self.max_ms);
        self.attempt = self.attempt.saturating_add(1);
        delay
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// How long a client hears nothing before it takes the server for gone and
/// reconnects. The server sends something at least every 15 s (a keepalive
/// when there is nothing else), so this is two missed keepalives and more:
/// a hung node, or a network that dropped without closing the connection.
pub const SERVER_SILENCE_MS: u64 = 35_000;

/// When the server was last heard from (or the connection last opened).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Silence {
    last_heard_ms: u64,
}

impl Silence {
    pub fn new(now_ms: u64) -> Self {
        Silence { last_heard_ms: now_ms }
    }

    /// Something arrived, or a connection attempt began.
    pub fn heard(&mut self, now_ms: u64) {
        self.last_heard_ms = self.last_heard_ms.max(now_ms);
    }

    /// Whether the server has been silent for [`SERVER_SILENCE_MS`].
    pub fn server_gone(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.last_heard_ms) >= SERVER_SILENCE_MS
    }
}

/// What a client does once the server has closed its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterClose {
    /// Try again with backoff (restarts, network trouble, too far behind).
    Reconnect,
    /// The session ended (4401: logged out, idle or too old): log in again.
    LogIn,
    /// No longer allowed here (4403: removed from the plan or disabled).
    Leave,
    /// The plan was rewritten on the server (4409: a passage redacted):
    /// this copy must be dropped, never re-sent; load the page afresh.
    Reload,
}

impl AfterClose {
    pub fn for_code(code: u16) -> AfterClose {
        match code {
            4401 => AfterClose::LogIn,
            4403 => AfterClose::Leave,
            4409 => AfterClose::Reload,
            _ => AfterClose::Reconnect,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_is_gone_after_35_s_of_silence_and_not_before() {
        let mut silence = Silence::new(1_000);
        assert!(!silence.server_gone(1_000 + SERVER_SILENCE_MS - 1));
        assert!(silence.server_gone(1_000 + SERVER_SILENCE_MS));
        // A keepalive every 15 s keeps it alive however long it runs.
        for t in (16_000..200_000).step_by(15_000) {
            assert!(!silence.server_gone(t));
            silence.heard(t);
        }
        // A clock read out of order never moves it back.
        silence.heard(10);
        assert!(!silence.server_gone(200_000));
    }

    #[test]
    fn backoff_doubles_to_a_ceiling_and_resets() {
        let mut b = Backoff::new(250, 10_000);
        let delays: Vec<u32> = (0..8).map(|_| b.next_delay_ms()).collect();
        assert_eq!(delays, vec![250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
        b.reset();
        assert_eq!(b.next_delay_ms(), 250);
    }

    #[test]
    fn an_ended_session_logs_in_again_and_a_removed_member_leaves() {
        assert_eq!(AfterClose::for_code(4401), AfterClose::LogIn);
        assert_eq!(AfterClose::for_code(4403), AfterClose::Leave);
        assert_eq!(AfterClose::for_code(4409), AfterClose::Reload);
        for code in [1001, 1006, 1011, 1013] {
            assert_eq!(AfterClose::for_code(code), AfterClose::Reconnect);
        }
    }
}
