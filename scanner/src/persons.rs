//! Counting distinct persons during a scan: a full pass over the identifier columns of each
//! asset, and over its free-text columns that hold personal information, keyed hashes as soon
//! as values are read, linking within rows (see [`crate::person_columns`]).
//!
//! Exact counting (union-find over keys) runs alongside HLL sketches; when the exact counter
//! outgrows its memory budget it is dropped and the sketches give bounds instead, so a scan
//! never runs out of memory on a large holding.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use classifiers::ClassifierSet;
use connectors::{AssetInfo, ReadRequest, SharedConnector};
use futures::StreamExt;
use model::{AssetReport, FreeTextPersons, PersonsReport};
use persons::{
    AssetId, ExactCounter, KeyRows, PersonCount, PersonKeyer, SketchCounter, ThresholdRule,
};

use crate::person_columns::{keys_of, person_columns, BatchKeys};
pub use recorded::{RecordedAsset, Recording};

mod recorded;

/// How persons are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Exact while it fits the memory budget, bounds from sketches beyond it.
    Exact,
    /// Sketches only: bounds, mergeable across runs with the same key.
    Sketch,
    /// No counting (no full pass).
    Off,
}

/// Rows fetched per batch in the full pass.
const BATCH_ROWS: usize = 8192;

/// One asset being counted.
struct Slot {
    /// Source and name of the asset's report, to fill in its person count at the end.
    asset: (String, String),
    /// One key per row (its first identifier in [`IdentifierKind`] order), sketched: the
    /// asset's estimated person count when the exact counter is off or over budget. Rows of
    /// one table usually carry the same identifier columns, so one person's rows give the same
    /// key, where a sketch per kind would count a person with an ID and a phone twice.
    row_keys: Option<SketchCounter>,
    vehicle: bool,
    /// The catalogue items the asset holds data of (slugs).
    items: BTreeSet<String>,
    /// Whether every row was read.
    complete: bool,
}

struct Counters {
    all: SketchCounter,
    vehicle: SketchCounter,
    slots: Vec<Slot>,
    incomplete: Vec<String>,
}

/// Hashed rows of one asset, for the exact counter's thread.
struct Work {
    slot: usize,
    /// The asset's name, registered with the counter the first time the slot is seen.
    name: Arc<str>,
    parts: Vec<KeyRows>,
    /// Rows of identifiers found in free text, counted under the asset's second handle so
    /// the report can say how many persons the text added.
    text: Vec<KeyRows>,
    /// Keys in `parts` and `text`.
    keys: usize,
    /// This work's share of [`EXACT_QUEUE_KEYS`], given back once it is added.
    _room: tokio::sync::OwnedSemaphorePermit,
}

/// The counter's handles of one slot: its identifier columns and its free text.
type Handles = [Option<AssetId>; 2];

/// What the exact counter's thread hands back at the end.
struct ExactResult {
    /// `None` if the counter outgrew its budget and was dropped.
    counter: Option<ExactCounter>,
    /// The counter's asset handles of each slot that sent rows.
    assets: Vec<Handles>,
}

/// The exact counter runs on a thread of its own, fed through a channel bounded by the keys
/// in flight ([`EXACT_QUEUE_KEYS`]), so it overlaps with reading and hashing instead of
/// holding up the asset tasks behind a lock. It looks up each batch's keys on the rayon pool
/// (its tables are split by key, one task per table); only linking the rows stays on this
/// thread.
struct ExactStage {
    work: tokio::sync::mpsc::UnboundedSender<Work>,
    /// Keys in flight to the counter ([`EXACT_QUEUE_KEYS`]): the asset tasks wait for room.
    room: Arc<tokio::sync::Semaphore>,
    /// Cleared when the counter gives up, so the asset tasks stop sending rows.
    active: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<ExactResult>,
}

/// Keys in flight to the exact counter (sent and not added yet) before the asset tasks
/// wait: several of its batches ([`EXACT_BATCH_KEYS`]), so that reading and hashing go on
/// while it adds one (with 4 batches of ~16,000 keys, as before, both cores sat idle in
/// turns: 14% of a 100M-value count). 16 bytes a key: 128 MB at most.
const EXACT_QUEUE_KEYS: usize = 4 * EXACT_BATCH_KEYS;

