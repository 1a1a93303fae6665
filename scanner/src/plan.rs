//! Scale-out, step one: a plan of work units that shard processes scan independently and a
//! merge joins into the report one process would have made.
//!
//! `mulu plan` lists every source once and writes `plan.json` into a run folder: the sources
//! (by `[[sources]]` name, never with credentials), what their listing found, and one unit
//! per asset with its estimated cost. `mulu scan --plan RUN --shard I --of N` scans the units
//! the deterministic packing gives shard `I` and writes `shards/I/` (its report, its persons
//! contribution, and a completion marker last). `mulu merge RUN` replays every shard's
//! hashed rows into one persons count, so persons linked across shards are linked exactly.
//!
//! Asset names can hold an identifier (`客户_110105….csv`), so units name their asset by a
//! keyed label under the run's hash key; the plan shows only the redacted name.

use anyhow::Context;
use model::{SourceReport, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

use crate::config::{Config, SourceEntry};
use crate::redact::Redactor;
use crate::run_folder::RunFolder;
use crate::ScanOptions;
use connectors::{KeyRange, PassShare};

/// `plan.json`'s schema id.
pub const PLAN_SCHEMA: &str = "mulu.plan/v1";

/// The plan of one sharded run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// Always [`PLAN_SCHEMA`].
    pub schema: String,
    /// When the sources were listed; the merged scan's start.
    pub created_at: Timestamp,
    /// The hash key's fingerprint: shards and the merge must use the same key.
    pub key_id: String,
    /// The keyed hash of person keys ([`persons::KEY_HASH`]): shards and the merge must key
    /// with the same. Plans without it were made by versions keyed with
    /// [`persons::LEGACY_KEY_HASH`].
    #[serde(default = "legacy_key_hash")]
    pub key_hash: String,
    /// The sources, as the workers find them.
    pub sources: Vec<PlannedSource>,
    /// What listing each source found (as a single scan's report shows it).
    pub source_reports: Vec<SourceReport>,
    /// The work units, in listing order.
    pub units: Vec<Unit>,
}

/// The keyed hash of plans and shard markers that name none.
pub(crate) fn legacy_key_hash() -> String {
    persons::LEGACY_KEY_HASH.into()
}

/// A source as a worker resolves it: a `[[sources]]` name (credentials come from the
/// worker's config and environment), or a URL or path that carries no password.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PlannedSource {
    /// A `[[sources]]` entry of the config.
    Named(String),
    /// A URL or path given on the command line.
    Url(String),
}

/// One asset to scan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Unit {
    /// The connector's source, as reports show it.
    pub source: String,
    /// The asset's name, redacted.
    pub asset: String,
    /// The keyed label of (source, name) that a worker matches its listing against.
    pub label: String,
    /// Rows, when the listing knew.
    pub rows: Option<u64>,
    /// Bytes, when the listing knew.
    pub bytes: Option<u64>,
    /// Estimated cost, to balance shards: the bytes, else 100 bytes a row, else 1 MiB.
    pub cost: u64,
    /// The plan's source (index into [`Plan::sources`]) the unit was listed from.
    pub entry: usize,
    /// For a database, its `max_connections`: at most that many shards get its units, and
    /// each opens one connection to it, so the database never sees more in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections: Option<usize>,
    /// For a big table cut into primary-key ranges: which range this unit is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<UnitPart>,
}

/// One part of a big asset: a range of a table's integer primary key, or a group of a
/// dataset's files. Every shard holding a part samples and classifies the whole asset (the
/// same rows: samples are deterministic) and counts persons in its parts only; the merge
/// joins the parts into one asset.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct UnitPart {
    /// The part's index, from 0.
    pub index: usize,
    /// How many parts the asset was cut into.
    pub of: usize,
    /// For a table, the keys the part covers; for a dataset, `None`: its files in group
    /// `index` ([`connectors::PassShare::FileGroups`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<KeyRange>,
}

/// How big a unit may be before the plan cuts its asset into parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitSize {
    /// Rows of a database table with an integer primary key.
    pub rows: u64,
    /// Bytes of a dataset of many files.
    pub bytes: u64,
}

