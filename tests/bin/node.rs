//! One Pillars server node in a process of its own, for the fault tests
//! (a node killed with SIGKILL mid-burst) and the load tool (nodes whose
//! memory is measured apart from the load). Takes the server's settings
//! from the environment, prints `listening on ADDR` once bound and, when
//! stopped by SIGTERM, its arrival-to-relay latency as `relay: ...`.

use clap::Parser;
use server::{Application, Config};
use std::io::Write;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")))
        .with_writer(std::io::stderr)
        .init();
    let app = Application::build(Config::parse()).await?;
    let rooms = app.state().rooms.clone();
    println!("listening on {}", app.local_addr());
    std::io::stdout().flush()?;
    app.run_until_stopped().await?;
    if let Some(s) = rooms.relay_stats().summary() {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        println!(
            "relay: n={} p50={:.2} ms p90={:.2} ms p99={:.2} ms max={:.2} ms",
            s.count,
            ms(s.p50),
            ms(s.p90),
            ms(s.p99),
            ms(s.max)
        );
    }
    Ok(())
}
