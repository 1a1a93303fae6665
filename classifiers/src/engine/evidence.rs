//! The masked examples a finding shows: a few distinct ones, gathered as
//! values confirm.

use super::MAX_EVIDENCE;

/// Masked values computed per finding at most. Masking costs a few hundred
/// instructions, and a column whose values mask alike (e-mails of one
/// domain: `u***@example.com`) would otherwise mask every value while
/// looking for a second distinct example; such a column shows fewer
/// examples instead.
const MAX_MASKS: u32 = 32;

/// Up to [`MAX_EVIDENCE`] distinct masked examples of one finding.
#[derive(Default)]
pub(super) struct Evidence {
    examples: Vec<String>,
    /// Masked values computed so far.
    masks: u32,
}

impl Evidence {
    /// Keeps `masked()` if it is new, while room is left and fewer than
    /// [`MAX_MASKS`] values were masked (it is not called otherwise).
    /// Inlined: it runs for every confirmed value, and is mostly one test.
    #[inline]
    pub(super) fn offer(&mut self, masked: impl FnOnce() -> String) {
        if self.examples.len() < MAX_EVIDENCE && self.masks < MAX_MASKS {
            self.masks += 1;
            let m = masked();
            if !self.examples.contains(&m) {
                self.examples.push(m);
            }
        }
    }

    /// Adds the examples of `other` that are new while room is left
    /// (already masked: no mask is computed).
    pub(super) fn absorb(&mut self, other: &Evidence) {
        merge(&mut self.examples, other.examples.iter().cloned());
    }

    /// No examples, in this one's buffer (for the next column).
    pub(super) fn emptied(mut self) -> Evidence {
        self.examples.clear();
        Evidence {
            examples: self.examples,
            ..Evidence::default()
        }
    }

    /// The examples, in the order found, leaving none.
    pub(super) fn take(&mut self) -> Vec<String> {
        std::mem::take(&mut self.examples)
    }
}

/// Appends those of `more` that `evidence` lacks while it has room.
pub(super) fn merge(evidence: &mut Vec<String>, more: impl IntoIterator<Item = String>) {
    for e in more {
        if evidence.len() < MAX_EVIDENCE && !evidence.contains(&e) {
            evidence.push(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_capped_and_bounded() {
        let mut e = Evidence::default();
        for m in ["a", "a", "b", "a", "c", "d"] {
            e.offer(|| m.to_string());
        }
        assert_eq!(e.take(), ["a", "b", "c"]);

        // Values that mask alike stop being masked after MAX_MASKS.
        let mut e = Evidence::default();
        let mut calls = 0;
        for _ in 0..100 {
            e.offer(|| {
                calls += 1;
                "u***@example.com".to_string()
            });
        }
        e.offer(|| "x***@example.org".to_string());
        assert_eq!(calls, MAX_MASKS);
        assert_eq!(e.take(), ["u***@example.com"]);

        let mut v = vec!["a".to_string()];
        merge(&mut v, ["a", "b", "c", "d"].map(String::from));
        assert_eq!(v, ["a", "b", "c"]);
    }
}
