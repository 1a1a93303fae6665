//! A vector grown in fixed chunks, so growing never copies what is stored.

/// Elements per chunk of the per-key arrays.
pub(super) const CHUNK: usize = 1 << 16;

/// A growable array stored in fixed chunks of [`CHUNK`] elements: no
/// doubling slack beyond one chunk and no reallocation spike (copying a
/// gigabyte-sized `Vec` briefly needs three times its size).
pub(super) struct Chunked<T> {
    pub(super) chunks: Vec<Vec<T>>,
    pub(super) len: usize,
}

impl Chunked<u32> {
    /// Grows to `len` elements, each new one holding its own index (a
    /// singleton of the union-find forest); never shrinks.
    pub(super) fn extend_identity(&mut self, len: usize) {
        while self.len < len {
            self.push(self.len as u32);
        }
    }
}

impl<T: Copy> Chunked<T> {
    pub(super) fn new() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }

    pub(super) fn push(&mut self, v: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(v),
            _ => {
                // The first chunk grows from small, so tiny counters stay tiny.
                let cap = if self.chunks.is_empty() { 0 } else { CHUNK };
                let mut c = Vec::with_capacity(cap);
                c.push(v);
                self.chunks.push(c);
            }
        }
        self.len += 1;
    }

    pub(super) fn reserve(&mut self, additional: usize) {
        if self.chunks.is_empty() && additional > 0 {
            self.chunks.push(Vec::with_capacity(additional.min(CHUNK)));
        }
    }

    pub(super) fn at(&self, i: u32) -> &T {
        let i = i as usize;
        &self.chunks[i / CHUNK][i % CHUNK]
    }

    pub(super) fn get(&self, i: u32) -> T {
        *self.at(i)
    }

    pub(super) fn set(&mut self, i: u32, v: T) {
        let i = i as usize;
        self.chunks[i / CHUNK][i % CHUNK] = v;
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.chunks.capacity() * std::mem::size_of::<Vec<T>>()
            + self
                .chunks
                .iter()
                .map(|c| c.capacity() * std::mem::size_of::<T>())
                .sum::<usize>()
    }
}
