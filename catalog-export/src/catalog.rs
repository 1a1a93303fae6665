//! The important-data catalogue (重要数据目录): from a scan report and the organisation's
//! configuration to filing items.
//!
//! The scanner knows the carriers, categories and scale; only people know purposes, owners,
//! sharing and cross-border transfers. Those come from `[[catalog.fields]]` rules in
//! `mulu.toml` matched by item, category, source or asset, and whatever no rule fills stays
//! `None` here and shows as 待填写 in the files, so `mulu catalog check` can list it.
//! The catalogue never carries data content: no evidence, no identifiers, no hashes.

use std::collections::{BTreeMap, BTreeSet};

use globset::{Glob, GlobMatcher};
use serde::{Deserialize, Serialize};

use model::{AssetKind, AssetReport, CategoryId, Level, ScanReport, Status, Timestamp};

use crate::rules::{Condition, ItemDef, RuleSet};

/// Schema tag of the JSON catalogue.
pub const CATALOG_SCHEMA: &str = "mulu.catalog/v1";

/// Shown in place of a field only a person can fill.
pub const TO_FILL: &str = "待填写";

/// Sector names that switch on the vehicle extension.
const VEHICLE_SECTORS: &[&str] = &["车联网", "智能网联汽车", "汽车"];

/// `[organization]` in `mulu.toml`: the filing entity (备案主体).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// 单位名称.
    pub name: Option<String>,
    /// 统一社会信用代码 (checked with GB 32100).
    pub uscc: Option<String>,
    /// 所属领域: 电信/互联网, 工业, 车联网/智能网联汽车 …
    #[serde(default)]
    pub sectors: Vec<String>,
    /// 备案机关, e.g. 上海市通信管理局.
    pub filing_authority: Option<String>,
    /// 网络数据安全负责人 (NDSR Art. 30).
    pub security_officer: Option<Person>,
    /// 网络数据安全管理机构.
    pub security_body: Option<String>,
    /// 联系人.
    pub contact: Option<Person>,
}

/// A named person with contact details.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// 姓名.
    pub name: Option<String>,
    /// 职务.
    pub title: Option<String>,
    /// 电话.
    pub phone: Option<String>,
    /// 邮箱.
    pub email: Option<String>,
}

impl Organization {
    /// Whether the vehicle extension applies.
    pub fn is_vehicle(&self) -> bool {
        self.sectors
            .iter()
            .any(|s| VEHICLE_SECTORS.iter().any(|v| s.contains(v)))
    }
}

/// `[catalog]` in `mulu.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogConfig {
    /// Replaces the shipped item and rule set.
    pub rules_file: Option<std::path::PathBuf>,
    /// The organisation's own importance rules, added to the rule set.
    #[serde(default)]
    pub rules: Vec<crate::rules::RuleDef>,
    /// Person-supplied fields, matched to items; later rules override earlier ones field by
    /// field.
    #[serde(default)]
    pub fields: Vec<FieldRule>,
    /// Important sensitive areas (军事管理区, 国防科工单位, 县级以上党政机关) for Art. 3(1).
    #[serde(default)]
    pub geofences: Vec<Geofence>,
}

/// A sensitive area as a longitude/latitude box, in the datum of the scanned coordinates.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Geofence {
    /// A name people recognise (never printed with coordinates of persons).
    pub name: String,
    /// `[min_lng, min_lat, max_lng, max_lat]`.
    pub bbox: [f64; 4],
}

impl Geofence {
    /// Whether a point lies inside (edges included).
    pub fn contains(&self, lng: f64, lat: f64) -> bool {
        let [x0, y0, x1, y1] = self.bbox;
        (x0..=x1).contains(&lng) && (y0..=y1).contains(&lat)
    }
}

