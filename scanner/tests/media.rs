//! Media collections end to end, through the real `mulu` binary: a bucket on the S3 test
//! server holding 20,000 small JPEGs under dated camera prefixes (some with EXIF GPS inside
//! China, some outside, some without) and MP4s (their index before or after the media), and
//! the same layout, smaller, in a local folder. Each key pattern must be one collection with
//! its exact object count and bytes, the camera position judged by the table rules, GPS
//! found only inside China, no raw VIN anywhere, and no image left as "unsupported type".

#[cfg(feature = "cloud")]
#[path = "../../connectors/tests/common/s3_server.rs"]
mod s3_server;

#[path = "../../connectors/tests/common/media_files.rs"]
mod media_files;

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use media_files::{jpeg, mp4, Exif};
use serde_json::Value;

/// A VIN with a correct check digit, from a serial.
fn vin(serial: u32) -> String {
    let mut v = format!("LSVAB4BR0KN{serial:06}").into_bytes();
    v[8] = classifiers::validate::vin_check_char(&v).unwrap();
    String::from_utf8(v).unwrap()
}

/// What the generated tree should give: objects and bytes per collection, and the VINs used.
struct Layout {
    collections: BTreeMap<String, (u64, u64)>,
    vins: Vec<String>,
}

fn write(root: &Path, key: &str, bytes: &[u8], layout: &mut Layout, collection: &str) {
    let path = root.join(key);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
    let entry = layout
        .collections
        .entry(collection.to_string())
        .or_default();
    entry.0 += 1;
    entry.1 += bytes.len() as u64;
}

/// Writes the camera tree: `frames` images per VIN and day for the front camera, half that
/// for the rear and the driver-monitoring camera, over 5 days and 10 vehicles.
fn write_camera_tree(root: &Path, frames: usize) -> Layout {
    let vins: Vec<String> = (0..10).map(|i| vin(120_000 + i)).collect();
    let mut layout = Layout {
        collections: BTreeMap::new(),
        vins: vins.clone(),
    };
    let china = |i: usize, n: usize| (31.2304 + i as f64 * 0.01, 121.4737 + n as f64 * 0.0001);
    for day in 1..=5 {
        let date = format!("2026-11-0{day}");
        let taken = format!("2026:11:0{day} 08:{:02}:00", day * 7);
        for (i, vin) in vins.iter().enumerate() {
            for n in 0..frames {
                // Vehicles 0–6 in China, 7 in Munich, 8 and 9 without GPS.
                let gps = match i {
                    0..=6 => Some(china(i, n)),
                    7 => Some((48.137154, 11.576124)),
                    _ => None,
                };
                let exif = Exif {
                    make: "MuluCam",
                    model: "MuluCam FC-1",
                    taken: &taken,
                    gps,
                };
                write(
                    root,
                    &format!("adas-raw/front/{date}/{vin}_{n:04}.jpg"),
                    &jpeg(Some(&exif)),
                    &mut layout,
                    "adas-raw/front/{date}/{vin}_*.jpg",
                );
            }
            for n in 0..frames / 2 {
                let rear = Exif {
                    make: "MuluCam",
                    model: "MuluCam RC-2",
                    taken: &taken,
                    gps: None,
                };
                write(
                    root,
                    &format!("adas-raw/rear/{date}/{vin}_{n:04}.jpg"),
                    &jpeg(Some(&rear)),
                    &mut layout,
                    "adas-raw/rear/{date}/{vin}_*.jpg",
                );
                // The cabin camera's positions are all in Tokyo: outside China.
                let dms = Exif {
                    make: "MuluCam",
                    model: "MuluCam DMS-3",
                    taken: &taken,
                    gps: Some((35.676200 + n as f64 * 0.0001, 139.650300)),
                };
                write(
                    root,
                    &format!("cabin/dms/{date}/{vin}_{n:04}.jpg"),
                    &jpeg(Some(&dms)),
                    &mut layout,
                    "cabin/dms/{date}/{vin}_*.jpg",
                );
            }
        }
    }
    // Videos: three with their index first, three written by a camera (index last, after
    // 200 KiB of media, so past the first bytes read).
    for (n, vin) in vins.iter().take(6).enumerate() {
        let secs = 1_793_606_400 + n as i64 * 3600;
        let location = format!("+31.{:04}+121.4737/", 2304 + n);
        let file = mp4(
            secs,
            Some(&location),
            if n < 3 { 64 } else { 200 * 1024 },
            n >= 3,
        );
        write(
            root,
            &format!("adas-raw/front-video/2026-11-02/{vin}_{n:04}.mp4"),
            &file,
            &mut layout,
            "adas-raw/front-video/{date}/{vin}_*.mp4",
        );
    }
    // Named as images, holding text: the content type says so.
    for n in 0..2 {
        write(
            root,
            &format!("misc/notes_{n}.jpg"),
            b"not an image at all\n",
            &mut layout,
            "misc/notes_*.jpg",
        );
    }
    std::fs::create_dir_all(root.join(".thumbnails")).unwrap();
    std::fs::write(root.join(".thumbnails/t_1.jpg"), jpeg(None)).unwrap();
    std::fs::create_dir_all(root.join("firmware")).unwrap();
    std::fs::write(root.join("firmware/ecu.bin"), [0u8; 10]).unwrap();
    layout
}

