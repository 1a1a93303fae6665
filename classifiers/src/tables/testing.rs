//! Test fixtures for the table rules: a table written as `(name, type, categories)` rows.

use super::{classify_table, TableColumn, TableFinding};
use crate::{CategoryId, ColumnType};

/// `(name, type, categories)` rows, kept alive for the borrow.
pub(crate) struct Table(Vec<(String, ColumnType, Vec<CategoryId>)>);

impl Table {
    pub(crate) fn new(rows: &[(&str, &str, &[&str])]) -> Self {
        Table(
            rows.iter()
                .map(|(n, t, c)| {
                    (
                        n.to_string(),
                        ColumnType::parse(t),
                        c.iter().map(|&s| CategoryId::new(s)).collect(),
                    )
                })
                .collect(),
        )
    }

    pub(crate) fn classify(&self) -> Vec<TableFinding> {
        let cols: Vec<TableColumn<'_>> = self
            .0
            .iter()
            .map(|(n, t, c)| TableColumn {
                name: n,
                data_type: t,
                categories: c,
            })
            .collect();
        classify_table(&cols)
    }
}

pub(crate) fn found(f: &[TableFinding]) -> Vec<CategoryId> {
    f.iter().map(|x| x.category.clone()).collect()
}
