//! Hostile files in a lake: each ends with a named error within its bound, and the whole run
//! stays far below the memory the files claim or hold.

mod common;

use arrow_array::RecordBatch;
use common::local::{find, lake};
use connectors::{AssetInfo, ConnectorExt, SharedConnector};
use futures::TryStreamExt;

/// The full pass's error, whether it comes before the first batch or in the stream.
async fn full_pass_error(lake: &SharedConnector, asset: &AssetInfo, column: &str) -> String {
    let result = match lake.scan_columns(asset, &[column.to_string()], 4096).await {
        Ok(stream) => stream.try_collect::<Vec<RecordBatch>>().await.map(|_| ()),
        Err(e) => Err(e),
    };
    result
        .expect_err("a hostile file cannot be read whole")
        .to_string()
}

/// Peak resident memory of this test process, from the kernel.
fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

#[tokio::test]
async fn footer_bombs_nul_tails_and_stray_quotes_fail_alone_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    // A 3 GiB sparse "parquet" file whose footer length claims 2 GiB.
    {
        let path = dir.path().join("bomb.parquet");
        let file = std::fs::File::create(&path).unwrap();
        let size: u64 = 3 << 30;
        file.set_len(size).unwrap();
        use std::os::unix::fs::FileExt;
        file.write_all_at(b"PAR1", 0).unwrap();
        let mut tail = ((2u32 << 30) - 1).to_le_bytes().to_vec();
        tail.extend_from_slice(b"PAR1");
        file.write_all_at(&tail, size - 8).unwrap();
    }
    // A CSV whose tail is 80 MiB of NUL bytes with no line break.
    {
        let mut bytes = b"id,mobile\n1,13800138000\n".to_vec();
        bytes.extend(std::iter::repeat_n(0u8, 80 << 20));
        std::fs::write(dir.path().join("nul_tail.csv"), bytes).unwrap();
    }
    // A CSV with one stray quote: every line after it would silently stop being a row.
    {
        let mut csv = String::from("id,mobile\n");
        for i in 0..1000 {
            if i == 10 {
                csv.push_str(&format!("{i},\"139{i:08}\n"));
            } else {
                csv.push_str(&format!("{i},139{i:08}\n"));
            }
        }
        std::fs::write(dir.path().join("stray_quote.csv"), csv).unwrap();
    }
    let (lake, assets) = lake(dir.path()).await;

    let bomb = find(&assets, "bomb.parquet");
    let err = lake.sample(&bomb, 100).await.err().unwrap().to_string();
    assert!(
        err.contains("bomb.parquet") && err.contains("footer claims") && err.contains("MiB cap"),
        "{err}"
    );

    let nul = find(&assets, "nul_tail.csv");
    let err = full_pass_error(&lake, &nul, "mobile").await;
    assert!(
        err.contains("nul_tail.csv") && err.contains("line 3") && err.contains("no line break"),
        "{err}"
    );

    let stray = find(&assets, "stray_quote.csv");
    let err = full_pass_error(&lake, &stray, "mobile").await;
    assert!(
        err.contains("stray_quote.csv") && err.contains("line 12") && err.contains("stray quote"),
        "{err}"
    );
    // The sample reads the whole (small) file, so it knows too.
    let err = lake.sample(&stray, 100).await.err().unwrap().to_string();
    assert!(err.contains("stray quote"), "{err}");

    let peak = peak_rss_bytes();
    assert!(peak < 1 << 30, "peak RSS {} MiB", peak >> 20);
}

/// An input the fuzz harness found (`cargo run --release -p fuzz -- --target parquet`): the
/// parquet reader panics on it. It must be that file's error, not the end of the scan.
#[tokio::test]
async fn a_parquet_file_that_makes_the_reader_panic_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/fuzz-parquet-panic.parquet"
        ),
        dir.path().join("broken.parquet"),
    )
    .unwrap();
    let (lake, assets) = lake(dir.path()).await;
    let broken = find(&assets, "broken.parquet");
    let sample = lake.sample(&broken, 100).await;
    if let Ok(sample) = sample {
        // If the sample happens to avoid the bad page, the full pass meets it.
        let names: Vec<String> = sample
            .schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let err = full_pass_error(&lake, &broken, &names[0]).await;
        assert!(err.contains("corrupt data"), "{err}");
    } else {
        let err = sample.err().unwrap().to_string();
        assert!(
            err.contains("broken.parquet") && err.contains("corrupt data"),
            "{err}"
        );
    }
}
