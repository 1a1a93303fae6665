//! Table-level rules end to end through the `mulu` binary: value profiles and table names
//! reach the rules. Every value is synthetic.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Creates an SQLite database at `path` with `statements`.
fn sqlite(path: &Path, statements: &[String]) {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::ConnectOptions;
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut conn = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        for sql in statements {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    });
}

/// Scans `target` with `mulu scan --json` and returns the report.
fn scan(dir: &Path, target: &Path) -> Value {
    let json = dir.join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(["scan", target.to_str().unwrap(), "--no-state", "--json"])
        .arg(&json)
        .env("MULU_STATE", dir.join("state.db"))
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 2),
        "{out:?}"
    );
    serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap()
}

/// The table categories the report gives asset `table`.
fn categories(report: &Value, table: &str) -> Vec<String> {
    let asset = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            let name = a["name"].as_str().unwrap();
            name == table || name.ends_with(&format!(".{table}"))
        })
        .unwrap_or_else(|| panic!("{table} not in {report}"));
    // Absent when there are none.
    asset["categories"].as_array().map_or_else(Vec::new, |all| {
        all.iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    })
}

/// A synthetic VIN with a valid ISO 3779 check digit.
fn vin(serial: u32) -> String {
    let body = format!("LSV2A8E4?K{:07}", 1_000_000 + serial);
    let value = |c: char| match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A'..='H' => c as u32 - 'A' as u32 + 1,
        'J'..='N' => c as u32 - 'J' as u32 + 1,
        'P' | 'R' => [7, 9][usize::from(c == 'R')],
        'S'..='Z' => c as u32 - 'S' as u32 + 2,
        _ => 0,
    };
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let sum: u32 = body.chars().zip(WEIGHTS).map(|(c, w)| value(c) * w).sum();
    let check = match sum % 11 {
        10 => 'X',
        d => char::from_digit(d, 10).unwrap(),
    };
    body.replace('?', &check.to_string())
}

/// `INSERT`s of `vehicles` × `points` positions near Shanghai, one every 10 s.
fn positions(table: &str, vehicles: u32, points: u32) -> Vec<String> {
    let mut rows = Vec::new();
    for v in 0..vehicles {
        for p in 0..points {
            let ms = 1_717_200_000_000_i64 + i64::from(p) * 10_000 + i64::from(v) * 7;
            let lat = 31.2 + f64::from(v) * 0.01 + f64::from(p) * 0.000_137 + 0.000_001;
            let lon = 121.4 + f64::from(v) * 0.01 + f64::from(p) * 0.000_173 + 0.000_001;
            rows.push(format!("('{}', {ms}, {lat:.6}, {lon:.6})", vin(v * 31 + 1)));
        }
    }
    rows.chunks(100)
        .map(|c| format!("INSERT INTO {table} VALUES {}", c.join(",")))
        .collect()
}

#[test]
fn neutral_named_positions_are_a_track_and_latest_positions_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fleet.db");
    let create =
        |t: &str| format!("CREATE TABLE {t} (vin TEXT, gps_ms BIGINT, lat REAL, lon REAL)");
    let mut sql = vec![
        create("tracks"),
        create("vehicle_state"),
        create("vehicle_last_position"),
        "CREATE TABLE log_a (vin TEXT, t BIGINT, a REAL, b REAL)".to_string(),
    ];
    // No column name says time or position: only the values do.
    sql.extend(positions("log_a", 5, 40));
    // Five vehicles, 40 points each: a track.
    sql.extend(positions("tracks", 5, 40));
    // One row per vehicle: the same shape, but the VINs never repeat.
    sql.extend(positions("vehicle_state", 60, 1));
    // Repeating VINs, but the table's name says it holds the latest position.
    sql.extend(positions("vehicle_last_position", 5, 40));
    sqlite(&db, &sql);

    let report = scan(dir.path(), &db);
    let tracks = categories(&report, "tracks");
    assert_eq!(tracks, ["vehicle.trajectory"], "{report}");
    let asset = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"].as_str().unwrap().ends_with("tracks"))
        .unwrap();
    let rule = asset["categories"][0]["rule"].as_str().unwrap();
    assert!(rule.contains("`gps_ms`"), "{rule}");
    assert_eq!(
        asset["categories"][0]["columns"],
        serde_json::json!(["vin", "gps_ms", "lat", "lon"])
    );
    assert_eq!(
        categories(&report, "log_a"),
        ["vehicle.trajectory"],
        "{report}"
    );
    assert!(categories(&report, "vehicle_state").is_empty(), "{report}");
    assert!(
        categories(&report, "vehicle_last_position").is_empty(),
        "{report}"
    );
}

