//! Counting distinct persons during a scan: a full pass over the identifier columns of each
//! asset, keyed hashes as soon as values are read, linking within rows.
//!
//! Exact counting (union-find over keys) runs alongside HLL sketches; when the exact counter
//! outgrows its memory budget it is dropped and the sketches give bounds instead, so a scan
//! never runs out of memory on a large holding.

use std::sync::{Arc, Mutex};

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use catalog_export::{AssetReport, PersonsReport};
use connectors::{AssetInfo, SharedConnector};
use futures::StreamExt;
use persons::{
    AssetId, ExactCounter, IdentifierKind, PersonCount, PersonKey, PersonKeyer, SketchCounter,
    ThresholdRule,
};
use rayon::prelude::*;

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
    exact: Option<AssetId>,
    sketch: SketchCounter,
    vehicle: bool,
}

struct Counters {
    exact: Option<ExactCounter>,
    all: SketchCounter,
    vehicle: SketchCounter,
    slots: Vec<Slot>,
    incomplete: Vec<String>,
    gave_up_exact: bool,
}

/// The persons tally of one scan, shared by the asset tasks.
pub struct Tally {
    keyer: Arc<PersonKeyer>,
    budget_bytes: usize,
    counters: Mutex<Counters>,
}

/// The identifier columns of an asset, by position, with their kind.
fn identifier_columns(report: &AssetReport) -> Vec<(String, IdentifierKind)> {
    report
        .columns
        .iter()
        .filter_map(|c| {
            let top = c.categories.first()?;
            IdentifierKind::from_category_id(&top.id).map(|k| (c.name.clone(), k))
        })
        .collect()
}

/// Whether the asset holds vehicle data, so its persons are vehicle PI.
fn is_vehicle_asset(report: &AssetReport) -> bool {
    report.category_ids().any(|id| id.starts_with("vehicle."))
}

impl Tally {
    /// A tally with `keyer` and a memory budget for the exact counter.
    pub fn new(mode: Mode, keyer: PersonKeyer, budget_bytes: usize) -> Self {
        let exact = (mode == Mode::Exact).then(ExactCounter::new);
        let counters = Counters {
            exact,
            all: SketchCounter::new(&keyer),
            vehicle: SketchCounter::new(&keyer),
            slots: Vec::new(),
            incomplete: Vec::new(),
            gave_up_exact: false,
        };
        Self {
            keyer: Arc::new(keyer),
            budget_bytes,
            counters: Mutex::new(counters),
        }
    }

    /// Full pass over the identifier columns of one classified asset; sets `report.persons`.
    /// A failed pass is a warning on the asset and marks the count incomplete.
    pub async fn count_asset(
        &self,
        connector: &SharedConnector,
        asset: &AssetInfo,
        report: &mut AssetReport,
    ) {
        let columns = identifier_columns(report);
        if columns.is_empty() {
            return;
        }
        let vehicle = is_vehicle_asset(report);
        let slot = {
            let mut c = self.counters.lock().expect("not poisoned");
            let exact = c
                .exact
                .as_mut()
                .map(|e| e.register_asset(&format!("{} {}", report.source, report.name)));
            c.slots.push(Slot {
                exact,
                sketch: SketchCounter::new(&self.keyer),
                vehicle,
            });
            c.slots.len() - 1
        };
        let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
        let kinds: Arc<Vec<IdentifierKind>> = Arc::new(columns.iter().map(|(_, k)| *k).collect());
        let result = async {
            let stream = connector.scan_columns(asset, &names, BATCH_ROWS).await?;
            // Hash the next batch on the rayon pool while this one is added to the counters.
            let mut hashed = stream
                .map(|batch| {
                    let keyer = self.keyer.clone();
                    let kinds = kinds.clone();
                    async move {
                        let batch = batch?;
                        let rows =
                            crate::scan::on_rayon(move || keys_of(&batch, &kinds, &keyer)).await;
                        Ok::<_, connectors::Error>(rows.unwrap_or_default())
                    }
                })
                .buffered(2);
            while let Some(rows) = hashed.next().await {
                self.add_rows(slot, &rows?);
            }
            Ok::<_, connectors::Error>(())
        }
        .await;
        let mut c = self.counters.lock().expect("not poisoned");
        if let Err(e) = result {
            report
                .warnings
                .push(format!("the person count could not read every row: {e}"));
            c.incomplete
                .push(format!("{} {}", report.source, report.name));
            return;
        }
        let slot = &c.slots[slot];
        report.persons = Some(match (c.exact.as_ref(), slot.exact) {
            (Some(exact), Some(id)) => exact.asset_persons(id),
            _ => slot.sketch.count().upper,
        });
    }

