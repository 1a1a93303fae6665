//! Sparse columns in a sample: a column added late to a big table (old rows NULL) or filled in
//! one row of twenty has (nearly) no values in the sampled rows, and would be judged by its
//! name alone. For such a column the sample is topped up with one bounded statement,
//! `SELECT col FROM t WHERE col IS NOT NULL LIMIT k`, under the session's statement timeout;
//! its values fill the column's NULL slots, so the sample keeps its row count.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};

use super::dialect::{SqlDialect, Table};

/// A column is sparse when under one in this many sampled rows has a value.
const SPARSE_ONE_IN: usize = 10;
/// Values one top-up reads at most (fewer when the sample has fewer NULL slots).
pub(super) const TOP_UP_ROWS: usize = 200;
/// Sparse columns topped up per asset at most: the extra statements stay bounded.
pub(super) const MAX_TOP_UPS: usize = 8;

/// The positions (in `batch`) of its sparse columns, at most [`MAX_TOP_UPS`]. `whole` says
/// the sample read every row of the table, so there is nothing more to find.
pub(super) fn sparse_columns(batch: &RecordBatch, whole: bool) -> Vec<usize> {
    let rows = batch.num_rows();
    if whole || rows == 0 {
        return Vec::new();
    }
    batch
        .columns()
        .iter()
        .enumerate()
        .filter(|(_, a)| (rows - a.null_count()) * SPARSE_ONE_IN < rows)
        .map(|(i, _)| i)
        .take(MAX_TOP_UPS)
        .collect()
}

/// The top-up statement for the table's column `index`, reading at most `limit` values.
pub(super) fn top_up_sql<D: SqlDialect>(table: &Table, index: usize, limit: usize) -> String {
    let c = &table.columns[index];
    format!(
        "SELECT {} FROM {} WHERE {} IS NOT NULL LIMIT {limit}",
        c.text_expr,
        table.from,
        D::quote_ident(&c.name)
    )
}

/// `batch` with column `at`'s NULL slots filled, in order, from `values`' non-null values.
pub(super) fn fill_nulls(batch: &RecordBatch, at: usize, values: &StringArray) -> RecordBatch {
    let Some(old) = batch
        .column(at)
        .as_any()
        .downcast_ref::<StringArray>()
        .cloned()
    else {
        return batch.clone();
    };
    let mut extra = values.iter().flatten();
    let filled: StringArray = old
        .iter()
        .map(|v| {
            v.map(str::to_owned)
                .or_else(|| extra.next().map(str::to_owned))
        })
        .collect();
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    columns[at] = Arc::new(filled);
    RecordBatch::try_new(batch.schema(), columns).unwrap_or_else(|_| batch.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_schema::{DataType, Field, Schema};

    fn batch(a: Vec<Option<&str>>, b: Vec<Option<&str>>) -> RecordBatch {
        let schema = Schema::new(vec![
            Field::new("a", DataType::Utf8, true),
            Field::new("b", DataType::Utf8, true),
        ]);
        RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(StringArray::from(a)),
                Arc::new(StringArray::from(b)),
            ],
        )
        .unwrap()
    }

    #[test]
    fn sparse_columns_are_topped_up_in_their_null_slots() {
        let mut a = vec![None; 40];
        a[3] = Some("x");
        let b = vec![Some("y"); 40];
        let sample = batch(a, b);
        assert_eq!(sparse_columns(&sample, false), [0]);
        assert!(sparse_columns(&sample, true).is_empty());
        let extra = StringArray::from(vec![Some("p"), None, Some("q")]);
        let filled = fill_nulls(&sample, 0, &extra);
        let col = filled
            .column(0)
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        assert_eq!(filled.num_rows(), 40);
        assert_eq!((col.value(0), col.value(1), col.value(3)), ("p", "q", "x"));
        assert_eq!(col.null_count(), 40 - 3);
    }
}
