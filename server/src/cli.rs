//! Command-line subcommands of the server binary.

use crate::accounts::{Accounts, NewUser};
use crate::config::Config;
use anyhow::Context;
use clap::{Parser, Subcommand};

/// The server binary's command line: the settings, and optionally a one-off
/// command to run instead of serving.
#[derive(Debug, Parser)]
#[command(name = "pillars", about = "Pillars: live, shared 4P SOC management plans")]
pub struct CommandLine {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Creates an administrator (and their agency, if new). The password is
    /// read from PILLARS_ADMIN_PASSWORD, or else from the first line of
    /// standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The agency's name, e.g. "Northshire Police".
        #[arg(long)]
        agency: String,
        /// What kind of agency a new one is.
        #[arg(long, default_value = "Police force")]
        agency_kind: String,
    },
}

/// Runs a subcommand against the configured database.
pub async fn run(config: &Config, command: Command, password: Option<String>) -> anyhow::Result<String> {
    let store = crate::startup::open_store(config).await?;
    let accounts = Accounts::new(store, config.session_policy());
    match command {
        Command::CreateAdmin {
            email,
            name,
            agency,
            agency_kind,
        } => {
            let password = match password {
                Some(p) => p,
                None => read_password()?,
            };
            let agency = match accounts.agency_named(&agency).await? {
                Some(existing) => existing,
                None => accounts.create_agency(&agency, &agency_kind).await?,
            };
            let user = accounts
                .create_user(NewUser {
                    email,
                    name,
                    agency_id: agency.id,
                    password,
                    is_admin: true,
                    strategic_lead: false,
                    // Administrators grant it, themselves included.
                    may_lead_plans: true,
                    auditor: false,
                })
                .await?;
            Ok(format!(
                "created administrator {} ({}, {})",
                user.name, user.email, user.agency
            ))
        }
    }
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("PILLARS_ADMIN_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
