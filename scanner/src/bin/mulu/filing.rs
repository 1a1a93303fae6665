//! `mulu baseline` and `mulu diff`: what was filed, and whether a re-filing is due.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Subcommand, ValueEnum};

use crate::{fatal, open_state, runtime, usage, Failure};

pub(crate) const DIFF_EXIT_CODES: &str = "\
Exit codes:
  0   no re-filing needed
  10  re-filing needed (each trigger with its due date)
  1, 2  errors";

#[derive(Subcommand)]
pub(crate) enum BaselineCommand {
    /// Record that a scan's catalogue was filed.
    Accept {
        /// The scan [default: the latest].
        #[arg(long)]
        scan: Option<i64>,
        /// Filing date, YYYY-MM-DD [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        filed_at: Option<String>,
        /// Rebuild the scan's catalogue with this configuration before recording it, as
        /// `mulu catalog export --config` does [default: the catalogue stored with the scan].
        #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
        config: Option<PathBuf>,
    },
    /// List the recorded baselines, newest first.
    List,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum AgainstArg {
    Baseline,
    Previous,
}

#[derive(clap::Args)]
pub(crate) struct DiffArgs {
    /// What to compare the latest scan with.
    #[arg(long, value_enum, default_value = "baseline")]
    pub(crate) against: AgainstArg,
    /// Also write the diff as JSON.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
}

pub(crate) fn run_baseline(cmd: BaselineCommand, state_path: &Path) -> Result<u8, Failure> {
    let rt = runtime()?;
    let state = open_state(&rt, state_path)?;
    match cmd {
        BaselineCommand::Accept {
            scan,
            filed_at,
            config,
        } => {
            let filed_at = match filed_at {
                Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .with_context(|| format!("--filed-at '{d}' is not a YYYY-MM-DD date"))
                    .map_err(usage)?,
                None => chrono::Local::now().date_naive(),
            };
            let today = chrono::Local::now().date_naive();
            if filed_at > today {
                // A future date would start the re-filing clock from a day that has not come.
                return Err(usage(anyhow::anyhow!(
                    "--filed-at {filed_at} is in the future (today is {today}); give the day the \
                     catalogue was filed"
                )));
            }
            let stored = rt
                .block_on(async {
                    match scan {
                        Some(id) => state.scan(id).await,
                        None => state.latest_scan().await,
                    }
                })
                .map_err(fatal)?
                .ok_or_else(|| {
                    usage(anyhow::anyhow!(
                        "no such completed scan; run `mulu scan` first"
                    ))
                })?;
            let mut stored = stored;
            if let Some(path) = &config {
                let config = crate::load_config(Some(path))?;
                let rebuilt =
                    scanner::filing::build_catalog(&stored.report, &config).map_err(usage)?;
                if stored.catalog.as_ref() != Some(&rebuilt) {
                    rt.block_on(state.replace_catalog(stored.id, &rebuilt))
                        .map_err(fatal)?;
                    stored.catalog = Some(rebuilt);
                }
            }
            // What was filed carries its 目录编号, as the exported file did.
            if let Some(catalog) = stored.catalog.as_mut() {
                let slugs: Vec<String> = catalog
                    .inventory
                    .iter()
                    .map(|i| i.item_id.clone())
                    .collect();
                let slugs: Vec<&str> = slugs.iter().map(String::as_str).collect();
                let numbers = rt.block_on(state.number_items(&slugs)).map_err(fatal)?;
                catalog.set_numbers(&numbers);
            }
            let id = rt
                .block_on(state.accept_baseline(&stored, &filed_at.to_string()))
                .map_err(usage)?;
            let items = stored.catalog.as_ref().map_or(0, |c| c.items.len());
            println!(
                "baseline {id}: scan {} filed on {filed_at} ({items} important items)",
                stored.id
            );
            Ok(0)
        }
        BaselineCommand::List => {
            let baselines = rt.block_on(state.baselines()).map_err(fatal)?;
            if baselines.is_empty() {
                println!("No baselines yet; record one with `mulu baseline accept`.");
            }
            for b in baselines {
                println!(
                    "baseline {}: scan {}, filed {}, {} important items",
                    b.id,
                    b.scan_id,
                    b.filed_at,
                    b.catalog.items.len()
                );
            }
            Ok(0)
        }
    }
}

pub(crate) fn run_diff(args: &DiffArgs, state_path: &Path) -> Result<u8, Failure> {
    let rt = runtime()?;
    let state = open_state(&rt, state_path)?;
    let against = match args.against {
        AgainstArg::Baseline => scanner::refiling::Against::Baseline,
        AgainstArg::Previous => scanner::refiling::Against::Previous,
    };
    let diff = rt
        .block_on(scanner::refiling::diff_latest(&state, against))
        .map_err(usage)?;
    if let Some(path) = &args.json {
        std::fs::write(
            path,
            serde_json::to_string_pretty(&diff).expect("serialises") + "\n",
        )
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(fatal)?;
    }
    print!("{}", render_diff(&diff));
    Ok(if diff.refiling_needed { 10 } else { 0 })
}

pub(crate) fn render_diff(diff: &scanner::refiling::DiffReport) -> String {
    let reference = match (&diff.baseline_id, &diff.baseline_filed_at) {
        (Some(id), Some(filed)) => format!("baseline {id} (filed {filed})"),
        _ => format!("scan {}", diff.reference_scan.unwrap_or_default()),
    };
    let mut caveats = String::new();
    for n in &diff.not_comparable {
        caveats.push_str(&format!(
            "{} {} — {}: {}\n",
            n.item_id,
            n.data_name,
            n.reason.label(),
            scanner::terminal::escape(&n.detail)
        ));
    }
    if !caveats.is_empty() {
        caveats.push_str(
            "These are not triggers: re-scan once the failed sources are back to compare them.\n",
        );
    }
    if !diff.refiling_needed {
        let verdict = if diff.not_comparable.is_empty() {
            format!("scan {} matches {reference}", diff.current_scan)
        } else {
            format!(
                "nothing comparable changed between scan {} and {reference}",
                diff.current_scan
            )
        };
        return format!("{caveats}No re-filing needed: {verdict}.\n");
    }
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(vec!["item", "reason", "detail", "detected", "due by"]);
    for t in &diff.triggers {
        table.add_row(vec![
            format!("{} {}", t.trigger.item_id, t.trigger.data_name),
            t.trigger.reason.label().to_string(),
            t.trigger.detail.clone(),
            t.detected_at.clone(),
            t.due_by.clone(),
        ]);
    }
    format!(
        "{table}\n{caveats}Re-filing needed: {} trigger(s) against {reference}; file within three months of detection.\n",
        diff.triggers.len()
    )
}
