//! A quick run of the frame and update fuzzer (see
//! `support/fuzz_frames.rs`; `cargo bench -p server --bench fuzz_frames`
//! runs it at volume). `PILLARS_FUZZ_EXECS` sets the number of executions
//! (default 2,000), `PILLARS_FUZZ_SEED` the seed.

#[path = "support/fuzz_frames.rs"]
mod fuzz;

#[test]
fn no_frame_or_update_panics_or_leaves_the_plan_pending() {
    let stats = fuzz::run(fuzz::Config::from_env(2_000));
    println!("{}", stats.summary());
    assert_eq!(stats.panics, 0);
    // With PILLARS_FUZZ_KEEP_GOING=1 findings are counted rather than
    // stopping the run; they fail it all the same.
    assert_eq!(stats.findings, 0, "{}", stats.summary());
    assert!(stats.room_applied > 0 && stats.room_denied > 0 && stats.room_malformed > 0);
    assert!(stats.gate_applied > 0 && stats.gate_denied > 0 && stats.gate_malformed > 0);
}
