//! `wifi-desk-sandbox`: run the Nexudus-compatible sandbox on loopback.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use wifi_desk_sandbox::{default_addr, demo_users, Config, Limits, Sandbox};

/// A local server speaking the Nexudus AccessTokens contract, for running and testing wifi-desk.
/// Never a replacement for Nexudus in production.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value_t = default_addr())]
    addr: SocketAddr,
    /// SQLite database file, or :memory:.
    #[arg(long, default_value = ":memory:")]
    db: String,
    /// Directory of the built widget to serve at /.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Demo access tokens to create when the database is empty.
    #[arg(long, default_value_t = 0)]
    seed: usize,
    /// Throttling: nexudus (the published limits), off, nexudus/N (windows N times shorter), or
    /// rules such as all=1/100ms,all=120/1m,writes=60/1m.
    #[arg(long, default_value = "nexudus", value_parser = Limits::parse)]
    limits: Limits,
    /// An origin allowed by CORS besides loopback origins (repeatable).
    #[arg(long = "allow-origin")]
    allow_origins: Vec<String>,
    /// Let requests ask for faults with the X-Sandbox-Fault header (500, slow=MS, malformed, html, drop).
    #[arg(long)]
    faults: bool,
    /// Seconds a bearer token stays valid.
    #[arg(long, default_value_t = 604_799)]
    token_ttl: u64,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let config = Config {
        db: args.db,
        dist: args.dist,
        seed: args.seed,
        limits: args.limits,
        allow_origins: args.allow_origins,
        faults: args.faults,
        token_ttl: Duration::from_secs(args.token_ttl),
    };
    let sandbox = match Sandbox::start(config, args.addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wifi-desk-sandbox: {e}");
            std::process::exit(1);
        }
    };
    println!("wifi-desk sandbox (not Nexudus: for development and tests only)");
    println!("  widget and API: {}/", sandbox.url());
    println!("  demo sign-ins:");
    for user in demo_users() {
        println!(
            "    {:<24} {:<10} {}",
            user.email, user.password, user.about
        );
    }
    tokio::select! {
        _ = sandbox.wait() => {}
        _ = tokio::signal::ctrl_c() => println!("wifi-desk-sandbox: stopped"),
    }
}
