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
    fn an_unfinished_row_is_not_counted() {
        let mut a = KeyRows::new();
        a.push_key(k(1));
        assert!(a.is_empty());
        assert!(a.keys().is_empty());
    }
}
