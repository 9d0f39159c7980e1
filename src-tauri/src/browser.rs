//! The local endpoint the browser extension talks to (`quire-endpoint`), run by the app while
//! it is open: started in `setup`, its state (the port, or why it could not start) kept for
//! the "Connect a Browser" dialog, and every save announced to the window, which reloads its
//! list. Automated runs (WebDriver) start it only when `QUIRE_ENDPOINT_PORT` names a port, so
//! tests never take the user's port.

use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::events::{AppEvent, Events};

/// What the dialog shows about the endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct EndpointStatus {
    /// The port it listens on (127.0.0.1), when it runs.
    #[ts(type = "number | null")]
    pub port: Option<u16>,
    /// Why it does not run, in words.
    pub problem: Option<String>,
    /// What the user should know while it runs (another program holds the default port).
    pub warning: Option<String>,
}

#[derive(Default)]
pub struct Endpoint(Mutex<Running>);

#[derive(Default)]
struct Running {
    handle: Option<quire_endpoint::EndpointHandle>,
    problem: Option<String>,
}

impl Endpoint {
    /// Starts the endpoint over `library`; a failure (every port taken) is kept for the dialog
    /// and the app goes on without it.
    pub fn start(&self, library: Arc<quire::Library>, events: Events, automated: bool) {
        let port = match std::env::var("QUIRE_ENDPOINT_PORT") {
            Ok(port) => match port.parse::<u16>() {
                Ok(port) => Some(port),
                Err(_) => {
                    self.set(None, Some(format!("QUIRE_ENDPOINT_PORT is not a port number: {port:?}")));
                    return;
                }
            },
            Err(_) if automated => {
                self.set(None, Some("the browser connection is off in automated runs".to_owned()));
                return;
            }
            Err(_) => None,
        };
        let config = quire_endpoint::EndpointConfig { port, ..Default::default() };
        let announced = library.clone();
        let started = quire_endpoint::start(library, config, move |saved| {
            events.send(announce(&announced, saved));
        });
        match started {
            Ok(handle) => self.set(Some(handle), None),
            Err(error) => {
                eprintln!("quire-desktop: the browser connection is off: {error}");
                self.set(None, Some(error.to_string()));
            }
        }
    }

    fn set(&self, handle: Option<quire_endpoint::EndpointHandle>, problem: Option<String>) {
        if let Ok(mut running) = self.0.lock() {
            running.handle = handle;
            running.problem = problem;
        }
    }

    pub fn status(&self) -> EndpointStatus {
        match self.0.lock() {
            Ok(running) => EndpointStatus {
                port: running.handle.as_ref().map(quire_endpoint::EndpointHandle::port),
                problem: running.problem.clone(),
                warning: running.handle.as_ref().and_then(quire_endpoint::EndpointHandle::warning),
            },
            Err(_) => {
                EndpointStatus { port: None, problem: Some("the browser connection failed".to_owned()), warning: None }
            }
        }
    }
}

/// The window's news of a save: the article (with its title) and the highlight, if any.
fn announce(library: &quire::Library, saved: quire_endpoint::Saved) -> AppEvent {
    let (article, highlight, duplicate) = match saved {
        quire_endpoint::Saved::Page { id, duplicate, .. } => (id, None, duplicate),
        quire_endpoint::Saved::Highlight { article_id, highlight_id, page_saved } => {
            (article_id, Some(highlight_id), !page_saved)
        }
    };
    let title = library.article_summary(article).map(|a| a.title).unwrap_or_default();
    AppEvent::FromBrowser { article, title, highlight, duplicate }
}
