//! CPU-bound work off the async runtime.

/// Runs CPU-bound work on the rayon pool, keeping tokio's threads free for I/O.
/// `None` when the work panicked.
pub(crate) async fn on_rayon<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        // rayon aborts the process on an uncaught panic; one bad asset must not do that.
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).ok());
    });
    rx.await.ok().flatten()
}
