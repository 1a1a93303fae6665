//! Catalogue building, importance rules and checks on small reports.

use std::collections::BTreeMap;

use super::*;
use crate::rules::RuleSet;
use model::{
    AssetKind, AssetReport, CategoryId, CategoryMeta, CategoryReport, ColumnReport, CountMethod,
    Level, PersonsReport, ScanReport, Status, SCAN_REPORT_SCHEMA,
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
        sampling: None,
        status: Status::Ok,
        error: None,
        warnings: vec![],
        partition_columns: vec![],
        snapshot: None,
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
        media: None,
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
            key_hash: None,
            key_id: None,
            by_identifier: BTreeMap::new(),
            thresholds: vec![],
            incomplete: vec![],
            exact_over_budget: false,
            by_item: BTreeMap::new(),
            free_text: None,
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
    assert_eq!(
        identity.record_count,
        RecordCount::Counted { value: 200_010 }
    );
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
        [[fields]]
        match = { item = "vehicel-*", category = "vehicle.*" }
        owner = "typo"
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
    assert!(problems.iter().any(|p| p.place == "personal-identity"
        && p.message
            .starts_with("处理方式 待填写: set `processing` in a [[catalog.fields]]")
        && p.message.contains(r#"item = "personal-identity""#)));
    // The typo'd rule is named, with its pattern, instead of silently filling nothing.
    assert_eq!(
        c.unmatched_field_rules,
        [r#"[[catalog.fields]] #3 (match item = "vehicel-*", category = "vehicle.*")"#]
    );
    assert!(problems.iter().any(|p| p.place == "config"
        && p.message.contains("#3")
        && p.message.contains("matches no item")));
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

#[test]
fn record_counts_say_how_they_are_known() {
    // Read to the end by the persons pass: counted.
    let mut full = asset("owners", 3_000, 1, &["vehicle.vin"], Some(2_000));
    // Sampled only, no row count from the source: unknown, never 0.
    let mut sampled = asset("big.csv", 0, 1, &["vehicle.vin"], None);
    sampled.row_count = None;
    sampled.source = "sample-data".into();
    // Database statistics: an estimate.
    let mut pg = asset("public.cars", 7_000, 1, &["vehicle.vin"], None);
    pg.source = "postgres://db/crm".into();
    let r = report(vec![full.clone(), sampled.clone(), pg.clone()], Some(2_000));
    assert_eq!(
        RecordCount::of_asset(&r, &full),
        RecordCount::Counted { value: 3_000 }
    );
    let unknown = RecordCount::of_asset(&r, &sampled);
    assert_eq!(unknown.value(), None);
    assert!(unknown.explain().contains("仅抽样读取 0 行"), "{unknown:?}");
    let estimate = RecordCount::of_asset(&r, &pg);
    assert_eq!(estimate.value(), Some(7_000));
    assert!(estimate.explain().starts_with("估算：数据库统计信息"));

    // An item is as weak as its weakest carrier; the known part is only a lower bound.
    let c = build_with(&r, &vehicle_org(), &CatalogConfig::default());
    let vin = &c.inventory[0];
    match &vin.record_count {
        RecordCount::Unknown { known, reason } => {
            assert_eq!(*known, 10_000);
            assert!(
                reason.starts_with("1 个数据载体行数未知（big.csv："),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    full.persons = None;
    pg.source = "sqlite://crm.db".into();
    let r = report(vec![full, pg], None);
    let c = build_with(&r, &vehicle_org(), &CatalogConfig::default());
    assert_eq!(
        c.inventory[0].record_count,
        RecordCount::Counted { value: 10_000 }
    );
    // A catalogue filed before counts had a basis still reads.
    let mut json = serde_json::to_value(&c).unwrap();
    json["inventory"][0]["record_count"] = 42.into();
    let old: Catalog = serde_json::from_value(json).unwrap();
    assert_eq!(
        old.inventory[0].record_count,
        RecordCount::Counted { value: 42 }
    );
}

#[test]
fn ai_data_holdings_are_training_test_and_user_input_data_for_ai_organisations() {
    let table = |name: &str, category: CategoryId, persons| {
        let mut a = asset(name, 12_000_000, 1 << 30, &[], persons);
        a.categories = vec![model::AssetCategoryReport {
            id: category,
            confidence: 0.9,
            rule: "synthetic".into(),
            columns: vec![],
        }];
        a
    };
    let r = report(
        vec![
            table("chat_messages", model::ids::AI_CHAT_LOG, Some(11_000_000)),
            table("sft_pairs", model::ids::AI_INSTRUCTION_DATA, None),
            table("dpo_pairs", model::ids::AI_PREFERENCE_DATA, None),
            table("eval_results", model::ids::AI_EVALUATION_DATA, None),
        ],
        Some(11_000_000),
    );
    let ai = Organization {
        sectors: vec!["人工智能".into()],
        ..Organization::default()
    };
    let c = build_with(&r, &ai, &CatalogConfig::default());
    let items: Vec<(&str, &str, usize)> = c
        .inventory
        .iter()
        .map(|i| (i.item_id.as_str(), i.data_name.as_str(), i.carriers.len()))
        .collect();
    assert_eq!(
        items,
        [
            ("ai-test-data", "测试数据", 1),
            ("ai-training-data", "训练数据", 2),
            ("ai-user-input", "用户输入数据", 1),
        ]
    );
    // 用户输入数据 is personal information: 10,000,000 persons make it important.
    let input = c
        .inventory
        .iter()
        .find(|i| i.item_id == "ai-user-input")
        .unwrap();
    assert_eq!(input.level, Level::Important);
    assert!(
        input.basis.iter().any(|b| b.contains("第二十八条")),
        "{:?}",
        input.basis
    );
    assert_eq!(c.items.len(), 1);

    // Elsewhere each category is an item of its own.
    let c = build_with(&r, &vehicle_org(), &CatalogConfig::default());
    let ids: Vec<&str> = c.inventory.iter().map(|i| i.item_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ai-chat_log",
            "ai-evaluation_data",
            "ai-instruction_data",
            "ai-preference_data"
        ]
    );
}
