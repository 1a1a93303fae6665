//! What a running scan is doing right now: which assets are in which stage and how many rows
//! the persons pass has read, so that a 2 GB file shows movement instead of a frozen
//! `0/1 assets`, and `MULU_LOG=debug` tells the stages apart.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The stage an asset is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and classifying the sample.
    Sampling,
    /// The full pass that counts persons.
    CountingPersons,
}

impl Stage {
    fn label(self) -> &'static str {
        match self {
            Stage::Sampling => "sampling",
            Stage::CountingPersons => "counting persons",
        }
    }
}

/// Shared by the asset tasks and whoever displays progress. Names in it are redacted.
#[derive(Debug, Default)]
pub struct Activity {
    next_id: AtomicU64,
    rows_counted: AtomicU64,
    in_flight: Mutex<BTreeMap<u64, (String, Stage)>>,
}

/// An asset's entry in [`Activity`]; removed when dropped, however the task ends.
pub struct InFlight<'a> {
    activity: &'a Activity,
    id: u64,
}

impl Activity {
    fn entries(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, (String, Stage)>> {
        self.in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records that asset `name` (already redacted) entered `stage`.
    pub fn begin(&self, name: String, stage: Stage) -> InFlight<'_> {
        tracing::debug!(asset = %crate::terminal::escape(&name), stage = stage.label(), "asset stage started");
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.entries().insert(id, (name, stage));
        InFlight { activity: self, id }
    }

    /// Adds rows read by a persons pass.
    pub fn add_rows(&self, rows: u64) {
        self.rows_counted.fetch_add(rows, Ordering::Relaxed);
    }

    /// Rows read by every persons pass so far.
    pub fn rows_counted(&self) -> u64 {
        self.rows_counted.load(Ordering::Relaxed)
    }

    /// One line for a progress display: the oldest asset in progress and its stage, how
    /// many others are in progress, and the rows the persons passes have read.
    pub fn describe(&self) -> String {
        let entries = self.entries();
        let mut line = match entries.values().next() {
            Some((name, stage)) if entries.len() > 1 => {
                format!("{name}: {} (+{} more)", stage.label(), entries.len() - 1)
            }
            Some((name, stage)) => format!("{name}: {}", stage.label()),
            None => String::new(),
        };
        let rows = self.rows_counted();
        if rows > 0 {
            if !line.is_empty() {
                line.push_str(" · ");
            }
            line.push_str(&format!("{} rows counted", group_thousands(rows)));
        }
        line
    }
}

impl InFlight<'_> {
    /// Moves the asset to `stage`.
    pub fn enter(&self, stage: Stage) {
        if let Some(entry) = self.activity.entries().get_mut(&self.id) {
            tracing::debug!(asset = %crate::terminal::escape(&entry.0), stage = stage.label(), "asset stage started");
            entry.1 = stage;
        }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.activity.entries().remove(&self.id);
    }
}

/// `12345678` → `12,345,678`.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_oldest_asset_its_stage_and_the_rows_counted() {
        let activity = Activity::default();
        assert_eq!(activity.describe(), "");
        let big = activity.begin("big.csv".into(), Stage::Sampling);
        {
            let _small = activity.begin("small.csv".into(), Stage::Sampling);
            assert_eq!(activity.describe(), "big.csv: sampling (+1 more)");
        }
        big.enter(Stage::CountingPersons);
        activity.add_rows(12_345_678);
        assert_eq!(
            activity.describe(),
            "big.csv: counting persons · 12,345,678 rows counted"
        );
        drop(big);
        assert_eq!(activity.describe(), "12,345,678 rows counted");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
    }
}