impl ExactStage {
    fn start(budget_bytes: usize) -> std::io::Result<Self> {
        let (work, mut queue) = tokio::sync::mpsc::unbounded_channel::<Work>();
        let active = Arc::new(AtomicBool::new(true));
        let flag = active.clone();
        let thread = std::thread::Builder::new()
            .name("mulu-persons".into())
            .spawn(move || {
                let mut counter = Some(ExactCounter::new());
                let mut assets: Vec<Handles> = Vec::new();
                let mut pending = Pending::default();
                loop {
                    let work = queue.blocking_recv();
                    let ended = work.is_none();
                    if let Some(work) = work {
                        pending.push(work);
                    }
                    if !ended && pending.keys < EXACT_BATCH_KEYS {
                        continue;
                    }
                    // After giving up, keep draining so that no sender waits forever.
                    let works = pending.take();
                    if let Some(c) = counter.as_mut() {
                        add_works(c, &mut assets, works);
                        if c.approx_bytes() > budget_bytes {
                            tracing::warn!(
                                budget_mb = budget_bytes >> 20,
                                "exact person count over its memory budget; continuing with sketches"
                            );
                            counter = None;
                            flag.store(false, Ordering::Relaxed);
                        }
                    }
                    if ended {
                        break;
                    }
                }
                ExactResult { counter, assets }
            })?;
        Ok(ExactStage {
            work,
            room: Arc::new(tokio::sync::Semaphore::new(EXACT_QUEUE_KEYS)),
            active,
            thread,
        })
    }
}

/// Keys the exact counter's thread gathers before it adds them: the counter looks up a
/// large batch part of a table by part of a table, which at tens of millions of keys takes
/// a fraction of the time of looking up small batches one after another. 2^21 rather than
/// 2^20 since the tables are looked up table by table: ~3% less wall time on the 100M-value
/// lake in interleaved runs, ~40 MB more peak memory.
const EXACT_BATCH_KEYS: usize = 1 << 21;

/// Work received by the exact counter's thread and not added yet.
#[derive(Default)]
struct Pending {
    works: Vec<Work>,
    keys: usize,
}

impl Pending {
    fn push(&mut self, work: Work) {
        self.keys += work.keys;
        self.works.push(work);
    }

    fn take(&mut self) -> Vec<Work> {
        self.keys = 0;
        std::mem::take(&mut self.works)
    }
}

/// Adds `works` to the counter in one step, the rows of each asset under its handles.
fn add_works(c: &mut ExactCounter, assets: &mut Vec<Handles>, works: Vec<Work>) {
    let mut handles = Vec::with_capacity(works.len());
    for work in &works {
        if assets.len() <= work.slot {
            assets.resize(work.slot + 1, [None, None]);
        }
        let [rows_id, text_id] = &mut assets[work.slot];
        let rows = *rows_id.get_or_insert_with(|| c.register_asset(&work.name));
        let text = (!work.text.is_empty()).then(|| {
            // A name no asset can have: asset names never hold a NUL.
            *text_id.get_or_insert_with(|| c.register_asset(&format!("{}\0free text", work.name)))
        });
        handles.push((rows, text));
    }
    let batches: Vec<(Option<AssetId>, &[KeyRows])> = works
        .iter()
        .zip(handles)
        .flat_map(|(work, (rows, text))| [(Some(rows), &work.parts[..]), (text, &work.text[..])])
        .filter(|(_, b)| !b.is_empty())
        .collect();
    c.add_assets_batches(&batches);
}

/// An asset being counted: its slot and what its rows have added so far.
struct OpenSlot {
    slot: usize,
    name: Arc<str>,
    vehicle: bool,
    sketch: SketchCounter,
    row_keys: SketchCounter,
    /// Every hashed row, when the tally records for a merge.
    recorded: Option<Vec<KeyRows>>,
}

/// What a persons pass over one asset is bounded and watched by.
#[derive(Clone, Copy)]
pub struct PassContext<'a> {
    /// How long the pass may take.
    pub limit: std::time::Duration,
    /// Masks names and errors for the report.
    pub redactor: &'a crate::redact::Redactor,
    /// Counts the rows read, for the progress display.
    pub activity: &'a crate::activity::Activity,
}

/// The persons tally of one scan, shared by the asset tasks.
pub struct Tally {
    keyer: Arc<PersonKeyer>,
    /// The built-in classifiers, to find identifiers inside free text as a column scan does.
    texts: Arc<ClassifierSet>,
    exact: Option<ExactStage>,
    counters: Mutex<Counters>,
    /// Catalogue items, to count each item's persons exactly ([`Tally::with_items`]).
    items: Option<catalog_export::rules::RuleSet>,
    /// The scan's classifiers, for custom identifiers ([`Tally::with_classifiers`]).
    classifiers: Option<Arc<ClassifierSet>>,
    /// Where each asset's hashed rows go when a shard records them for a merge
    /// ([`Tally::recording_into`]).
    recording: Option<Recording>,
}

