//! One Pillars server node in a process of its own, for the fault tests
//! (a node killed with SIGKILL mid-burst). Takes the server's settings
//! from the environment and prints `listening on ADDR` once bound.

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
    println!("listening on {}", app.local_addr());
    std::io::stdout().flush()?;
    app.run_until_stopped().await?;
    Ok(())
}