/// A shard's units, as its scan keeps them from the listing: per asset label, every row, or
/// the key ranges of the parts the shard holds.
#[derive(Clone)]
pub struct UnitFilter {
    keyer: std::sync::Arc<persons::PersonKeyer>,
    labels: BTreeMap<String, Option<PassShare>>,
}

impl std::fmt::Debug for UnitFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UnitFilter({} units)", self.labels.len())
    }
}

impl UnitFilter {
    /// A shard's `units` ([`Plan::units_of`]), matched under `keyer` (the run's key).
    pub fn new(units: &[&Unit], keyer: persons::PersonKeyer) -> Self {
        let mut labels: BTreeMap<String, Option<PassShare>> = BTreeMap::new();
        for unit in units {
            let share = labels.entry(unit.label.clone()).or_insert_with(|| {
                unit.part.map(|part| match part.range {
                    Some(_) => PassShare::KeyRanges(Vec::new()),
                    None => PassShare::FileGroups {
                        groups: Vec::new(),
                        of: part.of,
                    },
                })
            });
            match (share, unit.part) {
                (Some(PassShare::KeyRanges(ranges)), Some(part)) => ranges.extend(part.range),
                (Some(PassShare::FileGroups { groups, .. }), Some(part)) => groups.push(part.index),
                _ => {}
            }
        }
        Self {
            labels,
            keyer: std::sync::Arc::new(keyer),
        }
    }

    /// Whether the listed asset `name` of `source` is one of the shard's units and, if so,
    /// which part of it is the shard's (`None`: all of it).
    pub fn share(&self, source: &str, name: &str) -> Option<Option<PassShare>> {
        self.labels
            .get(&unit_label(&self.keyer, source, name))
            .cloned()
    }

    /// How many assets the shard has units of.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the shard has no units.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// Whether a source URL is a database server (whose connections a plan budgets).
fn is_database(url: &str) -> bool {
    let scheme = url.split_once("://").map_or("", |(s, _)| s);
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "postgres" | "postgresql" | "mysql" | "mariadb"
    )
}

/// `parts` key ranges of a listed table, or none when it has no integer primary key (or
/// its bounds cannot be read: the table is then one unit, as any other).
async fn key_parts(job: &crate::scan::Job, parts: u64) -> Vec<UnitPart> {
    let bounds = job.connector.key_bounds(&job.asset).await.ok().flatten();
    let Some((min, max)) = bounds else {
        return Vec::new();
    };
    let ranges = KeyRange::split(min, max, parts as usize);
    let of = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(index, range)| UnitPart {
            index,
            of,
            range: Some(range),
        })
        .collect()
}

/// Most file groups a dataset is dealt into: past this, a unit is bigger than asked.
const MAX_FILE_GROUPS: u64 = 1024;

/// `groups` file groups of a dataset (fewer files than groups leaves some empty, which
/// costs a listing and nothing else).
fn file_groups(groups: u64) -> Vec<UnitPart> {
    let of = groups.min(MAX_FILE_GROUPS) as usize;
    (0..of)
        .map(|index| UnitPart {
            index,
            of,
            range: None,
        })
        .collect()
}

/// Part `index`'s share of `total` cut into `of` parts (the first takes the remainder).
fn share(total: u64, of: u64, index: usize) -> u64 {
    total / of + if index == 0 { total % of } else { 0 }
}

/// The keyed label of an asset.
pub(crate) fn unit_label(keyer: &persons::PersonKeyer, source: &str, asset: &str) -> String {
    keyer.label(&format!("unit\0{source}\0{asset}"))
}

