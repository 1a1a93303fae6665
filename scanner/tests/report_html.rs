//! `mulu report`: the offline HTML page, checked in headless Chromium with the network off.
//!
//! States are built from synthetic reports (no real personal data): several scans, a filed
//! baseline and a +38 % record-count trigger, so every figure on the page is known.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use model::{
    AssetKind, AssetReport, CategoryId, CategoryMeta, CategoryReport, ColumnReport, CountMethod,
    Op, PersonsReport, ScanReport, SkipReason, SourceReport, Status, ThresholdStatus, Unscanned,
    Verdict,
};
use scanner::config::Config;
use scanner::state::State;

const CONFIG: &str = r#"
[organization]
name = "示例车联网科技有限公司"

[[catalog.rules]]
id = "test-vehicle"
applies_to = ["vehicle-identifiers"]
when = "always"
level = "重要"
basis = "测试规则：车辆识别代号"
"#;

/// A password in a source URL, which the page must never show.
const SECRET: &str = "S3cretPw0rd";

/// A synthetic resident ID with a valid check character (GB 11643), planted unmasked in the
/// evidence and in an asset name to prove the page masks it anyway.
fn synthetic_resident_id() -> String {
    let body = b"11010519900307123";
    let check = classifiers::validate::mod11_2_check_char(body).unwrap();
    format!("{}{}", std::str::from_utf8(body).unwrap(), check as char)
}

/// A synthetic mobile number (the 138-0000 block is a placeholder block, not a person's).
const PHONE: &str = "13800000000";

fn meta(zh: &str, en: &str, sensitive: bool) -> CategoryMeta {
    CategoryMeta {
        name_zh: zh.into(),
        name_en: en.into(),
        is_pi: true,
        is_sensitive: sensitive,
        pi_class: "个人身份信息".into(),
        vehicle_item: None,
    }
}

fn column(name: &str, id: &str, evidence: &[&str]) -> ColumnReport {
    ColumnReport {
        name: name.into(),
        data_type: "Utf8".into(),
        categories: vec![CategoryReport {
            id: CategoryId::new(id),
            confidence: 0.97,
            matched: 97,
            sampled: 100,
            by: vec!["value".into()],
            evidence: evidence.iter().map(|e| e.to_string()).collect(),
        }],
    }
}

fn table(source: &str, name: &str, rows: u64, columns: Vec<ColumnReport>) -> AssetReport {
    AssetReport {
        source: source.into(),
        name: name.into(),
        kind: AssetKind::Table,
        row_count: Some(rows),
        bytes: Some(rows * 64),
        sampled_rows: rows.min(1000),
        sampling: None,
        status: Status::Ok,
        error: None,
        warnings: vec![],
        partition_columns: vec![],
        snapshot: None,
        columns,
        categories: vec![],
        persons: None,
        geofence_hits: vec![],
        media: None,
    }
}

