//! Compressed and hostile text files in a local lake: each is read correctly or fails alone
//! with a message that says what to do, and sampling never holds more than the 8 MiB window.

mod common;

use std::io::Write;
use std::time::Instant;

use arrow_array::RecordBatch;
use common::fixture::{self, Expected};
use common::local::{find, lake};
use common::suite;
use connectors::{AssetInfo, Connector, ConnectorExt, Error};
use futures::TryStreamExt;

async fn scan_rows(lake: &dyn Connector, asset: &AssetInfo, column: &str) -> usize {
    lake.scan_columns(asset, &[column.to_string()], 4096)
        .await
        .unwrap()
        .try_collect::<Vec<RecordBatch>>()
        .await
        .unwrap()
        .iter()
        .map(RecordBatch::num_rows)
        .sum()
}

#[tokio::test]
async fn gzip_and_zstd_csv_pass_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    fixture::write_compressed_csv(dir.path());
    let (lake, _) = lake(dir.path()).await;
    suite::run_all(lake.as_ref(), &Expected::new("customers.csv.gz")).await;
    suite::run_all(lake.as_ref(), &Expected::new("customers.csv.zst")).await;
}

/// 600,000 rows (about 14 MiB of CSV, well past the window) compress to a few hundred KiB: the
/// sample decompresses only the window, a full pass reads every row.
#[tokio::test]
async fn big_compressed_files_are_sampled_from_the_window_and_scanned_whole() {
    const ROWS: usize = 600_000;
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,mobile,city\n");
    let mut jsonl = String::new();
    for i in 0..ROWS {
        csv.push_str(&format!("{i},139{:08},上海\n", i % 100_000_000));
        if i < ROWS / 4 {
            jsonl.push_str(&format!("{{\"id\":{i},\"mobile\":\"139{i:08}\"}}\n"));
        }
    }
    assert!(csv.len() > 12 << 20);
    std::fs::write(dir.path().join("big.csv.gz"), fixture::gzip(csv.as_bytes())).unwrap();
    std::fs::write(
        dir.path().join("big.csv.zst"),
        fixture::zstd(csv.as_bytes()),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("big.jsonl.gz"),
        fixture::gzip(jsonl.as_bytes()),
    )
    .unwrap();
    let (lake, assets) = lake(dir.path()).await;
    for name in ["big.csv.gz", "big.csv.zst"] {
        let asset = find(&assets, name);
        let sample = lake.sample(&asset, 1000).await.unwrap();
        assert_eq!(sample.num_rows(), 1000, "{name}");
        assert_eq!(sample.row_count, None, "{name}: only a window was read");
        assert_eq!(
            scan_rows(lake.as_ref(), &asset, "mobile").await,
            ROWS,
            "{name}"
        );
    }
    let asset = find(&assets, "big.jsonl.gz");
    assert_eq!(lake.sample(&asset, 10).await.unwrap().num_rows(), 10);
    assert_eq!(scan_rows(lake.as_ref(), &asset, "mobile").await, ROWS / 4);
}

#[tokio::test]
async fn a_truncated_gzip_is_sampled_when_enough_rows_came_before_the_cut_and_an_error_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let csv: String = std::iter::once("id,mobile\n".to_string())
        .chain((0..20_000).map(|i| format!("{i},139{i:08}\n")))
        .collect();
    let gz = fixture::gzip(csv.as_bytes());
    std::fs::write(dir.path().join("cut.csv.gz"), &gz[..gz.len() * 2 / 3]).unwrap();
    // Cut inside the header: nothing usable at all.
    std::fs::write(dir.path().join("stub.csv.gz"), &gz[..12]).unwrap();
    let (lake, assets) = lake(dir.path()).await;

    let cut = find(&assets, "cut.csv.gz");
    let sample = lake.sample(&cut, 100).await.unwrap();
    assert_eq!(sample.num_rows(), 100);
    assert_eq!(sample.row_count, None);
    assert!(
        sample
            .warnings
            .iter()
            .any(|w| w.contains("gzip stream ends early") && w.contains("re-copy")),
        "{:?}",
        sample.warnings
    );
    for (asset, limit) in [(cut.clone(), 1_000_000), (find(&assets, "stub.csv.gz"), 10)] {
        let err = lake.sample(&asset, limit).await.err().unwrap();
        assert!(matches!(err, Error::InvalidData { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains(&asset.name)
                && msg.contains("the gzip stream ends early; the file is truncated")
                && msg.contains("re-copy it"),
            "{msg}"
        );
    }
    // A full pass cannot pretend the file is whole.
    let err = lake
        .scan_columns(&cut, &["mobile".into()], 100)
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("ends early"), "{err}");
}

