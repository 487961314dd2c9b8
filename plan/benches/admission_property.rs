//! The admission property at volume: `cargo bench -p plan --bench
//! admission_property` runs 10,000 cases (`PILLARS_PROPERTY_CASES`,
//! `PILLARS_PROPERTY_SEED` and `PILLARS_PROPERTY_STEPS` as for the test)
//! and prints what came of the updates and the time taken.

#[path = "../tests/support/admission_property/mod.rs"]
mod property;

fn main() {
    let config = property::Config::from_env(10_000, 20);
    println!(
        "admission property: {} cases of {} steps, seed {:#x}",
        config.cases, config.steps, config.seed
    );
    let started = std::time::Instant::now();
    let tally = property::run(config);
    let elapsed = started.elapsed();
    print!("{}", tally.summary());
    println!(
        "in {:.2?} ({:.1} µs per update sent)",
        elapsed,
        elapsed.as_secs_f64() * 1e6 / tally.sent.max(1) as f64
    );
}