/// Whether the asset holds vehicle data, so its persons are vehicle PI.
fn is_vehicle_asset(report: &AssetReport) -> bool {
    report.category_ids().any(model::CategoryId::is_vehicle)
}

impl Tally {
    /// The shared counters. A panicked asset task cannot leave them half-updated in a way
    /// that matters (each update is one merge or push), so a poisoned lock is taken as is.
    fn counters(&self) -> std::sync::MutexGuard<'_, Counters> {
        self.counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A tally with `keyer` and a memory budget for the exact counter.
    pub fn new(mode: Mode, keyer: PersonKeyer, budget_bytes: usize) -> Self {
        let exact = if mode == Mode::Exact {
            match ExactStage::start(budget_bytes) {
                Ok(stage) => Some(stage),
                Err(e) => {
                    tracing::warn!(error = %e, "no thread for the exact person count; using sketches");
                    None
                }
            }
        } else {
            None
        };
        let counters = Counters {
            all: SketchCounter::new(&keyer),
            vehicle: SketchCounter::new(&keyer),
            slots: Vec::new(),
            incomplete: Vec::new(),
        };
        Self {
            keyer: Arc::new(keyer),
            texts: Arc::new(ClassifierSet::builtin()),
            exact,
            counters: Mutex::new(counters),
            items: None,
            classifiers: None,
            recording: None,
        }
    }

    /// The keyer identifiers are hashed with.
    pub fn keyer(&self) -> &PersonKeyer {
        &self.keyer
    }

    /// Also keeps every asset's hashed rows in `recording`, for a shard's output: a merge
    /// replays them ([`Tally::replay`]) to link persons across shards exactly.
    pub fn recording_into(self, recording: Recording) -> Self {
        Self {
            recording: Some(recording),
            ..self
        }
    }

    /// Also counts persons by the custom classifiers of `set` that declare
    /// `identifies_person` (an employee or member number), linked like any identifier.
    pub fn with_classifiers(self, set: Arc<ClassifierSet>) -> Self {
        Self {
            classifiers: Some(set),
            ..self
        }
    }

    /// Also counts the persons of each catalogue item of `rules` exactly (exact mode only):
    /// an item's persons are not the sum of its assets', since one person is in many.
    pub fn with_items(self, rules: catalog_export::rules::RuleSet) -> Self {
        Self {
            items: Some(rules),
            ..self
        }
    }

    /// Full pass over the identifier columns of one classified asset. Its person count is
    /// filled in by [`finish`](Self::finish), once every link between assets is known.
    /// A failed pass, or one that outlasts `limit`, is a warning on the asset and marks the
    /// count incomplete.
    pub async fn count_asset(
        &self,
        connector: &SharedConnector,
        asset: &AssetInfo,
        report: &mut AssetReport,
        pass: &PassContext<'_>,
    ) {
        let PassContext {
            limit,
            redactor,
            activity,
        } = *pass;
        let columns = person_columns(report, self.classifiers.as_deref());
        if columns.is_empty() {
            return;
        }
        let mut open = self.open_slot(report);
        let uses = Arc::new(columns.uses);
        let set = self.classifiers.clone();
        // Every row the pass reads, identifiers or not: the asset's row count once it ends.
        let mut rows_read = 0u64;
        let pass = async {
            let request = ReadRequest::full_pass(columns.names, BATCH_ROWS);
            let stream = connector.read(asset, &request).await?.batches;
            // Hash the next batch on the rayon pool while this one is added to the counters.
            let mut hashed = stream
                .map(|batch| {
                    let keyer = self.keyer.clone();
                    let texts = self.texts.clone();
                    let uses = uses.clone();
                    let set = set.clone();
                    async move {
                        let batch = batch?;
                        let rows = batch.num_rows() as u64;
                        let keys = crate::cpu::on_rayon(move || {
                            keys_of(&batch, &uses, &keyer, &texts, set.as_deref())
                        })
                        .await;
                        Ok::<_, connectors::Error>((rows, keys.unwrap_or_default()))
                    }
                })
                .buffered(2);
            while let Some(read) = hashed.next().await {
                let (rows, keys) = read?;
                rows_read += rows;
                activity.add_rows(rows);
                self.ingest(&mut open, keys).await;
            }
            Ok::<_, connectors::Error>(())
        };
        let result = match tokio::time::timeout(limit, pass).await {
            Ok(done) => done.map_err(|e| redactor.error(e)),
            Err(_) => Err(format!(
                "stopped after {} s (raise [scan] full_pass_timeout_secs); the persons in the \
                 rows not read are not counted",
                limit.as_secs()
            )),
        };
        if result.is_ok() {
            // Counted to the last row: better than a listing's estimate or none at all.
            report.row_count = Some(rows_read);
        }
        if let Err(e) = &result {
            report
                .warnings
                .push(format!("the person count could not read every row: {e}"));
        }
        self.close_slot(open, result.is_ok(), redactor);
    }