#[tokio::test]
async fn bytes_that_are_neither_utf8_nor_gb18030_are_a_clear_error_and_gbk_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("binary.csv"), b"a,b\n\xff\xfe\xff,1\n").unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("姓名,手机\n张三,13800138000\n");
    std::fs::write(dir.path().join("gbk.csv.gz"), fixture::gzip(&gbk)).unwrap();
    let (lake, assets) = lake(dir.path()).await;
    let err = lake
        .sample(&find(&assets, "binary.csv"), 10)
        .await
        .err()
        .unwrap();
    let msg = err.to_string();
    assert!(
        msg.contains("binary.csv") && msg.contains("neither UTF-8") && msg.contains("re-export"),
        "{msg}"
    );
    let sample = lake.sample(&find(&assets, "gbk.csv.gz"), 10).await.unwrap();
    assert_eq!(sample.schema.field(0).name(), "姓名");
    assert!(sample.warnings.iter().any(|w| w.contains("GB18030")));
}

/// A 100 MB JSON value on one line: the sampler reads its 8 MiB window, finds no line end
/// and says what the file is instead of trying to hold the line; the other files of the
/// folder are still sampled.
#[tokio::test]
async fn a_100_mb_single_line_json_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let file = std::fs::File::create(dir.path().join("dump.jsonl")).unwrap();
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        out.write_all(b"{\"blob\":\"").unwrap();
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..100 {
            out.write_all(&chunk).unwrap();
        }
        out.write_all(b"\"}\n").unwrap();
    }
    // A valid first line, then the huge one: the first line is still sampled.
    {
        let file = std::fs::File::create(dir.path().join("mixed.jsonl")).unwrap();
        let mut out = std::io::BufWriter::new(file);
        out.write_all(b"{\"mobile\":\"13800138000\"}\n{\"blob\":\"")
            .unwrap();
        out.write_all(&vec![b'y'; 12 << 20]).unwrap();
        out.write_all(b"\"}\n").unwrap();
    }
    fixture::write_lake(dir.path());
    let (lake, assets) = lake(dir.path()).await;

    let started = Instant::now();
    let err = lake
        .sample(&find(&assets, "dump.jsonl"), 100)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, Error::InvalidData { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("dump.jsonl")
            && msg.contains("line 1 is longer than the 8 MiB sampling window")
            && msg.contains("not JSON lines with one record per line"),
        "{msg}"
    );
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );

    let mixed = lake
        .sample(&find(&assets, "mixed.jsonl"), 100)
        .await
        .unwrap();
    assert_eq!(mixed.num_rows(), 1);
    assert_eq!(mixed.row_count, None);

    let ok = lake
        .sample(&find(&assets, "customers.csv"), 100)
        .await
        .unwrap();
    assert_eq!(ok.num_rows(), 5, "the scan goes on after a bad file");
}

#[tokio::test]
async fn a_csv_without_line_breaks_is_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wide.csv"), vec![b'a'; 9 << 20]).unwrap();
    let (lake, assets) = lake(dir.path()).await;
    let err = lake
        .sample(&find(&assets, "wide.csv"), 10)
        .await
        .err()
        .unwrap();
    let msg = err.to_string();
    assert!(
        msg.contains("wide.csv") && msg.contains("longer than the 8 MiB sampling window"),
        "{msg}"
    );
}

