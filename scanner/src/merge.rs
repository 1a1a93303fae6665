//! A shard's output in the run folder, and the merge of every shard into one report.
//!
//! `RUN/shards/I/` (a folder or a bucket prefix, [`RunFolder`]) holds `report.json` (the shard's scan report), `persons.bin` (its hashed
//! rows, [`crate::persons::Recording`]) and `done.json`, written last: a shard without
//! `done.json` did not finish, whatever else is there. A re-run removes `done.json` first and
//! replaces the rest.

use std::collections::btree_map::{BTreeMap, Entry};
use std::collections::BTreeSet;

use anyhow::Context;
use model::{AssetReport, ScanReport, Status, SCAN_REPORT_SCHEMA};
use serde::{Deserialize, Serialize};

use crate::persons::{RecordedAsset, Recording};
use crate::plan::Plan;
use crate::redact::Redactor;
use crate::run_folder::RunFolder;
use crate::ScanContext;
use persons::{IdentifierKind, SketchCounter};

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
    /// The keyed hash of the shard's person keys ([`persons::KEY_HASH`]); markers without it
    /// come from versions keyed with [`persons::LEGACY_KEY_HASH`].
    #[serde(default = "crate::plan::legacy_key_hash")]
    pub key_hash: String,
}

fn shard_file(shard: usize, name: &str) -> String {
    format!("shards/{shard}/{name}")
}

/// The HLL sketches of every identifier in `recorded`, per kind.
fn sketch_of(recorded: &[RecordedAsset], keyer: &persons::PersonKeyer) -> SketchCounter {
    let mut sketch = SketchCounter::new(keyer);
    for rows in recorded.iter().flat_map(|a| &a.rows) {
        sketch.add_row(rows.keys());
    }
    sketch
}

/// Writes `folder/<kind>.hll` (a plain DataSketches HLL image) for every kind `sketch`
/// holds, and `folder/estimates.json` with each kind's estimate.
async fn write_sketches(
    run: &RunFolder,
    folder: &str,
    sketch: &SketchCounter,
) -> anyhow::Result<()> {
    let mut estimates = std::collections::BTreeMap::new();
    for kind in IdentifierKind::ALL {
        if let Some(image) = sketch.kind_image(kind) {
            run.put(&format!("{folder}/{kind}.hll"), image).await?;
            estimates.insert(kind.to_string(), sketch.kind_estimate(kind));
        }
    }
    run.put(
        &format!("{folder}/estimates.json"),
        serde_json::to_vec_pretty(&estimates).expect("estimates serialise"),
    )
    .await
}

/// Writes shard `done.shard`'s output, completion marker last: its report, its hashed rows
/// and, per identifier kind, an HLL sketch that Spark SQL's `hll_union_agg` can union.
///
/// # Errors
/// A file cannot be written.
pub async fn write_shard(
    run: &RunFolder,
    done: &ShardDone,
    report: &ScanReport,
    recorded: &[RecordedAsset],
    keyer: &persons::PersonKeyer,
) -> anyhow::Result<()> {
    let file = |name| shard_file(done.shard, name);
    run.delete(&file("done.json")).await?;
    write_sketches(run, &file("sketches"), &sketch_of(recorded, keyer)).await?;
    run.put(
        &file("report.json"),
        serde_json::to_vec(report).expect("a report serialises"),
    )
    .await?;
    run.put(&file("persons.bin"), Recording::encode(recorded)?)
        .await?;
    run.put(
        &file("done.json"),
        serde_json::to_vec(done).expect("a marker serialises"),
    )
    .await
}

/// One finished shard's output.
struct ShardOutput {
    done: ShardDone,
    report: ScanReport,
    recorded: Vec<RecordedAsset>,
}