/// A scan: a vehicles table of `vehicle_rows` rows, customers with identifiers, `extra`
/// more tables of customers, one failed and one partial asset, a failed source.
fn synthetic_report(started: &str, vehicle_rows: u64, extra: usize) -> ScanReport {
    let db = format!("postgres://mulu:{SECRET}@db.example.internal:5432/crm");
    let id = synthetic_resident_id();
    let mut assets = vec![
        table(
            &db,
            "vehicles",
            vehicle_rows,
            vec![column(
                "vin",
                "vehicle.vin",
                &["LSVAB2BM0********", "LSVAB2BM1********"],
            )],
        ),
        table(
            &db,
            "customers",
            5000,
            vec![
                column("sfzh", "pi.cn_resident_id", &["110105********1234", &id]),
                column("mobile", "pi.mobile_phone", &["138****0000"]),
            ],
        ),
        table(&db, &format!("export_{PHONE}"), 10, vec![]),
    ];
    for i in 0..extra {
        assets.push(table(
            &db,
            &format!("customers_{i:04}"),
            100 + i as u64,
            vec![
                column("sfzh", "pi.cn_resident_id", &["110105********1234"]),
                column("mobile", "pi.mobile_phone", &["138****0000"]),
            ],
        ));
    }
    let mut failed = table(&db, "orders_archive", 0, vec![]);
    failed.status = Status::Error;
    failed.error = Some("statement timeout after 30 s".into());
    failed.row_count = None;
    failed.bytes = None;
    assets.push(failed);
    let mut partial = table(&db, "payments", 300, vec![]);
    partial.status = Status::Partial;
    partial.error = Some("no SELECT grant on column card_no".into());
    assets.push(partial);
    ScanReport {
        schema: model::SCAN_REPORT_SCHEMA.into(),
        started_at: started.parse().unwrap(),
        finished_at: started.parse().unwrap(),
        sources: vec![
            SourceReport {
                url: db.clone(),
                status: Status::Partial,
                error: Some("no USAGE grant on schema audit".into()),
                unscanned: vec![],
            },
            SourceReport {
                url: "s3://lake-bucket/exports".into(),
                status: Status::Error,
                error: Some("access denied listing the bucket".into()),
                unscanned: vec![],
            },
            SourceReport {
                url: "/srv/share".into(),
                status: Status::Ok,
                error: None,
                unscanned: vec![Unscanned {
                    reason: SkipReason::UnsupportedType,
                    kind: ".pdf".into(),
                    count: 42,
                    bytes: 42 << 20,
                }],
            },
        ],
        assets,
        categories: [
            ("vehicle.vin", meta("车辆识别代号", "VIN", false)),
            (
                "pi.cn_resident_id",
                meta("居民身份证号", "resident ID", true),
            ),
            ("pi.mobile_phone", meta("手机号码", "mobile number", false)),
        ]
        .into_iter()
        .map(|(id, m)| (CategoryId::new(id), m))
        .collect(),
        persons: Some(PersonsReport {
            distinct: Some(1234),
            lower: 1234,
            upper: 1234,
            method: CountMethod::Exact,
            mergeable: true,
            key_hash: None,
            key_id: None,
            by_identifier: BTreeMap::new(),
            thresholds: vec![
                Verdict {
                    id: "ndsr-art28".into(),
                    rule: Op::Ge,
                    value: 10_000_000,
                    status: ThresholdStatus::NotCrossed,
                    basis: "网络数据安全管理条例 第二十八条".into(),
                },
                Verdict {
                    id: "test-1000".into(),
                    rule: Op::Ge,
                    value: 1000,
                    status: ThresholdStatus::Crossed,
                    basis: "测试阈值".into(),
                },
            ],
            incomplete: vec![],
            exact_over_budget: false,
            by_item: BTreeMap::new(),
            free_text: None,
        }),
    }
}

struct Env {
    dir: tempfile::TempDir,
    config_text: String,
}

impl Env {
    fn new() -> Self {
        Self::with_config(CONFIG)
    }

    fn with_config(text: &str) -> Self {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
            config_text: text.to_string(),
        };
        std::fs::write(env.config(), text).unwrap();
        env
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("mulu.toml")
    }

    fn state(&self) -> PathBuf {
        self.dir.path().join("state.db")
    }

    fn mulu(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
            .args(args)
            .env("MULU_STATE", self.state())
            .env("MULU_CONFIG", self.config())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mulu {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Stores `reports` as complete scans with their catalogues, as `mulu scan` does.
    fn store(&self, reports: &[ScanReport]) {
        let config = Config::parse(&self.config_text).unwrap();
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let state = State::open(&self.state()).await.unwrap();
            for r in reports {
                let id = state.begin_scan(r.started_at).await.unwrap();
                let catalog = scanner::filing::build_catalog(r, &config).unwrap();
                state.complete_scan(id, r, Some(&catalog)).await.unwrap();
            }
        });
    }

    /// Runs `mulu report`; the page is also kept under the target dir as `mulu-<tag>.html`.
    fn report(&self, lang: &str, tag: &str) -> (PathBuf, String) {
        let path = self.dir.path().join(format!("report-{lang}.html"));
        self.mulu(&["report", "--out", path.to_str().unwrap(), "--lang", lang]);
        let html = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::copy(
            &path,
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mulu-{tag}-{lang}.html")),
        );
        (path, html)
    }
}

