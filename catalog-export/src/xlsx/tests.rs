//! The workbook as a reader sees it: numbers as numbers, 变更 with its 变更事项, headers.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use super::*;
use crate::catalog::{
    Carrier, Change, FilingHeader, FilingType, Organization, PersonFields, RecordCount, Refiling,
    CATALOG_SCHEMA,
};
use crate::diff::Reason;

fn item(id: &str, number: u32, count: RecordCount) -> CatalogItem {
    CatalogItem {
        item_id: id.into(),
        number: Some(number),
        data_name: format!("{id} 数据"),
        description: String::new(),
        class: vec![],
        level: model::Level::Important,
        basis: vec!["test rule".into()],
        categories: vec![],
        record_count: count,
        storage_bytes: 2_000_000_000,
        scale_complete: true,
        pi_subjects: Some(crate::catalog::Range {
            lower: 300,
            upper: 300,
        }),
        contains_sensitive_pi: false,
        sensitive_types: vec![],
        carriers: vec![Carrier {
            source: "sample".into(),
            asset: format!("{id}.csv"),
            store_type: "csv".into(),
        }],
        fields: PersonFields::default(),
        vehicle: None,
        notes: vec![],
    }
}

fn catalog() -> Catalog {
    let items = vec![
        item("counted", 1, RecordCount::Counted { value: 34_900_000 }),
        item(
            "estimated",
            2,
            RecordCount::Estimated {
                value: 5_000,
                how: "数据库统计信息".into(),
            },
        ),
        item(
            "unknown",
            12,
            RecordCount::Unknown {
                known: 0,
                reason: "仅抽样读取 1000 行".into(),
            },
        ),
    ];
    Catalog {
        schema: CATALOG_SCHEMA.into(),
        scan_started_at: "2026-11-23T18:30:00Z".parse().unwrap(),
        header: FilingHeader {
            organization: Organization::default(),
            filing_type: FilingType::Initial,
            pi_subjects_total: None,
        },
        items: items.clone(),
        inventory: items,
        unread: vec![],
        unscanned: vec![],
        refiling: None,
        unmatched_field_rules: vec![],
    }
}

fn open(catalog: &Catalog) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(render(catalog).unwrap())).unwrap()
}

fn column(range: &calamine::Range<Data>, header: &str) -> usize {
    (0..range.width())
        .find(|&c| {
            range
                .get_value((0, c as u32))
                .map(Data::to_string)
                .as_deref()
                == Some(header)
        })
        .unwrap_or_else(|| panic!("no column {header}"))
}

#[test]
fn counts_and_sizes_are_numbers_and_an_unknown_count_is_not_zero() {
    let mut book = open(&catalog());
    let sheet = book.worksheet_range(SHEET_ITEMS).unwrap();
    let count = column(&sheet, "数据规模—条目数量");
    let basis = column(&sheet, "条目数量说明");
    let bytes = column(&sheet, "数据规模—存储总量");
    let persons = column(&sheet, "个人信息主体数量");
    let cell = |r: u32, c: usize| sheet.get_value((r, c as u32)).unwrap().clone();
    assert_eq!(cell(1, count), Data::Float(34_900_000.0));
    assert_eq!(cell(1, basis).to_string(), "全量计数");
    assert_eq!(cell(2, count), Data::Float(5_000.0));
    assert_eq!(cell(2, basis).to_string(), "估算：数据库统计信息");
    assert_eq!(cell(3, count), Data::String("未知".into()));
    assert!(cell(3, basis).to_string().starts_with("未知：仅抽样"));
    assert_eq!(cell(1, bytes), Data::Float(2_000_000_000.0));
    assert_eq!(cell(1, persons), Data::Float(300.0));
    assert_eq!(cell(3, 0).to_string(), "ML-012", "目录编号 is numbered");
    let header = book.worksheet_range(SHEET_HEADER).unwrap();
    let rows: Vec<(String, Data)> = (1..header.height() as u32)
        .map(|r| {
            (
                header.get_value((r, 0)).unwrap().to_string(),
                header.get_value((r, 1)).unwrap().clone(),
            )
        })
        .collect();
    assert!(rows.contains(&("重要数据目录条目数".into(), Data::Float(3.0))));
    assert!(
        rows.contains(&(
            "扫描时间（北京时间）".into(),
            Data::String("2026-11-24 02:30:00".into())
        )),
        "{rows:?}"
    );
    assert!(rows.contains(&("备案类型".into(), Data::String("首次".into()))));
}

#[test]
fn sheets_without_a_baseline_end_with_the_instructions() {
    let book = open(&catalog());
    assert_eq!(
        book.sheet_names(),
        vec![
            SHEET_HEADER,
            SHEET_ITEMS,
            SHEET_INVENTORY,
            SHEET_CARRIERS,
            SHEET_INSTRUCTIONS
        ]
    );
}

