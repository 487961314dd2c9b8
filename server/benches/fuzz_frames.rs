//! The frame and update fuzzer at volume: `cargo bench -p server --bench
//! fuzz_frames` runs `PILLARS_FUZZ_EXECS` executions (default 200,000;
//! `PILLARS_FUZZ_SEED`, `PILLARS_FUZZ_SECONDS` bound it too) and prints
//! what came of them. It stops with the input in hex at the first panic.

#[path = "../tests/support/fuzz_frames.rs"]
mod fuzz;

fn main() {
    let config = fuzz::Config::from_env(200_000);
    println!(
        "fuzzing frames and updates: {} executions, seed {:#x}",
        config.execs, config.seed
    );
    let stats = fuzz::run(config);
    println!("{}", stats.summary());
}
