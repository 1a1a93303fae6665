//! Spreading a sample over an integer primary key, for databases without `TABLESAMPLE`
//! (MySQL, MariaDB). The first rows of a table are its oldest: a column filled only in later
//! rows, or holding placeholders (`''`, `-`) in its first ones, looks empty there. Instead of
//! the head, a sample reads a few short runs spread over the key's range: one statement for
//! the key's bounds (`MIN`/`MAX` of a primary key is two index lookups), then one statement of
//! [`PROBES`] `UNION ALL`ed probes, `WHERE key >= start AND key < end ORDER BY key LIMIT n`,
//! each an index range scan of at most `n` rows. Both run under the statement timeout.

use super::dialect::Table;

/// Probes per sample: the key range is cut into this many equal strata.
pub(crate) const PROBES: usize = 16;

/// How to step through one table's integer primary key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeySteps {
    /// The key column, unquoted, for messages.
    pub(crate) key: String,
    /// The key column, quoted.
    quoted: String,
    /// `SELECT` list of the sampled columns.
    select: String,
    /// The quoted table.
    from: String,
    /// Rows asked for in all.
    limit: usize,
    /// Reads the key's bounds as text: one row, `MIN`, `MAX`.
    pub(crate) bounds: String,
}

impl KeySteps {
    /// Steps through `table`'s column `key` (quoted as `quoted`, read as text by `as_text`).
    pub(crate) fn new(
        table: &Table,
        key: &str,
        quoted: String,
        as_text: impl Fn(&str) -> String,
        select: &str,
        limit: usize,
    ) -> Self {
        let bounds = format!(
            "SELECT {}, {} FROM {}",
            as_text(&format!("MIN({quoted})")),
            as_text(&format!("MAX({quoted})")),
            table.from
        );
        KeySteps {
            key: key.to_owned(),
            quoted,
            select: select.to_owned(),
            from: table.from.clone(),
            limit,
            bounds,
        }
    }

    /// Rows probe `i` reads at most: the sample's rows shared out, so the probes together
    /// ask for exactly the sample.
    fn probe_rows(&self, i: usize) -> usize {
        self.limit / PROBES + usize::from(i < self.limit % PROBES)
    }

    /// Rows the busiest probe reads at most.
    pub(crate) fn per_probe(&self) -> usize {
        self.probe_rows(0)
    }

    /// Rows asked for in all.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// The probes' statement for a key range `lo..=hi` (from [`bounds`](Self::bounds)), or
    /// `None` when the range is too narrow to spread over (the first rows cover it).
    ///
    /// Stratum `i` is `[lo + span·i/k, lo + span·(i+1)/k)`; its probe starts at the stratum's
    /// middle, so the last probe reads the table's newest keys and no probe repeats a row.
    pub(crate) fn statement(&self, lo: i128, hi: i128) -> Option<String> {
        let span = hi.checked_sub(lo)?.checked_add(1)?;
        let k = PROBES as i128;
        if span < 2 * k || span <= self.limit as i128 {
            return None;
        }
        let edge = |i: i128| lo + span / k * i + span % k * i / k;
        let probes: Vec<String> = (0..k)
            .filter(|&i| self.probe_rows(i as usize) > 0)
            .map(|i| {
                let per = self.probe_rows(i as usize);
                let (start, end) = (edge(i), edge(i + 1));
                let middle = start + (end - start) / 2;
                format!(
                    "(SELECT {} FROM {} WHERE {q} >= {middle} AND {q} < {end} ORDER BY {q} LIMIT {per})",
                    self.select,
                    self.from,
                    q = self.quoted
                )
            })
            .collect();
        Some(probes.join(" UNION ALL "))
    }
}

/// Parses a key bound read as text.
pub(crate) fn bound(text: Option<&str>) -> Option<i128> {
    text?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(limit: usize) -> KeySteps {
        let table = Table {
            namespace: "d".into(),
            name: "t".into(),
            from: "`d`.`t`".into(),
            columns: Vec::new(),
            comment: None,
            estimated_rows: None,
            incomplete: None,
            integer_key: None,
            filter: None,
        };
        KeySteps::new(
            &table,
            "id",
            "`id`".into(),
            |e| format!("CAST({e} AS CHAR)"),
            "CAST(`a` AS CHAR)",
            limit,
        )
    }

    #[test]
    fn probes_cover_the_range_to_its_end() {
        let s = steps(1000);
        assert_eq!(
            s.bounds,
            "SELECT CAST(MIN(`id`) AS CHAR), CAST(MAX(`id`) AS CHAR) FROM `d`.`t`"
        );
        let sql = s.statement(1, 1_000_000).unwrap();
        assert_eq!(sql.matches("UNION ALL").count(), PROBES - 1);
        assert!(
            sql.starts_with(
                "(SELECT CAST(`a` AS CHAR) FROM `d`.`t` WHERE `id` >= 31251 AND `id` < 62501 \
                 ORDER BY `id` LIMIT 63)"
            ),
            "{sql}"
        );
        // The last stratum ends past the maximum, and its probe starts in the newest 5 %.
        assert!(
            sql.ends_with("WHERE `id` >= 968751 AND `id` < 1000001 ORDER BY `id` LIMIT 62)"),
            "{sql}"
        );
        // Negative keys and a range that barely exceeds the sample.
        let limits: usize = sql
            .split("LIMIT ")
            .skip(1)
            .map(|t| {
                t.trim_end_matches(')')
                    .split(')')
                    .next()
                    .unwrap()
                    .parse::<usize>()
                    .unwrap()
            })
            .sum();
        assert_eq!(limits, 1000, "the probes ask for exactly the sample");
        // Fewer rows than probes: only the probes with a row to read.
        let few = steps(5).statement(1, 1_000_000).unwrap();
        assert_eq!(few.matches("LIMIT 1)").count(), 5);
        assert!(s.statement(-5000, 5000).is_some());
        assert_eq!(s.statement(1, 1000), None, "the first rows cover it");
        assert_eq!(s.statement(10, 1), None);
        assert_eq!(bound(Some(" 42 ")), Some(42));
        assert_eq!(bound(Some("4.5")), None);
        assert_eq!(bound(None), None);
    }
}
