//! The 数据载体 cell: every carrier of an item in one cell a person can read.
//!
//! A lake item can have tens of thousands of carriers, far past a spreadsheet cell (Excel holds
//! 32,767 characters). A few carriers are listed in full; more are grouped by source and store
//! type with a count and an example, and the workbook's 数据载体明细 sheet lists every one.

use std::collections::BTreeMap;

use crate::catalog::Carrier;

/// Up to this many carriers, every one is listed in the cell.
const LIST_ALL_UP_TO: usize = 10;

/// Up to this many assets of one source and store type are named in the group.
const NAMED_PER_GROUP: usize = 3;

/// The longest a cell may be; Excel's limit is 32,767 characters.
pub const CELL_LIMIT: usize = 32_000;

/// Where the full list is.
pub const DETAIL_SHEET: &str = "数据载体明细";

/// The cell text for an item's carriers.
pub fn summary(carriers: &[Carrier]) -> String {
    let text = if carriers.len() <= LIST_ALL_UP_TO {
        carriers
            .iter()
            .map(|c| format!("{} {} ({})", c.source, c.asset, c.store_type))
            .collect::<Vec<_>>()
            .join("；")
    } else {
        let mut groups: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
        for c in carriers {
            groups
                .entry((&c.source, &c.store_type))
                .or_default()
                .push(&c.asset);
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|((source, store), assets)| {
                if assets.len() <= NAMED_PER_GROUP {
                    format!("{source} {} ({store})", assets.join("、"))
                } else {
                    format!(
                        "{source}: {} 个 {store} 载体（如 {}）",
                        assets.len(),
                        assets[0]
                    )
                }
            })
            .collect();
        format!(
            "共 {} 个数据载体，明细见“{DETAIL_SHEET}”：{}",
            carriers.len(),
            parts.join("；")
        )
    };
    fit(
        &text,
        &format!("…（共 {} 个，明细见“{DETAIL_SHEET}”）", carriers.len()),
    )
}

/// `text` cut to [`CELL_LIMIT`] characters, ending with `tail` when cut.
pub fn fit(text: &str, tail: &str) -> String {
    if text.chars().count() <= CELL_LIMIT {
        return text.to_string();
    }
    let keep = CELL_LIMIT.saturating_sub(tail.chars().count());
    let mut out: String = text.chars().take(keep).collect();
    out.push_str(tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carrier(source: &str, asset: String, store: &str) -> Carrier {
        Carrier {
            source: source.into(),
            asset,
            store_type: store.into(),
        }
    }

    #[test]
    fn few_carriers_are_listed_in_full() {
        let c = vec![
            carrier("sqlite://crm.db", "customers".into(), "sqlite"),
            carrier("sample-data", "a.csv".into(), "csv"),
        ];
        assert_eq!(
            summary(&c),
            "sqlite://crm.db customers (sqlite)；sample-data a.csv (csv)"
        );
    }

    #[test]
    fn many_carriers_are_grouped_and_fit_a_cell() {
        let mut c: Vec<Carrier> = (0..50_000)
            .map(|i| {
                carrier(
                    "s3://lake/ods",
                    format!("dt=2026-11-{i:05}/part-0.parquet"),
                    "parquet",
                )
            })
            .collect();
        c.push(carrier(
            "postgres://db/crm",
            "public.customers".into(),
            "postgresql",
        ));
        let s = summary(&c);
        assert!(s.starts_with("共 50001 个数据载体"), "{s}");
        assert!(s.contains(
            "s3://lake/ods: 50000 个 parquet 载体（如 dt=2026-11-00000/part-0.parquet）"
        ));
        assert!(s.contains("postgres://db/crm public.customers (postgresql)"));
        assert!(s.chars().count() <= CELL_LIMIT);
        // Thousands of sources still fit.
        let many: Vec<Carrier> = (0..20_000)
            .map(|i| carrier(&format!("s3://bucket-{i}/x"), "a.csv".into(), "csv"))
            .collect();
        let s = summary(&many);
        assert!(s.chars().count() <= CELL_LIMIT, "{}", s.chars().count());
        assert!(s.ends_with("…（共 20000 个，明细见“数据载体明细”）"));
    }
}