/// Which items a [`FieldRule`] fills. Every given pattern must match; patterns are globs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMatch {
    /// Item id, e.g. `vehicle-*`.
    pub item: Option<String>,
    /// A category id the item holds, e.g. `pi.*`.
    pub category: Option<String>,
    /// A carrier's source URL.
    pub source: Option<String>,
    /// A carrier's asset name.
    pub asset: Option<String>,
}

/// The fields only people know (§7.2 of the format), for the items a rule matches.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFields {
    /// 数据来源: 自行收集 / 业务产生 / 第三方提供 / 公开收集 and upstream systems.
    pub data_source: Option<String>,
    /// 处理目的.
    pub purposes: Option<String>,
    /// 处理方式: 收集、存储、使用、加工、传输、提供、公开、删除.
    pub processing: Option<String>,
    /// 使用范围.
    pub usage_scope: Option<String>,
    /// 责任主体 (department and person).
    pub owner: Option<String>,
    /// 对外共享/提供.
    pub external_sharing: Option<String>,
    /// 跨境传输.
    pub cross_border: Option<String>,
    /// 安全保护措施.
    pub protections: Option<String>,
    /// 存储地点.
    pub storage_location: Option<String>,
    /// 存储期限.
    pub retention: Option<String>,
}

/// Reads one person-supplied field.
pub type PersonFieldGetter = fn(&PersonFields) -> &Option<String>;

/// The labels of [`PersonFields`], in filing order, with accessors.
pub const PERSON_FIELDS: &[(&str, PersonFieldGetter)] = &[
    ("数据来源", |f| &f.data_source),
    ("存储地点", |f| &f.storage_location),
    ("存储期限", |f| &f.retention),
    ("处理目的", |f| &f.purposes),
    ("处理方式", |f| &f.processing),
    ("使用范围", |f| &f.usage_scope),
    ("责任主体", |f| &f.owner),
    ("对外共享/提供", |f| &f.external_sharing),
    ("跨境传输", |f| &f.cross_border),
    ("安全保护措施", |f| &f.protections),
];

impl PersonFields {
    /// Fills every field `other` has, keeping the rest.
    fn overlay(&mut self, other: &PersonFields) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f.clone(); } )* };
        }
        take!(
            data_source,
            purposes,
            processing,
            usage_scope,
            owner,
            external_sharing,
            cross_border,
            protections,
            storage_location,
            retention
        );
    }
}

/// `[[catalog.fields]]`: fills person-supplied fields of matching items.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// Which items.
    #[serde(rename = "match", default)]
    pub matches: FieldMatch,
    /// The values.
    #[serde(flatten)]
    pub fields: PersonFields,
}

/// The filing catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// Always [`CATALOG_SCHEMA`].
    pub schema: String,
    /// When the scan behind it started.
    pub scan_started_at: Timestamp,
    /// 备案主体信息.
    pub header: FilingHeader,
    /// 重要数据目录: important and core items only.
    pub items: Vec<CatalogItem>,
    /// 数据资产台账: every item, important or not.
    pub inventory: Vec<CatalogItem>,
}

/// 备案主体信息.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilingHeader {
    /// The organisation as configured.
    pub organization: Organization,
    /// 备案类型.
    pub filing_type: String,
    /// 个人信息主体总数 (lower, upper), when counted.
    pub pi_subjects_total: Option<Range>,
}

/// A count known within bounds (equal when exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// Lower bound.
    pub lower: u64,
    /// Upper bound.
    pub upper: u64,
}

