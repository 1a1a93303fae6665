//! From a scan report and the configuration to catalogue items and their importance.

use std::collections::{BTreeMap, BTreeSet};

use model::{AssetKind, AssetReport, CategoryId, Level, ScanReport, Status};

use crate::rules::{Condition, ItemDef, RuleSet};

use super::fields::compile_field_rules;
use super::*;

/// Everything needed to build a catalogue.
pub struct CatalogInput<'a> {
    /// The scan.
    pub report: &'a ScanReport,
    /// `[organization]`.
    pub organization: &'a Organization,
    /// `[catalog]`.
    pub config: &'a CatalogConfig,
    /// Items and importance rules.
    pub rules: &'a RuleSet,
}

/// A `[[catalog.fields]]` match pattern that is not a valid glob.
#[derive(Debug, thiserror::Error)]
#[error("[[catalog.fields]] pattern '{pattern}': {source}")]
pub struct FieldPatternError {
    /// The pattern as written.
    pub pattern: String,
    /// Why it is not a glob.
    pub source: globset::Error,
}

/// Builds the catalogue.
///
/// # Errors
/// A `[[catalog.fields]]` pattern that is not a valid glob.
pub fn build(input: &CatalogInput<'_>) -> Result<Catalog, FieldPatternError> {
    let CatalogInput {
        report,
        organization,
        config,
        rules,
    } = input;
    let matchers = compile_field_rules(&config.fields)?;
    let vehicle_org = organization.is_vehicle();
    let rules = &rules.for_sectors(&organization.sectors);

    // Group assets by item: every category an asset holds puts it under that item.
    let mut groups: BTreeMap<String, (ItemDef, BTreeSet<CategoryId>, Vec<&AssetReport>)> =
        BTreeMap::new();
    // A partly read asset counts with what was read; `unread` records the rest.
    for asset in report.assets.iter().filter(|a| a.status != Status::Error) {
        let ids: BTreeSet<&CategoryId> = asset.category_ids().collect();
        for id in ids {
            let def = rules
                .item_for(id)
                .cloned()
                .unwrap_or_else(|| fallback_item(report, id));
            let entry = groups
                .entry(def.id.clone())
                .or_insert_with(|| (def, BTreeSet::new(), Vec::new()));
            entry.1.insert(id.clone());
            if !entry.2.iter().any(|a| std::ptr::eq(*a, asset)) {
                entry.2.push(asset);
            }
        }
    }

    let mut inventory = Vec::new();
    let mut matched = vec![false; matchers.len()];
    for (_, (def, categories, assets)) in groups {
        let mut item = base_item(report, &def, &categories, &assets);
        decide_importance(&mut item, &def, rules, vehicle_org, &assets);
        for ((matcher, rule), hit) in matchers.iter().zip(matched.iter_mut()) {
            if matcher.matches(&item, &assets) {
                item.fields.overlay(&rule.fields);
                *hit = true;
            }
        }
        if vehicle_org {
            let art3_items = item
                .basis
                .iter()
                .filter(|b| b.contains("汽车数据安全管理若干规定"))
                .cloned()
                .collect();
            item.vehicle = Some(VehicleExtension {
                kind: def.vehicle_kind.clone().unwrap_or_else(|| "其他".into()),
                art3_items,
            });
        }
        inventory.push(item);
    }
    let items = inventory
        .iter()
        .filter(|i| i.level > Level::General)
        .cloned()
        .collect();
    Ok(Catalog {
        schema: CATALOG_SCHEMA.into(),
        scan_started_at: report.started_at,
        header: FilingHeader {
            organization: (*organization).clone(),
            filing_type: FilingType::Initial,
            pi_subjects_total: report.persons.as_ref().map(|p| Range {
                lower: p.lower,
                upper: p.upper,
            }),
        },
        items,
        inventory,
        unread: unread(report),
        unscanned: report
            .sources
            .iter()
            .flat_map(|s| {
                s.unscanned.iter().map(|u| UnscannedStorage {
                    source: s.url.clone(),
                    files: u.clone(),
                })
            })
            .collect(),
        refiling: None,
        unmatched_field_rules: matchers
            .iter()
            .zip(&matched)
            .enumerate()
            .filter(|(_, (_, hit))| !**hit)
            .map(|(i, ((_, rule), _))| describe_field_rule(i, rule))
            .collect(),
    })
}

/// `[[catalog.fields]] #2 (match item = "vehicle-*")`, for messages.
fn describe_field_rule(index: usize, rule: &FieldRule) -> String {
    let m = &rule.matches;
    let parts: Vec<String> = [
        ("item", &m.item),
        ("category", &m.category),
        ("source", &m.source),
        ("asset", &m.asset),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} = \"{v}\"")))
    .collect();
    let what = if parts.is_empty() {
        "no match: every item".to_string()
    } else {
        format!("match {}", parts.join(", "))
    };
    format!("[[catalog.fields]] #{} ({what})", index + 1)
}

/// The failed and partly read sources and assets of a report.
fn unread(report: &ScanReport) -> Vec<Unread> {
    let cause = |e: &Option<String>| e.clone().unwrap_or_else(|| "unknown error".into());
    let sources = report
        .sources
        .iter()
        .filter(|s| s.status != Status::Ok)
        .map(|s| Unread {
            source: s.url.clone(),
            asset: None,
            cause: cause(&s.error),
            partial: s.status == Status::Partial,
        });
    let assets = report
        .assets
        .iter()
        .filter(|a| a.status != Status::Ok)
        .map(|a| Unread {
            source: a.source.clone(),
            asset: Some(a.name.clone()),
            cause: cause(&a.error),
            partial: a.status == Status::Partial,
        });
    sources.chain(assets).collect()
}