/// Four scans; scan 2 filed on 2026-10-20; scan 4 (2026-11-02, Beijing) has 38 % more
/// vehicle records than filed.
fn filed_state() -> Env {
    let env = Env::new();
    env.store(&[
        synthetic_report("2026-10-01T02:00:00Z", 1000, 0),
        synthetic_report("2026-10-15T02:00:00Z", 1000, 0),
    ]);
    env.mulu(&[
        "baseline",
        "accept",
        "--scan",
        "2",
        "--filed-at",
        "2026-10-20",
    ]);
    env.store(&[
        synthetic_report("2026-11-01T02:00:00Z", 1100, 0),
        synthetic_report("2026-11-02T02:00:00Z", 1380, 0),
    ]);
    env
}

fn next_deadlines() -> Vec<String> {
    let today = catalog_export::beijing::date(model::now());
    ["07-31", "08-31", "11-30"]
        .iter()
        .map(|md| {
            let (m, d) = md.split_once('-').unwrap();
            catalog_export::diff::next_yearly(today, m.parse().unwrap(), d.parse().unwrap())
                .unwrap()
                .to_string()
        })
        .collect()
}

/// What the page must hold, in the file or in the DOM Chromium built from it.
fn assert_content(html: &str) {
    assert!(
        html.contains(r#"id="persons-count">1,234<"#),
        "persons count"
    );
    for threshold in [
        "ndsr-art28",
        "10,000,000",
        "test-1000",
        "网络数据安全管理条例 第二十八条",
    ] {
        assert!(html.contains(threshold), "{threshold}");
    }
    // The important item, with its number, rule, scale and carriers.
    assert!(html.contains(r#"data-item="vehicle-identifiers""#));
    assert!(html.contains("ML-003"), "item number");
    assert!(html.contains("测试规则：车辆识别代号"), "basis");
    assert!(
        html.contains(">≈1,380<"),
        "current record count, estimated from statistics"
    );
    // The trigger: filed 1,000, now 1,380, first seen 2026-11-02, due three months later.
    let triggers = html
        .split(r#"id="triggers""#)
        .nth(1)
        .expect("a trigger table");
    let triggers = &triggers[..triggers.find("</table>").unwrap()];
    assert!(triggers.contains("条目数量变化≥30%"), "{triggers}");
    assert!(triggers.contains(">1,000<") && triggers.contains(">1,380<"));
    assert!(triggers.contains("2026-11-02") && triggers.contains("2027-02-02"));
    assert!(html.contains("2026-10-20"), "the filing date");
    for due in next_deadlines() {
        assert!(html.contains(&due), "deadline {due}");
    }
    // Failures and their causes, at source and asset level.
    for cause in [
        "statement timeout after 30 s",
        "no SELECT grant on column card_no",
        "access denied listing the bucket",
        "no USAGE grant on schema audit",
    ] {
        assert!(html.contains(cause), "{cause}");
    }
    // History: four scans, one chart pair per important item, the band drawn.
    assert_eq!(html.matches(r#"<svg class="history""#).count(), 2);
    assert_eq!(html.matches(r#"class="band""#).count(), 2);
    assert!(
        html.contains(r#"class="dot out""#),
        "the +38 % point is outside the band"
    );
    assert!(html.contains(r#"class="limit""#), "threshold line");
    assert!(html.contains("110105********1234"), "masked evidence");
}

/// Nothing secret or raw, and nothing that could make a request.
fn assert_clean(html: &str) {
    assert!(!html.contains(SECRET), "a password");
    assert!(
        !html.contains(&synthetic_resident_id()),
        "a raw resident ID"
    );
    assert!(!html.contains(PHONE), "a raw phone number");
    // No hash or key: no run of 32 or more hex digits anywhere.
    let hex = regex::Regex::new("[0-9a-fA-F]{32,}").unwrap();
    assert!(hex.find(html).is_none(), "{:?}", hex.find(html));
    for fetch in [
        "<script", "<link", "<img", "<iframe", "src=", "url(", "@import", "http://", "https://",
    ] {
        assert!(!html.contains(fetch), "{fetch} on an offline page");
    }
}

#[test]
fn the_report_holds_persons_items_and_due_dates_and_nothing_raw() {
    let env = filed_state();
    let (_, html) = env.report("zh", "report");
    assert_content(&html);
    assert_clean(&html);
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("@page { size: A4"));
    assert!(
        html.contains("备案类型： <b>变更</b>"),
        "a trigger is pending: 变更"
    );
    assert!(html.contains(
        "共 3 个数据源（1 个失败，1 个部分读取），5 个数据资产（1 个失败，1 个部分读取）。"
    ));
    // An earlier scan: its own figures, the latest scan's re-filing status, said so.
    let earlier = env.dir.path().join("scan-2.html");
    env.mulu(&["report", "--out", earlier.to_str().unwrap(), "--scan", "2"]);
    let earlier = std::fs::read_to_string(earlier).unwrap();
    assert!(earlier.contains(r#"<span id="scan-id">2</span>"#));
    assert!(earlier.contains(">≈1,000<") && !earlier.contains(">≈1,380<"));
    assert!(earlier.contains("备案变更状态以最新扫描为准"));
    assert_eq!(
        earlier
            .split(r#"<table id="scans">"#)
            .nth(1)
            .unwrap()
            .matches("<tr><td>")
            .count(),
        2,
        "history up to scan 2"
    );
    let (_, en) = env.report("en", "report");
    assert!(en.contains("<html lang=\"en\">") && en.contains("Re-filing and deadlines"));
    assert!(en.contains("record count changed ≥30 %"));
    assert_clean(&en);
}

/// `chromium`, or `None` after a notice (a failure with MULU_REQUIRE_SERVICES=1).
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("chromium"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("MULU_REQUIRE_SERVICES").as_deref() != Ok("1"),
            "chromium is required (MULU_REQUIRE_SERVICES=1): apt-get install -y chromium"
        );
        eprintln!("SKIPPED: chromium not found; install it with `apt-get install -y chromium`");
    }
    found
}

/// Chromium with every way out closed: no proxy reachable, no name resolves.
fn headless(browser: &Path, profile: &Path, args: &[&str], page: &Path) -> Output {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The requests a page made, from Chromium's net log: every `URL_REQUEST_START_JOB` with an
/// initiator (the page's own origin, `null` for a file). Chromium's own background requests
/// carry none ("not an origin") and are not the page's doing.
fn page_requests(netlog: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(netlog).expect("a net log");
    let log: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("a readable net log");
    let start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_u64();
    log["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["type"].as_u64() == start)
        .filter(|e| {
            e["params"]["initiator"]
                .as_str()
                .is_some_and(|i| i != "not an origin")
        })
        .map(|e| e["params"]["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn headless_chromium_renders_the_report_offline() {
    let Some(browser) = chromium() else {
        return;
    };
    let env = filed_state();
    let (page, _) = env.report("zh", "chromium");
    let profile = env.dir.path().join("chromium-profile");
    let netlog = env.dir.path().join("netlog.json");
    let netlog_arg = format!("--log-net-log={}", netlog.display());
    let dom = headless(&browser, &profile, &["--dump-dom", &netlog_arg], &page);
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert_eq!(
        page_requests(&netlog),
        Vec::<String>::new(),
        "the page fetched"
    );
    // The net-log check sees a page's fetch (blocked, but attempted).
    let canary = env.dir.path().join("canary.html");
    std::fs::write(&canary, r#"<img src="http://example.invalid/x.png">"#).unwrap();
    headless(&browser, &profile, &["--dump-dom", &netlog_arg], &canary);
    assert_eq!(page_requests(&netlog), vec!["http://example.invalid/x.png"]);
    assert!(
        dom.contains("</svg>"),
        "the DOM: {}",
        &dom[..dom.len().min(500)]
    );
    assert_content(&dom);
    // The screenshot is kept as an artifact under the target dir.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mulu-report.png");
    let _ = std::fs::remove_file(&shot);
    headless(
        &browser,
        &profile,
        &[
            "--hide-scrollbars",
            "--window-size=1150,2600",
            &format!("--screenshot={}", shot.display()),
        ],
        &page,
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    // Printable: A4 pages (595 × 842 pt), more than one.
    let pdf_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mulu-report.pdf");
    headless(
        &browser,
        &profile,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf_path.display()),
        ],
        &page,
    );
    let pdf = String::from_utf8_lossy(&std::fs::read(&pdf_path).expect("a PDF")).to_string();
    let pages = pdf.matches("/MediaBox [0 0 594.95996 841.91998]").count();
    assert!(pages >= 2, "{pages} A4 pages");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        png.len() > 50_000,
        "a blank screenshot? {} bytes",
        png.len()
    );
    eprintln!("screenshot: {} ({} bytes)", shot.display(), png.len());
}

#[test]
fn a_thousand_tables_and_thirty_scans_make_under_two_megabytes() {
    // Three important items, each held by (nearly) every table.
    let env = Env::with_config(&CONFIG.replace(
        r#"applies_to = ["vehicle-identifiers"]"#,
        r#"applies_to = ["vehicle-identifiers", "personal-identity", "personal-contact"]"#,
    ));
    let reports: Vec<ScanReport> = (0..30)
        .map(|day| {
            synthetic_report(
                &format!("2026-10-{:02}T02:00:00Z", day + 1),
                1000 + 20 * day as u64,
                1000,
            )
        })
        .collect();
    env.store(&reports[..10]);
    env.mulu(&[
        "baseline",
        "accept",
        "--scan",
        "10",
        "--filed-at",
        "2026-10-11",
    ]);
    env.store(&reports[10..]);
    let (page, html) = env.report("zh", "large");
    let size = std::fs::metadata(&page).unwrap().len();
    eprintln!("1,000 tables, 30 scans: {size} bytes");
    assert!(size < 2 * 1024 * 1024, "{size} bytes");
    assert_eq!(
        html.matches(r#"<svg class="history""#).count(),
        6,
        "3 items × 2 figures"
    );
    // customers + 1,000 tables hold identity and contact data: 1,001 carriers, 12 listed.
    assert_eq!(
        html.matches("另有 989 个载体").count(),
        2,
        "carriers beyond 12 counted"
    );
    // 2 × 1,001 + 1 findings, 1,500 listed.
    assert!(html.contains("503 项发现未列出"), "findings capped");
    assert_eq!(
        html.split(r#"<table id="scans">"#)
            .nth(1)
            .unwrap()
            .matches("<tr><td>")
            .count(),
        30,
        "every scan in the history"
    );
    assert_clean(&html);
}

#[test]
fn a_scheduled_job_writes_the_report_after_its_run() {
    let env = Env::new();
    let data = env.dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("contacts.csv"), "name,note\nx,y\n").unwrap();
    std::fs::write(
        env.config(),
        format!(
            "{CONFIG}\n[[schedule]]\nname = \"nightly\"\ncron = \"0 2 * * *\"\nsources = [\"{}\"]\nreport = \"out/report.html\"\n",
            data.display()
        ),
    )
    .unwrap();
    let out = env.mulu(&[
        "schedule",
        "--once",
        "--config",
        env.config().to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let written = env.dir.path().join("out/report.html");
    assert!(stdout.contains("report written to"), "{stdout}");
    let html = std::fs::read_to_string(&written).unwrap();
    assert!(
        html.contains(r#"<span id="scan-id">1</span>"#),
        "scan 1's report"
    );
    assert_clean(&html);
}

#[test]
fn without_a_state_or_a_scan_the_command_says_what_to_do() {
    let env = Env::new();
    let out_path = env.dir.path().join("r.html");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_mulu"))
            .args(args)
            .env("MULU_STATE", env.state())
            .env("MULU_CONFIG", env.config())
            .output()
            .unwrap()
    };
    let out = run(&["report", "--out", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("run `mulu scan` first"));
    env.store(&[synthetic_report("2026-10-01T02:00:00Z", 1000, 0)]);
    let out = run(&["report", "--out", out_path.to_str().unwrap(), "--scan", "9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no completed scan 9"));
    assert!(!out_path.exists(), "no page for a failed command");
    let out = run(&["report", "--out", out_path.to_str().unwrap()]);
    assert!(out.status.success());
    let html = std::fs::read_to_string(&out_path).unwrap();
    assert!(html.contains("尚无备案基线"), "no baseline yet");
    assert_eq!(
        html.matches(r#"class="band""#).count(),
        0,
        "no band without a baseline"
    );
    assert_clean(&html);
}
