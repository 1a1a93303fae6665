//! `.avro` data files are tables: their records are read like JSON objects, a sample from a
//! bounded window, the row count exact when the whole file was read; a corrupt file is that
//! asset's error naming the format.

use std::path::Path;

use apache_avro::types::Value;
use apache_avro::{Codec, DeflateSettings, Schema, Writer};
use arrow_array::Array;
use connectors::{AssetKind, ConnectorExt};

const SCHEMA: &str = r#"{
  "type": "record", "name": "owner",
  "fields": [
    {"name": "xm", "type": "string"},
    {"name": "shouji", "type": ["null", "string"]},
    {"name": "age", "type": "int"},
    {"name": "car", "type": {"type": "record", "name": "car", "fields": [
      {"name": "plate", "type": "string"}]}}
  ]
}"#;

fn write_owners(path: &Path, n: usize, codec: Codec) {
    let schema = Schema::parse_str(SCHEMA).unwrap();
    let mut writer = Writer::with_codec(&schema, Vec::new(), codec);
    for i in 0..n {
        let phone = (i % 5 != 0).then(|| format!("139{i:08}"));
        writer
            .append(Value::Record(vec![
                ("xm".into(), Value::String(format!("用户{i}"))),
                (
                    "shouji".into(),
                    match phone {
                        Some(p) => Value::Union(1, Box::new(Value::String(p))),
                        None => Value::Union(0, Box::new(Value::Null)),
                    },
                ),
                ("age".into(), Value::Int(20 + (i % 50) as i32)),
                (
                    "car".into(),
                    Value::Record(vec![("plate".into(), Value::String(format!("沪A{i:05}")))]),
                ),
            ]))
            .unwrap();
    }
    std::fs::write(path, writer.into_inner().unwrap()).unwrap();
}

#[tokio::test]
async fn an_avro_file_is_a_table_of_its_records() {
    let dir = tempfile::tempdir().unwrap();
    write_owners(
        &dir.path().join("owners.avro"),
        300,
        Codec::Deflate(DeflateSettings::default()),
    );
    write_owners(&dir.path().join("plain.avro"), 7, Codec::Null);
    let opened = connectors::open_source(dir.path().to_str().unwrap())
        .await
        .unwrap();
    let connector = &opened.connectors[0];
    let listing = connector.list().await.unwrap();
    let names: Vec<&str> = listing.assets.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["owners.avro", "plain.avro"]);
    assert!(listing.unscanned.is_empty(), "{:?}", listing.unscanned);
    let owners = &listing.assets[0];
    assert_eq!(owners.kind, AssetKind::File);

    let sample = connector.sample(owners, 100).await.unwrap();
    assert_eq!(
        sample.row_count,
        Some(300),
        "the whole file fits the window"
    );
    let columns: Vec<&str> = sample
        .schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    // Columns come in name order, as for JSON objects.
    assert_eq!(columns, ["age", "car", "shouji", "xm"]);
    let rows: usize = sample.batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 100);
    let batch = &sample.batches[0];
    let text = |col: usize, row: usize| {
        let array = batch
            .column(col)
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap();
        array.is_valid(row).then(|| array.value(row).to_string())
    };
    assert_eq!(text(3, 1).as_deref(), Some("用户1"));
    assert_eq!(text(2, 1).as_deref(), Some("13900000001"));
    assert_eq!(text(2, 0), None, "a null union branch is NULL");
    assert_eq!(text(0, 1).as_deref(), Some("21"));
    assert_eq!(text(1, 1).as_deref(), Some(r#"{"plate":"沪A00001"}"#));

    // The full pass streams every record of the projected columns.
    let read = connector
        .read(
            owners,
            &connectors::ReadRequest::full_pass(vec!["shouji".into()], 64),
        )
        .await
        .unwrap();
    let mut rows = 0;
    let mut batches = read.batches;
    while let Some(batch) = futures::StreamExt::next(&mut batches).await {
        rows += batch.unwrap().num_rows();
    }
    assert_eq!(rows, 300);
}

#[tokio::test]
async fn a_corrupt_avro_file_is_its_own_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.avro"),
        b"Obj\x01 but then nothing sensible",
    )
    .unwrap();
    let opened = connectors::open_source(dir.path().to_str().unwrap())
        .await
        .unwrap();
    let connector = &opened.connectors[0];
    let listing = connector.list().await.unwrap();
    let error = connector
        .sample(&listing.assets[0], 10)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("broken.avro") && error.contains("Avro"),
        "{error}"
    );
}
