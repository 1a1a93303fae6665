//! Building the filing catalogue from a report and `mulu.toml`.

use anyhow::Context;
use catalog_export::catalog::{self, Catalog, CatalogInput, Problem};
use catalog_export::rules::RuleSet;
use model::ScanReport;

use crate::config::Config;

/// The catalogue for `report` under `config` (its organisation, field rules and rule file).
///
/// The report's names go through the redaction path first ([`crate::redact::Redactor`]): a
/// report from this version is masked already (masking is idempotent), but one given with
/// `--report` or stored by an older mulu may not be, and the catalogue is what gets filed.
///
/// # Errors
/// An unreadable or invalid rule file, or a bad field-rule pattern.
pub fn build_catalog(report: &ScanReport, config: &Config) -> anyhow::Result<Catalog> {
    let rules = rule_set(config)?;
    let mut report = report.clone();
    crate::redact::Redactor::builtin().report(&mut report);
    catalog::build(&CatalogInput {
        report: &report,
        organization: &config.organization,
        config: &config.catalog,
        rules: &rules,
    })
    .map_err(anyhow::Error::msg)
}

/// The items and importance rules `config` asks for: its rule file or the shipped defaults,
/// plus its `[[catalog.rules]]`, limited to the organisation's sectors
/// ([`RuleSet::for_sectors`]).
///
/// # Errors
/// An unreadable or invalid rule file.
pub fn rule_set(config: &Config) -> anyhow::Result<RuleSet> {
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
    Ok(rules.for_sectors(&config.organization.sectors))
}

/// Every field still to fill and every configuration problem.
pub fn check_catalog(catalog: &Catalog) -> Vec<Problem> {
    catalog::check(catalog, classifiers::validate::uscc_valid)
}