/// One catalogue entry: a category of data and everything holding it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogItem {
    /// 目录编号: stable across scans for the same data.
    pub item_id: String,
    /// 数据名称.
    pub data_name: String,
    /// 数据描述.
    pub description: String,
    /// 数据类别, up to three levels.
    pub class: Vec<String>,
    /// 数据级别: 一般 / 重要 / 核心.
    pub level: Level,
    /// 识别依据: the rules that made it important.
    pub basis: Vec<String>,
    /// Category ids found.
    pub categories: Vec<CategoryId>,
    /// 数据规模—条目数量: rows over all carriers (known ones).
    pub record_count: u64,
    /// 数据规模—存储总量 in bytes (known ones).
    pub storage_bytes: u64,
    /// Whether every carrier's size was known.
    pub scale_complete: bool,
    /// 个人信息主体数量, when counted.
    pub pi_subjects: Option<Range>,
    /// 含敏感个人信息.
    pub contains_sensitive_pi: bool,
    /// 敏感个人信息类型 (Chinese names).
    pub sensitive_types: Vec<String>,
    /// 数据载体.
    pub carriers: Vec<Carrier>,
    /// Person-supplied fields (None = 待填写).
    pub fields: PersonFields,
    /// The vehicle extension, for vehicle organisations.
    pub vehicle: Option<VehicleExtension>,
    /// Decisions that need a person (e.g. a persons rule that could not be decided).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One asset holding an item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Carrier {
    /// Source URL (redacted).
    pub source: String,
    /// Table or path.
    pub asset: String,
    /// sqlite, postgresql, mysql, parquet, csv, jsonl, …
    pub store_type: String,
}

/// 车联网 extension of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VehicleExtension {
    /// 汽车数据类型.
    pub kind: String,
    /// 重要数据条款: the Art. 3 items that fired.
    pub art3_items: Vec<String>,
}

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

    // Group assets by item: every category an asset holds puts it under that item.
    let mut groups: BTreeMap<String, (ItemDef, BTreeSet<CategoryId>, Vec<&AssetReport>)> =
        BTreeMap::new();
    for asset in report.assets.iter().filter(|a| a.status == Status::Ok) {
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
    for (_, (def, categories, assets)) in groups {
        let mut item = base_item(report, &def, &categories, &assets);
        decide_importance(&mut item, &def, rules, vehicle_org, &assets);
        for (matcher, rule) in &matchers {
            if matcher.matches(&item, &assets) {
                item.fields.overlay(&rule.fields);
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
            filing_type: "首次".into(),
            pi_subjects_total: report.persons.as_ref().map(|p| Range {
                lower: p.lower,
                upper: p.upper,
            }),
        },
        items,
        inventory,
    })
}

/// An item for a category no definition gathers: the category is its own item.
fn fallback_item(report: &ScanReport, category: &CategoryId) -> ItemDef {
    let meta = report.categories.get(category);
    ItemDef {
        id: category.as_str().replace('.', "-"),
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
    }
}

