//! Test fixtures for the table rules: a table written as `(name, type, categories)` rows.

use std::sync::LazyLock;

use super::{classify_table_named, TableColumn, TableFinding};
use crate::{CategoryId, ClassifierSet, ColumnType, ValueProfile};

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
        self.classify_with(&[])
    }

    /// With value profiles, one per column (`None`: no values).
    pub(crate) fn classify_with(&self, profiles: &[Option<ValueProfile>]) -> Vec<TableFinding> {
        self.classify_named("", profiles)
    }

    /// As table `name`, with value profiles.
    pub(crate) fn classify_named(
        &self,
        name: &str,
        profiles: &[Option<ValueProfile>],
    ) -> Vec<TableFinding> {
        let profiles: Vec<Option<&ValueProfile>> = profiles.iter().map(Option::as_ref).collect();
        let cols: Vec<TableColumn<'_>> = self
            .0
            .iter()
            .map(|(n, t, c)| TableColumn {
                name: n,
                data_type: t,
                categories: c,
            })
            .collect();
        classify_table_named(name, &cols, &profiles)
    }
}

/// The profile a column scan makes of `values`.
pub(crate) fn profile<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> ValueProfile {
    static SET: LazyLock<ClassifierSet> = LazyLock::new(ClassifierSet::builtin);
    let mut scan = SET.column("c");
    for v in values {
        scan.push(Some(v.as_ref()));
    }
    scan.profile()
}

pub(crate) fn found(f: &[TableFinding]) -> Vec<CategoryId> {
    f.iter().map(|x| x.category.clone()).collect()
}
