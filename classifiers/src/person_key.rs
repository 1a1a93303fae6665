//! The buffer a person key is written into.

use std::fmt;

/// Longest person key accepted: an e-mail address may not exceed 254 octets
/// (RFC 5321).
pub const MAX_PERSON_KEY_LEN: usize = 254;

/// A person key under construction, on the stack: person counting
/// normalises every sampled identifier, and a heap string per value would
/// cost more than the check itself. Zeroed on drop, so the identifier is
/// not left behind, and its `Debug` shows only the length.
pub struct PersonKeyBuf {
    bytes: [u8; MAX_PERSON_KEY_LEN],
    len: usize,
}

impl PersonKeyBuf {
    /// An empty buffer.
    pub fn new() -> Self {
        PersonKeyBuf {
            bytes: [0; MAX_PERSON_KEY_LEN],
            len: 0,
        }
    }

    /// Empties the buffer, zeroing what it held.
    pub fn clear(&mut self) {
        self.bytes[..self.len].fill(0);
        self.len = 0;
    }

    /// Appends one byte; `false` when the key would be too long.
    pub fn push(&mut self, b: u8) -> bool {
        let Some(slot) = self.bytes.get_mut(self.len) else {
            return false;
        };
        *slot = b;
        self.len += 1;
        true
    }

    /// Appends bytes; `false` when the key would be too long.
    pub fn extend(&mut self, s: &[u8]) -> bool {
        s.iter().all(|&b| self.push(b))
    }

    /// The key written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl Default for PersonKeyBuf {
    fn default() -> Self {
        PersonKeyBuf::new()
    }
}

impl Drop for PersonKeyBuf {
    fn drop(&mut self) {
        // Best effort: black_box keeps the compiler from dropping the dead store.
        self.bytes[..self.len].fill(0);
        std::hint::black_box(&self.bytes);
    }
}

impl fmt::Debug for PersonKeyBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonKeyBuf")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}
