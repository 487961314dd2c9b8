use clap::Parser;
use server::cli::CommandLine;
use server::Application;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let CommandLine { config, command } = CommandLine::parse();
    if let Some(command) = command {
        println!("{}", server::cli::run(&config, command, None).await?);
        return Ok(());
    }
    Application::build(config).await?.run_until_stopped().await?;
    Ok(())
}