    fn add_rows(&self, slot: usize, rows: &[Vec<PersonKey>]) {
        let mut c = self.counters.lock().expect("not poisoned");
        let c = &mut *c;
        let slot = &mut c.slots[slot];
        for keys in rows {
            c.all.add_row(keys);
            if slot.vehicle {
                c.vehicle.add_row(keys);
            }
            slot.sketch.add_row(keys);
            if let (Some(exact), Some(id)) = (c.exact.as_mut(), slot.exact) {
                exact.add_asset_row(id, keys);
            }
        }
        if c.exact
            .as_ref()
            .is_some_and(|e| e.approx_bytes() > self.budget_bytes)
        {
            tracing::warn!(
                budget_mb = self.budget_bytes >> 20,
                "exact person count over its memory budget; continuing with sketches"
            );
            c.exact = None;
            c.gave_up_exact = true;
        }
    }

    /// The persons section of the report.
    pub fn finish(self, rules: &[ThresholdRule]) -> PersonsReport {
        let c = self.counters.into_inner().expect("not poisoned");
        let report = match &c.exact {
            Some(exact) => {
                let vehicle_assets: Vec<AssetId> = c
                    .slots
                    .iter()
                    .filter(|s| s.vehicle)
                    .filter_map(|s| s.exact)
                    .collect();
                let vehicle = PersonCount::exact(exact.persons_in_assets(&vehicle_assets));
                persons::PersonsReport::from_exact(exact, &self.keyer, Some(vehicle), rules)
            }
            None => persons::PersonsReport::from_sketch(&c.all, Some(c.vehicle.count()), rules),
        };
        let value = serde_json::to_value(&report).expect("the persons report serialises");
        let mut out: PersonsReport = serde_json::from_value(value).expect("same shape");
        out.incomplete = c.incomplete;
        out.exact_over_budget = c.gave_up_exact;
        out
    }
}

/// Keyed hashes of the identifiers in each row of a batch (column `i` has kind `kinds[i]`).
/// Raw values live only inside this function.
fn keys_of(
    batch: &RecordBatch,
    kinds: &[IdentifierKind],
    keyer: &PersonKeyer,
) -> Vec<Vec<PersonKey>> {
    let columns: Vec<Option<&arrow_array::StringArray>> = batch
        .columns()
        .iter()
        .map(|c| c.as_string_opt::<i32>())
        .collect();
    // Keyed hashing is the expensive part (HMAC per value): spread rows over the rayon pool.
    (0..batch.num_rows())
        .into_par_iter()
        .map(|row| {
            columns
                .iter()
                .zip(kinds)
                .filter_map(|(col, kind)| {
                    let col = (*col)?;
                    if col.is_null(row) {
                        return None;
                    }
                    keyer.key_raw(*kind, col.value(row))
                })
                .collect()
        })
        .filter(|keys: &Vec<PersonKey>| !keys.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc as StdArc;

    use arrow_array::StringArray;
    use arrow_schema::{DataType, Field, Schema};

    #[test]
    fn keys_skip_invalid_values_and_empty_rows() {
        let keyer = PersonKeyer::new(&[7u8; 32]).unwrap();
        let schema = StdArc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, true),
            Field::new("phone", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                StdArc::new(StringArray::from(vec![
                    Some("11010519491231002X"),
                    Some("110105194912310021"),
                    None,
                ])),
                StdArc::new(StringArray::from(vec![
                    Some("13800138000"),
                    None,
                    Some("+86 138-0013-8000"),
                ])),
            ],
        )
        .unwrap();
        let rows = keys_of(
            &batch,
            &[IdentifierKind::CnResidentId, IdentifierKind::MobilePhone],
            &keyer,
        );
        assert_eq!(rows.len(), 2, "the middle row has only an invalid ID");
        assert_eq!(rows[0].len(), 2);
        assert_eq!(rows[1], vec![rows[0][1]], "formatting variants hash alike");
    }
}
