//! The fileable catalogue end to end: record counts from the full pass, 变更 after a filed
//! baseline with its 变更事项 sheet, numbered 目录编号, numbers that a reader reads as numbers.
//! Synthetic VINs only.

mod common;

use common::write_holdings;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Range, Reader, Xlsx};
use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        let env = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(env.data()).unwrap();
        std::fs::write(
            env.path("mulu.toml"),
            r#"
[[catalog.rules]]
id = "test-vehicle"
applies_to = ["vehicle-identifiers"]
when = "always"
level = "重要"
basis = "test rule"
"#,
        )
        .unwrap();
        env
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn data(&self) -> PathBuf {
        self.path("data")
    }

    fn mulu(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
            .args(args)
            .env("MULU_STATE", self.path("state.db"))
            .env("MULU_CONFIG", self.path("mulu.toml"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mulu {args:?}: exit {:?}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Scans the data folder, sampling only 100 rows per asset.
    fn scan(&self, extra: &[&str]) {
        let data = self.data();
        let mut args = vec![
            "scan",
            data.to_str().unwrap(),
            "--quiet",
            "--sample-rows",
            "100",
        ];
        args.extend(extra);
        self.mulu(&args);
    }

    fn export_json(&self) -> Value {
        let out = self.path("catalog.json");
        self.mulu(&[
            "catalog",
            "export",
            "--format",
            "json",
            "--out",
            out.to_str().unwrap(),
        ]);
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
    }

    fn export_xlsx(&self) -> Xlsx<std::io::BufReader<std::fs::File>> {
        let out = self.path("catalog.xlsx");
        self.mulu(&[
            "catalog",
            "export",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ]);
        calamine::open_workbook(out).unwrap()
    }
}

/// A VIN with a valid ISO 3779 check digit, different for every n.
fn vin(n: usize) -> String {
    let mut v = format!("LSVAB2BM0{n:08}").into_bytes();
    v.truncate(17);
    v[8] = classifiers::validate::vin_check_char(&v).unwrap();
    String::from_utf8(v).unwrap()
}

/// A vehicle table of `rows` rows: a VIN, the owner's (synthetic) mobile number, which the
/// persons pass counts by, and a `note` column `note_len` characters wide.
fn write_vehicles(data: &Path, rows: usize, note_len: usize) {
    let mut csv = String::from("vin,owner_mobile,note\n");
    let note = "x".repeat(note_len);
    for n in 0..rows {
        csv.push_str(&format!("{},138{n:08},{note}\n", vin(n)));
    }
    std::fs::write(data.join("vehicles.csv"), csv).unwrap();
}

/// Rows of a file past the sample's 8 MiB read window: only a full pass can count them.
const BIG_ROWS: usize = 80_000;
/// 17 + 1 + 11 + 1 + 110 + 1 = 141 bytes a row: 11.3 MB.
const BIG_NOTE: usize = 110;

fn item<'a>(catalog: &'a Value, id: &str) -> &'a Value {
    catalog["inventory"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in {catalog:#}"))
}

fn column(range: &Range<Data>, header: &str) -> u32 {
    (0..range.width() as u32)
        .find(|&c| range.get_value((0, c)).map(Data::to_string).as_deref() == Some(header))
        .unwrap_or_else(|| panic!("no column {header}"))
}

/// The value next to `label` on the 备案主体信息 sheet.
fn header_value(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, label: &str) -> Data {
    let sheet = book.worksheet_range("备案主体信息").unwrap();
    (1..sheet.height() as u32)
        .find(|&r| *sheet.get_value((r, 0)).unwrap() == label)
        .map(|r| sheet.get_value((r, 1)).unwrap().clone())
        .unwrap_or_else(|| panic!("no {label}"))
}

#[test]
fn a_file_past_the_sample_is_counted_by_the_full_pass_and_otherwise_unknown() {
    let env = Env::new();
    write_vehicles(&env.data(), BIG_ROWS, BIG_NOTE);
    env.scan(&[]);
    let catalog = env.export_json();
    let vins = item(&catalog, "vehicle-identifiers");
    assert_eq!(
        vins["record_count"],
        serde_json::json!({"basis": "counted", "value": BIG_ROWS}),
        "the persons pass read every row although the sample read 100 rows of an 8 MiB window"
    );
    let number = vins["number"].as_u64().expect("numbered");
    let catalog_no = format!("ML-{number:03}");
    let mut book = env.export_xlsx();
    let items = book.worksheet_range("重要数据目录").unwrap();
    let count = column(&items, "数据规模—条目数量");
    assert_eq!(
        items.get_value((1, count)),
        Some(&Data::Float(BIG_ROWS as f64))
    );
    let bytes = column(&items, "数据规模—存储总量");
    assert!(matches!(items.get_value((1, bytes)), Some(Data::Float(b)) if *b > 0.0));
    assert_eq!(
        items.get_value((1, 0)).unwrap().to_string(),
        catalog_no,
        "目录编号 is numbered"
    );
    assert_eq!(
        header_value(&mut book, "重要数据目录条目数"),
        Data::Float(1.0)
    );
    // No identifier reaches any sheet.
    for name in book.sheet_names() {
        let sheet = book.worksheet_range(&name).unwrap();
        for cell in sheet.used_cells().map(|(_, _, c)| c.to_string()) {
            assert!(
                !cell.contains(&vin(0)) && !cell.contains("13800000"),
                "{name}: {cell}"
            );
        }
    }

    // Without the persons pass nothing reads every row: the count is unknown, never 0.
    env.scan(&["--persons", "off"]);
    let catalog = env.export_json();
    let vins = item(&catalog, "vehicle-identifiers");
    assert_eq!(vins["record_count"]["basis"], "unknown", "{vins:#}");
    assert!(vins["record_count"]["reason"]
        .as_str()
        .unwrap()
        .contains("仅抽样读取 100 行"));
    assert_eq!(vins["number"], number, "the same item keeps its number");
    let mut book = env.export_xlsx();
    let items = book.worksheet_range("重要数据目录").unwrap();
    let count = column(&items, "数据规模—条目数量");
    assert_eq!(items.get_value((1, count)).unwrap().to_string(), "未知");
    let basis = column(&items, "条目数量说明");
    assert!(items
        .get_value((1, basis))
        .unwrap()
        .to_string()
        .starts_with("未知："));
}

#[test]
fn growth_of_35_percent_after_a_filing_is_a_change_filing_with_its_sheet() {
    let env = Env::new();
    write_vehicles(&env.data(), 1_000, 20);
    env.scan(&[]);
    let mut book = env.export_xlsx();
    assert_eq!(header_value(&mut book, "备案类型").to_string(), "首次");
    env.mulu(&["baseline", "accept", "--filed-at", "2026-07-31"]);

    // Filed and unchanged: still 首次, and an empty 变更事项 sheet.
    let mut book = env.export_xlsx();
    assert_eq!(header_value(&mut book, "备案类型").to_string(), "首次");
    assert_eq!(header_value(&mut book, "待办变更事项"), Data::Float(0.0));

    write_vehicles(&env.data(), 1_350, 20);
    env.scan(&[]);
    let mut book = env.export_xlsx();
    assert_eq!(header_value(&mut book, "备案类型").to_string(), "变更");
    assert_eq!(
        header_value(&mut book, "基线备案日期").to_string(),
        "2026-07-31"
    );
    let sheets = book.sheet_names();
    assert_eq!(&sheets[..3], &["备案主体信息", "重要数据目录", "变更事项"]);
    assert_eq!(sheets.last().unwrap(), "填写说明");
    let changes = book.worksheet_range("变更事项").unwrap();
    let row = |header: &str| {
        changes
            .get_value((1, column(&changes, header)))
            .unwrap()
            .clone()
    };
    let items = book.worksheet_range("重要数据目录").unwrap();
    assert_eq!(
        row("目录编号").to_string(),
        items.get_value((1, 0)).unwrap().to_string(),
        "the change names the item by its 目录编号"
    );
    assert!(row("目录编号").to_string().starts_with("ML-"));
    assert_eq!(row("变更原因").to_string(), "条目数量变化≥30%");
    assert_eq!(row("基线数值"), Data::Float(1000.0));
    assert_eq!(row("当前数值"), Data::Float(1350.0));
    assert_eq!(row("变化率"), Data::Float(0.35));
    assert!(matches!(row("首次发现日期"), Data::DateTime(_)));
    assert!(matches!(row("应完成变更备案日期"), Data::DateTime(_)));

    let catalog = env.export_json();
    assert_eq!(catalog["header"]["filing_type"], "变更");
    let change = &catalog["refiling"]["changes"][0];
    assert_eq!(change["reason"], "record_count");
    assert_eq!(
        (change["baseline"].as_u64(), change["current"].as_u64()),
        (Some(1000), Some(1350))
    );
    let day =
        |v: &Value| chrono::NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!(
        day(&change["due_by"]),
        day(&change["detected_at"])
            .checked_add_months(chrono::Months::new(3))
            .unwrap()
    );
    assert!(
        catalog["scan_started_at"]
            .as_str()
            .unwrap()
            .ends_with("+08:00"),
        "times in Beijing time"
    );
}

#[test]
fn exact_mode_counts_each_items_persons_not_bounds_from_its_assets() {
    let env = Env::new();
    write_holdings(&env.data());
    env.scan(&[]);
    let catalog = env.export_json();
    let persons = |id: &str| item(&catalog, id)["pi_subjects"].clone();
    let exact = |n: u64| serde_json::json!({"lower": n, "upper": n});
    // IDs in customers and owners: persons 0..1200, where the assets' counts only bound it
    // to 1000–1400.
    assert_eq!(persons("personal-identity"), exact(1200));
    // Phones in customers and orders: persons 0..1500, not 1000–1700.
    assert_eq!(persons("personal-contact"), exact(1500));
    // Plates in owners: its 400 persons.
    assert_eq!(persons("vehicle-identifiers"), exact(400));

    let mut book = env.export_xlsx();
    let inventory = book.worksheet_range("数据资产台账").unwrap();
    let col = column(&inventory, "个人信息主体数量");
    let name = column(&inventory, "数据名称");
    let identity = (1..inventory.height() as u32)
        .find(|&r| *inventory.get_value((r, name)).unwrap() == "个人身份信息")
        .unwrap();
    assert_eq!(
        inventory.get_value((identity, col)),
        Some(&Data::Float(1200.0))
    );

    // Sketch mode has bounds only, and says so.
    env.scan(&["--persons", "sketch"]);
    let catalog = env.export_json();
    let identity = &item(&catalog, "personal-identity")["pi_subjects"];
    assert!(
        identity["lower"].as_u64() < identity["upper"].as_u64(),
        "{identity}"
    );
}

/// `baseline accept --config` records the catalogue as that configuration builds it (as
/// `catalog export --config` would write it), not as the scan was catalogued: the purposes
/// filled in at filing time are in the baseline, so a later scan without them is a change.
#[test]
fn baseline_accept_with_a_config_records_the_catalogue_it_builds() {
    let env = Env::new();
    write_vehicles(&env.data(), 200, 20);
    env.scan(&[]);
    let filed = env.path("filed.toml");
    std::fs::write(
        &filed,
        format!(
            "{}\n[[catalog.fields]]\nmatch = {{ item = \"vehicle-*\" }}\npurposes = \"召回\"\n",
            std::fs::read_to_string(env.path("mulu.toml")).unwrap()
        ),
    )
    .unwrap();
    env.mulu(&[
        "baseline",
        "accept",
        "--config",
        filed.to_str().unwrap(),
        "--filed-at",
        "2026-07-31",
    ]);
    env.scan(&[]);
    let json = env.path("diff.json");
    let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(["diff", "--json", json.to_str().unwrap()])
        .env("MULU_STATE", env.path("state.db"))
        .env("MULU_CONFIG", env.path("mulu.toml"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(10),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let diff: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let trigger = &diff["triggers"][0];
    assert_eq!(trigger["reason"], "filed_field", "{diff}");
    assert!(
        trigger["detail"].as_str().unwrap().contains("处理目的"),
        "{diff}"
    );
}
