//! `raleur serve`: the exercise server. It hosts team exercises (module `exercise`), owns
//! their clocks, orders the seats' actions and sends them to every client over WebSockets
//! (docs/protocol.md). An HTTP API creates and steers exercises. What it hosts survives a
//! restart: each exercise's inputs are on disk and replayed on start.

mod api;
mod clock;
mod console;
mod records;
mod review;
mod socket;

use crate::exercise::authority::Input;
use crate::exercise::files;
use crate::exercise::hosted::{HostError, Hosted};
use crate::exercise::wire::ServerMessage;
use crate::tone::ToneAnalyser;
use records::SeatRecords;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::broadcast;

/// Messages a client may fall behind by before it is sent a fresh welcome instead.
const BACKLOG: usize = 4_096;

#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub listen: SocketAddr,
    /// Where exercises and the host token are kept.
    pub data: PathBuf,
    /// The scenario library exercises are created from.
    pub scenarios: PathBuf,
    /// The academy's records each person's seat is written into, if any.
    pub records: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {message}")]
    Listen { addr: SocketAddr, message: String },
    #[error("{0}")]
    Data(String),
    #[error("cannot start the server's runtime: {0}")]
    Runtime(String),
}

/// The server's state: its exercises and what creating one needs.
pub struct Hub {
    pub options: ServeOptions,
    pub host_token: String,
    pub analyser: Arc<ToneAnalyser>,
    exercises: Mutex<BTreeMap<String, Arc<Live>>>,
}

/// One hosted exercise and the channel its messages go out on.
pub struct Live {
    state: Mutex<LiveState>,
    tx: broadcast::Sender<Arc<str>>,
}

pub struct LiveState {
    pub hosted: Hosted,
    pub records: SeatRecords,
    /// Open connections per seat, for the facilitator's view.
    pub connected: Vec<u32>,
    /// How many events the last hash sent covered (none is sent twice for the same).
    pub hashed_records: Option<u64>,
}

impl Live {
    fn new(hosted: Hosted, records: SeatRecords) -> Arc<Live> {
        let seats = hosted.saved.spec.seats.len();
        Arc::new(Live {
            state: Mutex::new(LiveState {
                hosted,
                records,
                connected: vec![0; seats],
                hashed_records: None,
            }),
            tx: broadcast::channel(BACKLOG).0,
        })
    }

    /// The exercise, locked: short work only (no waiting while it is held).
    pub fn lock(&self) -> MutexGuard<'_, LiveState> {
        // A panic while holding it cannot leave the exercise half-changed (inputs apply
        // whole or not at all), so a poisoned lock is taken as it is.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Applies an input, writes it down, then sends what it gave to every client, all under
    /// the lock so that every client gets the messages in the order they were made.
    pub fn input(
        &self,
        state: &mut LiveState,
        input: &Input,
    ) -> Result<Option<ServerMessage>, HostError> {
        let outcome = state.hosted.input(input)?;
        for message in &outcome.broadcast {
            self.send(message);
        }
        if outcome.changed {
            state.records.follow(&state.hosted.exercise);
        }
        Ok(outcome.to_sender)
    }

    pub fn send(&self, message: &ServerMessage) {
        // Nobody listening is not an error.
        let _ = self.tx.send(Arc::from(message.to_json()));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        self.tx.subscribe()
    }
}

impl Hub {
    /// Reads the host token (made on first start) and every exercise kept under `data`.
    pub fn open(options: ServeOptions) -> Result<Arc<Hub>, ServeError> {
        let data = |e: String| ServeError::Data(e);
        std::fs::create_dir_all(&options.data)
            .map_err(|e| data(format!("{}: {e}", options.data.display())))?;
        let host_token = host_token(&options.data)?;
        let analyser = Arc::new(ToneAnalyser::bundled());
        let hub = Arc::new(Hub {
            options,
            host_token,
            analyser,
            exercises: Mutex::new(BTreeMap::new()),
        });
        for loaded in files::load_all(&hub.exercises_dir()) {
            let restored = loaded
                .map_err(HostError::from)
                .and_then(|loaded| Hosted::restore(loaded, hub.analyser.clone()));
            match restored {
                Ok(hosted) => {
                    let records = SeatRecords::resume(&hub.options, &hosted);
                    eprintln!(
                        "raleur serve: resumed exercise {} ({:?} at {} s, {} actions)",
                        hosted.saved.id,
                        hosted.exercise.status(),
                        hosted.exercise.now_ms() / 1_000,
                        hosted.exercise.actions().len()
                    );
                    hub.insert(hosted, records);
                }
                Err(error) => eprintln!("raleur serve: an exercise cannot be resumed: {error}"),
            }
        }
        Ok(hub)
    }

