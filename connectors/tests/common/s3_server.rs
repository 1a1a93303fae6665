//! A real S3 server for tests: `s3s-fs` serves a local folder over the S3 protocol on
//! 127.0.0.1, with fixed credentials and signature checking on, so the code under test goes
//! through object_store's real S3 client, request signing, ranged GETs and paginated LISTs.
//!
//! Each top-level folder of the root is a bucket; tests write files there directly. Every HTTP
//! request is recorded (method, path, query, `Range`), so tests can count what a scan costs.
//!
//! Self-contained (no `super::`), so `scanner/tests/s3.rs` includes it by path.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;

/// The access key id the server accepts.
pub const ACCESS_KEY: &str = "MULUTESTACCESSKEY";
/// The secret the server accepts (test-only, never a real credential).
pub const SECRET_KEY: &str = "mulu-test-secret-key-0123456789abcdef";

/// One HTTP request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// URL path, `/bucket/key`.
    pub path: String,
    pub query: String,
    /// The `Range` header, if any.
    pub range: Option<String>,
}

impl Recorded {
    pub fn is_list(&self) -> bool {
        self.method == "GET" && self.query.contains("list-type=2")
    }

    pub fn is_object_get(&self) -> bool {
        self.method == "GET" && !self.is_list()
    }
}

/// A running server; stops when dropped.
pub struct S3Server {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    pub addr: SocketAddr,
    /// Buckets are the folders below it.
    pub root: PathBuf,
    log: Arc<Mutex<Vec<Recorded>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl S3Server {
    /// Serves `root` on an ephemeral port of 127.0.0.1, from a thread with its own runtime, so
    /// it works the same under `#[tokio::test]` and from a plain test that runs a binary.
    pub fn start(root: &Path) -> Self {
        std::fs::create_dir_all(root).unwrap();
        let root = root.canonicalize().unwrap();
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server_log = log.clone();
        let server_root = root.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let fs = s3s_fs::FileSystem::new(&server_root).unwrap();
                let mut builder = S3ServiceBuilder::new(fs);
                builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
                let service = builder.build();
                let http = ConnBuilder::new(TokioExecutor::new());
                loop {
                    let socket = tokio::select! {
                        accepted = listener.accept() => match accepted {
                            Ok((socket, _)) => socket,
                            Err(_) => continue,
                        },
                        _ = &mut stop_rx => break,
                    };
                    let service = service.clone();
                    let log = server_log.clone();
                    let recording = hyper::service::service_fn(
                        move |req: hyper::Request<hyper::body::Incoming>| {
                            log.lock().unwrap().push(Recorded {
                                method: req.method().to_string(),
                                path: req.uri().path().to_string(),
                                query: req.uri().query().unwrap_or_default().to_string(),
                                range: req
                                    .headers()
                                    .get("range")
                                    .and_then(|v| v.to_str().ok())
                                    .map(str::to_string),
                            });
                            let service = service.clone();
                            async move { hyper::service::Service::call(&service, req).await }
                        },
                    );
                    let conn = http
                        .serve_connection(TokioIo::new(socket), recording)
                        .into_owned();
                    tokio::spawn(async move {
                        let _ = conn.await;
                    });
                }
            });
        });
        let addr = addr_rx.recv().unwrap();
        Self {
            endpoint: format!("http://{addr}"),
            addr,
            root,
            log,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// The folder of `bucket`, created if needed.
    pub fn bucket(&self, bucket: &str) -> PathBuf {
        let dir = self.root.join(bucket);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The requests recorded so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    /// Forgets the requests recorded so far.
    pub fn reset(&self) {
        self.log.lock().unwrap().clear();
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