#[test]
fn unscanned_storage_has_its_sheet_and_a_total_in_the_header() {
    let mut c = catalog();
    c.unscanned = vec![crate::catalog::UnscannedStorage {
        source: "s3://cams".into(),
        files: model::Unscanned {
            reason: model::SkipReason::UnsupportedType,
            kind: ".jpg".into(),
            count: 20_000,
            bytes: 1_288_490_188,
        },
    }];
    let mut book = open(&c);
    assert_eq!(book.sheet_names()[4], SHEET_UNSCANNED);
    let sheet = book.worksheet_range(SHEET_UNSCANNED).unwrap();
    assert_eq!(
        sheet.get((1, 1)),
        Some(&Data::String("暂不支持的文件类型".into()))
    );
    assert_eq!(sheet.get((1, 3)), Some(&Data::Float(20_000.0)));
    assert_eq!(sheet.get((1, 4)), Some(&Data::Float(1_288_490_188.0)));
    let header = book.worksheet_range(SHEET_HEADER).unwrap();
    let total = header
        .rows()
        .find(|r| r[0] == Data::String("未扫描存储总量（字节）".into()))
        .unwrap();
    assert_eq!(total[1], Data::Float(1_288_490_188.0));
}

#[test]
fn a_pending_trigger_makes_a_change_filing_with_its_sheet() {
    let mut c = catalog();
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let trigger = crate::diff::Trigger {
        item_id: "counted".into(),
        data_name: "counted 数据".into(),
        reason: Reason::RecordCount,
        detail: "1000 → 1350 records (+35.0%)".into(),
        baseline: Some(1000),
        current: Some(1350),
        change: Some(0.35),
    };
    c.set_refiling(Refiling {
        baseline_id: 1,
        filed_at: date("2026-07-31"),
        changes: vec![Change::from_trigger(
            &trigger,
            "ML-001".into(),
            date("2026-11-30"),
        )],
    });
    assert_eq!(c.header.filing_type, FilingType::Change);
    let mut book = open(&c);
    assert_eq!(book.sheet_names()[2], SHEET_CHANGES);
    let header = book.worksheet_range(SHEET_HEADER).unwrap();
    let filing_type = (1..header.height() as u32)
        .find(|&r| *header.get_value((r, 0)).unwrap() == "备案类型")
        .map(|r| header.get_value((r, 1)).unwrap().to_string());
    assert_eq!(filing_type.as_deref(), Some("变更"));
    let sheet = book.worksheet_range(SHEET_CHANGES).unwrap();
    let row: Vec<Data> = (0..sheet.width() as u32)
        .map(|col| sheet.get_value((1, col)).unwrap().clone())
        .collect();
    assert_eq!(row[0].to_string(), "ML-001");
    assert_eq!(row[2].to_string(), "条目数量变化≥30%");
    assert_eq!(
        (&row[3], &row[4]),
        (&Data::Float(1000.0), &Data::Float(1350.0))
    );
    assert_eq!(row[5], Data::Float(0.35));
    // Real dates: Excel serial days since 1899-12-30.
    let serial = |s: &str| (date(s) - date("1899-12-30")).num_days() as f64;
    let day = |d: &Data| match d {
        Data::DateTime(d) => d.as_f64(),
        other => panic!("not a date: {other:?}"),
    };
    assert_eq!(day(&row[7]), serial("2026-11-30"));
    assert_eq!(day(&row[8]), serial("2027-02-28"), "due three months later");
}

#[test]
fn a_shrink_shows_a_negative_rate() {
    let trigger = crate::diff::Trigger {
        item_id: "a".into(),
        data_name: "a".into(),
        reason: Reason::StorageTotal,
        detail: String::new(),
        baseline: Some(1000),
        current: Some(600),
        change: Some(0.4),
    };
    let day = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let change = Change::from_trigger(&trigger, "ML-001".into(), day);
    assert_eq!(change.change, Some(-0.4));
    assert_eq!(change.due_by, NaiveDate::from_ymd_opt(2026, 4, 15).unwrap());
}

/// Every worksheet's XML, in workbook order.
fn sheet_xml(bytes: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (1..)
        .map(|n| format!("xl/worksheets/sheet{n}.xml"))
        .map_while(|name| {
            let mut file = zip.by_name(&name).ok()?;
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut file, &mut xml).unwrap();
            Some(xml)
        })
        .collect()
}

#[test]
fn every_sheet_has_a_frozen_filtered_header_and_yes_no_fields_a_dropdown() {
    let mut c = catalog();
    c.header.organization.sectors = vec!["车联网/智能网联汽车".into()];
    c.set_refiling(Refiling {
        baseline_id: 1,
        filed_at: NaiveDate::from_ymd_opt(2026, 7, 31).unwrap(),
        changes: vec![],
    });
    let sheets = sheet_xml(&render(&c).unwrap());
    assert_eq!(sheets.len(), 7, "every sheet, with 变更事项 and 车联网数据");
    for (n, xml) in sheets.iter().enumerate() {
        assert!(
            xml.contains("<autoFilter "),
            "sheet {}: no autofilter",
            n + 1
        );
        assert!(
            xml.contains("state=\"frozen\""),
            "sheet {}: no frozen header",
            n + 1
        );
    }
    let items = &sheets[1];
    assert!(items.contains("<formula1>\"是,否\"</formula1>"), "{items}");
    assert!(items.contains("<formula1>\"无\"</formula1>"));
    assert!(
        items.contains("errorStyle=\"information\""),
        "无 is a suggestion: a description stays allowed"
    );
}
