//! A shard's output in the run folder, and the merge of every shard into one report.
//!
//! `RUN/shards/I/` holds `report.json` (the shard's scan report), `persons.bin` (its hashed
//! rows, [`crate::persons::Recording`]) and `done.json`, written last: a shard without
//! `done.json` did not finish, whatever else is there. A re-run removes `done.json` first and
//! replaces the rest.

use std::path::{Path, PathBuf};

use anyhow::Context;
use model::{AssetReport, ScanReport, Status, SCAN_REPORT_SCHEMA};
use serde::{Deserialize, Serialize};

use crate::persons::{RecordedAsset, Recording};
use crate::plan::Plan;
use crate::redact::Redactor;
use crate::ScanContext;

/// `done.json`: which shard finished, of how many, under which key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ShardDone {
    /// The shard's index.
    pub shard: usize,
    /// The number of shards the run was split into.
    pub of: usize,
    /// Units the shard scanned.
    pub units: usize,
    /// The hash key's fingerprint.
    pub key_id: String,
}

fn shard_dir(run: &Path, shard: usize) -> PathBuf {
    run.join("shards").join(shard.to_string())
}

/// Writes shard `done.shard`'s output, completion marker last.
///
/// # Errors
/// A file cannot be written.
pub fn write_shard(
    run: &Path,
    done: &ShardDone,
    report: &ScanReport,
    recorded: &[RecordedAsset],
) -> anyhow::Result<()> {
    let dir = shard_dir(run, done.shard);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let marker = dir.join("done.json");
    match std::fs::remove_file(&marker) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("cannot remove {}", marker.display()))
        }
        _ => {}
    }
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    };
    write(
        "report.json",
        serde_json::to_string(report)
            .expect("a report serialises")
            .as_bytes(),
    )?;
    write("persons.bin", &Recording::encode(recorded)?)?;
    write(
        "done.json",
        serde_json::to_string(done)
            .expect("a marker serialises")
            .as_bytes(),
    )
}

/// One finished shard's output.
struct ShardOutput {
    done: ShardDone,
    report: ScanReport,
    recorded: Vec<RecordedAsset>,
}

fn read_shard(run: &Path, shard: usize) -> anyhow::Result<Option<ShardOutput>> {
    let dir = shard_dir(run, shard);
    let Ok(marker) = std::fs::read_to_string(dir.join("done.json")) else {
        return Ok(None);
    };
    let done: ShardDone = serde_json::from_str(&marker)
        .with_context(|| format!("{} is not a shard marker", dir.join("done.json").display()))?;
    let report: ScanReport = serde_json::from_str(
        &std::fs::read_to_string(dir.join("report.json"))
            .with_context(|| format!("shard {shard}: cannot read its report.json"))?,
    )
    .with_context(|| format!("shard {shard}: report.json is not a scan report"))?;
    let recorded = Recording::decode(
        &std::fs::read(dir.join("persons.bin"))
            .with_context(|| format!("shard {shard}: cannot read its persons.bin"))?,
    )
    .with_context(|| format!("shard {shard}: persons.bin"))?;
    Ok(Some(ShardOutput {
        done,
        report,
        recorded,
    }))
}

/// What the merge covered.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Shards the run was split into.
    pub shards: usize,
    /// Shards whose output was merged.
    pub merged: Vec<usize>,
    /// Units planned, and units in merged shards.
    pub units: (usize, usize),
}

