//! Labelled evaluation of the table-level rules: positive tables of every
//! table category in their real storage forms, and look-alikes that share
//! columns with them (weather series with coordinates, EV model catalogues,
//! station directories, latest-position tables, FAQ and exam tables,
//! permission and approval tables, product image and document indexes). Schemas are written for this test;
//! values, where a rule needs them, are synthetic.
//!
//! The test fails when a table category falls below precision 0.99 or
//! recall 0.98.

use std::collections::{BTreeMap, BTreeSet};

use classifiers::{
    classify_table_named, table_categories, ClassifierSet, ColumnType, TableColumn, ValueProfile,
};

const MIN_PRECISION: f64 = 0.99;
const MIN_RECALL: f64 = 0.98;

/// One column: name, declared type, categories the column scan gave it,
/// and sample values (empty: no profile).
type Col = (
    &'static str,
    &'static str,
    &'static [&'static str],
    Vec<String>,
);

struct Case {
    name: &'static str,
    /// The table's name (with its comment's label), as the scanner passes it; often empty.
    table: &'static str,
    columns: Vec<Col>,
    labels: &'static [&'static str],
}

fn c(name: &'static str, ty: &'static str, cats: &'static [&'static str]) -> Col {
    (name, ty, cats, Vec::new())
}

fn v(
    name: &'static str,
    ty: &'static str,
    cats: &'static [&'static str],
    values: Vec<String>,
) -> Col {
    (name, ty, cats, values)
}

fn series(n: u64, f: impl Fn(u64) -> String) -> Vec<String> {
    (0..n).map(f).collect()
}

