//! Fetching many pages at once, politely: a few workers in all, and never more than a couple
//! of requests at a time to one host. Each worker has its own network client; results come
//! back on a channel in the order they finish. Nothing here touches the library.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::add::gather::{self, Gathered, Network};
use crate::{AddOptions, AddSource, Result};

/// How many pages are fetched at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Politeness {
    /// Requests in flight in all.
    pub workers: usize,
    /// Requests in flight to one host.
    pub per_host: usize,
}

impl Default for Politeness {
    fn default() -> Self {
        Politeness { workers: 6, per_host: 2 }
    }
}

struct Queue {
    jobs: VecDeque<(usize, String)>,
    busy: HashMap<String, usize>,
}

/// The pages being fetched; `results` hears `(job index, page)` for each.
pub(crate) struct Pool {
    pub(crate) results: Receiver<(usize, Result<Gathered>)>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    /// Starts fetching `jobs` (`(index, url)`); `cancel` stops the workers before their next page.
    pub(crate) fn start(
        jobs: Vec<(usize, String)>,
        options: &AddOptions,
        how: Politeness,
        cancel: Arc<AtomicBool>,
    ) -> Pool {
        let (send, results) = mpsc::channel();
        let n = how.workers.max(1).min(jobs.len());
        let queue = Arc::new((Mutex::new(Queue { jobs: jobs.into(), busy: HashMap::new() }), Condvar::new()));
        // A worker the system cannot start is one fewer; with none, the queue is left and
        // every page comes back as not fetched when `results` closes.
        let workers = (0..n)
            .filter_map(|i| {
                let (queue, send, cancel, options) = (queue.clone(), send.clone(), cancel.clone(), options.clone());
                let per_host = how.per_host.max(1);
                std::thread::Builder::new()
                    .name(format!("quire-fetch-{i}"))
                    .spawn(move || {
                        let mut network = Network::new(&options.fetch);
                        while let Some((index, url, host)) = next(&queue, per_host, &cancel) {
                            let page = gather::read(&AddSource::Url(url), &options, &mut network)
                                .map(|page| gather::complete(page, &options, &mut network));
                            done(&queue, &host);
                            if send.send((index, page)).is_err() {
                                break;
                            }
                        }
                    })
                    .ok()
            })
            .collect();
        Pool { results, workers }
    }

    /// Waits for the workers to stop.
    pub(crate) fn join(self) {
        drop(self.results);
        for worker in self.workers {
            let _ = worker.join();
        }
    }
}

/// The next page whose host has room, waiting while every waiting page's host is busy.
fn next(queue: &(Mutex<Queue>, Condvar), per_host: usize, cancel: &AtomicBool) -> Option<(usize, String, String)> {
    let (lock, wake) = queue;
    let mut q = lock.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if cancel.load(Ordering::SeqCst) || q.jobs.is_empty() {
            return None;
        }
        let free = q.jobs.iter().position(|(_, url)| q.busy.get(&host_of(url)).copied().unwrap_or(0) < per_host);
        if let Some((index, url)) = free.and_then(|at| q.jobs.remove(at)) {
            let host = host_of(&url);
            *q.busy.entry(host.clone()).or_default() += 1;
            return Some((index, url, host));
        }
        q = wake.wait(q).unwrap_or_else(PoisonError::into_inner);
    }
}

fn done(queue: &(Mutex<Queue>, Condvar), host: &str) {
    let (lock, wake) = queue;
    let mut q = lock.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(n) = q.busy.get_mut(host) {
        *n = n.saturating_sub(1);
    }
    wake.notify_all();
}

fn host_of(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)).unwrap_or_default()
}
