//! Slows password guessing without letting anyone lock a user out. Failed
//! log-ins are counted three ways: per email from one client address (the
//! tightest budget), per client address across every email (so guesses
//! spread over many accounts are slowed), and per email from every address
//! (a larger budget, so that someone else's guesses from elsewhere cannot
//! stop the owner logging in). Past its free failures, each count makes the
//! next attempt wait a delay that doubles with every further failure, up to
//! a ceiling; nothing is ever refused for longer than that ceiling. A count
//! is forgotten after [`Policy::forget_after`] without failures, and a
//! success clears the count of that email from that address.
//!
//! Sans-IO: the counts are read and written by the accounts store, and the
//! caller passes the time.

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::time::Duration;

/// What a count is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One email from one client address.
    Pair,
    /// One client address, whatever the email.
    Address,
    /// One email, from whatever address.
    Email,
}

/// How many failures a count allows before slowing, and how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Failures that cost nothing.
    pub free: u32,
    /// The wait after the first failure past the free ones; each further
    /// failure doubles it...
    pub first_delay: Duration,
    /// ...up to this.
    pub max_delay: Duration,
}

impl Budget {
    /// The wait owed after `failures`, counted from the last of them.
    pub fn delay(&self, failures: u32) -> Duration {
        let Some(past) = failures.checked_sub(self.free) else {
            return Duration::ZERO;
        };
        let doubled = self.first_delay.saturating_mul(1u32 << past.min(31));
        doubled.min(self.max_delay)
    }
}

/// The budgets of the three counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub pair: Budget,
    /// Larger than the pair's budget (an office shares one address), with a
    /// ceiling short enough that an insider's spraying delays colleagues by
    /// minutes at most.
    pub address: Budget,
    /// The largest budget and the shortest ceiling: many addresses guessing
    /// one account delay its owner by a minute at most.
    pub email: Budget,
    /// A count with no failure for this long is forgotten (and its row
    /// pruned).
    pub forget_after: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            pair: Budget {
                free: 5,
                first_delay: Duration::from_secs(2),
                max_delay: Duration::from_secs(15 * 60),
            },
            address: Budget {
                free: 20,
                first_delay: Duration::from_secs(1),
                max_delay: Duration::from_secs(5 * 60),
            },
            email: Budget {
                free: 50,
                first_delay: Duration::from_secs(1),
                max_delay: Duration::from_secs(60),
            },
            forget_after: Duration::from_secs(3600),
        }
    }
}

/// A count as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub failures: u32,
    pub last_failure_at: DateTime<Utc>,
}

impl Policy {
    fn budget(&self, scope: Scope) -> Budget {
        match scope {
            Scope::Pair => self.pair,
            Scope::Address => self.address,
            Scope::Email => self.email,
        }
    }

    /// Counts whose last failure is before this are forgotten.
    pub fn forgotten_before(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - TimeDelta::from_std(self.forget_after).unwrap_or(TimeDelta::MAX)
    }

    /// How long an attempt at `now` must still wait, given the counts found
    /// (`None` when it may go ahead).
    pub fn wait(&self, counts: &[(Scope, Count)], now: DateTime<Utc>) -> Option<Duration> {
        let forgotten = self.forgotten_before(now);
        counts
            .iter()
            .filter(|(_, count)| count.last_failure_at >= forgotten)
            .filter_map(|(scope, count)| {
                let delay = TimeDelta::from_std(self.budget(*scope).delay(count.failures)).ok()?;
                (count.last_failure_at + delay - now).to_std().ok()
            })
            .filter(|wait| !wait.is_zero())
            .max()
    }
}

/// The keys of the three counts of an attempt on `email` from `client`
/// (`None` when the address is unknown: such attempts share one count).
/// Stored as SHA-256 digests, so every key is the same size and the table
/// keeps no email that was typed, which may have been a password.
pub fn keys(email: &str, client: Option<IpAddr>) -> [(Scope, Vec<u8>); 3] {
    let address = client.map_or_else(|| "unknown".to_string(), address_key);
    let digest = |parts: &[&str]| Sha256::digest(parts.join("\n").as_bytes()).to_vec();
    [
        (Scope::Pair, digest(&["pair", email, &address])),
        (Scope::Address, digest(&["address", &address])),
        (Scope::Email, digest(&["email", email])),
    ]
}

/// An address as counted: IPv4 as it is, IPv6 by its /64 (one host often
/// has a whole /64 to pick from).
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    fn count(failures: u32, last: i64) -> Count {
        Count {
            failures,
            last_failure_at: at(last),
        }
    }

    #[test]
    fn delays_double_past_the_free_failures_up_to_the_ceiling() {
        let pair = Policy::default().pair;
        assert_eq!(pair.delay(0), Duration::ZERO);
        assert_eq!(pair.delay(4), Duration::ZERO);
        assert_eq!(pair.delay(5), Duration::from_secs(2));
        assert_eq!(pair.delay(6), Duration::from_secs(4));
        assert_eq!(pair.delay(9), Duration::from_secs(32));
        assert_eq!(pair.delay(20), Duration::from_secs(15 * 60));
        assert_eq!(pair.delay(u32::MAX), Duration::from_secs(15 * 60), "no overflow");
    }

    #[test]
    fn an_attempt_waits_for_the_longest_delay_owed_from_the_last_failure() {
        let policy = Policy::default();
        assert_eq!(policy.wait(&[], at(0)), None);
        let counts = [
            (Scope::Pair, count(6, 0)),     // owes 4 s
            (Scope::Address, count(21, 0)), // owes 2 s
            (Scope::Email, count(10, 0)),   // owes nothing
        ];
        assert_eq!(policy.wait(&counts, at(1)), Some(Duration::from_secs(3)));
        assert_eq!(policy.wait(&counts, at(4)), None, "the delay has passed");
    }

    #[test]
    fn someone_elses_failures_from_elsewhere_do_not_stop_the_owner() {
        let policy = Policy::default();
        // Five wrong guesses from another address: the attacker's pair is
        // slowed, the owner (a fresh pair, another address) is not.
        let attacker = [
            (Scope::Pair, count(5, 0)),
            (Scope::Address, count(5, 0)),
            (Scope::Email, count(5, 0)),
        ];
        assert!(policy.wait(&attacker, at(0)).is_some());
        let owner = [(Scope::Email, count(5, 0))];
        assert_eq!(policy.wait(&owner, at(0)), None);
        // Even a flood on the email delays the owner a minute at most.
        let flooded = [(Scope::Email, count(10_000, 0))];
        assert_eq!(policy.wait(&flooded, at(0)), Some(Duration::from_secs(60)));
    }

    #[test]
    fn a_quiet_count_is_forgotten() {
        let policy = Policy::default();
        let old = [(Scope::Pair, count(1_000, 0))];
        assert!(policy.wait(&old, at(100)).is_some());
        assert_eq!(policy.wait(&old, at(3600)), None);
        assert_eq!(policy.forgotten_before(at(3600)), at(0));
    }

    #[test]
    fn keys_are_digests_apart_per_scope_and_ipv6_is_counted_by_its_64() {
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        let [pair, address, email] = keys("a@x.org", Some(v4));
        assert_eq!(
            (pair.0, address.0, email.0),
            (Scope::Pair, Scope::Address, Scope::Email)
        );
        assert!(pair.1.len() == 32 && pair.1 != address.1 && address.1 != email.1);
        assert_eq!(keys("b@x.org", Some(v4))[1], address, "one address over every email");
        assert_eq!(keys("a@x.org", None)[2], email, "one email over every address");
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7");
    }
}