/// An item for a category no definition gathers: the category is its own item.
pub(super) fn fallback_item(report: &ScanReport, category: &CategoryId) -> ItemDef {
    let meta = report.categories.get(category);
    ItemDef {
        id: crate::rules::own_item_id(category),
        name: meta.map_or_else(|| category.to_string(), |m| m.name_zh.clone()),
        description: meta.map_or_else(String::new, |m| m.name_en.clone()),
        categories: vec![category.clone()],
        class: meta
            .filter(|m| m.is_pi)
            .map(|m| vec!["业务服务数据".into(), "个人信息".into(), m.pi_class.clone()])
            .unwrap_or_default(),
        vehicle_kind: None,
        vehicle_pi: false,
        personal: meta.is_some_and(|m| m.is_pi),
        sectors: Vec::new(),
    }
}

pub(super) fn base_item(
    report: &ScanReport,
    def: &ItemDef,
    categories: &BTreeSet<CategoryId>,
    assets: &[&AssetReport],
) -> CatalogItem {
    let mut carriers: Vec<Carrier> = assets
        .iter()
        .map(|a| Carrier {
            source: a.source.clone(),
            asset: a.name.clone(),
            store_type: store_type(&a.source, &a.name, a.kind),
        })
        .collect();
    carriers.sort();
    let sensitive_types: Vec<String> = categories
        .iter()
        .filter_map(|c| report.categories.get(c))
        .filter(|m| m.is_sensitive)
        .map(|m| m.name_zh.clone())
        .collect();
    let persons: Vec<u64> = assets.iter().filter_map(|a| a.persons).collect();
    // Exact mode counted the item's persons itself; otherwise bounds from the assets' counts.
    let exact = report
        .persons
        .as_ref()
        .and_then(|p| p.by_item.get(&def.id).copied());
    let bounds = (report.persons.is_some() && !persons.is_empty()).then(|| {
        let total_upper = report.persons.as_ref().map_or(u64::MAX, |p| p.upper);
        Range {
            lower: persons.iter().copied().max().unwrap_or(0),
            upper: persons.iter().sum::<u64>().min(total_upper),
        }
    });
    let pi_subjects = exact.map(|n| Range { lower: n, upper: n }).or(bounds);
    CatalogItem {
        item_id: def.id.clone(),
        number: None,
        data_name: def.name.clone(),
        description: def.description.clone(),
        class: def
            .class
            .iter()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect(),
        level: Level::General,
        basis: Vec::new(),
        categories: categories.iter().cloned().collect(),
        record_count: RecordCount::of_item(report, assets),
        storage_bytes: assets.iter().filter_map(|a| a.bytes).sum(),
        scale_complete: assets
            .iter()
            .all(|a| a.row_count.is_some() && a.bytes.is_some()),
        pi_subjects,
        contains_sensitive_pi: !sensitive_types.is_empty(),
        sensitive_types,
        carriers,
        fields: PersonFields::default(),
        vehicle: None,
        notes: Vec::new(),
    }
}

pub(super) fn decide_importance(
    item: &mut CatalogItem,
    def: &ItemDef,
    rules: &RuleSet,
    vehicle_org: bool,
    assets: &[&AssetReport],
) {
    for rule in &rules.rules {
        let applies = rule.applies_to.iter().any(|t| match t.as_str() {
            "vehicle_pi" => def.vehicle_pi || (vehicle_org && def.personal),
            "personal" => def.personal || def.vehicle_pi,
            id => id == def.id,
        });
        if !applies {
            continue;
        }
        let fired = match rule.when {
            Condition::Always => Some(true),
            Condition::Geofence => Some(assets.iter().any(|a| !a.geofence_hits.is_empty())),
            Condition::PersonsGt | Condition::PersonsGe => {
                let n = rule.value.unwrap_or(u64::MAX);
                let crosses = |x: u64| {
                    if rule.when == Condition::PersonsGt {
                        x > n
                    } else {
                        x >= n
                    }
                };
                match item.pi_subjects {
                    Some(r) if crosses(r.lower) => Some(true),
                    Some(r) if !crosses(r.upper) => Some(false),
                    Some(_) => None,
                    // Uncounted: rows bound persons from above, since each row is at most one person.
                    None => match item.record_count.value() {
                        Some(rows) if !crosses(rows) => Some(false),
                        _ => None,
                    },
                }
            }
        };
        match fired {
            Some(false) => {}
            Some(true) => raise(item, rule.level, &rule.basis),
            None => {
                raise(item, rule.level, &format!("{}（待核实）", rule.basis));
                item.notes.push(format!(
                    "rule {}: the person count cannot decide it; run the scan with --persons exact",
                    rule.id
                ));
            }
        }
    }
}

pub(super) fn raise(item: &mut CatalogItem, level: Level, basis: &str) {
    item.level = item.level.max(level);
    if !item.basis.iter().any(|b| b == basis) {
        item.basis.push(basis.to_string());
    }
}

pub(super) fn store_type(source: &str, asset: &str, kind: AssetKind) -> String {
    if let Some((scheme, _)) = source.split_once("://") {
        if scheme != "file" {
            return match scheme {
                "postgres" | "postgresql" => "postgresql".into(),
                "mysql" | "mariadb" => "mysql".into(),
                other => other.to_string(),
            };
        }
    }
    if kind == AssetKind::Dataset {
        return "parquet dataset".into();
    }
    if kind == AssetKind::Collection {
        return "media collection".into();
    }
    asset
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_else(|| kind.as_str().to_string())
}