impl Plan {
    /// Lists `sources` and plans one unit per asset.
    ///
    /// # Errors
    /// A source given as a URL with a password (name it in the config instead).
    /// A database table of more than `size.rows` rows is cut into ranges of its integer
    /// primary key, and a dataset of more than `size.bytes` into groups of its files, one
    /// unit each.
    pub async fn build(
        sources: &[(PlannedSource, SourceEntry)],
        options: &ScanOptions,
        redactor: &Redactor,
        keyer: &persons::PersonKeyer,
        size: UnitSize,
    ) -> anyhow::Result<Self> {
        let created_at = model::now();
        let entries: Vec<SourceEntry> = sources.iter().map(|(_, e)| e.clone()).collect();
        let crate::scan::Listed {
            reports: mut source_reports,
            jobs,
            connectors,
        } = crate::scan::open_and_list(&entries, options, redactor).await;
        source_reports.sort_by(|a, b| a.url.cmp(&b.url));
        let mut units = Vec::with_capacity(jobs.len());
        for job in &jobs {
            let source = job.connector.display_url().to_string();
            let asset = &job.asset;
            let entry = &sources[job.source_index].1;
            let database = is_database(&entry.url);
            let whole = Unit {
                entry: job.source_index,
                connections: database.then_some(entry.options.max_connections as usize),
                label: unit_label(keyer, &source, &asset.name),
                asset: redactor.name(&asset.name),
                source,
                rows: asset.row_count,
                bytes: asset.bytes,
                cost: asset
                    .bytes
                    .or(asset.row_count.map(|r| r.saturating_mul(100)))
                    .unwrap_or(1 << 20)
                    .max(1),
                part: None,
            };
            let parts = match (asset.row_count, asset.bytes) {
                (Some(rows), _) if database && rows > size.rows.max(1) => {
                    key_parts(job, rows.div_ceil(size.rows.max(1))).await
                }
                (_, Some(bytes))
                    if asset.kind == model::AssetKind::Dataset && bytes > size.bytes.max(1) =>
                {
                    file_groups(bytes.div_ceil(size.bytes.max(1)))
                }
                _ => Vec::new(),
            };
            if parts.is_empty() {
                units.push(whole);
                continue;
            }
            let of = parts.len() as u64;
            units.extend(parts.into_iter().map(|part| Unit {
                rows: whole.rows.map(|r| share(r, of, part.index)),
                bytes: whole.bytes.map(|b| share(b, of, part.index)),
                cost: (whole.cost / of).max(1),
                part: Some(part),
                ..whole.clone()
            }));
        }
        crate::scan::close_all(&connectors).await;
        Ok(Plan {
            schema: PLAN_SCHEMA.into(),
            created_at,
            key_id: keyer.key_id(),
            key_hash: persons::KEY_HASH.into(),
            sources: sources.iter().map(|(p, _)| p.clone()).collect(),
            source_reports,
            units,
        })
    }

    /// The source entries a worker scans, resolved against its config.
    ///
    /// # Errors
    /// A named source the config does not have.
    pub fn resolve_sources(&self, config: &Config) -> anyhow::Result<Vec<SourceEntry>> {
        self.sources
            .iter()
            .map(|source| match source {
                PlannedSource::Url(url) => Ok(SourceEntry::from_url(url)),
                PlannedSource::Named(name) => config
                    .sources
                    .iter()
                    .find(|s| s.name.as_deref() == Some(name))
                    .cloned()
                    .with_context(|| {
                        format!("the plan names source '{name}', which the config does not list")
                    }),
            })
            .collect()
    }

    /// Which shard of `shards` each unit goes to: the costliest unit first, each to the
    /// least loaded shard (lowest index on ties), so every worker computes the same packing.
    /// A database's units go to at most its `connections` shards.
    pub fn assign(&self, shards: usize) -> Vec<usize> {
        let shards = shards.max(1);
        let mut order: Vec<usize> = (0..self.units.len()).collect();
        order.sort_by(|&a, &b| {
            self.units[b]
                .cost
                .cmp(&self.units[a].cost)
                .then_with(|| a.cmp(&b))
        });
        let mut load = vec![0u64; shards];
        let mut to = vec![0usize; self.units.len()];
        // The shards each database's units went to so far.
        let mut holding: std::collections::HashMap<&str, BTreeSet<usize>> = Default::default();
        for unit in order {
            let u = &self.units[unit];
            let held = holding.entry(u.source.as_str()).or_default();
            let full = u.connections.is_some_and(|cap| held.len() >= cap.max(1));
            let (shard, _) = load
                .iter()
                .enumerate()
                .filter(|(i, _)| !full || held.contains(i))
                .min_by_key(|&(i, l)| (*l, i))
                .expect("at least one shard");
            held.insert(shard);
            to[unit] = shard;
            load[shard] = load[shard].saturating_add(u.cost);
        }
        to
    }