fn asset<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no asset {name}"))
}

fn table_categories(asset: &Value) -> Vec<&str> {
    asset["categories"]
        .as_array()
        .map(|c| c.iter().map(|k| k["id"].as_str().unwrap()).collect())
        .unwrap_or_default()
}

fn column_categories<'a>(asset: &'a Value, column: &str) -> Vec<&'a str> {
    asset["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == column)
        .unwrap_or_else(|| panic!("no column {column} in {}", asset["name"]))["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect()
}

/// Everything a scan of the camera tree must show, wherever the tree is stored.
fn check_report(text: &str, layout: &Layout, frames: usize) {
    let report: Value = serde_json::from_str(text).unwrap();
    for vin in &layout.vins {
        assert!(!text.contains(vin.as_str()), "a raw VIN is in the report");
    }
    let collections: BTreeMap<String, (u64, u64)> = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "collection")
        .map(|a| {
            let m = &a["media"];
            assert_eq!(a["row_count"], m["objects"], "{a}");
            assert_eq!(a["bytes"], m["bytes"], "{a}");
            (
                a["name"].as_str().unwrap().to_string(),
                (m["objects"].as_u64().unwrap(), m["bytes"].as_u64().unwrap()),
            )
        })
        .collect();
    assert_eq!(collections, layout.collections);
    let total: u64 = collections.values().map(|c| c.0).sum();
    assert_eq!(total as usize, 5 * 10 * (frames + 2 * (frames / 2)) + 6 + 2);

    let front = asset(&report, "adas-raw/front/{date}/{vin}_*.jpg");
    assert_eq!(front["status"], "ok", "{front}");
    // Frames keyed by VIN, each with a time and a position in China, also form a track.
    assert_eq!(
        table_categories(front),
        ["vehicle.trajectory", "vehicle.exterior_media"],
        "{front}"
    );
    assert_eq!(column_categories(front, "vin"), ["vehicle.vin"]);
    assert_eq!(column_categories(front, "gps"), ["geo.coordinate"]);
    let media = &front["media"];
    assert_eq!(media["camera_position"], "front");
    let sampled = media["sampled_objects"].as_u64().unwrap();
    assert_eq!(sampled, 64.min(5 * 10 * frames as u64));
    assert_eq!(media["content_types"]["image/jpeg"], sampled);
    // Four vehicles in five carry no GPS or one outside China; the sample spreads over all.
    let gps = media["with_gps"].as_u64().unwrap();
    assert!(gps > sampled / 2 && gps < sampled, "{media}");
    assert_eq!(media["captured_from"], "2026-11-01T08:07:00");
    assert_eq!(media["captured_to"], "2026-11-05T08:35:00");
    assert_eq!(media["camera_models"], serde_json::json!(["MuluCam FC-1"]));
    // Evidence is masked.
    let vin_evidence = front["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "vin")
        .unwrap()["categories"][0]["evidence"]
        .to_string();
    assert!(vin_evidence.contains('*'), "{vin_evidence}");

    let rear = asset(&report, "adas-raw/rear/{date}/{vin}_*.jpg");
    assert_eq!(table_categories(rear), ["vehicle.exterior_media"], "{rear}");
    // No GPS in any sampled object: no `gps` column to be judged by its name.
    assert!(!rear["columns"].to_string().contains("\"gps\""), "{rear}");
    assert_eq!(rear["media"]["with_gps"], 0);

    let dms = asset(&report, "cabin/dms/{date}/{vin}_*.jpg");
    assert_eq!(table_categories(dms), ["vehicle.cabin_media"], "{dms}");
    // Positions in Tokyo are no coordinate in China.
    assert!(column_categories(dms, "gps").is_empty(), "{dms}");
    assert_eq!(dms["media"]["with_gps"], dms["media"]["sampled_objects"]);

    let video = asset(&report, "adas-raw/front-video/{date}/{vin}_*.mp4");
    assert_eq!(
        table_categories(video),
        ["vehicle.trajectory", "vehicle.exterior_media"],
        "{video}"
    );
    assert_eq!(video["media"]["content_types"]["video/mp4"], 6, "{video}");
    // Found in the index before the media and, by ranged reads, after it.
    assert_eq!(video["media"]["with_gps"], 6, "{video}");
    assert_eq!(video["media"]["captured_from"], "2026-11-02T08:00:00");
    assert_eq!(video["media"]["captured_to"], "2026-11-02T13:00:00");
    assert_eq!(column_categories(video, "gps"), ["geo.coordinate"]);

    let notes = asset(&report, "misc/notes_*.jpg");
    assert_eq!(
        notes["media"]["content_types"],
        serde_json::json!({"application/octet-stream": 2})
    );
    assert!(table_categories(notes).is_empty());
    assert_eq!(notes["columns"].as_array().unwrap().len(), 1, "{notes}");
    assert!(notes["warnings"]
        .to_string()
        .contains("not images by their content"));

    // Media is no longer "unsupported"; the rest still is, and hidden thumbnails are
    // bookkeeping.
    let unscanned = report["sources"][0]["unscanned"].as_array().unwrap();
    let kinds: Vec<(String, String, u64)> = unscanned
        .iter()
        .map(|u| {
            (
                u["reason"].as_str().unwrap().to_string(),
                u["kind"].as_str().unwrap().to_string(),
                u["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("unsupported_type".into(), ".bin".into(), 1)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("bookkeeping".into(), ".thumbnails".into(), 1)),
        "{kinds:?}"
    );
    assert!(
        !kinds.iter().any(|k| k.1 == ".jpg" || k.1 == ".mp4"),
        "{kinds:?}"
    );
}

/// The catalogue carries the camera collections with their object counts and bytes.
fn check_catalogue(state: &Path, layout: &Layout) {
    let out = state.join("catalog.json");
    let run = common::mulu(
        state,
        &[
            "catalog",
            "export",
            "--format",
            "json",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    for vin in &layout.vins {
        assert!(
            !text.contains(vin.as_str()),
            "a raw VIN is in the catalogue"
        );
    }
    let catalogue: Value = serde_json::from_str(&text).unwrap();
    // Every item a camera collection carries counts its carriers' objects and bytes, exactly.
    let items: Vec<&Value> = catalogue["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["carriers"].to_string().contains("adas-raw/front/{date}"))
        .collect();
    assert!(!items.is_empty(), "{text}");
    for item in items {
        let (mut objects, mut bytes) = (0, 0);
        for carrier in item["carriers"].as_array().unwrap() {
            let (o, b) = layout.collections[carrier["asset"].as_str().unwrap()];
            objects += o;
            bytes += b;
        }
        assert_eq!(item["record_count"]["basis"], "counted", "{item}");
        assert_eq!(item["record_count"]["value"], objects, "{item}");
        assert_eq!(item["storage_bytes"], bytes, "{item}");
    }
}

#[test]
fn a_local_camera_folder_becomes_collections() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cams");
    let frames = 4;
    let layout = write_camera_tree(&root, frames);
    let report = dir.path().join("report.json");
    let started = Instant::now();
    let out = common::mulu(
        dir.path(),
        &[
            "scan",
            root.to_str().unwrap(),
            "--json",
            report.to_str().unwrap(),
            "--quiet",
        ],
    );
    eprintln!("local scan: {:?}", started.elapsed());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_report(&std::fs::read_to_string(&report).unwrap(), &layout, frames);
    check_catalogue(dir.path(), &layout);
}

#[cfg(feature = "cloud")]
#[test]
fn a_camera_bucket_of_20000_images_becomes_collections() {
    use s3_server::{S3Server, ACCESS_KEY, SECRET_KEY};

    let dir = tempfile::tempdir().unwrap();
    let server = S3Server::start(&dir.path().join("s3"));
    let frames = 200;
    let started = Instant::now();
    let layout = write_camera_tree(&server.bucket("cams"), frames);
    eprintln!("bucket written: {:?}", started.elapsed());
    let config = dir.path().join("mulu.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nurl = \"s3://cams\"\nendpoint = \"{}\"\npath_style = true\n\
             allow_http = true\naccess_key_id = \"{ACCESS_KEY}\"\n\
             secret_access_key_env = \"MULU_TEST_S3_SECRET\"\n",
            server.endpoint
        ),
    )
    .unwrap();
    let report = dir.path().join("report.json");
    let started = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(["scan", "--config", config.to_str().unwrap(), "--json"])
        .arg(&report)
        .arg("--quiet")
        .env("MULU_STATE", dir.path().join("state.db"))
        .env("MULU_TEST_S3_SECRET", SECRET_KEY)
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap();
    eprintln!("S3 scan of 20,008 objects: {:?}", started.elapsed());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_report(&std::fs::read_to_string(&report).unwrap(), &layout, frames);
    check_catalogue(dir.path(), &layout);
    // Objects are read by ranged GETs of their first bytes, a bounded sample of each
    // collection: never all 20,000.
    let gets: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.is_object_get())
        .collect();
    assert!(gets.len() < 400, "{} object reads", gets.len());
    assert!(
        gets.iter().all(|r| r.range.is_some()),
        "an object was read whole"
    );
}