/// Merges the finished shards of the run into one report, as one process scanning the
/// plan's sources would have made it. Units of a shard that has not finished are failed
/// assets naming the shard, so the report is partial and says what is missing; the persons
/// count then is a lower bound, and no threshold is called not crossed on it.
///
/// # Errors
/// No finished shard, shards that disagree on the split or the key, unreadable output.
pub async fn merge(
    run: &Path,
    plan: &Plan,
    context: ScanContext,
) -> anyhow::Result<(ScanReport, Coverage)> {
    let found = std::fs::read_dir(run.join("shards"))
        .map(|d| d.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<usize>().ok()))
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let mut outputs = Vec::new();
    for shard in found {
        if let Some(output) = read_shard(run, shard)? {
            outputs.push(output);
        }
    }
    let first = outputs.first().with_context(|| {
        format!(
            "no shard of {} has finished (shards/I/done.json); run `mulu scan --plan` first",
            run.display()
        )
    })?;
    let shards = first.done.of;
    for o in &outputs {
        anyhow::ensure!(
            o.done.of == shards,
            "shard {} was run as one of {} and shard {} as one of {shards}; re-run the shards with one --of",
            o.done.shard,
            o.done.of,
            first.done.shard
        );
        anyhow::ensure!(
            o.done.key_id == plan.key_id,
            "shard {} used another hash key than the plan ({} ≠ {})",
            o.done.shard,
            o.done.key_id,
            plan.key_id
        );
    }
    outputs.sort_by_key(|o| o.done.shard);
    let merged: Vec<usize> = outputs.iter().map(|o| o.done.shard).collect();
    let assignment = plan.assign(shards);

    let ScanContext {
        classifiers,
        persons: tally,
        thresholds,
        ..
    } = context;
    let redactor = Redactor::new(classifiers.clone());
    let mut assets: Vec<AssetReport> = Vec::new();
    let mut recorded: Vec<RecordedAsset> = Vec::new();
    for output in outputs {
        assets.extend(output.report.assets.into_iter().map(|mut a| {
            a.persons = None;
            a
        }));
        recorded.extend(output.recorded);
    }
    let mut missing_units = 0;
    for (unit, to) in plan.units.iter().zip(&assignment) {
        if merged.contains(to) {
            continue;
        }
        missing_units += 1;
        assets.push(missing_asset(unit, *to, shards));
    }
    assets.sort_by(|a, b| (&a.source, &a.name).cmp(&(&b.source, &b.name)));

    let persons = match tally {
        Some(tally) => {
            for asset in recorded {
                let report = assets
                    .iter()
                    .find(|a| a.source == asset.source && a.name == asset.name)
                    .with_context(|| {
                        format!(
                            "a shard recorded persons for an asset its report does not have ({})",
                            asset.name
                        )
                    })?;
                tally.replay(report, asset, &redactor).await;
            }
            let mut persons = tally.finish(&thresholds, &mut assets);
            if missing_units > 0 {
                persons
                    .incomplete
                    .push(format!("{missing_units} units in unfinished shards"));
                open_upper_bound(&mut persons);
            }
            Some(persons)
        }
        None => None,
    };
    let categories = crate::scan::category_meta(&classifiers, &assets);
    let mut report = ScanReport {
        schema: SCAN_REPORT_SCHEMA.to_string(),
        started_at: plan.created_at,
        finished_at: model::now(),
        sources: plan.source_reports.clone(),
        assets,
        categories,
        persons,
    };
    redactor.report(&mut report);
    let coverage = Coverage {
        shards,
        units: (plan.units.len(), plan.units.len() - missing_units),
        merged,
    };
    Ok((report, coverage))
}

/// A unit whose shard has not finished, as a failed asset.
fn missing_asset(unit: &crate::plan::Unit, shard: usize, shards: usize) -> AssetReport {
    AssetReport {
        source: unit.source.clone(),
        name: unit.asset.clone(),
        kind: model::AssetKind::Table,
        row_count: unit.rows,
        bytes: unit.bytes,
        sampled_rows: 0,
        sampling: None,
        status: Status::Error,
        error: Some(format!(
            "not scanned: shard {shard} of {shards} has not finished (no shards/{shard}/done.json); \
             re-run `mulu scan --plan … --shard {shard} --of {shards}`, then merge again"
        )),
        warnings: Vec::new(),
        snapshot: None,
        partition_columns: Vec::new(),
        columns: Vec::new(),
        categories: Vec::new(),
        persons: None,
        geofence_hits: Vec::new(),
    }
}

/// With units missing, the count is a lower bound with no upper bound: a threshold it
/// reaches stays crossed, one it does not reach is undecided, never not crossed.
fn open_upper_bound(persons: &mut model::PersonsReport) {
    persons.lower = persons.distinct.unwrap_or(persons.lower);
    persons.distinct = None;
    persons.upper = u64::MAX;
    for verdict in &mut persons.thresholds {
        if verdict.status == model::ThresholdStatus::NotCrossed {
            verdict.status = model::ThresholdStatus::Undecided;
        }
    }
}
