//! [`KeyRows`]: the keys of many rows in two flat vectors.

use crate::PersonKey;

/// The keys of a batch of rows, stored flat (one vector of keys and one of
/// row ends) so a batch of thousands of rows costs two allocations, not one
/// per row. Empty rows are never stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyRows {
    keys: Vec<PersonKey>,
    ends: Vec<u32>,
}

impl KeyRows {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty batch with room for `keys` keys in `rows` rows.
    pub fn with_capacity(keys: usize, rows: usize) -> Self {
        KeyRows {
            keys: Vec::with_capacity(keys),
            ends: Vec::with_capacity(rows),
        }
    }

    /// Adds `key` to the row being built.
    pub fn push_key(&mut self, key: PersonKey) {
        self.keys.push(key);
    }

    /// Ends the row being built; a row without keys is dropped.
    pub fn end_row(&mut self) {
        let end = u32::try_from(self.keys.len()).expect("fewer than u32::MAX keys per batch");
        if self.ends.last().copied().unwrap_or(0) < end {
            self.ends.push(end);
        }
    }

    /// Adds one whole row (nothing if `keys` is empty).
    pub fn push_row(&mut self, keys: &[PersonKey]) {
        self.keys.extend_from_slice(keys);
        self.end_row();
    }

    /// Number of (non-empty) rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Every key of every row, in order.
    pub fn keys(&self) -> &[PersonKey] {
        &self.keys[..self.ends.last().copied().unwrap_or(0) as usize]
    }

    /// The rows, each as the slice of its keys.
    pub fn iter(&self) -> impl Iterator<Item = &[PersonKey]> + '_ {
        let mut start = 0usize;
        self.ends.iter().map(move |&end| {
            let row = &self.keys[start..end as usize];
            start = end as usize;
            row
        })
    }

    /// Row ends, as offsets into [`keys`](Self::keys).
    pub(crate) fn ends(&self) -> &[u32] {
        &self.ends
    }

    /// Appends the rows to `out`: the row count and key count (little-endian `u32`), each
    /// row's key count (`u32`), then every key's 16 bytes. Keys are keyed hashes, so the
    /// bytes hold no identifier; a shard ships them so that a merge links across shards.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let keys = self.keys();
        out.extend_from_slice(&(self.ends.len() as u32).to_le_bytes());
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        let mut start = 0u32;
        for &end in &self.ends {
            out.extend_from_slice(&(end - start).to_le_bytes());
            start = end;
        }
        for key in keys {
            out.extend_from_slice(&key.to_bytes());
        }
    }

    /// Reads rows written by [`write_to`](Self::write_to) from the front of `bytes`;
    /// returns them and the bytes consumed, or `None` when the bytes are cut or a key's kind
    /// tag is not valid.
    pub fn read_from(bytes: &[u8]) -> Option<(Self, usize)> {
        let u32_at = |at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
        };
        let rows = u32_at(0)? as usize;
        let n_keys = u32_at(4)? as usize;
        let mut at = 8;
        let mut out = KeyRows::with_capacity(n_keys, rows);
        let mut end = 0u32;
        for _ in 0..rows {
            let len = u32_at(at)?;
            if len == 0 {
                return None;
            }
            end = end.checked_add(len)?;
            out.ends.push(end);
            at += 4;
        }
        if end as usize != n_keys {
            return None;
        }
        for _ in 0..n_keys {
            let key: [u8; 16] = bytes.get(at..at + 16)?.try_into().ok()?;
            out.keys.push(PersonKey::from_bytes(key)?);
            at += 16;
        }
        Some((out, at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IdentifierKind;

    fn k(n: u128) -> PersonKey {
        PersonKey::from_parts(IdentifierKind::Email, n)
    }

    #[test]
    fn rows_keep_their_boundaries_and_skip_empty_ones() {
        let mut a = KeyRows::new();
        a.push_row(&[k(1), k(2)]);
        a.end_row();
        a.push_row(&[]);
        a.push_key(k(3));
        a.end_row();
        let rows: Vec<Vec<PersonKey>> = a.iter().map(<[PersonKey]>::to_vec).collect();
        assert_eq!(rows, vec![vec![k(1), k(2)], vec![k(3)]]);
        assert_eq!(a.len(), 2);
        assert_eq!(a.keys().len(), 3);
    }

    #[test]
    fn rows_survive_bytes_and_cut_bytes_are_refused() {
        let mut a = KeyRows::new();
        a.push_row(&[k(1), k(2)]);
        a.push_row(&[k(3)]);
        let mut bytes = Vec::new();
        a.write_to(&mut bytes);
        bytes.extend_from_slice(b"next");
        let (b, used) = KeyRows::read_from(&bytes).unwrap();
        assert_eq!(b, a);
        assert_eq!(&bytes[used..], b"next");
        assert!(KeyRows::read_from(&bytes[..used - 1]).is_none());
    }

    #[test]
    fn an_unfinished_row_is_not_counted() {
        let mut a = KeyRows::new();
        a.push_key(k(1));
        assert!(a.is_empty());
        assert!(a.keys().is_empty());
    }
}
