//! When a room does its periodic work.

use std::time::Duration;
use uuid::Uuid;

/// Where within `period` a plan's periodic work falls: the same each time
/// for one plan, and spread evenly over plans, whose ids are random.
pub(super) fn offset_within(period: Duration, plan: Uuid) -> Duration {
    let (high, _) = plan.as_u64_pair();
    // period × high / 2^64, in integers: always short of the period.
    let nanos = period.as_nanos().saturating_mul(u128::from(high)) >> 64;
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERIOD: Duration = Duration::from_secs(30);

    #[test]
    fn one_plan_always_gets_the_same_offset_within_the_period() {
        let plan = Uuid::new_v4();
        let offset = offset_within(PERIOD, plan);
        assert!(offset < PERIOD);
        assert_eq!(offset, offset_within(PERIOD, plan));
        assert!(offset_within(PERIOD, Uuid::max()) < PERIOD);
        assert_eq!(offset_within(PERIOD, Uuid::nil()), Duration::ZERO);
    }

    #[test]
    fn a_thousand_plans_are_spread_over_the_whole_period() {
        // Ten slices of 3 s: with 1,000 random plans each slice expects
        // 100; fewer than 50 happens with odds far below one in a million.
        let mut slices = [0usize; 10];
        for _ in 0..1000 {
            let offset = offset_within(PERIOD, Uuid::new_v4());
            slices[(offset.as_secs_f64() / 3.0) as usize] += 1;
        }
        assert!(slices.iter().all(|&n| n >= 50), "{slices:?}");
    }
}