    /// Registers an asset whose rows are about to be counted.
    fn open_slot(&self, report: &AssetReport) -> OpenSlot {
        let vehicle = is_vehicle_asset(report);
        let items = self.items.as_ref().map_or_else(BTreeSet::new, |rules| {
            report
                .category_ids()
                .map(|c| rules.item_id_for(c))
                .collect()
        });
        let name: Arc<str> = format!("{} {}", report.source, report.name).into();
        let slot = {
            let mut c = self.counters();
            c.slots.push(Slot {
                asset: (report.source.clone(), report.name.clone()),
                row_keys: None,
                vehicle,
                items,
                complete: false,
            });
            c.slots.len() - 1
        };
        OpenSlot {
            slot,
            name,
            vehicle,
            sketch: SketchCounter::new(&self.keyer),
            row_keys: SketchCounter::new(&self.keyer),
            recorded: self.recording.as_ref().map(|_| Vec::new()),
        }
    }

    /// Adds one batch of an asset's hashed rows to its sketches and the exact counter.
    async fn ingest(&self, open: &mut OpenSlot, keys: BatchKeys) {
        for rows in keys.rows.iter().chain(&keys.text) {
            for row in rows.iter() {
                open.sketch.add_row_and_lead(row, &mut open.row_keys);
            }
        }
        if let Some(recorded) = open.recorded.as_mut() {
            // A shard records the rows of free text among the others: the merge links and
            // counts them alike, though it cannot say which persons came from text.
            let all = keys.rows.iter().chain(&keys.text);
            recorded.extend(all.filter(|r| !r.is_empty()).cloned());
        }
        if let Some(exact) = &self.exact {
            if exact.active.load(Ordering::Relaxed) {
                let n = keys.rows.iter().chain(&keys.text);
                let n: usize = n.map(|r| r.keys().len()).sum();
                // Capped so that it always fits beside what the counter's thread holds while it
                // waits to gather a batch (under EXACT_BATCH_KEYS keys): a larger share could
                // wait on that thread while it waits on this work.
                let share = n.clamp(1, EXACT_QUEUE_KEYS - EXACT_BATCH_KEYS) as u32;
                let Ok(room) = exact.room.clone().acquire_many_owned(share).await else {
                    return;
                };
                let work = Work {
                    slot: open.slot,
                    name: open.name.clone(),
                    parts: keys.rows,
                    text: keys.text,
                    keys: n,
                    _room: room,
                };
                // An error means the counter thread has ended; finish() reports it.
                let _ = exact.work.send(work);
            }
        }
    }

    /// Ends an asset's count: rows read before a failure still count (they are holdings all
    /// the same), but its person count is only given when every row was read.
    fn close_slot(&self, open: OpenSlot, complete: bool, redactor: &crate::redact::Redactor) {
        let mut c = self.counters();
        let c = &mut *c;
        merge_sketch(&mut c.all, &open.sketch);
        if open.vehicle {
            merge_sketch(&mut c.vehicle, &open.sketch);
        }
        let slot = &mut c.slots[open.slot];
        slot.row_keys = Some(open.row_keys);
        slot.complete = complete;
        if !complete {
            c.incomplete.push(open.name.to_string());
        }
        if let (Some(recording), Some(rows)) = (&self.recording, open.recorded) {
            let (source, name) = &slot.asset;
            recording.push(recorded::RecordedAsset {
                source: redactor.name(source),
                name: redactor.name(name),
                complete,
                rows,
            });
        }
    }

