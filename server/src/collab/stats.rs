//! Relay latency: time from an update's arrival at the server to its relay
//! to the other clients, durable commit included. Kept as raw samples (the
//! most recent ones) so percentiles are exact; read by the load tool.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

/// Samples kept; older ones are dropped first.
const CAPACITY: usize = 200_000;

#[derive(Default)]
pub struct RelayStats {
    samples: Mutex<VecDeque<Duration>>,
}

/// Percentiles over the kept samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatencySummary {
    pub count: usize,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl RelayStats {
    pub fn record(&self, latencies: impl IntoIterator<Item = Duration>) {
        let mut samples = self.samples.lock().unwrap_or_else(|e| e.into_inner());
        for latency in latencies {
            if samples.len() == CAPACITY {
                samples.pop_front();
            }
            samples.push_back(latency);
        }
    }

    pub fn reset(&self) {
        self.samples.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn summary(&self) -> Option<LatencySummary> {
        let mut sorted: Vec<Duration> = self
            .samples
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .copied()
            .collect();
        summarise(&mut sorted)
    }
}

/// Percentiles of a set of durations (sorted in place).
pub fn summarise(samples: &mut [Duration]) -> Option<LatencySummary> {
    if samples.is_empty() {
        return None;
    }
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Some(LatencySummary {
        count: samples.len(),
        p50: at(0.50),
        p90: at(0.90),
        p99: at(0.99),
        max: at(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_exact() {
        let stats = RelayStats::default();
        stats.record((1..=100).map(Duration::from_millis));
        let s = stats.summary().unwrap();
        assert_eq!(
            (s.count, s.p50, s.p99, s.max),
            (
                100,
                Duration::from_millis(51),
                Duration::from_millis(99),
                Duration::from_millis(100)
            )
        );
        stats.reset();
        assert!(stats.summary().is_none());
    }
}
