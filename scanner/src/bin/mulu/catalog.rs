//! `mulu catalog export|check`: the filing catalogue of the latest scan.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use catalog_export::catalog::{assign_numbers, format_catalog_no, Catalog, Change, Refiling};
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use model::ScanReport;
use scanner::refiling::Against;
use scanner::state::State;

use crate::{fatal, load_config, runtime, usage, Failure};

pub(crate) const CHECK_EXIT_CODES: &str = "\
Exit codes:
  0  nothing is missing
  1  some fields are still 待填写 or the configuration has problems (listed)
  2  usage or configuration error";

#[derive(Subcommand)]
pub(crate) enum CatalogCommand {
    /// Write the catalogue as xlsx, CSV (UTF-8 with BOM) or JSON.
    Export(ExportArgs),
    /// List every field still 待填写 and every configuration problem.
    #[command(after_help = CHECK_EXIT_CODES)]
    Check(CatalogSource),
}

#[derive(clap::Args)]
pub(crate) struct CatalogSource {
    /// Configuration file with [organization] and [catalog].
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    pub(crate) config: Option<PathBuf>,
    /// A scan report to build from [default: the latest scan in the state].
    #[arg(long, value_name = "REPORT.json")]
    pub(crate) report: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    Xlsx,
    Csv,
    Json,
}

#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub(crate) source: CatalogSource,
    /// File format.
    #[arg(long, value_enum)]
    pub(crate) format: ExportFormat,
    /// Output file.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: PathBuf,
}

/// The catalogue a catalogue command works on, and a note for the user when it is not the
/// one stored with the scan.
///
/// - `--report FILE`: built from that report and `--config` (nothing is stored).
/// - Otherwise the latest scan's catalogue, as built when the scan finished: `baseline accept`
///   and `diff` use that same stored catalogue. With `--config`, it is rebuilt with that
///   configuration; if the result differs (an edited `[organization]`, new field rules), the
///   rebuilt one is used, and `store` puts it in the state in place of the old one, so the file
///   written and the baseline recorded next can never differ.
pub(crate) fn catalogue(
    source: &CatalogSource,
    state_path: &Path,
    store: bool,
) -> Result<(Catalog, Option<String>), Failure> {
    let config = load_config(source.config.as_deref())?;
    if let Some(path) = &source.report {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the report {}", path.display()))
            .map_err(usage)?;
        let report: ScanReport = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a mulu scan report", path.display()))
            .map_err(usage)?;
        let mut catalog = scanner::filing::build_catalog(&report, &config).map_err(usage)?;
        let known = if state_path.exists() {
            let rt = runtime()?;
            rt.block_on(async { State::open(state_path).await?.item_numbers().await })
                .map_err(fatal)?
        } else {
            Default::default()
        };
        number_provisionally(&mut catalog, known);
        return Ok((catalog, None));
    }
    let rt = runtime()?;
    rt.block_on(async {
        let state = State::open(state_path).await.map_err(fatal)?;
        let scan = state.latest_scan().await.map_err(fatal)?.ok_or_else(|| {
            usage(anyhow::anyhow!(
                "no completed scan in the state {}; run `mulu scan` first or pass --report",
                state_path.display()
            ))
        })?;
        let stored = match (&scan.catalog, &source.config) {
            (Some(stored), None) => {
                let mut catalog = stored.clone();
                annotate(&state, &mut catalog).await.map_err(fatal)?;
                return Ok((catalog, None));
            }
            (stored, Some(_)) => stored.clone(),
            (None, None) => None,
        };
        let mut rebuilt = scanner::filing::build_catalog(&scan.report, &config).map_err(usage)?;
        if stored.as_ref() == Some(&rebuilt) {
            annotate(&state, &mut rebuilt).await.map_err(fatal)?;
            return Ok((rebuilt, None));
        }
        let note = if store {
            state
                .replace_catalog(scan.id, &rebuilt)
                .await
                .map_err(fatal)?;
            format!(
                "note: the configuration differs from the one scan {} was catalogued with; \
                 the catalogue was rebuilt with {} and stored with the scan, so `mulu baseline \
                 accept` records what this file holds",
                scan.id,
                config_name(source)
            )
        } else {
            format!(
                "note: the configuration differs from the one scan {} was catalogued with; \
                 checking the catalogue as rebuilt with {} (`mulu catalog export` stores it)",
                scan.id,
                config_name(source)
            )
        };
        annotate(&state, &mut rebuilt).await.map_err(fatal)?;
        Ok((rebuilt, Some(note)))
    })
}