fn vins(n: u64, vehicles: u64) -> Vec<String> {
    series(n, |i| format!("LSVAX0000000{:05}", i % vehicles))
}
fn epoch_ms(n: u64) -> Vec<String> {
    series(n, |i| (1_700_000_000_000 + i * 1000).to_string())
}
fn moving_lon(n: u64) -> Vec<String> {
    series(n, |i| format!("121.{:06}", 400_000 + i * 173))
}
fn moving_lat(n: u64) -> Vec<String> {
    series(n, |i| format!("31.{:06}", 200_000 + i * 97))
}
fn media_keys(n: u64, ext: &'static str) -> Vec<String> {
    series(n, move |i| {
        format!("cap/2026/11/{:03}/{}.{ext}", i % 7, 1_762_000_000 + i * 17)
    })
}
fn positions(n: u64, words: &'static [&'static str]) -> Vec<String> {
    series(n, |i| words[i as usize % words.len()].to_owned())
}

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    const VIN: &[&str] = &["vehicle.vin"];
    const PLATE: &[&str] = &["vehicle.license_plate"];
    const DEV: &[&str] = &["pi.device_id"];
    let t = |name, columns, labels| Case { name, table: "", columns, labels };
    let named = |name, table, columns, labels| Case { name, table, columns, labels };
    let track = || vec![c("vin", "varchar", VIN), c("lng", "double", &[]), c("lat", "double", &[]),
        c("gps_time", "timestamp", &[])];
    let registry = || vec![c("id", "bigint", &[]), c("station_id", "bigint", &[]),
        c("status", "tinyint", &[]), c("rated_power", "decimal(8,2)", &[])];
    vec![
        // ---- what only the table's name (or comment) says
        named("track table", "vehicle_gps_log", track(), &["vehicle.trajectory"]),
        named("'last' inside a word", "lastmile_track", track(), &["vehicle.trajectory"]),
        named("latest position by table name", "vehicle_last_position", track(), &[]),
        named("latest position by table comment", "t_pos_车辆最新位置", track(), &[]),
        named("current location table", "CurrentVehicleLocation", track(), &[]),
        named("charging pile registry", "charging_pile", registry(), &["vehicle.charging_ops"]),
        named("charging registry by comment", "t_equipment_充电桩信息", registry(),
            &["vehicle.charging_ops"]),
        named("bus station status", "bus_station_status", registry(), &[]),
        named("power station status", "pv_power_station", registry(), &[]),
        // ---- trajectories in their storage forms
        t("jt808 location", vec![c("vin", "varchar(17)", VIN), c("gps_ms", "bigint", &[]),
            c("lat", "int", &[]), c("lon", "int", &[])], &["vehicle.trajectory"]),
        t("tbox log", vec![c("vin", "varchar", VIN), c("lng", "double", &[]), c("lat", "double", &[]),
            c("gps_time", "timestamp", &[])], &["vehicle.trajectory"]),
        t("chinese names", vec![c("车牌号", "varchar", PLATE), c("经度", "decimal(10,6)", &[]),
            c("纬度", "decimal(10,6)", &[]), c("定位时间", "datetime", &[])], &["vehicle.trajectory"]),
        t("neutral names, values", vec![v("vin", "varchar", VIN, vins(60, 5)),
            v("t", "bigint", &[], epoch_ms(60)), v("a", "double", &[], moving_lon(60)),
            v("b", "double", &[], moving_lat(60))], &["vehicle.trajectory"]),
        t("geometry", vec![c("terminal_id", "varchar", &[]), c("geom", "geometry(Point,4326)", &[]),
            c("collect_time", "timestamp", &[])], &["vehicle.trajectory"]),
        t("device epoch seconds", vec![c("device_id", "varchar", DEV), c("lon", "double", &[]),
            c("lat", "double", &[]), c("unix_time", "bigint", &[])], &["vehicle.trajectory"]),
        // ---- trajectory look-alikes
        t("weather series", vec![v("device_id", "varchar", DEV, vins(60, 3)),
            v("ts", "bigint", &[], epoch_ms(60)),
            v("lon", "double", &[], series(60, |i| format!("116.{}", 397_128 + i % 3))),
            v("lat", "double", &[], series(60, |i| format!("39.{}", 916_527 + i % 3))),
            c("temperature", "double", &[]), c("humidity", "double", &[])], &[]),
        t("weather stations", vec![c("station_id", "varchar", &[]), c("lat", "double", &[]),
            c("lon", "double", &[]), c("obs_time", "timestamp", &[]), c("temp", "double", &[])], &[]),
        t("ev model catalogue", vec![c("model_id", "int", &[]), c("brand", "varchar", &[]),
            c("model_name", "varchar", &[]), c("battery_kwh", "double", &[]),
            c("range_km", "int", &[]), c("price", "decimal(10,2)", &[]),
            c("release_date", "date", &[])], &[]),
        t("station directory", vec![c("station_id", "varchar", &[]), c("station_name", "varchar", &[]),
            c("address", "varchar", &["pi.address"]), c("lng", "double", &[]), c("lat", "double", &[]),
            c("operator", "varchar", &[]), c("updated_at", "datetime", &[])], &[]),
        t("latest position by name", vec![c("vin", "varchar", VIN), c("last_lng", "double", &[]),
            c("last_lat", "double", &[]), c("updated_at", "datetime", &[])], &[]),
        t("latest position by values", vec![v("vin", "varchar", VIN, vins(60, 60)),
            v("lng", "double", &[], moving_lon(60)), v("lat", "double", &[], moving_lat(60)),
            v("gps_time", "bigint", &[], epoch_ms(60))], &[]),
        t("orders with amounts", vec![v("vin", "varchar", VIN, vins(60, 7)),
            v("created_ms", "bigint", &[], epoch_ms(60)),
            v("price", "double", &[], series(60, |i| format!("{}.{:02}", 100 + i, i))),
            v("amount", "double", &[], series(60, |i| format!("{}.{}", 30 + i % 20, i % 10)))], &[]),
        // ---- other vehicle rules
        t("charging", vec![c("pile_id", "varchar", &[]), c("status", "int", &[]),
            c("power_kw", "double", &[]), c("updated_at", "datetime", &[])], &["vehicle.charging_ops"]),
        t("dashcam", vec![c("vin", "varchar", VIN), c("capture_time", "timestamp", &[]),
            c("front_camera_url", "varchar", &[])], &["vehicle.exterior_media"]),
        t("dms events", vec![c("vin", "varchar", VIN), c("dms_image_url", "varchar", &[]),
            c("event_type", "varchar", &[]), c("ts", "timestamp", &[])], &["vehicle.cabin_media"]),
        t("section flow", vec![c("section_id", "varchar", &[]), c("stat_hour", "timestamp", &[]),
            c("traffic_flow", "int", &[]), c("avg_speed", "double", &[])], &["vehicle.traffic_flow"]),
        t("product photos", vec![c("sku", "varchar", &[]), c("image_url", "varchar", &[]),
            c("photo", "bytea", &[])], &[]),
        t("device track zh", vec![c("设备id", "varchar", &[]), c("经度", "double", &[]),
            c("纬度", "double", &[]), c("上报时间", "datetime", &[])], &["vehicle.trajectory"]),
        // ---- camera media indexes: object keys by value, position, vehicle, time
        t("media index", vec![c("vin", "varchar", VIN), v("object_key", "varchar", &[], media_keys(60, "jpg")),
            v("position", "varchar", &[], positions(60, &["front", "rear", "left", "right"])),
            c("captured_at", "datetime", &[])], &["vehicle.exterior_media"]),
        t("dvr clip index", vec![c("plate_no", "varchar", PLATE),
            v("file_url", "varchar", &[], media_keys(60, "h264")),
            v("channel", "int", &[], positions(60, &["1", "2", "3", "4"])),
            c("start_ms", "bigint", &[])], &["vehicle.exterior_media"]),
        t("dms capture index", vec![c("vin", "varchar", VIN), v("oss_key", "varchar", &[], media_keys(60, "mp4")),
            v("camera_pos", "varchar", &[], positions(60, &["DMS", "OMS"])),
            c("capture_time", "timestamp", &[])], &["vehicle.cabin_media"]),
        t("mixed capture index", vec![c("车架号", "varchar", VIN), v("存储路径", "varchar", &[], media_keys(60, "jpeg")),
            v("机位", "varchar", &[], positions(60, &["前视", "后视", "车内"])),
            c("拍摄时间", "datetime", &[])], &["vehicle.exterior_media", "vehicle.cabin_media"]),
        // ---- media index look-alikes
        t("product images by key", vec![c("sku", "varchar", &[]),
            v("object_key", "varchar", &[], media_keys(60, "png")), c("sort", "int", &[]),
            c("created_at", "datetime", &[])], &[]),
        t("vehicle photo album", vec![c("vin", "varchar", VIN),
            v("object_key", "varchar", &[], media_keys(60, "jpg")), c("uploaded_at", "datetime", &[])], &[]),
        t("vehicle document index", vec![c("vin", "varchar", VIN),
            v("object_key", "varchar", &[], series(60, |i| format!("docs/{i}/invoice.pdf"))),
            v("position", "varchar", &[], positions(60, &["front", "rear"])),
            c("created_at", "datetime", &[])], &[]),
        t("camera inventory", vec![c("vin", "varchar", VIN), c("camera_position", "varchar", &[]),
            c("camera_model", "varchar", &[]), c("installed_at", "datetime", &[])], &[]),
        // ---- more look-alike variants
        t("weather series zh", vec![c("站点编号", "varchar", &[]),
            v("经度", "double", &[], series(60, |i| format!("121.{}", 447_128 + i % 2))),
            v("纬度", "double", &[], series(60, |i| format!("31.{}", 216_527 + i % 2))),
            c("观测时间", "datetime", &[]), c("气温", "double", &[]), c("降水量", "double", &[])], &[]),
        t("ev model catalogue zh", vec![c("车型id", "int", &[]), c("品牌", "varchar", &[]),
            c("车型名称", "varchar", &[]), c("电池容量", "double", &[]), c("续航里程", "int", &[]),
            c("上市时间", "date", &[])], &[]),
        t("station directory zh", vec![c("站点名称", "varchar", &[]), c("地址", "varchar", &["pi.address"]),
            c("经度", "double", &[]), c("纬度", "double", &[]), c("营业时间", "varchar", &[]),
            c("更新时间", "datetime", &[])], &[]),
        t("latest position zh", vec![c("vin", "varchar", VIN), c("最新经度", "double", &[]),
            c("最新纬度", "double", &[]), c("更新时间", "datetime", &[])], &[]),
        t("faq zh", vec![c("id", "int", &[]), c("问题", "varchar", &[]), c("答案", "text", &[]),
            c("分类", "varchar", &[]), c("排序", "int", &[])], &[]),
        // ---- AI data holdings
        t("chat messages", vec![c("id", "bigint", &[]), c("session_id", "varchar", &[]),
            c("role", "varchar", &[]), c("content", "text", &[]), c("created_at", "datetime", &[])],
            &["ai.chat_log"]),
        t("chat conversations", vec![c("conversationId", "varchar", &[]), c("userId", "bigint", &[]),
            c("messages", "jsonb", &[]), c("model", "varchar", &[])], &["ai.chat_log"]),
        t("prompt log", vec![c("request_id", "varchar", &[]), c("user_id", "bigint", &[]),
            c("prompt", "text", &[]), c("response", "text", &[]), c("prompt_tokens", "int", &[]),
            c("completion_tokens", "int", &[])], &["ai.chat_log"]),
        t("chat zh", vec![c("会话id", "varchar", &[]), c("角色", "varchar", &[]),
            c("内容", "text", &[])], &["ai.chat_log"]),
        t("message store", vec![c("id", "serial", &[]), c("session_id", "text", &[]),
            c("message", "jsonb", &[])], &["ai.chat_log"]),
        t("chat documents", vec![c("id", "varchar", &[]), c("user_id", "varchar", &[]),
            c("title", "text", &[]), c("chat", "json", &[]), c("updated_at", "bigint", &[])],
            &["ai.chat_log"]),
        t("app messages", vec![c("id", "uuid", &[]), c("app_id", "uuid", &[]),
            c("conversation_id", "uuid", &[]), c("query", "text", &[]), c("answer", "text", &[]),
            c("message_tokens", "int", &[]), c("model_id", "varchar", &[])], &["ai.chat_log"]),
        t("notification log", vec![c("session_id", "varchar", &[]), c("message", "varchar", &[]),
            c("sent_at", "datetime", &[])], &[]),
        t("alpaca", vec![c("id", "bigint", &[]), c("instruction", "text", &[]), c("input", "text", &[]),
            c("output", "text", &[])], &["ai.instruction_data"]),
        t("prompt completion", vec![c("prompt", "Utf8", &[]), c("completion", "Utf8", &[])],
            &["ai.instruction_data"]),
        t("sharegpt", vec![c("id", "Utf8", &[]), c("conversations", "Utf8", &[])],
            &["ai.instruction_data"]),
        t("dpo", vec![c("prompt", "text", &[]), c("chosen", "text", &[]), c("rejected", "text", &[])],
            &["ai.preference_data"]),
        t("pairwise", vec![c("prompt", "text", &[]), c("response_a", "text", &[]),
            c("response_b", "text", &[]), c("winner", "varchar", &[])], &["ai.preference_data"]),
        t("web shard", vec![c("text", "Utf8", &[]), c("url", "Utf8", &[]), c("token_count", "Int64", &[])],
            &["ai.pretraining_corpus"]),
        t("cleaned shard", vec![c("doc_id", "Utf8", &[]), c("raw_content", "Utf8", &[]),
            c("perplexity", "Float64", &[]), c("minhash", "Binary", &[])], &["ai.pretraining_corpus"]),
        t("eval results", vec![c("id", "int", &[]), c("question", "text", &[]),
            c("reference", "text", &[]), c("prediction", "text", &[]), c("score", "double", &[])],
            &["ai.evaluation_data"]),
        t("graded runs", vec![c("prompt", "text", &[]), c("answer", "text", &[]),
            c("model_name", "varchar", &[]), c("is_correct", "boolean", &[])], &["ai.evaluation_data"]),
        t("pgvector", vec![c("id", "bigint", &[]), c("chunk", "text", &[]),
            c("embedding", "vector(1024)", &[])], &["ai.embedding"]),
        t("clickhouse vectors", vec![c("doc_id", "String", &[]),
            c("text_embedding", "Array(Float32)", &[])], &["ai.embedding"]),
        t("json vectors", vec![c("id", "int", &[]), c("embedding", "json", &[])], &["ai.embedding"]),
        // ---- AI look-alikes
        t("faq", vec![c("id", "int", &[]), c("question", "varchar(255)", &[]), c("answer", "text", &[]),
            c("category", "varchar", &[]), c("sort", "int", &[]), c("create_time", "datetime", &[])], &[]),
        t("community qa", vec![c("user_id", "bigint", &[]), c("question", "text", &[]),
            c("answer", "text", &[]), c("created_at", "datetime", &[])], &[]),
        t("permissions", vec![c("user_id", "bigint", &[]), c("role_id", "bigint", &[]),
            c("role_name", "varchar", &[])], &[]),
        t("approvals", vec![c("id", "bigint", &[]), c("status", "varchar", &[]),
            c("rejected_reason", "varchar", &[]), c("approved_by", "varchar", &[])], &[]),
        t("cms articles", vec![c("id", "bigint", &[]), c("title", "varchar", &[]),
            c("content", "longtext", &[]), c("author", "varchar", &[]), c("created_at", "datetime", &[])], &[]),
        t("exam bank", vec![c("question", "text", &[]), c("option_a", "varchar", &[]),
            c("option_b", "varchar", &[]), c("answer", "varchar", &[]), c("subject", "varchar", &[]),
            c("score", "int", &[])], &[]),
        t("price list", vec![c("sku", "varchar", &[]), c("prices", "Array(Float32)", &[])], &[]),
        t("security findings", vec![c("id", "int", &[]), c("attack_vector", "varchar", &[]),
            c("severity", "int", &[])], &[]),
        t("inbox", vec![c("id", "bigint", &[]), c("messages", "text", &[]), c("sender", "varchar", &[]),
            c("sent_at", "datetime", &[])], &[]),
        t("etl jobs", vec![c("job_id", "bigint", &[]), c("user_id", "bigint", &[]),
            c("input", "varchar", &[]), c("output", "varchar", &[])], &[]),
        t("face features", vec![c("user_id", "bigint", &[]),
            c("face_embedding", "bytea", &["pi.biometric"])], &[]),
        t("browsing history", vec![c("user_id", "bigint", &[]), c("history", "text", &[])], &[]),
        t("notices", vec![c("id", "int", &[]), c("role", "varchar", &[]), c("content", "text", &[])], &[]),
    ]
}

