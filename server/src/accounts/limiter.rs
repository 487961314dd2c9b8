//! Slows password guessing: after too many failed log-ins for one email
//! within a window, further attempts are refused until the window passes.
//! Sans-IO: the caller passes the time.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Failed attempts allowed per email within [`WINDOW`].
pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Emails tracked at most; the oldest are forgotten first.
const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: HashMap<String, Vec<Instant>>,
}

impl LoginLimiter {
    /// `Err(wait)` if `email` may not try again for `wait`.
    pub fn check(&mut self, email: &str, now: Instant) -> Result<(), Duration> {
        let Some(times) = self.failures.get_mut(email) else {
            return Ok(());
        };
        times.retain(|t| now.duration_since(*t) < WINDOW);
        if times.len() < MAX_FAILURES {
            return Ok(());
        }
        let oldest = times.iter().min().copied().unwrap_or(now);
        Err(WINDOW.saturating_sub(now.duration_since(oldest)))
    }

    pub fn failed(&mut self, email: &str, now: Instant) {
        if self.failures.len() >= MAX_TRACKED && !self.failures.contains_key(email) {
            self.failures
                .retain(|_, times| times.iter().any(|t| now.duration_since(*t) < WINDOW));
            if self.failures.len() >= MAX_TRACKED {
                return; // under a flood, keep what we have
            }
        }
        self.failures.entry(email.to_string()).or_default().push(now);
    }

    pub fn succeeded(&mut self, email: &str) {
        self.failures.remove(email);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_failures_lock_the_email_for_the_rest_of_the_window() {
        let mut limiter = LoginLimiter::default();
        let start = Instant::now();
        for i in 0..MAX_FAILURES {
            assert_eq!(limiter.check("a@x.org", start), Ok(()), "attempt {i}");
            limiter.failed("a@x.org", start);
        }
        let wait = limiter.check("a@x.org", start + Duration::from_secs(60)).unwrap_err();
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert_eq!(limiter.check("b@x.org", start), Ok(()), "other emails are not affected");
        assert_eq!(limiter.check("a@x.org", start + WINDOW), Ok(()), "the window passes");
    }

    #[test]
    fn a_success_clears_the_failures() {
        let mut limiter = LoginLimiter::default();
        let now = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            limiter.failed("a@x.org", now);
        }
        limiter.succeeded("a@x.org");
        limiter.failed("a@x.org", now);
        assert_eq!(limiter.check("a@x.org", now), Ok(()));
    }
}
