//! Buffers of finished column scans kept for the next scans of the same set: a sample of a
//! thousand values costs less when its caches and tables are not allocated and built afresh.

use std::sync::Mutex;

/// At most this many are kept; more are dropped. Scans run about one per thread at a time,
/// so this many are only idle after a burst of concurrent scans.
const MAX_IDLE: usize = 64;

/// A pool of one kind of buffer: taken when a scan starts, given back when it ends (one lock
/// each time, never per value).
pub(super) struct Idle<T>(Mutex<Vec<T>>);

impl<T> Default for Idle<T> {
    fn default() -> Self {
        Idle(Mutex::default())
    }
}

impl<T> Idle<T> {
    /// A finished scan's buffers, if any are idle.
    pub(super) fn take(&self) -> Option<T> {
        self.0.lock().ok()?.pop()
    }

    /// Keeps `buffers` for a later scan, unless enough are kept already.
    pub(super) fn give_back(&self, buffers: T) {
        if let Ok(mut idle) = self.0.lock() {
            if idle.len() < MAX_IDLE {
                idle.push(buffers);
            }
        }
    }
}
