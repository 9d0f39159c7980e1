//! `quire serve`, `quire token` and `quire pair`: the local endpoint for people who run only
//! the CLI, and the tokens and pairing codes it (and the desktop app) accepts.

use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use quire::Library;
use quire_endpoint::{EndpointConfig, Saved};
use serde_json::json;

use crate::output::{err, out};

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
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("cannot handle Ctrl-C")?;
    let config = EndpointConfig { port, ..EndpointConfig::default() };
    let handle = quire_endpoint::start(library, config, move |saved| {
        if !json {
            match saved {
                Saved::Page { id, title, duplicate: false } => err!("saved article {id}: {title}"),
                Saved::Page { id, title, duplicate: true } => {
                    err!("already in the library, article {id}: {title}")
                }
                Saved::Highlight { article_id, highlight_id, .. } => {
                    err!("saved highlight {highlight_id} in article {article_id}")
                }
            }
        }
    })?;
    let port = handle.port();
    // A code for this server's port: the extension goes straight there.
    let code = handle.pairing_code()?;
    if let Some(warning) = handle.warning() {
        err!("warning: {warning}");
    }
    if json {
        let line = json!({
            "port": port,
            "pairing_code": code,
            "default_port_taken": handle.default_port_taken(),
        });
        out!("{line}");
    } else {
        out!("Listening on http://127.0.0.1:{port}");
        out!("Pairing code: {code} (valid {} minutes, once){}", quire::PAIRING_CODE_MINUTES, port_note(&code, port));
    }
    let _ = stop_rx.recv();
    handle.stop();
    Ok(())
}

pub fn token(library: &Library, command: &TokenCommand, json: bool) -> anyhow::Result<()> {
    match command {
        TokenCommand::New { name } => {
            let (info, secret) = library.new_token(name)?;
            if json {
                out!("{}", json!({ "token": info, "secret": secret }));
            } else {
                out!("{secret}");
                err!(
                    "token {} ({}): shown this once; revoke it with `quire token revoke {}`",
                    info.id,
                    info.name,
                    info.id
                );
            }
        }
        TokenCommand::List => {
            let tokens = library.tokens()?;
            if json {
                out!("{}", serde_json::to_string_pretty(&tokens)?);
            } else if tokens.is_empty() {
                out!("no tokens (pair a client with `quire pair`, or make one with `quire token new`)");
            }
            if !json {
                for t in &tokens {
                    let used = t.last_used_at.as_deref().unwrap_or("never used");
                    out!("{:>4}  {}  {:<20}  {}", t.id, t.created_at, used, t.name);
                }
            }
        }
        TokenCommand::Revoke { id } => {
            library.revoke_token(*id)?;
            if json {
                out!("{}", json!({ "revoked": id }));
            } else {
                out!("revoked token {id}");
            }
        }
    }
    Ok(())
}

/// Pairing codes are for the endpoint running over the library (the one started last), whose
/// port they tell the extension.
pub fn pair(library: &Library, json: bool) -> anyhow::Result<()> {
    let running = library.endpoint_port()?;
    let port = running.unwrap_or(quire::ENDPOINT_PORT);
    let code = library.new_pairing_code_for(port)?;
    if json {
        let line = json!({ "pairing_code": code, "port": port, "valid_minutes": quire::PAIRING_CODE_MINUTES });
        out!("{line}");
    } else {
        out!("Pairing code: {code} (valid {} minutes, once){}", quire::PAIRING_CODE_MINUTES, port_note(&code, port));
        if running.is_none() {
            err!(
                "no Quire endpoint is running over this library: start the app or `quire serve` (which prints a code of its own) before pairing"
            );
        }
    }
    Ok(())
}

/// What to type besides the code: nothing when the code tells the port by itself.
fn port_note(code: &str, port: u16) -> String {
    match quire::pairing_code_port(code) {
        Some(quire::CodePort::Default(_)) => String::new(),
        _ => format!("; Quire is on port {port}: type it in the extension's options too"),
    }
}