/// The full pass streams: problems past the sampled window surface as an error at the end of
/// the stream, after the rows before them, and never as a silently short count.
#[tokio::test]
async fn a_full_pass_reports_a_cut_or_ragged_line_past_the_window_at_the_end_of_its_stream() {
    const ROWS: usize = 600_000;
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,mobile\n");
    for i in 0..ROWS {
        csv.push_str(&format!("{i},139{i:08}\n"));
    }
    let gz = fixture::gzip(csv.as_bytes());
    std::fs::write(dir.path().join("cut.csv.gz"), &gz[..gz.len() - 64]).unwrap();
    csv.push_str("1,2,3\n");
    std::fs::write(dir.path().join("ragged.csv"), &csv).unwrap();
    let (lake, assets) = lake(dir.path()).await;
    for (name, expect) in [
        ("cut.csv.gz", "gzip stream ends early"),
        ("ragged.csv", "check the delimiter"),
    ] {
        let asset = find(&assets, name);
        let mut stream = lake
            .scan_columns(&asset, &["mobile".into()], 8192)
            .await
            .unwrap();
        let mut rows = 0;
        let err = loop {
            match futures::StreamExt::next(&mut stream).await {
                Some(Ok(batch)) => rows += batch.num_rows(),
                Some(Err(e)) => break e,
                None => panic!("{name}: the stream ended without an error after {rows} rows"),
            }
        };
        let msg = err.to_string();
        assert!(msg.contains(name) && msg.contains(expect), "{msg}");
        assert!(
            rows > 400_000,
            "{name}: rows before the problem still arrive ({rows})"
        );
    }
}

/// A GBK export scanned in full: every row, decoded, only the requested columns.
#[tokio::test]
async fn a_gbk_csv_is_scanned_whole_and_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("姓名,手机,备注\n");
    for i in 0..500_000 {
        text.push_str(&format!("张{i},139{i:08},\n"));
    }
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    assert!(gbk.len() > 9 << 20, "past the 8 MiB window");
    std::fs::write(dir.path().join("export.csv"), &gbk).unwrap();
    let (lake, assets) = lake(dir.path()).await;
    let batches: Vec<RecordBatch> = lake
        .scan_columns(
            &find(&assets, "export.csv"),
            &["备注".into(), "姓名".into()],
            50_000,
        )
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        batches.iter().map(RecordBatch::num_rows).sum::<usize>(),
        500_000
    );
    let last = batches.last().unwrap();
    assert_eq!(last.schema().field(1).name(), "姓名");
    let names = arrow_array::cast::AsArray::as_string::<i32>(last.column(1));
    assert_eq!(names.value(last.num_rows() - 1), "张499999");
    assert_eq!(
        last.column(0).null_count(),
        last.num_rows(),
        "empty fields are nulls"
    );
}

/// A full pass over every column of a JSON lines file has the objects' keys as columns.
#[tokio::test]
async fn a_full_pass_of_every_json_lines_key() {
    use connectors::{Projection, ReadMode, ReadRequest};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("people.jsonl"),
        "{\"id\": 1, \"mobile\": \"13800138000\"}\n{\"id\": 2, \"mobile\": \"13912345678\"}\n",
    )
    .unwrap();
    let (lake, assets) = lake(dir.path()).await;
    let request = ReadRequest {
        projection: Projection::All,
        limit: None,
        mode: ReadMode::FullPass,
        batch_rows: 10,
    };
    let read = lake
        .read(&find(&assets, "people.jsonl"), &request)
        .await
        .unwrap();
    let names: Vec<&str> = read
        .schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(names, ["id", "mobile"]);
    let sample = read.into_sample().await.unwrap();
    assert_eq!(sample.num_rows(), 2);
}