#[test]
fn a_charging_pile_registry_is_named_by_its_table() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ops.db");
    let mut sql = Vec::new();
    for t in ["charging_pile", "bus_stop"] {
        sql.push(format!(
            "CREATE TABLE {t} (id INTEGER, station_id INTEGER, status INTEGER, rated_power REAL)"
        ));
        let rows: Vec<String> = (0..30)
            .map(|i| format!("({i}, {}, {}, {}.5)", i / 6, i % 3, 60 + i % 4 * 30))
            .collect();
        sql.push(format!("INSERT INTO {t} VALUES {}", rows.join(",")));
    }
    sqlite(&db, &sql);
    let report = scan(dir.path(), &db);
    assert_eq!(
        categories(&report, "charging_pile"),
        ["vehicle.charging_ops"],
        "{report}"
    );
    assert!(categories(&report, "bus_stop").is_empty(), "{report}");
}

#[test]
fn ai_data_sets_are_catalogued_as_training_and_user_input_data_in_an_ai_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("llm.db");
    let mut sql = vec![
        "CREATE TABLE chat_messages (id INTEGER, session_id TEXT, role TEXT, content TEXT, \
         created_at TEXT)"
            .to_string(),
        "CREATE TABLE sft_samples (instruction TEXT, input TEXT, output TEXT)".to_string(),
    ];
    for i in 0..20 {
        sql.push(format!(
            "INSERT INTO chat_messages VALUES ({i}, 's{}', '{}', '第{i}个问题的内容', \
             '2026-05-01 10:00:{i:02}')",
            i / 4,
            ["user", "assistant"][i % 2]
        ));
        sql.push(format!(
            "INSERT INTO sft_samples VALUES ('把第{i}句翻译成英文', '今天天气很好', 'Fine today')"
        ));
    }
    sqlite(&db, &sql);
    let config = dir.path().join("mulu.toml");
    let state = dir.path().join("state.db");
    let mulu = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
            .args(args)
            .args(["--config", config.to_str().unwrap()])
            .env("MULU_STATE", &state)
            .env_remove("MULU_CONFIG")
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 2), "{out:?}");
    };
    let inventory = |sectors: &str| -> Vec<(String, String)> {
        std::fs::write(&config, format!("[organization]\nsectors = [{sectors}]\n")).unwrap();
        mulu(&["scan", db.to_str().unwrap(), "--quiet"]);
        let out = dir.path().join("catalog.json");
        mulu(&[
            "catalog",
            "export",
            "--format",
            "json",
            "--out",
            out.to_str().unwrap(),
        ]);
        let c: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        c["inventory"]
            .as_array()
            .unwrap_or_else(|| panic!("no inventory: {c}"))
            .iter()
            .map(|i| {
                let s = |k: &str| i[k].as_str().unwrap().to_string();
                (s("item_id"), s("data_name"))
            })
            .filter(|(id, _)| id.starts_with("ai-"))
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        inventory("\"人工智能\""),
        [
            pair("ai-training-data", "训练数据"),
            pair("ai-user-input", "用户输入数据")
        ]
    );
    // Not an AI organisation: each category is an item of its own.
    let other = inventory("\"电信/互联网\"");
    let ids: Vec<&str> = other.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["ai-chat_log", "ai-instruction_data"]);
}