    fn exercises_dir(&self) -> PathBuf {
        self.options.data.join("exercises")
    }

    fn insert(&self, hosted: Hosted, records: SeatRecords) -> Arc<Live> {
        let id = hosted.saved.id.clone();
        let live = Live::new(hosted, records);
        self.lock_exercises().insert(id, live.clone());
        live
    }

    fn lock_exercises(&self) -> MutexGuard<'_, BTreeMap<String, Arc<Live>>> {
        self.exercises.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn exercise(&self, id: &str) -> Option<Arc<Live>> {
        self.lock_exercises().get(id).cloned()
    }

    pub fn all(&self) -> Vec<Arc<Live>> {
        self.lock_exercises().values().cloned().collect()
    }
}

/// The token that creates exercises: read from `data/host-token`, made there on first start.
fn host_token(data: &std::path::Path) -> Result<String, ServeError> {
    let path = data.join("host-token");
    if let Ok(token) = std::fs::read_to_string(&path) {
        let token = token.trim().to_string();
        if token.len() >= 20 {
            return Ok(token);
        }
    }
    let token = crate::exercise::codes::fresh().map_err(|e| ServeError::Data(e.to_string()))?;
    files::write_private(&path, token.as_bytes()).map_err(|e| ServeError::Data(e.to_string()))?;
    Ok(token)
}

/// A running server: where it listens, and how to stop it.
pub struct Server {
    pub addr: SocketAddr,
    pub hub: Arc<Hub>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts a server on its own threads (tests, benchmarks, `raleur serve`).
    pub fn start(options: ServeOptions) -> Result<Server, ServeError> {
        let hub = Hub::open(options)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .worker_threads(2)
            .thread_name("raleur-serve")
            .build()
            .map_err(|e| ServeError::Runtime(e.to_string()))?;
        let addr = hub.options.listen;
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(addr))
            .map_err(|e| ServeError::Listen {
                addr,
                message: e.to_string(),
            })?;
        let addr = listener.local_addr().map_err(|e| ServeError::Listen {
            addr,
            message: e.to_string(),
        })?;
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = api::router(hub.clone());
        let ticking = hub.clone();
        let thread = std::thread::Builder::new()
            .name("raleur-serve".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let clock = tokio::spawn(clock::run(ticking));
                    let app = app.into_make_service_with_connect_info::<SocketAddr>();
                    // Small messages leave at once: Nagle's algorithm would hold one back
                    // until the previous is acknowledged (up to 40 ms of delayed ACK).
                    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
                        let _ = tcp.set_nodelay(true);
                    });
                    tokio::select! {
                        served = axum::serve(listener, app) => {
                            if let Err(error) = served {
                                eprintln!("raleur serve: {error}");
                            }
                        }
                        // Stopping drops every connection at once; what they sent is written.
                        _ = stopped => {}
                    }
                    clock.abort();
                });
                runtime.shutdown_background();
            })
            .map_err(|e| ServeError::Runtime(e.to_string()))?;
        Ok(Server {
            addr,
            hub,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// Runs until the thread ends (Ctrl+C ends the process).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Stops accepting, closes the records of what runs, and waits for the threads.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        for live in self.hub.all() {
            let mut state = live.lock();
            let LiveState {
                hosted, records, ..
            } = &mut *state;
            records.flush(&hosted.exercise);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.halt();
    }
}
