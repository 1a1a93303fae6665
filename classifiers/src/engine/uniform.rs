//! Column evidence for identifiers without a check digit: a column whose
//! values all share one format, are distinct and do not run in sequence is
//! an identifier column even when each value alone is weak.

/// Values a column needs before its shape says anything.
const MIN_VALUES: u64 = 8;
/// Share of non-null values that must confirm, in percent.
const MIN_CONFIRMED_PCT: u64 = 98;
/// Share of confirmed values that must be distinct, in percent.
const MIN_DISTINCT_PCT: usize = 90;
/// Serials closer than this are steps of a sequence, not independent
/// numbers: 200 random 8-digit serials are about 500 000 apart.
const SEQUENCE_GAP: u64 = 1000;
/// Serials kept per column (enough for any sample the scanner takes).
const MAX_SERIALS: usize = 4096;
/// Serials a buffer kept for the next column may hold: 2 KB per
/// classifier (a larger sample grows it again).
const MAX_KEPT_SERIALS: usize = 256;

/// Shapes and serials of the values one classifier confirmed.
#[derive(Default)]
pub(super) struct Uniform {
    shape: Option<u8>,
    /// A confirmed value had another shape, or none.
    mixed: bool,
    serials: Vec<u64>,
}

impl Uniform {
    /// Records a confirmed value's shape (`None`: the classifier gives none),
    /// asked for only while the shapes so far agree.
    pub(super) fn add(&mut self, shape: impl FnOnce() -> Option<(u8, u64)>) {
        if self.mixed {
            return;
        }
        match (shape(), self.shape) {
            (None, _) => self.mixed = true,
            (Some((s, _)), Some(seen)) if s != seen => self.mixed = true,
            (Some((s, serial)), _) => {
                self.shape = Some(s);
                if self.serials.len() < MAX_SERIALS {
                    self.serials.push(serial);
                }
            }
        }
    }

    /// Nothing recorded, in this one's buffer if small enough (for the
    /// next column).
    pub(super) fn emptied(mut self) -> Uniform {
        self.serials.clear();
        if self.serials.capacity() > MAX_KEPT_SERIALS {
            self.serials = Vec::new();
        }
        Uniform {
            serials: self.serials,
            ..Uniform::default()
        }
    }

    /// Whether `matched` confirmed values out of `sampled` make the column.
    pub(super) fn holds(&self, matched: u64, sampled: u64) -> bool {
        if self.mixed || self.shape.is_none() || matched < MIN_VALUES {
            return false;
        }
        if matched * 100 < sampled * MIN_CONFIRMED_PCT {
            return false;
        }
        let mut s = self.serials.clone();
        s.sort_unstable();
        let total = s.len();
        s.dedup();
        if s.len() * 100 < total * MIN_DISTINCT_PCT {
            return false;
        }
        // A sequence (order numbers, a date plus a counter) has most of its
        // neighbours close together; independent numbers have almost none.
        let close = s.windows(2).filter(|w| w[1] - w[0] < SEQUENCE_GAP).count();
        close * 4 < s.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(serials: impl IntoIterator<Item = u64>) -> Uniform {
        let mut u = Uniform::default();
        for s in serials {
            u.add(|| Some((1, s)));
        }
        u
    }

    #[test]
    fn spread_distinct_values_hold() {
        let u = fill((0..50).map(|i| (i * 7_919_993) % 100_000_000));
        assert!(u.holds(50, 50));
        assert!(!u.holds(50, 60), "a sixth of the values did not confirm");
        assert!(!u.holds(5, 5), "too few values");
    }

    #[test]
    fn sequences_repeats_and_mixtures_do_not() {
        assert!(!fill(10_000_000..10_000_050).holds(50, 50));
        // A date plus a two-digit counter.
        let dated = (0..50).map(|i| 24_050_100 + (i / 10) * 100 + i % 10);
        assert!(!fill(dated).holds(50, 50));
        let repeated = fill((0..50).map(|i| (i % 20) * 4_999_999));
        assert!(!repeated.holds(50, 50));
        let mut mixed = fill((0..50).map(|i| i * 1_999_993));
        mixed.add(|| Some((2, 5)));
        assert!(!mixed.holds(51, 51));
        let mut none = fill((0..50).map(|i| i * 1_999_993));
        none.add(|| None);
        assert!(!none.holds(51, 51));
    }
}