async fn read_shard(run: &RunFolder, shard: usize) -> anyhow::Result<Option<ShardOutput>> {
    let Some(marker) = run.get(&shard_file(shard, "done.json")).await? else {
        return Ok(None);
    };
    let done: ShardDone = serde_json::from_slice(&marker)
        .with_context(|| format!("shard {shard}: done.json is not a shard marker"))?;
    let report = run
        .get(&shard_file(shard, "report.json"))
        .await?
        .with_context(|| format!("shard {shard} is marked done but has no report.json"))?;
    let report: ScanReport = serde_json::from_slice(&report)
        .with_context(|| format!("shard {shard}: report.json is not a scan report"))?;
    let recorded = run
        .get(&shard_file(shard, "persons.bin"))
        .await?
        .with_context(|| format!("shard {shard} is marked done but has no persons.bin"))?;
    let recorded =
        Recording::decode(&recorded).with_context(|| format!("shard {shard}: persons.bin"))?;
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
    run: &RunFolder,
    plan: &Plan,
    context: ScanContext,
) -> anyhow::Result<(ScanReport, Coverage)> {
    let mut outputs = Vec::new();
    for shard in run.numbered("shards").await? {
        if let Some(output) = read_shard(run, shard).await? {
            outputs.push(output);
        }
    }
    let first = outputs.first().with_context(|| {
        format!(
            "no shard of {} has finished (shards/I/done.json); run `mulu scan --plan` first",
            run.display
        )
    })?;
    let shards = first.done.of;
    anyhow::ensure!(
        plan.key_hash == persons::KEY_HASH,
        "the plan's persons are keyed with {} and this mulu keys with {}; keys of the two never \
         match, so make a new plan and re-run the shards with this version",
        plan.key_hash,
        persons::KEY_HASH
    );
    for o in &outputs {
        anyhow::ensure!(
            o.done.key_hash == plan.key_hash,
            "shard {} keyed persons with {} and the plan with {}; re-run the shard with the \
             plan's version",
            o.done.shard,
            o.done.key_hash,
            plan.key_hash
        );
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
    // An asset cut into key ranges comes from every shard that held a part of it.
    let mut parts: BTreeMap<(String, String), Vec<Part>> = BTreeMap::new();
    let mut recorded: BTreeMap<(String, String), RecordedAsset> = BTreeMap::new();
    for output in outputs {
        let counted: BTreeSet<(&str, &str)> = output
            .recorded
            .iter()
            .filter(|r| r.complete)
            .map(|r| (r.source.as_str(), r.name.as_str()))
            .collect();
        for mut report in output.report.assets {
            report.persons = None;
            let counted = counted.contains(&(report.source.as_str(), report.name.as_str()));
            let key = (report.source.clone(), report.name.clone());
            parts.entry(key).or_default().push(Part { report, counted });
        }
        for asset in output.recorded {
            let key = (asset.source.clone(), asset.name.clone());
            match recorded.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(asset);
                }
                Entry::Occupied(mut joined) => {
                    let joined = joined.get_mut();
                    joined.complete &= asset.complete;
                    joined.rows.extend(asset.rows);
                }
            }
        }
    }
    let mut assets: Vec<AssetReport> = parts.into_values().map(join_parts).collect();
    let recorded: Vec<RecordedAsset> = recorded.into_values().collect();
    let mut missing_units = 0;
    // Rows of the units not read: each row holds at most one person (a row's identifiers are
    // linked), so they bound how many persons are missing; unknown if a unit's rows are.
    let mut missing_rows = Some(0u64);
    for (unit, to) in plan.units.iter().zip(&assignment) {
        if merged.contains(to) {
            continue;
        }
        missing_units += 1;
        missing_rows = missing_rows
            .zip(unit.rows)
            .map(|(a, b)| a.saturating_add(b));
        assets.push(missing_asset(unit, *to, shards));
    }
    assets.sort_by(|a, b| (&a.source, &a.name).cmp(&(&b.source, &b.name)));

    let persons = match tally {
        Some(tally) => {
            // The union of the shards' sketches, for whoever unions them elsewhere (Spark).
            write_sketches(run, "sketches", &sketch_of(&recorded, tally.keyer())).await?;
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
                open_upper_bound(&mut persons, missing_rows, &thresholds);
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

/// One shard's report of an asset, and whether that shard counted persons in all its rows.
struct Part {
    report: AssetReport,
    counted: bool,
}

/// The report of an asset from its parts (one, unless the plan cut it into key ranges).
/// Every part sampled the whole table alike, so the first one's findings stand; the row
/// count is the sum of the parts' full passes when each ran to the end, else the listing's.
fn join_parts(parts: Vec<Part>) -> AssetReport {
    let counted = parts.iter().all(|p| p.counted);
    let rows: u64 = parts.iter().filter_map(|p| p.report.row_count).sum();
    let mut parts = parts.into_iter().map(|p| p.report);
    let mut joined = parts.next().expect("an asset has a part");
    let mut several = false;
    for part in parts {
        several = true;
        for warning in part.warnings {
            if !joined.warnings.contains(&warning) {
                joined.warnings.push(warning);
            }
        }
        if joined.status == Status::Ok && part.status != Status::Ok {
            joined.status = part.status;
            joined.error = part.error;
        }
    }
    if several && counted {
        joined.row_count = Some(rows);
    }
    joined
}

/// A unit whose shard has not finished, as a failed asset.
fn missing_asset(unit: &crate::plan::Unit, shard: usize, shards: usize) -> AssetReport {
    let name = match unit.part {
        Some(part) => format!(
            "{} ({} {} of {})",
            unit.asset,
            if part.range.is_some() {
                "key range"
            } else {
                "file group"
            },
            part.index + 1,
            part.of
        ),
        None => unit.asset.clone(),
    };
    AssetReport {
        source: unit.source.clone(),
        name,
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
        media: None,
    }
}

/// With units missing, the count is a lower bound, and the upper bound adds one person per
/// row not read (none when a missing unit's rows are unknown): a threshold is judged on those
/// bounds, so it is undecided, never not crossed, while the missing rows could cross it.
/// (The vehicle thresholds use the vehicle count's lower bound and the same added rows.)
fn open_upper_bound(
    persons: &mut model::PersonsReport,
    missing_rows: Option<u64>,
    rules: &[persons::ThresholdRule],
) {
    let lower = persons.distinct.unwrap_or(persons.lower);
    let upper = missing_rows.map_or(u64::MAX, |rows| persons.upper.saturating_add(rows));
    persons.distinct = None;
    persons.lower = lower;
    persons.upper = upper;
    for verdict in &mut persons.thresholds {
        let Some(rule) = rules.iter().find(|r| r.id == verdict.id) else {
            continue;
        };
        // The verdict's own count may be the vehicle one: keep a crossing, and judge a
        // "not crossed" again against that count plus the rows not read.
        if verdict.status == model::ThresholdStatus::NotCrossed {
            let reachable = upper == u64::MAX || rule.op.holds(upper, rule.value);
            if reachable {
                verdict.status = model::ThresholdStatus::Undecided;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::ThresholdStatus::{Crossed, NotCrossed, Undecided};

    fn counted(distinct: u64, rules: &[persons::ThresholdRule]) -> model::PersonsReport {
        let count = persons::PersonCount::exact(distinct);
        persons::build_report(
            model::CountMethod::Exact,
            true,
            count,
            Default::default(),
            Some(count),
            rules,
        )
    }

    fn statuses(report: &model::PersonsReport) -> Vec<model::ThresholdStatus> {
        report.thresholds.iter().map(|v| v.status).collect()
    }

    #[test]
    fn rows_not_read_bound_the_missing_persons_and_keep_crossings() {
        let rules = persons::ThresholdRule::defaults();
        // A few rows missing cannot reach ten million: still not crossed.
        let mut few = counted(1_000, &rules);
        assert!(statuses(&few).iter().all(|s| *s == NotCrossed));
        open_upper_bound(&mut few, Some(500), &rules);
        assert_eq!((few.distinct, few.lower, few.upper), (None, 1_000, 1_500));
        assert!(statuses(&few).iter().all(|s| *s == NotCrossed));
        // Unknown rows, or enough rows to cross: undecided, never not crossed.
        let mut unknown = counted(1_000, &rules);
        open_upper_bound(&mut unknown, None, &rules);
        assert!(statuses(&unknown).iter().all(|s| *s == Undecided));
        let mut many = counted(1_000, &rules);
        open_upper_bound(&mut many, Some(20_000_000), &rules);
        assert!(statuses(&many).iter().all(|s| *s == Undecided));
        // A crossing stays crossed.
        let mut crossed = counted(20_000_000, &rules);
        open_upper_bound(&mut crossed, None, &rules);
        assert!(statuses(&crossed).contains(&Crossed));
        assert!(!statuses(&crossed).contains(&NotCrossed));
    }
}
