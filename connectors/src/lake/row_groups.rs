//! Which parquet row groups a sample reads. The head of a file holds its oldest rows: a
//! column filled only later, or holding placeholders early on, looks empty there. So a
//! sample reads the end of a few row groups spread over the chosen files — the middles of
//! equal strata of all their row groups in order, so the last pick lands near the newest
//! rows — and never more row groups than [`SAMPLE_ROW_GROUPS`], as many as a head-only sample
//! of as many files would read. The end of a row group rather than its start, because there
//! a high-cardinality column's pages no longer need its dictionary (see `plain_tail`).

use parquet::arrow::arrow_reader::{RowSelection, RowSelector};

/// Row groups a sample reads at most.
pub(super) const SAMPLE_ROW_GROUPS: usize = 8;

/// One row group to read: the file (its position among the chosen files), the row group
/// and how many of its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pick {
    pub(super) file: usize,
    pub(super) row_group: usize,
    pub(super) rows: usize,
}

/// Picks row groups for a sample of `limit` rows from files whose row groups hold
/// `row_groups[file][i]` rows. Empty row groups are never picked; picks come in file and
/// row-group order.
pub(super) fn plan(row_groups: &[Vec<u64>], limit: usize) -> Vec<Pick> {
    let units: Vec<(usize, usize, u64)> = row_groups
        .iter()
        .enumerate()
        .flat_map(|(f, groups)| {
            groups
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(move |(g, &n)| (f, g, n))
        })
        .collect();
    let chosen: Vec<usize> = if units.len() <= SAMPLE_ROW_GROUPS {
        (0..units.len()).collect()
    } else {
        (0..SAMPLE_ROW_GROUPS)
            .map(|j| units.len() * (2 * j + 1) / (2 * SAMPLE_ROW_GROUPS))
            .collect()
    };
    // The sample's rows shared out, so the picks together ask for exactly the sample.
    let n = chosen.len().max(1);
    chosen
        .into_iter()
        .enumerate()
        .map(|(j, u)| {
            let (file, row_group, size) = units[u];
            let share = limit / n + usize::from(j < limit % n);
            Pick {
                file,
                row_group,
                rows: share.min(usize::try_from(size).unwrap_or(usize::MAX)),
            }
        })
        .filter(|p| p.rows > 0)
        .collect()
}

/// The first row a pick reads of its row group of `size` rows: its last `pick.rows` rows.
pub(super) fn first_read_row(pick: &Pick, size: u64) -> u64 {
    size.saturating_sub(pick.rows as u64)
}

/// The selection reading the last `pick.rows` rows of each picked row group, for a reader
/// limited to those row groups (`sizes[i]`: rows of the `i`-th picked group).
pub(super) fn last_rows_of(picks: &[Pick], sizes: &[u64]) -> RowSelection {
    let mut selectors = Vec::with_capacity(picks.len() * 2);
    for (pick, &size) in picks.iter().zip(sizes) {
        let skip = first_read_row(pick, size);
        let take = size - skip;
        if skip > 0 {
            selectors.push(RowSelector::skip(
                usize::try_from(skip).unwrap_or(usize::MAX),
            ));
        }
        selectors.push(RowSelector::select(
            usize::try_from(take).unwrap_or(usize::MAX),
        ));
    }
    RowSelection::from(selectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_of_many_groups_is_read_across_its_length() {
        let picks = plan(&[vec![1000; 10]], 800);
        let groups: Vec<usize> = picks.iter().map(|p| p.row_group).collect();
        assert_eq!(
            groups,
            [0, 1, 3, 4, 5, 6, 8, 9],
            "the newest group included"
        );
        assert!(picks.iter().all(|p| p.rows == 100 && p.file == 0));
        let rows: usize = plan(&[vec![1000; 10]], 1001).iter().map(|p| p.rows).sum();
        assert_eq!(rows, 1001, "exactly the sample, never more");
    }

    #[test]
    fn few_groups_are_all_read_and_empty_ones_never() {
        let picks = plan(&[vec![50, 0], vec![500]], 1000);
        assert_eq!(
            picks,
            [
                Pick {
                    file: 0,
                    row_group: 0,
                    rows: 50
                },
                Pick {
                    file: 1,
                    row_group: 0,
                    rows: 500
                }
            ]
        );
        assert!(plan(&[vec![0]], 10).is_empty());
    }

    #[test]
    fn many_files_spread_over_their_positions() {
        // Eight files of four groups: one pick per file (the middle of its stratum).
        let picks = plan(&vec![vec![100; 4]; 8], 80);
        let at: Vec<(usize, usize)> = picks.iter().map(|p| (p.file, p.row_group)).collect();
        assert_eq!(
            at,
            [
                (0, 2),
                (1, 2),
                (2, 2),
                (3, 2),
                (4, 2),
                (5, 2),
                (6, 2),
                (7, 2)
            ]
        );
    }

    #[test]
    fn selection_takes_each_groups_end() {
        let picks = plan(&[vec![10, 10]], 8);
        let sel = last_rows_of(&picks, &[10, 10]);
        assert_eq!(sel.row_count(), 8);
        let selectors: Vec<RowSelector> = sel.into();
        assert_eq!(
            selectors,
            [
                RowSelector::skip(6),
                RowSelector::select(4),
                RowSelector::skip(6),
                RowSelector::select(4)
            ]
        );
        // A group smaller than its share is read whole.
        let picks = plan(&[vec![3]], 8);
        let selectors: Vec<RowSelector> = last_rows_of(&picks, &[3]).into();
        assert_eq!(selectors, [RowSelector::select(3)]);
    }
}