    /// The units packed onto `shard` of `shards`.
    pub fn units_of(&self, shard: usize, shards: usize) -> Vec<&Unit> {
        self.assign(shards)
            .into_iter()
            .zip(&self.units)
            .filter(|(to, _)| *to == shard)
            .map(|(_, unit)| unit)
            .collect()
    }

    /// Reads `RUN/plan.json`.
    ///
    /// # Errors
    /// Missing, unreadable, or not a plan.
    pub async fn load(run: &RunFolder) -> anyhow::Result<Self> {
        let bytes = run.get("plan.json").await?.with_context(|| {
            format!(
                "{} has no plan.json; run `mulu plan --out` first",
                run.display
            )
        })?;
        let plan: Plan = serde_json::from_slice(&bytes)
            .with_context(|| format!("plan.json in {} is not a mulu plan", run.display))?;
        anyhow::ensure!(
            plan.schema == PLAN_SCHEMA,
            "plan.json in {} is a {} plan; this mulu reads {PLAN_SCHEMA}",
            run.display,
            plan.schema
        );
        Ok(plan)
    }

    /// Writes `RUN/plan.json`.
    ///
    /// # Errors
    /// The folder cannot be written.
    pub async fn save(&self, run: &RunFolder) -> anyhow::Result<()> {
        let text = serde_json::to_vec_pretty(self).expect("a plan serialises");
        run.put("plan.json", text).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(costs: &[u64]) -> Plan {
        Plan {
            schema: PLAN_SCHEMA.into(),
            created_at: model::now(),
            key_id: String::new(),
            key_hash: persons::KEY_HASH.into(),
            sources: vec![],
            source_reports: vec![],
            units: costs
                .iter()
                .enumerate()
                .map(|(i, &cost)| Unit {
                    source: "s".into(),
                    asset: format!("a{i}"),
                    label: format!("l{i}"),
                    rows: None,
                    bytes: None,
                    cost,
                    entry: 0,
                    connections: None,
                    part: None,
                })
                .collect(),
        }
    }

    #[test]
    fn units_are_packed_costliest_first_onto_the_least_loaded_shard() {
        let p = plan(&[5, 9, 1, 4, 4, 2]);
        // 9 → 0; 5 → 1; 4 → 1 (5 < 9); 4 → 0 (9 = 9, lower index); 2 → 1 (11 < 13); 1 → 1.
        assert_eq!(p.assign(2), vec![1, 0, 1, 1, 0, 1]);
        assert_eq!(p.assign(1), vec![0; 6]);
        // Every unit in exactly one shard, whatever the count.
        for n in 1..=7 {
            let total: usize = (0..n).map(|i| p.units_of(i, n).len()).sum();
            assert_eq!(total, 6);
        }
    }

    #[test]
    fn a_database_is_spread_over_no_more_shards_than_its_connections() {
        let mut p = plan(&[8, 7, 6, 5, 4, 3, 2, 1]);
        for (i, unit) in p.units.iter_mut().enumerate() {
            if i % 2 == 0 {
                unit.source = "postgres://db/crm".into();
                unit.connections = Some(2);
            }
        }
        let to = p.assign(4);
        let db_shards: BTreeSet<usize> = (0..8).step_by(2).map(|i| to[i]).collect();
        assert_eq!(db_shards.len(), 2, "{to:?}");
        let all: BTreeSet<usize> = to.iter().copied().collect();
        assert_eq!(
            all.len(),
            4,
            "the other units still use every shard: {to:?}"
        );
    }
}
