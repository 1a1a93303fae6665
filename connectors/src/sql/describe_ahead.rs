//! Table descriptions fetched ahead, many in one catalog query. A scan reads a database's
//! tables in listing order, each after a description of its columns; on a server with
//! thousands of tables one catalog query per table costs about as much server time as
//! reading their samples. So the first table asked for is described together with the next
//! ones in the listing, and those wait here until asked for.
//!
//! Descriptions far behind the newest batch are dropped: tables the scan leaves out (include
//! and exclude globs, other shards) would otherwise pile up, and one asked for late is simply
//! described on its own.

use std::collections::HashMap;

use super::dialect::Table;

/// Descriptions further behind the newest batch than this (in listing positions) are dropped.
const KEEP_BEHIND: usize = 1024;

/// The listing order and the descriptions fetched ahead of their reads.
#[derive(Default)]
pub(super) struct DescribeAhead {
    order: Vec<String>,
    position: HashMap<String, usize>,
    /// Whether a listed table has been in a batch already (never fetched twice).
    batched: Vec<bool>,
    ready: HashMap<String, (usize, Table)>,
}

impl DescribeAhead {
    /// Starts over with a new listing, in the order its tables will be read.
    pub(super) fn listed<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        *self = Self::default();
        for name in names {
            self.position.insert(name.to_string(), self.order.len());
            self.order.push(name.to_string());
        }
        self.batched = vec![false; self.order.len()];
    }

    /// The description of `name` when a batch brought it.
    pub(super) fn take(&mut self, name: &str) -> Option<Table> {
        self.ready.remove(name).map(|(_, table)| table)
    }

    /// The tables to describe together with `name`: it and the next listed ones not in a
    /// batch yet, at most `size`. `None` when `name` was not listed or was in a batch already.
    pub(super) fn batch(&mut self, name: &str, size: usize) -> Option<Vec<String>> {
        let &at = self.position.get(name)?;
        if self.batched[at] {
            return None;
        }
        let picked: Vec<usize> = (at..self.order.len())
            .filter(|&i| !self.batched[i])
            .take(size.max(1))
            .collect();
        for &i in &picked {
            self.batched[i] = true;
        }
        self.ready
            .retain(|_, (position, _)| *position + KEEP_BEHIND >= at);
        Some(picked.into_iter().map(|i| self.order[i].clone()).collect())
    }

    /// Keeps what a batch described, until each is asked for.
    pub(super) fn fill(&mut self, described: Vec<(String, Table)>) {
        for (name, table) in described {
            if let Some(&at) = self.position.get(&name) {
                self.ready.insert(name, (at, table));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str) -> Table {
        Table {
            namespace: "public".into(),
            name: name.into(),
            from: name.into(),
            columns: Vec::new(),
            comment: None,
            estimated_rows: None,
            integer_key: None,
            filter: None,
            incomplete: None,
        }
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("public.t{i:04}")).collect()
    }

    #[test]
    fn a_batch_runs_ahead_in_listing_order_and_each_table_is_fetched_once() {
        let all = names(10);
        let mut ahead = DescribeAhead::default();
        ahead.listed(all.iter().map(String::as_str));
        assert_eq!(ahead.batch(&all[2], 4).unwrap(), all[2..6]);
        assert_eq!(ahead.batch(&all[3], 4), None, "already in a batch");
        // The next batch skips what is batched already.
        assert_eq!(
            ahead.batch(&all[0], 4).unwrap(),
            [all[0].as_str(), &all[1], &all[6], &all[7]]
        );
        assert_eq!(ahead.batch("public.unlisted", 4), None);
        ahead.fill(all[2..6].iter().map(|n| (n.clone(), table(n))).collect());
        assert_eq!(ahead.take(&all[3]).unwrap().from, "public.t0003");
        assert!(ahead.take(&all[3]).is_none(), "taken once");
    }

    #[test]
    fn descriptions_far_behind_the_newest_batch_are_dropped() {
        let all = names(KEEP_BEHIND + 10);
        let mut ahead = DescribeAhead::default();
        ahead.listed(all.iter().map(String::as_str));
        ahead.batch(&all[0], 2).unwrap();
        ahead.fill(vec![(all[1].clone(), table("t0001"))]);
        ahead.batch(&all[KEEP_BEHIND + 1], 2).unwrap();
        assert!(ahead.take(&all[1]).is_some(), "within reach");
        ahead.fill(vec![(all[1].clone(), table("t0001"))]);
        ahead.batch(&all[KEEP_BEHIND + 5], 2).unwrap();
        assert!(ahead.take(&all[1]).is_none(), "left behind");
    }
}
