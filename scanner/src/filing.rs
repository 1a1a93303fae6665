//! Building the filing catalogue from a report and `mulu.toml`.

use anyhow::Context;
use catalog_export::catalog::{self, Catalog, CatalogInput, Problem};
use catalog_export::rules::RuleSet;
use catalog_export::ScanReport;

use crate::config::Config;

/// The catalogue for `report` under `config` (its organisation, field rules and rule file).
///
/// # Errors
/// An unreadable or invalid rule file, or a bad field-rule pattern.
pub fn build_catalog(report: &ScanReport, config: &Config) -> anyhow::Result<Catalog> {
    let rules = match &config.catalog.rules_file {
        Some(path) => {
            let path = config.resolve(path);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read the rule file {}", path.display()))?;
            RuleSet::parse(&text, &path.display().to_string()).map_err(anyhow::Error::msg)?
        }
        None => RuleSet::default_rules(),
    };
    let rules = rules
        .with_rules(&config.catalog.rules, "[[catalog.rules]] in the config")
        .map_err(anyhow::Error::msg)?;
    catalog::build(&CatalogInput {
        report,
        organization: &config.organization,
        config: &config.catalog,
        rules: &rules,
    })
    .map_err(anyhow::Error::msg)
}

/// Every field still to fill and every configuration problem.
pub fn check_catalog(catalog: &Catalog) -> Vec<Problem> {
    catalog::check(catalog, uscc_valid)
}

/// GB 32100 check of a 统一社会信用代码: 18 characters from `0-9A-HJ-NP-RTUW-Y`, position 18
/// the check character of the weighted sum mod 31.
pub fn uscc_valid(code: &str) -> bool {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let bytes = code.trim().as_bytes();
    if bytes.len() != 18 {
        return false;
    }
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c.to_ascii_uppercase()).map(|v| v as u32);
    let mut sum = 0;
    for (c, w) in bytes[..17].iter().zip(WEIGHTS) {
        match value(*c) {
            Some(v) => sum += v * w,
            None => return false,
        }
    }
    let check = (31 - sum % 31) % 31;
    value(bytes[17]) == Some(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uscc_check_character() {
        // Synthetic codes; check characters computed independently from the GB 32100 weights.
        assert!(uscc_valid("91310000MA1FL4N28B"));
        assert!(uscc_valid("91310115MA1H7XY101"));
        assert!(!uscc_valid("91310000MA1FL4N28C"), "wrong check character");
        let body = "91310115MA1H7XY10";
        let complete = (0..31)
            .map(|i| format!("{body}{}", "0123456789ABCDEFGHJKLMNPQRTUWXY".as_bytes()[i] as char))
            .filter(|c| uscc_valid(c))
            .collect::<Vec<_>>();
        assert_eq!(complete.len(), 1, "exactly one check character completes a body");
        assert!(!uscc_valid("91310115MA1H7XY1"), "too short");
        assert!(!uscc_valid("91310115MA1H7XYZOI"), "I and O are not in the alphabet");
    }
}