fn base_item(
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
    let pi_subjects = (report.persons.is_some() && !persons.is_empty()).then(|| {
        let total_upper = report.persons.as_ref().map_or(u64::MAX, |p| p.upper);
        Range {
            lower: persons.iter().copied().max().unwrap_or(0),
            upper: persons.iter().sum::<u64>().min(total_upper),
        }
    });
    CatalogItem {
        item_id: def.id.clone(),
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
        record_count: assets.iter().filter_map(|a| a.row_count).sum(),
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

fn decide_importance(
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
                    None if !crosses(item.record_count) && item.scale_complete => Some(false),
                    None => None,
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

fn raise(item: &mut CatalogItem, level: Level, basis: &str) {
    item.level = item.level.max(level);
    if !item.basis.iter().any(|b| b == basis) {
        item.basis.push(basis.to_string());
    }
}

fn store_type(source: &str, asset: &str, kind: AssetKind) -> String {
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
    asset
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_else(|| kind.as_str().to_string())
}

struct CompiledMatch {
    item: Option<GlobMatcher>,
    category: Option<GlobMatcher>,
    source: Option<GlobMatcher>,
    asset: Option<GlobMatcher>,
}

impl CompiledMatch {
    fn matches(&self, item: &CatalogItem, assets: &[&AssetReport]) -> bool {
        let ok = |m: &Option<GlobMatcher>, mut values: Box<dyn Iterator<Item = &str> + '_>| {
            m.as_ref().is_none_or(|m| values.any(|v| m.is_match(v)))
        };
        ok(&self.item, Box::new(std::iter::once(item.item_id.as_str())))
            && ok(
                &self.category,
                Box::new(item.categories.iter().map(CategoryId::as_str)),
            )
            && ok(
                &self.source,
                Box::new(assets.iter().map(|a| a.source.as_str())),
            )
            && ok(
                &self.asset,
                Box::new(assets.iter().map(|a| a.name.as_str())),
            )
    }
}

fn compile_field_rules(
    rules: &[FieldRule],
) -> Result<Vec<(CompiledMatch, &FieldRule)>, FieldPatternError> {
    let glob = |p: &Option<String>| -> Result<Option<GlobMatcher>, FieldPatternError> {
        p.as_ref()
            .map(|p| {
                Glob::new(p)
                    .map(|g| g.compile_matcher())
                    .map_err(|source| FieldPatternError {
                        pattern: p.clone(),
                        source,
                    })
            })
            .transpose()
    };
    rules
        .iter()
        .map(|r| {
            Ok((
                CompiledMatch {
                    item: glob(&r.matches.item)?,
                    category: glob(&r.matches.category)?,
                    source: glob(&r.matches.source)?,
                    asset: glob(&r.matches.asset)?,
                },
                r,
            ))
        })
        .collect()
}

/// A field still to fill, or a configuration problem, for `mulu catalog check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The item id, or `organization`.
    pub place: String,
    /// What is missing or wrong.
    pub message: String,
}

/// Lists every field still 待填写 in the filing and every configuration problem.
/// `uscc_valid` checks a 统一社会信用代码 (GB 32100).
pub fn check(catalog: &Catalog, uscc_valid: impl Fn(&str) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    let org = &catalog.header.organization;
    let mut org_problem = |message: String| {
        problems.push(Problem {
            place: "organization".into(),
            message,
        })
    };
    if org.name.as_deref().is_none_or(str::is_empty) {
        org_problem(format!("单位名称 (organization.name) {TO_FILL}"));
    }
    match org.uscc.as_deref() {
        None | Some("") => org_problem(format!("统一社会信用代码 (organization.uscc) {TO_FILL}")),
        Some(code) if !uscc_valid(code) => org_problem(format!(
            "统一社会信用代码 '{code}' fails the GB 32100 check; check for a typo"
        )),
        Some(_) => {}
    }
    if org.sectors.is_empty() {
        org_problem(format!("所属领域 (organization.sectors) {TO_FILL}"));
    }
    if org.filing_authority.as_deref().is_none_or(str::is_empty) {
        org_problem(format!(
            "备案机关 (organization.filing_authority) {TO_FILL}"
        ));
    }
    if org
        .security_officer
        .as_ref()
        .and_then(|p| p.name.as_deref())
        .is_none()
    {
        org_problem(format!(
            "网络数据安全负责人 (organization.security_officer.name) {TO_FILL}"
        ));
    }
    if org.security_body.as_deref().is_none_or(str::is_empty) {
        org_problem(format!(
            "网络数据安全管理机构 (organization.security_body) {TO_FILL}"
        ));
    }
    for item in &catalog.items {
        for (label, get) in PERSON_FIELDS {
            if get(&item.fields).as_deref().is_none_or(str::is_empty) {
                problems.push(Problem {
                    place: item.item_id.clone(),
                    message: format!("{label} {TO_FILL}"),
                });
            }
        }
        for note in &item.notes {
            problems.push(Problem {
                place: item.item_id.clone(),
                message: note.clone(),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{
        CategoryMeta, CategoryReport, ColumnReport, CountMethod, PersonsReport, SCAN_REPORT_SCHEMA,
    };

    fn asset(
        name: &str,
        rows: u64,
        bytes: u64,
        categories: &[&str],
        persons: Option<u64>,
    ) -> AssetReport {
        AssetReport {
            source: "sqlite://crm.db".into(),
            name: name.into(),
            kind: AssetKind::Table,
            row_count: Some(rows),
            bytes: Some(bytes),
            sampled_rows: rows.min(1000),
            status: Status::Ok,
            error: None,
            warnings: vec![],
            partition_columns: vec![],
            columns: categories
                .iter()
                .map(|c| ColumnReport {
                    name: format!("col_{c}"),
                    data_type: "Utf8".into(),
                    categories: vec![CategoryReport {
                        id: CategoryId::new(*c),
                        confidence: 1.0,
                        matched: 10,
                        sampled: 10,
                        by: vec!["value".into()],
                        evidence: vec!["x**".into()],
                    }],
                })
                .collect(),
            categories: vec![],
            persons,
            geofence_hits: vec![],
        }
    }

    fn report(assets: Vec<AssetReport>, persons: Option<u64>) -> ScanReport {
        let meta = |zh: &str, sensitive| CategoryMeta {
            name_zh: zh.into(),
            name_en: String::new(),
            is_pi: true,
            is_sensitive: sensitive,
            pi_class: "个人身份信息".into(),
            vehicle_item: None,
        };
        ScanReport {
            schema: SCAN_REPORT_SCHEMA.into(),
            started_at: "2026-11-23T00:00:00Z".parse().unwrap(),
            finished_at: "2026-11-23T00:00:01Z".parse().unwrap(),
            sources: vec![],
            assets,
            categories: [
                (model::ids::CN_RESIDENT_ID, meta("居民身份证号", false)),
                (model::ids::BANK_CARD, meta("银行卡号", true)),
                (model::ids::VIN, meta("车辆识别代号", false)),
            ]
            .into_iter()
            .collect(),
            persons: persons.map(|n| PersonsReport {
                distinct: Some(n),
                lower: n,
                upper: n,
                method: CountMethod::Exact,
                mergeable: true,
                by_identifier: BTreeMap::new(),
                thresholds: vec![],
                incomplete: vec![],
                exact_over_budget: false,
            }),
        }
    }

    fn vehicle_org() -> Organization {
        Organization {
            sectors: vec!["车联网/智能网联汽车".into()],
            ..Organization::default()
        }
    }

    fn build_with(report: &ScanReport, org: &Organization, config: &CatalogConfig) -> Catalog {
        build(&CatalogInput {
            report,
            organization: org,
            config,
            rules: &RuleSet::default_rules(),
        })
        .unwrap()
    }

    #[test]
    fn one_item_per_category_of_data_with_all_carriers() {
        let r = report(
            vec![
                asset(
                    "owners",
                    200_000,
                    1_000,
                    &["pi.cn_resident_id", "vehicle.vin"],
                    Some(150_000),
                ),
                asset(
                    "cards",
                    10,
                    100,
                    &["pi.bank_card", "pi.cn_resident_id"],
                    Some(10),
                ),
            ],
            Some(150_005),
        );
        let c = build_with(&r, &vehicle_org(), &CatalogConfig::default());
        let ids: Vec<&str> = c.inventory.iter().map(|i| i.item_id.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "personal-financial",
                "personal-identity",
                "vehicle-identifiers"
            ]
        );
        let identity = &c.inventory[1];
        assert_eq!(identity.carriers.len(), 2);
        assert_eq!(identity.record_count, 200_010);
        assert_eq!(identity.storage_bytes, 1_100);
        assert_eq!(
            identity.pi_subjects,
            Some(Range {
                lower: 150_000,
                upper: 150_005
            })
        );
        // Vehicle organisation: personal items are vehicle PI, > 100,000 persons → important.
        assert_eq!(identity.level, Level::Important);
        assert_eq!(
            identity.basis,
            vec!["《汽车数据安全管理若干规定（试行）》第三条第（五）项"]
        );
        assert_eq!(identity.vehicle.as_ref().unwrap().art3_items.len(), 1);
        let financial = &c.inventory[0];
        assert!(financial.contains_sensitive_pi);
        assert_eq!(financial.sensitive_types, vec!["银行卡号"]);
        assert_eq!(
            financial.level,
            Level::General,
            "10 persons is not over 100,000"
        );
        assert_eq!(c.items.len(), 2);
    }

    #[test]
    fn exactly_100000_vehicle_persons_is_not_important() {
        let r = report(
            vec![asset("owners", 100_000, 1, &["vehicle.vin"], Some(100_000))],
            Some(100_000),
        );
        let c = build_with(&r, &vehicle_org(), &CatalogConfig::default());
        assert_eq!(c.inventory[0].level, Level::General);
        assert!(c.items.is_empty());
    }

    #[test]
    fn uncounted_persons_are_bounded_by_rows_or_flagged() {
        let small = report(
            vec![asset("owners", 50_000, 1, &["vehicle.vin"], None)],
            None,
        );
        let c = build_with(&small, &vehicle_org(), &CatalogConfig::default());
        assert_eq!(
            c.inventory[0].level,
            Level::General,
            "50,000 rows cannot hold 100,001 persons"
        );
        let big = report(
            vec![asset("owners", 500_000, 1, &["vehicle.vin"], None)],
            None,
        );
        let c = build_with(&big, &vehicle_org(), &CatalogConfig::default());
        assert_eq!(c.items[0].level, Level::Important);
        assert!(c.items[0].basis[0].ends_with("（待核实）"));
        assert!(c.items[0].notes[0].contains("--persons exact"));
    }

    #[test]
    fn field_rules_fill_matching_items_and_check_lists_the_rest() {
        let r = report(
            vec![asset(
                "owners",
                500_000,
                1,
                &["vehicle.vin", "pi.cn_resident_id"],
                Some(200_000),
            )],
            Some(200_000),
        );
        let config: CatalogConfig = toml::from_str(
            r#"
            [[fields]]
            match = { category = "pi.*" }
            purposes = "售后服务"
            retention = "3年"
            [[fields]]
            match = { item = "vehicle-*" }
            purposes = "车辆召回"
            "#,
        )
        .unwrap();
        let c = build_with(&r, &vehicle_org(), &config);
        let identity = c
            .items
            .iter()
            .find(|i| i.item_id == "personal-identity")
            .unwrap();
        assert_eq!(identity.fields.purposes.as_deref(), Some("售后服务"));
        assert_eq!(identity.fields.retention.as_deref(), Some("3年"));
        let vehicle = c
            .items
            .iter()
            .find(|i| i.item_id == "vehicle-identifiers")
            .unwrap();
        assert_eq!(vehicle.fields.purposes.as_deref(), Some("车辆召回"));
        let problems = check(&c, |code| code == "91310000MA1FL0000X");
        assert!(problems
            .iter()
            .any(|p| p.place == "organization" && p.message.contains("单位名称")));
        assert!(problems
            .iter()
            .any(|p| p.place == "personal-identity" && p.message == "处理方式 待填写"));
        assert!(!problems
            .iter()
            .any(|p| p.place == "personal-identity" && p.message.starts_with("处理目的")));
    }

    #[test]
    fn a_bad_uscc_is_a_problem() {
        let r = report(vec![], None);
        let org = Organization {
            uscc: Some("91310000XXXXXXXXX1".into()),
            ..vehicle_org()
        };
        let c = build_with(&r, &org, &CatalogConfig::default());
        let problems = check(&c, |_| false);
        assert!(problems
            .iter()
            .any(|p| p.message.contains("fails the GB 32100 check")));
    }

    #[test]
    fn the_catalogue_carries_no_evidence() {
        let r = report(
            vec![asset("owners", 5, 1, &["pi.cn_resident_id"], None)],
            None,
        );
        let c = build_with(&r, &vehicle_org(), &CatalogConfig::default());
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("x**"), "evidence leaked into the catalogue");
    }
}
