//! `quire serve`, `quire token` and `quire pair`: the local endpoint for people who run only
//! the CLI, and the tokens and pairing codes it (and the desktop app) accepts.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use quire::Library;
use quire_endpoint::{EndpointConfig, Saved};
use serde_json::json;

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Make a token for a script or client (printed once: only its hash is kept)
    New {
        /// What it is for
        #[arg(long, default_value = "")]
        name: String,
    },
    /// The tokens, with when each was last used
    List,
    /// Revoke a token: it is refused from now on
    Revoke { id: i64 },
}

/// Runs the endpoint until Ctrl-C; prints where it listens and a pairing code.
pub fn serve(library: Library, port: Option<u16>, json: bool) -> anyhow::Result<()> {
    let library = Arc::new(library);
    let code = library.new_pairing_code()?;
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("cannot handle Ctrl-C")?;
    let config = EndpointConfig { port, ..EndpointConfig::default() };
    let handle = quire_endpoint::start(library, config, move |saved| {
        if !json {
            match saved {
                Saved::Page { id, title, duplicate: false } => eprintln!("saved article {id}: {title}"),
                Saved::Page { id, title, duplicate: true } => {
                    eprintln!("already in the library, article {id}: {title}")
                }
                Saved::Highlight { article_id, highlight_id, .. } => {
                    eprintln!("saved highlight {highlight_id} in article {article_id}")
                }
            }
        }
    })?;
    let port = handle.port();
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", json!({ "port": port, "pairing_code": code }))?;
    } else {
        writeln!(out, "Listening on http://127.0.0.1:{port}")?;
        writeln!(out, "Pairing code: {code} (valid {} minutes, once)", quire::PAIRING_CODE_MINUTES)?;
    }
    out.flush()?;
    drop(out);
    let _ = stop_rx.recv();
    handle.stop();
    Ok(())
}

pub fn token(library: &Library, command: &TokenCommand, json: bool) -> anyhow::Result<()> {
    match command {
        TokenCommand::New { name } => {
            let (info, secret) = library.new_token(name)?;
            if json {
                println!("{}", json!({ "token": info, "secret": secret }));
            } else {
                println!("{secret}");
                eprintln!(
                    "token {} ({}): shown this once; revoke it with `quire token revoke {}`",
                    info.id, info.name, info.id
                );
            }
        }
        TokenCommand::List => {
            let tokens = library.tokens()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&tokens)?);
            } else if tokens.is_empty() {
                println!("no tokens (pair a client with `quire pair`, or make one with `quire token new`)");
            }
            if !json {
                for t in &tokens {
                    let used = t.last_used_at.as_deref().unwrap_or("never used");
                    println!("{:>4}  {}  {:<20}  {}", t.id, t.created_at, used, t.name);
                }
            }
        }
        TokenCommand::Revoke { id } => {
            library.revoke_token(*id)?;
            if json {
                println!("{}", json!({ "revoked": id }));
            } else {
                println!("revoked token {id}");
            }
        }
    }
    Ok(())
}

pub fn pair(library: &Library, json: bool) -> anyhow::Result<()> {
    let code = library.new_pairing_code()?;
    if json {
        println!("{}", json!({ "pairing_code": code, "valid_minutes": quire::PAIRING_CODE_MINUTES }));
    } else {
        println!("Pairing code: {code} (valid {} minutes, once)", quire::PAIRING_CODE_MINUTES);
    }
    Ok(())
}