/// What the state knows beyond one scan: every item's 目录编号 from the state's registry
/// (handing out numbers to new items), and, when a filing baseline exists, the pending
/// re-filing triggers, which make the 备案类型 变更. The stored catalogue itself stays as the
/// scan built it.
async fn annotate(state: &State, catalog: &mut Catalog) -> anyhow::Result<()> {
    let baseline = state.current_baseline().await?;
    let mut slugs: Vec<String> = catalog
        .inventory
        .iter()
        .map(|i| i.item_id.clone())
        .collect();
    if let Some(b) = &baseline {
        // A filed item that is gone still needs its number on the 变更事项 sheet.
        slugs.extend(b.catalog.items.iter().map(|i| i.item_id.clone()));
    }
    let slugs: Vec<&str> = slugs.iter().map(String::as_str).collect();
    let numbers = state.number_items(&slugs).await?;
    catalog.set_numbers(&numbers);
    let Some(baseline) = baseline else {
        return Ok(());
    };
    let diff = scanner::refiling::diff_latest(state, Against::Baseline).await?;
    let changes = diff
        .triggers
        .iter()
        .map(|t| {
            let detected = NaiveDate::parse_from_str(&t.detected_at, "%Y-%m-%d")?;
            let no = numbers
                .get(&t.trigger.item_id)
                .map_or_else(|| t.trigger.item_id.clone(), |&n| format_catalog_no(n));
            anyhow::Ok(Change::from_trigger(&t.trigger, no, detected))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    catalog.set_refiling(Refiling {
        baseline_id: baseline.id,
        filed_at: NaiveDate::parse_from_str(&baseline.filed_at, "%Y-%m-%d")?,
        changes,
    });
    Ok(())
}

/// Numbers for a catalogue built from a report file: the state's where it has them, the next
/// free ones otherwise, not recorded (nothing built from a report file is stored).
fn number_provisionally(catalog: &mut Catalog, mut known: BTreeMap<String, u32>) {
    let new = assign_numbers(&known, catalog.inventory.iter().map(|i| i.item_id.as_str()));
    known.extend(new);
    catalog.set_numbers(&known);
}

pub(crate) fn config_name(source: &CatalogSource) -> String {
    source
        .config
        .as_ref()
        .map_or_else(|| "the defaults".into(), |p| p.display().to_string())
}

pub(crate) fn run_export(args: &ExportArgs, state_path: &Path) -> Result<u8, Failure> {
    let (catalog, note) = catalogue(&args.source, state_path, true)?;
    if let Some(note) = note {
        eprintln!("{note}");
    }
    let written = match args.format {
        ExportFormat::Xlsx => catalog_export::xlsx::write(&catalog, &args.out),
        ExportFormat::Csv => std::fs::write(&args.out, catalog_export::csv::render(&catalog)),
        ExportFormat::Json => std::fs::write(
            &args.out,
            serde_json::to_string_pretty(&catalog).expect("the catalogue serialises") + "\n",
        ),
    };
    written
        .with_context(|| format!("cannot write {}", args.out.display()))
        .map_err(fatal)?;
    eprintln!(
        "wrote {} ({} important items, {} in the inventory)",
        args.out.display(),
        catalog.items.len(),
        catalog.inventory.len()
    );
    Ok(0)
}

pub(crate) fn run_check(args: &CatalogSource, state_path: &Path) -> Result<u8, Failure> {
    let (catalog, note) = catalogue(args, state_path, false)?;
    if let Some(note) = note {
        eprintln!("{note}");
    }
    let problems = scanner::filing::check_catalog(&catalog);
    for p in &problems {
        println!("{}: {}", p.place, p.message);
    }
    if problems.is_empty() {
        println!(
            "The catalogue is complete: {} important items.",
            catalog.items.len()
        );
        Ok(0)
    } else {
        println!(
            "{} fields or problems to resolve before filing.",
            problems.len()
        );
        Ok(1)
    }
}
