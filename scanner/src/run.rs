//! One recorded scan: run it, build its catalogue, store both in the state.

use model::ScanReport;

use crate::config::Config;
use crate::sink::{ScanSink, StateSink};
use crate::state::State;
use crate::{ScanContext, ScanOptions};

/// A finished scan and where it was stored.
pub struct RecordedScan {
    /// The scan's id in the state, when recorded.
    pub id: Option<i64>,
    /// The report.
    pub report: ScanReport,
}

/// Runs a scan into `sinks`; with a state, a [`StateSink`] records it as running first and
/// stores the report and its catalogue (built once, with `config`) when it completes.
///
/// # Errors
/// State and sink errors; source and asset failures are in the report.
pub async fn scan_and_record<'s>(
    state: Option<&'s State>,
    sources: &[crate::config::SourceEntry],
    options: &ScanOptions,
    config: &'s Config,
    context: ScanContext,
    mut sinks: Vec<Box<dyn ScanSink + 's>>,
) -> anyhow::Result<RecordedScan> {
    let started_at = model::now();
    let id = match state {
        Some(state) => {
            let recorder = StateSink::start(state, started_at, config).await?;
            let id = recorder.id();
            sinks.push(Box::new(recorder));
            Some(id)
        }
        None => None,
    };
    let report = crate::scan(started_at, sources, options, context, &mut sinks).await?;
    Ok(RecordedScan { id, report })
}

/// Settings that choose the classifiers and the person count for a scan.
#[derive(Default)]
pub struct ContextOverrides {
    /// Extra classifier files (command line).
    pub classifier_files: Vec<std::path::PathBuf>,
    /// `exact`, `sketch` or `off` (command line wins over the config).
    pub persons_mode: Option<String>,
    /// Hash key file (command line wins over the config).
    pub key_file: Option<std::path::PathBuf>,
}

/// Builds the scan context from the config and overrides. The second value is a notice for
/// the user when the person keys are per-run (not mergeable).
///
/// # Errors
/// Bad classifier files, an unknown persons mode, an unreadable or invalid key file.
pub fn scan_context(
    config: &Config,
    overrides: &ContextOverrides,
) -> anyhow::Result<(ScanContext, Option<String>)> {
    use anyhow::Context as _;
    let classifiers = std::sync::Arc::new(
        crate::custom::load_configured(config, &overrides.classifier_files)?.set,
    );
    let mode = overrides
        .persons_mode
        .clone()
        .or_else(|| config.persons.mode.clone())
        .unwrap_or_else(|| "exact".into());
    let mode = match mode.as_str() {
        "exact" => crate::persons::Mode::Exact,
        "sketch" => crate::persons::Mode::Sketch,
        "off" => crate::persons::Mode::Off,
        other => anyhow::bail!("persons mode '{other}' is not one of exact, sketch, off"),
    };
    let mut notice = None;
    let persons = if mode == crate::persons::Mode::Off {
        None
    } else {
        let key_file = overrides
            .key_file
            .clone()
            .or_else(|| config.persons.key_file.as_ref().map(|p| config.resolve(p)));
        let keyer = match key_file {
            Some(path) => {
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read the hash key file {}", path.display()))?;
                persons::PersonKeyer::from_key_file(&bytes)
                    .map_err(|e| anyhow::anyhow!("hash key file {}: {e}", path.display()))?
            }
            None => {
                notice = Some(
                    "note: no hash key given (--hash-key-file or [persons] key_file); person counts use a \
                     per-run key and cannot be merged with other runs"
                        .to_string(),
                );
                persons::PersonKeyer::random().map_err(|e| anyhow::anyhow!("{e}"))?
            }
        };
        let budget = config.persons.memory_budget_mb.unwrap_or(2048) << 20;
        let tally =
            crate::persons::Tally::new(mode, keyer, budget).with_classifiers(classifiers.clone());
        // A bad rule file fails the catalogue, which says so; the count goes on without items.
        Some(match crate::filing::rule_set(config) {
            Ok(rules) => tally.with_items(rules),
            Err(_) => tally,
        })
    };
    Ok((
        ScanContext {
            classifiers,
            persons,
            thresholds: persons::ThresholdRule::defaults(),
            geofences: std::sync::Arc::new(config.catalog.geofences.clone()),
        },
        notice,
    ))
}