    /// The persons section of the report; fills in the person count of every asset that
    /// was read in full (`assets` are matched by source and name).
    pub fn finish(self, rules: &[ThresholdRule], assets: &mut [AssetReport]) -> PersonsReport {
        // A panicked asset task leaves the counters as they were after its last complete
        // update; the count goes on with them rather than failing the scan.
        let c = self
            .counters
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let exact = self.exact.and_then(|stage| {
            drop(stage.work);
            match stage.thread.join() {
                Ok(result) => Some(result),
                Err(_) => {
                    tracing::error!("the exact person count failed; reporting sketch bounds");
                    None
                }
            }
        });
        let gave_up_exact = exact.as_ref().is_some_and(|e| e.counter.is_none());
        let (report, exact_by_slot) = match exact {
            Some(ExactResult {
                counter: Some(counter),
                assets: handles,
            }) => {
                let vehicle_assets: Vec<AssetId> = c
                    .slots
                    .iter()
                    .zip(&handles)
                    .filter(|(s, _)| s.vehicle)
                    .flat_map(|(_, ids)| ids.iter().flatten().copied())
                    .collect();
                let vehicle = PersonCount::exact(counter.persons_in_assets(&vehicle_assets));
                let by_asset: HashMap<AssetId, u64> =
                    counter.persons_by_asset().into_iter().collect();
                // A slot that sent no rows has no handle: its count comes from its (empty)
                // sketch. One with free text counts the persons of both its handles.
                let by_slot: Vec<Option<u64>> = handles
                    .iter()
                    .map(|ids| match ids {
                        [Some(rows), None] => by_asset.get(rows).copied(),
                        [None, None] => None,
                        _ => Some(counter.persons_in_assets(&handle_ids(ids))),
                    })
                    .collect();
                let mut report = persons::exact_report(&counter, &self.keyer, Some(vehicle), rules);
                report.by_item = persons_by_item(&c.slots, &handles, &counter);
                report.free_text = free_text_persons(&counter, &handles);
                (report, by_slot)
            }
            _ => (
                persons::sketch_report(&c.all, Some(c.vehicle.count()), rules),
                Vec::new(),
            ),
        };
        let index: HashMap<(&str, &str), usize> = assets
            .iter()
            .enumerate()
            .map(|(i, a)| ((a.source.as_str(), a.name.as_str()), i))
            .collect();
        let estimate = |s: &SketchCounter| s.distinct_by_kind().values().sum::<u64>();
        let mut counts = Vec::new();
        for (n, slot) in c.slots.iter().enumerate().filter(|(_, s)| s.complete) {
            let exact = exact_by_slot.get(n).copied().flatten();
            let persons = exact.or_else(|| slot.row_keys.as_ref().map(estimate));
            if let (Some(&i), Some(persons)) = (
                index.get(&(slot.asset.0.as_str(), slot.asset.1.as_str())),
                persons,
            ) {
                counts.push((i, persons));
            }
        }
        for (i, persons) in counts {
            assets[i].persons = Some(persons);
        }
        PersonsReport {
            incomplete: c.incomplete,
            exact_over_budget: gave_up_exact,
            ..report
        }
    }
}

fn handle_ids(ids: &Handles) -> Vec<AssetId> {
    ids.iter().flatten().copied().collect()
}

/// What free text added: the persons with an identifier found in it, and those of them no
/// identifier column names (the count without free text falls by that many). `None` when no
/// free text gave an identifier.
fn free_text_persons(counter: &ExactCounter, handles: &[Handles]) -> Option<FreeTextPersons> {
    let text: Vec<AssetId> = handles.iter().filter_map(|[_, t]| *t).collect();
    if text.is_empty() {
        return None;
    }
    let columns: Vec<AssetId> = handles.iter().filter_map(|[r, _]| *r).collect();
    let persons = counter.persons_in_assets(&text);
    Some(FreeTextPersons {
        persons,
        only: counter.distinct_persons() - counter.persons_in_assets(&columns),
    })
}

/// Exact persons of every item all of whose assets were read to the end: the persons in the
/// union of its assets, linked through every asset of the scan.
fn persons_by_item(
    slots: &[Slot],
    handles: &[Handles],
    counter: &ExactCounter,
) -> BTreeMap<String, u64> {
    let mut items: BTreeMap<&str, (Vec<AssetId>, bool)> = BTreeMap::new();
    for (slot, handle) in slots.iter().zip(handles) {
        for item in &slot.items {
            let (ids, complete) = items.entry(item).or_insert((Vec::new(), true));
            *complete &= slot.complete;
            ids.extend(handle.iter().flatten());
        }
    }
    items
        .into_iter()
        .filter(|(_, (_, complete))| *complete)
        .map(|(item, (ids, _))| (item.to_string(), counter.persons_in_assets(&ids)))
        .collect()
}

/// Adds an asset's sketch to a total. Both come from this run's keyer, so they always merge.
fn merge_sketch(total: &mut SketchCounter, part: &SketchCounter) {
    total
        .merge(part)
        .unwrap_or_else(|e| unreachable!("sketches of one keyer merge: {e}"));
}
