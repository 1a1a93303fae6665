//! The filing table as CSV: UTF-8 with a byte-order mark, so Excel shows the Chinese headers.

use crate::catalog::Catalog;
use crate::columns::item_columns;

fn escape(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The filing table (important items) as CSV text, starting with a UTF-8 BOM.
pub fn render(catalog: &Catalog) -> String {
    let cols = item_columns(catalog.header.organization.is_vehicle());
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = cols.iter().map(|c| escape(c.header)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for item in &catalog.items {
        let row: Vec<String> = cols
            .iter()
            .map(|c| escape(&(c.cell)(item).text()))
            .collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_and_commas() {
        assert_eq!(escape("a,b"), "\"a,b\"");
        assert_eq!(escape("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape("plain"), "plain");
    }
}
