//! A dataset's sampling plan: which of its files a sample reads, and its row count from the
//! footers read.

use std::collections::BTreeMap;

use object_store::ObjectMeta;
use parquet::arrow::arrow_reader::ArrowReaderMetadata;

/// The row count of a dataset from the footers read (by file index): their sum when every
/// file's footer was read, else that sum scaled by total size over the size of the files
/// read, with a warning saying so.
pub(super) fn dataset_row_count(
    files: &[ObjectMeta],
    footers: &BTreeMap<usize, (u64, Option<ArrowReaderMetadata>)>,
) -> (u64, Vec<String>) {
    let rows: u64 = footers.values().map(|(rows, _)| rows).sum();
    if footers.len() == files.len() {
        return (rows, Vec::new());
    }
    let read_bytes: u64 = footers.keys().map(|&i| files[i].size).sum();
    let total_bytes: u64 = files.iter().map(|f| f.size).sum();
    let estimate = (u128::from(rows) * u128::from(total_bytes) / u128::from(read_bytes.max(1)))
        .try_into()
        .unwrap_or(u64::MAX);
    let warning = format!(
        "row count estimated from {} of {} file footers (scaled by file size)",
        footers.len(),
        files.len()
    );
    (estimate, vec![warning])
}

/// Picks up to `want` indexes spread evenly over `0..len`.
pub(super) fn spread(len: usize, want: usize) -> Vec<usize> {
    if len <= want {
        return (0..len).collect();
    }
    (0..want).map(|i| i * len / want).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::path::Path;

    fn meta(path: &str, size: u64) -> ObjectMeta {
        ObjectMeta {
            location: Path::from(path),
            last_modified: Default::default(),
            size,
            e_tag: None,
            version: None,
        }
    }

    #[test]
    fn dataset_row_count_is_exact_or_scaled_by_size() {
        let files = [meta("a", 100), meta("b", 300), meta("c", 100)];
        let read = |pairs: &[(usize, u64)]| {
            pairs
                .iter()
                .map(|&(i, rows)| (i, (rows, None)))
                .collect::<BTreeMap<usize, (u64, Option<ArrowReaderMetadata>)>>()
        };
        let (rows, warnings) = dataset_row_count(&files, &read(&[(0, 10), (1, 30), (2, 10)]));
        assert_eq!((rows, warnings.len()), (50, 0));
        // 20 rows in 200 of 500 bytes read: 50 estimated, and said so.
        let (rows, warnings) = dataset_row_count(&files, &read(&[(0, 10), (2, 10)]));
        assert_eq!(rows, 50);
        assert_eq!(
            warnings,
            ["row count estimated from 2 of 3 file footers (scaled by file size)"]
        );
    }

    #[test]
    fn spread_picks_evenly() {
        assert_eq!(spread(3, 8), vec![0, 1, 2]);
        assert_eq!(spread(100, 4), vec![0, 25, 50, 75]);
    }
}
