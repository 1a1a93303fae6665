//! Scan history, filing baselines and the 30 % re-filing detector, through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::NaiveDate;
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
            env.config(),
            r#"
[[catalog.rules]]
id = "test-vehicle"
applies_to = ["vehicle-identifiers", "personal-financial"]
when = "always"
level = "重要"
basis = "test rule"
"#,
        )
        .unwrap();
        env
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("mulu.toml")
    }

    fn mulu(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_mulu"))
            .args(args)
            .env("MULU_STATE", self.dir.path().join("state.db"))
            .env("MULU_CONFIG", self.config())
            .output()
            .unwrap()
    }

    fn scan(&self) {
        let out = self.mulu(&["scan", self.data().to_str().unwrap(), "--quiet"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `mulu diff --json` and returns (exit code, stdout, diff JSON).
    fn diff(&self) -> (i32, String, Value) {
        let json = self.dir.path().join("diff.json");
        let out = self.mulu(&["diff", "--json", json.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let code = out.status.code().unwrap();
        let value = std::fs::read_to_string(&json)
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or_else(|_| {
                panic!(
                    "no diff JSON; exit {code}; {}",
                    String::from_utf8_lossy(&out.stderr)
                )
            });
        (code, stdout, value)
    }

    fn accept(&self) {
        let out = self.mulu(&["baseline", "accept", "--filed-at", "2026-07-31"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A VIN with a valid ISO 3779 check digit, different for every n.
fn vin(n: usize) -> String {
    let mut v = format!("LSVAB2BM{}{:08}", 0, n).into_bytes();
    v.truncate(17);
    v[8] = b'0';
    v[8] = classifiers::validate::vin_check_char(&v).unwrap();
    String::from_utf8(v).unwrap()
}

/// A vehicle table of `rows` rows whose `note` column is `note_len` characters wide.
fn write_vehicles(data: &Path, rows: usize, note_len: usize) {
    let mut csv = String::from("vin,note\n");
    let note = "x".repeat(note_len);
    for n in 0..rows {
        csv.push_str(&format!("{},{note}\n", vin(n)));
    }
    std::fs::write(data.join("vehicles.csv"), csv).unwrap();
}

fn reasons(diff: &Value) -> Vec<(String, String)> {
    diff["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["item_id"].as_str().unwrap().to_string(),
                t["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

#[test]
fn growth_of_35_percent_needs_a_refiling_with_a_due_date() {
    let env = Env::new();
    write_vehicles(&env.data(), 1000, 20);
    env.scan();
    env.accept();
    let (code, stdout, _) = env.diff();
    assert_eq!(code, 0, "unchanged data: {stdout}");

    write_vehicles(&env.data(), 1350, 20);
    env.scan();
    let (code, stdout, diff) = env.diff();
    assert_eq!(code, 10, "{stdout}");
    assert!(
        stdout.contains("vehicle-identifiers") && stdout.contains("条目数量变化≥30%"),
        "{stdout}"
    );
    let t = &diff["triggers"][0];
    assert_eq!(t["reason"], "record_count");
    assert_eq!(
        (t["baseline"].as_u64(), t["current"].as_u64()),
        (Some(1000), Some(1350))
    );
    let detected = date(&t["detected_at"]);
    assert_eq!(
        date(&t["due_by"]),
        detected.checked_add_months(chrono::Months::new(3)).unwrap()
    );
    assert!(stdout.contains(t["due_by"].as_str().unwrap()));
    assert_eq!(diff["baseline_filed_at"], "2026-07-31");
}

#[test]
fn thresholds_are_inclusive_and_both_directions() {
    let env = Env::new();
    write_vehicles(&env.data(), 1000, 20);
    env.scan();
    env.accept();

    // +25 % rows and bytes: below the threshold.
    write_vehicles(&env.data(), 1250, 20);
    env.scan();
    let (code, stdout, _) = env.diff();
    assert_eq!(code, 0, "{stdout}");

    // Exactly +30 % rows.
    write_vehicles(&env.data(), 1300, 20);
    env.scan();
    let (code, _, diff) = env.diff();
    assert_eq!(code, 10);
    assert!(reasons(&diff).contains(&("vehicle-identifiers".into(), "record_count".into())));

    // A shrink by 30 %.
    write_vehicles(&env.data(), 700, 20);
    env.scan();
    let (code, _, diff) = env.diff();
    assert_eq!(code, 10);
    assert!(reasons(&diff).contains(&("vehicle-identifiers".into(), "record_count".into())));

    // Same rows, 40 % more bytes: storage alone triggers.
    let note_len = 36; // vin, comma, note, newline: 39 → 55 bytes per row, +41 %
    write_vehicles(&env.data(), 1000, note_len);
    env.scan();
    let (code, _, diff) = env.diff();
    assert_eq!(code, 10);
    assert_eq!(
        reasons(&diff),
        vec![(
            "vehicle-identifiers".to_string(),
            "storage_total".to_string()
        )]
    );
}

#[test]
fn a_new_important_item_triggers_and_the_detection_date_is_kept() {
    let env = Env::new();
    write_vehicles(&env.data(), 1000, 20);
    env.scan();
    env.accept();

    // Bank cards appear: personal-financial is important by the test rule.
    let mut cards = String::from("card_no\n");
    for n in 0..200u64 {
        let body = format!("62220212{:07}", n);
        let check = (0..10)
            .map(|d| format!("{body}{d}"))
            .find(|c| classifiers::validate::luhn_valid(c))
            .unwrap();
        cards.push_str(&check);
        cards.push('\n');
    }
    std::fs::write(env.data().join("cards.csv"), cards).unwrap();
    env.scan();
    let (code, _, first) = env.diff();
    assert_eq!(code, 10);
    assert_eq!(
        reasons(&first),
        vec![("personal-financial".to_string(), "new_item".to_string())]
    );
    env.scan();
    let (_, _, second) = env.diff();
    assert_eq!(
        first["triggers"][0]["detected_at"],
        second["triggers"][0]["detected_at"]
    );
}

#[test]
fn a_killed_scan_leaves_a_usable_state_and_is_not_current() {
    let env = Env::new();
    write_vehicles(&env.data(), 100, 20);
    env.scan();
    env.accept();

    // Enough files that a scan takes a while, then SIGKILL it midway.
    let slow = env.dir.path().join("slow");
    std::fs::create_dir_all(&slow).unwrap();
    for i in 0..3000 {
        std::fs::write(
            slow.join(format!("f{i:04}.csv")),
            format!("id,vin\n{i},{}\n", vin(i)),
        )
        .unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args([
            "scan",
            slow.to_str().unwrap(),
            "--quiet",
            "--concurrency",
            "1",
        ])
        .env("MULU_STATE", env.dir.path().join("state.db"))
        .env("MULU_CONFIG", env.config())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the scan is recorded as running, then kill it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let status = String::from_utf8(env.mulu(&["status"]).stdout).unwrap();
        if status.contains("Unfinished scans") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the scan never started: {status}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    child.kill().unwrap(); // SIGKILL on Unix
    let exit = child.wait().unwrap();
    assert!(!exit.success(), "the scan was killed, not finished");

    let status = String::from_utf8(env.mulu(&["status"]).stdout).unwrap();
    assert!(
        status.contains("Last scan: 1 "),
        "the killed scan is not current: {status}"
    );
    assert!(
        status.contains("Unfinished scans (killed or crashed, ignored): 1"),
        "{status}"
    );
    let (code, _, _) = env.diff();
    assert_eq!(code, 0, "diff still works against the last complete scan");
    env.scan();
    let (code, _, diff) = env.diff();
    assert_eq!(code, 0);
    assert_eq!(
        diff["current_scan"], 3,
        "the next scan is recorded after the killed one"
    );
}

#[test]
fn schedule_once_runs_a_due_job_and_stores_it() {
    let env = Env::new();
    write_vehicles(&env.data(), 10, 5);
    let config = format!(
        "{}\n[[schedule]]\nname = \"nightly\"\ncron = \"0 2 * * *\"\nsources = [\"{}\"]\n",
        std::fs::read_to_string(env.config()).unwrap(),
        env.data().display()
    );
    std::fs::write(env.config(), config).unwrap();
    let out = env.mulu(&["schedule", "--once"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("job nightly: scan 1 complete; no baseline yet"),
        "{stdout}"
    );
    let status = String::from_utf8(env.mulu(&["status"]).stdout).unwrap();
    assert!(status.contains("Last scan: 1 "), "{status}");
    // It just ran; the next run is at 02:00.
    let again = env.mulu(&["schedule", "--once"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("No job is due."));
}

#[test]
fn a_scheduled_run_logs_each_failure_and_its_cause_at_the_default_level() {
    let env = Env::new();
    write_vehicles(&env.data(), 10, 5);
    std::fs::write(env.data().join("broken.parquet"), b"not parquet at all").unwrap();
    let missing = env.dir.path().join("no-such-folder");
    let config = format!(
        "{}\n[[schedule]]\nname = \"nightly\"\ncron = \"0 2 * * *\"\nsources = [\"{}\", \"{}\"]\n",
        std::fs::read_to_string(env.config()).unwrap(),
        env.data().display(),
        missing.display()
    );
    std::fs::write(env.config(), config).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(["schedule", "--once"])
        .env("MULU_STATE", env.dir.path().join("state.db"))
        .env("MULU_CONFIG", env.config())
        .env_remove("MULU_LOG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("asset failed or read in part") && stderr.contains("broken.parquet"),
        "{stderr}"
    );
    assert!(
        stderr.contains("source failed or listed in part") && stderr.contains("no-such-folder"),
        "{stderr}"
    );
    // Logs going to a file carry no colour codes.
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
}

/// A job names its sources by their `[[sources]]` name, and the entry comes whole: here its
/// `exclude` keeps a broken parquet file out, so the run is complete, where the same folder
/// given as a path (no exclude) is partial. A name that is no source is a config error.
#[test]
fn a_job_scans_its_sources_by_name_with_their_settings() {
    let env = Env::new();
    write_vehicles(&env.data(), 10, 5);
    std::fs::write(env.data().join("broken.parquet"), b"not parquet at all").unwrap();
    let base = std::fs::read_to_string(env.config()).unwrap();
    let with_job = |name: &str, sources: &str| {
        std::fs::write(
            env.config(),
            format!(
                "{base}\n[[sources]]\nname = \"fleet\"\nurl = \"{}\"\nexclude = [\"*.parquet\"]\n\n\
                 [[schedule]]\nname = \"{name}\"\ncron = \"0 2 * * *\"\nsources = [{sources}]\n",
                env.data().display()
            ),
        )
        .unwrap();
        env.mulu(&["schedule", "--once"])
    };
    let by_name = with_job("by-name", "\"fleet\"");
    let stdout = String::from_utf8_lossy(&by_name.stdout);
    assert_eq!(
        by_name.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&by_name.stderr)
    );
    assert!(stdout.contains("job by-name: scan 1 complete"), "{stdout}");

    let by_path = with_job("by-path", &format!("\"{}\"", env.data().display()));
    assert_eq!(by_path.status.code(), Some(3), "the path has no exclude");

    let typo = with_job("typo", "\"flet\"");
    let stderr = String::from_utf8_lossy(&typo.stderr);
    assert_eq!(typo.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("source 'flet' is neither a [[sources]] name") && stderr.contains("fleet"),
        "{stderr}"
    );
}

#[test]
fn status_lists_the_yearly_deadlines() {
    let env = Env::new();
    let out = env.mulu(&["status"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Last scan: none yet"));
    for name in [
        "车联网重要数据目录备案",
        "人工智能重要数据目录备案",
        "数据安全风险评估报告",
    ] {
        assert!(text.contains(name), "{text}");
    }
    assert!(text.contains("-07-31 车联网重要数据目录备案"), "{text}");
}

#[test]
fn a_scheduled_run_that_finds_a_trigger_posts_the_diff_to_the_webhook() {
    let env = Env::new();
    write_vehicles(&env.data(), 1000, 20);
    env.scan();
    env.accept();
    write_vehicles(&env.data(), 1500, 20);

    let (port, server) =
        one_request_server("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n".into());

    let config = format!(
        "{}\n[[schedule]]\nname = \"nightly\"\ncron = \"0 2 * * *\"\nsources = [\"{}\"]\nwebhook = \"http://127.0.0.1:{port}/mulu\"\n",
        std::fs::read_to_string(env.config()).unwrap(),
        env.data().display()
    );
    std::fs::write(env.config(), config).unwrap();
    let out = env.mulu(&["schedule", "--once"]);
    assert_eq!(
        out.status.code(),
        Some(10),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ALERT [nightly]: re-filing needed"),
        "{stderr}"
    );
    let request = server.join().unwrap();
    assert!(request.starts_with("POST /mulu "), "{request}");
    let body: Value =
        serde_json::from_str(&request[request.find("\r\n\r\n").unwrap() + 4..]).unwrap();
    assert_eq!(body["refiling_needed"], true);
    assert_eq!(body["triggers"][0]["reason"], "record_count");
}

/// A real HTTP listener on loopback that answers one request with `answer` and returns the
/// request it received.
fn one_request_server(answer: String) -> (u16, std::thread::JoinHandle<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request);
            if let Some(head_end) = text.find("\r\n\r\n") {
                let length: usize = text[..head_end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if request.len() >= head_end + 4 + length {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        stream.write_all(answer.as_bytes()).unwrap();
        String::from_utf8(request).unwrap()
    });
    (port, server)
}

/// A DingTalk robot gets a text message it shows as is, signed (加签) with the secret from
/// the environment; a robot's refusal (HTTP 200, error code in the body) is reported without
/// the robot's token.
#[test]
fn a_chat_robot_webhook_gets_a_signed_text_message_and_its_refusal_is_reported() {
    let env = Env::new();
    write_vehicles(&env.data(), 1000, 20);
    env.scan();
    env.accept();
    write_vehicles(&env.data(), 1500, 20);
    let base = std::fs::read_to_string(env.config()).unwrap();
    // Run history is kept per job name: each run is a new job, so it is due.
    let run = |job: &str, json: &str| {
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
            json.len()
        );
        let (port, server) = one_request_server(answer);
        std::fs::write(
            env.config(),
            format!(
                "{base}\n[[schedule]]\nname = \"{job}\"\ncron = \"0 2 * * *\"\nsources = [\"{}\"]\n\
                 webhook = \"http://127.0.0.1:{port}/robot/send?access_token=tok123secret\"\n\
                 webhook_format = \"dingtalk\"\nwebhook_secret_env = \"MULU_TEST_ROBOT_SECRET\"\n",
                env.data().display()
            ),
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
            .args(["schedule", "--once"])
            .env("MULU_STATE", env.dir.path().join("state.db"))
            .env("MULU_CONFIG", env.config())
            .env("MULU_TEST_ROBOT_SECRET", "SECfixture")
            .output()
            .unwrap();
        (out, server.join().unwrap())
    };
    let (out, request) = run("nightly", r#"{"errcode":0,"errmsg":"ok"}"#);
    assert_eq!(
        out.status.code(),
        Some(10),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let head = &request[..request.find("\r\n\r\n").unwrap()];
    assert!(
        head.starts_with("POST /robot/send?access_token=tok123secret&timestamp="),
        "{head}"
    );
    assert!(head.contains("&sign="), "{head}");
    let body: Value =
        serde_json::from_str(&request[request.find("\r\n\r\n").unwrap() + 4..]).unwrap();
    assert_eq!(body["msgtype"], "text");
    let content = body["text"]["content"].as_str().unwrap();
    assert!(content.contains("重要数据目录需变更备案"), "{content}");
    assert!(content.contains("条目数量变化≥30%"), "{content}");
    assert!(
        !content.contains("LSVAB"),
        "no data value in the message: {content}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("ALERT [nightly]"));

    let (out, _) = run("weekly", r#"{"errcode":310000,"errmsg":"sign not match"}"#);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("webhook") && stderr.contains("refused") && stderr.contains("310000"),
        "{stderr}"
    );
    assert!(!stderr.contains("tok123secret"), "{stderr}");
}

/// A Luhn-valid 16-digit UnionPay-style card number, different for every n.
fn card(n: usize) -> String {
    let body = format!("622202{:09}", n);
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

#[test]
fn a_source_that_is_down_is_not_comparable_and_no_refiling_is_due() {
    let env = Env::new();
    write_vehicles(&env.data(), 200, 20);
    let cards = env.dir.path().join("cards");
    std::fs::create_dir_all(&cards).unwrap();
    let mut csv = String::from("customer_id,bank_card\n");
    for n in 0..200 {
        csv.push_str(&format!("{n},{}\n", card(n)));
    }
    std::fs::write(cards.join("payments.csv"), csv).unwrap();
    let sources = [env.data(), cards.clone()];
    let scan = |expected: i32| {
        let mut args = vec!["scan".to_string()];
        args.extend(sources.iter().map(|p| p.to_str().unwrap().to_string()));
        args.push("--quiet".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.mulu(&args);
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    scan(0);
    env.accept();
    let (code, _, diff) = env.diff();
    assert_eq!(code, 0);
    assert!(diff.get("not_comparable").is_none());

    // The card store is down tonight: the scan is partial, and the diff must not report the
    // card data as removed.
    std::fs::rename(&cards, env.dir.path().join("cards-offline")).unwrap();
    scan(3);
    let (code, stdout, diff) = env.diff();
    assert_eq!(code, 0, "{stdout}");
    assert!(reasons(&diff).is_empty(), "{diff}");
    let not = diff["not_comparable"].as_array().unwrap();
    assert_eq!(not.len(), 1, "{diff}");
    assert_eq!(not[0]["item_id"], "personal-financial");
    assert_eq!(not[0]["reason"], "removed_item");
    assert!(
        not[0]["detail"].as_str().unwrap().contains("cards"),
        "{diff}"
    );
    assert!(stdout.contains("not comparable"), "{stdout}");
    let status = env.mulu(&["status"]);
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("in 1 of 2 sources scanned (1 source failed") && text.contains("partial"),
        "{text}"
    );

    // Back the next night, and really gone the night after: then it is a trigger.
    std::fs::rename(env.dir.path().join("cards-offline"), &cards).unwrap();
    std::fs::remove_file(cards.join("payments.csv")).unwrap();
    scan(0);
    let (code, _, diff) = env.diff();
    assert_eq!(code, 10);
    assert_eq!(
        reasons(&diff),
        vec![("personal-financial".to_string(), "removed_item".to_string())]
    );
}

#[test]
fn a_filing_date_in_the_future_is_refused() {
    let env = Env::new();
    write_vehicles(&env.data(), 10, 5);
    env.scan();
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    let out = env.mulu(&["baseline", "accept", "--filed-at", &tomorrow]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is in the future"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = env.mulu(&["baseline", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("No baselines yet"));
}

#[test]
fn scans_list_shows_ids_coverage_and_the_filed_baseline() {
    let env = Env::new();
    let empty = env.mulu(&["scans", "list"]);
    assert_eq!(
        empty.status.code(),
        Some(2),
        "no state yet is a usage error"
    );
    write_vehicles(&env.data(), 10, 5);
    env.scan();
    let out = env.mulu(&["baseline", "accept", "--filed-at", "2026-07-31"]);
    assert_eq!(out.status.code(), Some(0));
    env.scan();
    let out = env.mulu(&["scans", "list"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].trim_start().starts_with("2 "),
        "newest first: {text}"
    );
    assert!(lines[1].trim_start().starts_with("1 "), "{text}");
    assert!(
        lines[1].contains("filed as baseline 1 on 2026-07-31"),
        "{text}"
    );
    assert!(!lines[0].contains("filed as baseline"), "{text}");
    assert!(lines[0].contains("scanned (none failed)"), "{text}");
    let one = env.mulu(&["scans", "list", "--limit", "1"]);
    assert_eq!(String::from_utf8(one.stdout).unwrap().lines().count(), 1);
}