#[derive(Default)]
struct Counts {
    tp: u64,
    fp: u64,
    fn_: u64,
}

#[test]
fn table_evaluation_set() {
    let set = ClassifierSet::builtin();
    let mut counts: BTreeMap<String, Counts> = table_categories()
        .iter()
        .map(|t| (t.id.to_string(), Counts::default()))
        .collect();
    let mut errors = Vec::new();
    for case in cases() {
        let types: Vec<ColumnType> = case
            .columns
            .iter()
            .map(|c| ColumnType::parse(c.1))
            .collect();
        let cats: Vec<Vec<classifiers::CategoryId>> = case
            .columns
            .iter()
            .map(|c| {
                c.2.iter()
                    .map(|&s| classifiers::CategoryId::new(s))
                    .collect()
            })
            .collect();
        let profiles: Vec<Option<ValueProfile>> = case
            .columns
            .iter()
            .map(|c| {
                (!c.3.is_empty()).then(|| {
                    let mut scan = set.column(c.0);
                    for value in &c.3 {
                        scan.push(Some(value));
                    }
                    scan.profile()
                })
            })
            .collect();
        let profile_refs: Vec<Option<&ValueProfile>> =
            profiles.iter().map(Option::as_ref).collect();
        let columns: Vec<TableColumn<'_>> = case
            .columns
            .iter()
            .zip(&types)
            .zip(&cats)
            .map(|((c, t), k)| TableColumn {
                name: c.0,
                data_type: t,
                categories: k,
            })
            .collect();
        let found: BTreeSet<String> = classify_table_named(case.table, &columns, &profile_refs)
            .into_iter()
            .map(|f| f.category.to_string())
            .collect();
        let labels: BTreeSet<String> = case.labels.iter().map(|s| s.to_string()).collect();
        for (cat, n) in counts.iter_mut() {
            match (labels.contains(cat), found.contains(cat)) {
                (true, true) => n.tp += 1,
                (false, true) => {
                    n.fp += 1;
                    errors.push(format!("{}: unexpected {cat}", case.name));
                }
                (true, false) => {
                    n.fn_ += 1;
                    errors.push(format!("{}: missed {cat}", case.name));
                }
                (false, false) => {}
            }
        }
    }
    let mut failures = Vec::new();
    for (cat, n) in &counts {
        let p = if n.tp + n.fp == 0 {
            1.0
        } else {
            n.tp as f64 / (n.tp + n.fp) as f64
        };
        let r = if n.tp + n.fn_ == 0 {
            1.0
        } else {
            n.tp as f64 / (n.tp + n.fn_) as f64
        };
        println!("{cat:<24} P {p:.3} R {r:.3} ({}/{}/{})", n.tp, n.fp, n.fn_);
        if p < MIN_PRECISION || r < MIN_RECALL {
            failures.push(format!("{cat}: P {p:.3} R {r:.3}"));
        }
    }
    // Every AI category has positives here.
    for id in classifiers::ai_ids::ALL {
        assert!(counts[id.as_str()].tp >= 2, "{id}");
    }
    assert!(failures.is_empty(), "{failures:?}\n{errors:#?}");
    assert!(errors.is_empty(), "{errors:#?}");
}
