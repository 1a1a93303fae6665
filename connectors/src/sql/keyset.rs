//! Paging a full pass through a table's primary key, one short statement per page.
//!
//! Each page is its own statement, so the statement timeout bounds one page however big the
//! table and however slowly the pages are consumed. A dialect opts in by returning
//! [`super::dialect::FullPass::Keyset`] with a [`PageKey`] per key column.

/// One column of a primary key the full pass pages through: how to read its value as text
/// and how to compare a column against that text exactly (for MySQL: integers and decimals as
/// decimals, not doubles; binary keys through hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageKey {
    /// The quoted column.
    pub column: String,
    /// SQL reading the column as text, whose value is bound into the next page's statement.
    pub read: String,
    /// SQL turning a bound text parameter back into a value comparable with the column.
    pub bound: &'static str,
}

/// The statements of a paged full pass: the first page, and every later page, which starts
/// after the key of the previous page's last row. `select` is the select list of the
/// requested columns; the key columns are read first. Rows must also meet `filter`.
pub(crate) fn page_queries(
    keys: &[PageKey],
    select: &str,
    from: &str,
    filter: Option<&str>,
    page: usize,
) -> (String, String) {
    let reads: Vec<&str> = keys.iter().map(|k| k.read.as_str()).collect();
    let order: Vec<&str> = keys.iter().map(|k| k.column.as_str()).collect();
    // (k1, k2) > (v1, v2) spelled out, which every server turns into an index range:
    // k1 > v1 OR (k1 = v1 AND k2 > v2).
    let after: Vec<String> = (0..keys.len())
        .map(|t| {
            let mut terms: Vec<String> = keys[..t]
                .iter()
                .map(|k| format!("{} = {}", k.column, k.bound))
                .collect();
            terms.push(format!("{} > {}", keys[t].column, keys[t].bound));
            format!("({})", terms.join(" AND "))
        })
        .collect();
    let head = format!("SELECT {}, {select} FROM {from}", reads.join(", "));
    let tail = format!("ORDER BY {} LIMIT {page}", order.join(", "));
    let after = after.join(" OR ");
    match filter {
        None => (
            format!("{head} {tail}"),
            format!("{head} WHERE {after} {tail}"),
        ),
        Some(filter) => (
            format!("{head} WHERE {filter} {tail}"),
            format!("{head} WHERE ({filter}) AND ({after}) {tail}"),
        ),
    }
}

/// The values to bind to the later-page statement of [`page_queries`], given the previous
/// page's last key.
pub(crate) fn page_binds(last: &[String]) -> Vec<String> {
    (0..last.len())
        .flat_map(|t| last[..=t].iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(column: &str, bound: &'static str) -> PageKey {
        PageKey {
            column: format!("`{column}`"),
            read: format!("CAST(`{column}` AS CHAR)"),
            bound,
        }
    }

    #[test]
    fn pages_through_a_composite_key_in_order() {
        let keys = vec![
            key("seq", "CAST(? AS DECIMAL(65,0))"),
            key("uid", "UNHEX(?)"),
        ];
        let (first, next) = page_queries(&keys, "CAST(`m` AS CHAR)", "`d`.`t`", None, 500);
        assert_eq!(
            first,
            "SELECT CAST(`seq` AS CHAR), CAST(`uid` AS CHAR), CAST(`m` AS CHAR) FROM `d`.`t` \
             ORDER BY `seq`, `uid` LIMIT 500"
        );
        assert!(next.ends_with(
            "WHERE (`seq` > CAST(? AS DECIMAL(65,0))) OR (`seq` = CAST(? AS DECIMAL(65,0)) \
             AND `uid` > UNHEX(?)) ORDER BY `seq`, `uid` LIMIT 500"
        ));
        let (first, next) = page_queries(&keys[..1], "m", "t", Some("(`seq` < 9)"), 5);
        assert!(first.contains("FROM t WHERE (`seq` < 9) ORDER BY `seq` LIMIT 5"));
        assert!(next.contains("WHERE ((`seq` < 9)) AND ((`seq` > CAST(? AS DECIMAL(65,0))))"));
        let last = vec!["7".to_string(), "AB".to_string()];
        assert_eq!(page_binds(&last), ["7", "7", "AB"]);
    }
}
