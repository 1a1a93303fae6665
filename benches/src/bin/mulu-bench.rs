//! Data generators and the single-thread classifier measurement behind `benches/run.sh`.
//! Every subcommand prints one JSON object on stdout.
//!
//! ```text
//! mulu-bench classify OUT_VALUES.txt N ROUNDS      corpus → file; engine and byte-scan timings
//! mulu-bench gen-table OUT.csv ROWS                20-column CSV for the wide-database test
//! mulu-bench gen-lake DIR FILES ROWS_PER_FILE      hive datasets + stand-alone parquet files
//! mulu-bench gen-big-lake DIR FILES ROWS_PER_FILE  one table of large files, 128 MB row groups
//! mulu-bench gen-persons DIR VALUES PERSONS FILES  identifier lake with repeats and overlap
//! mulu-bench gen-once DIR PERSONS FILES            each person exactly once (threshold lakes)
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use benches::{mixed_corpus, mobile_of, resident_id_of, row_values, Rng};
use classifiers::ClassifierSet;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| arg_at(&args, i);
    let num = |i: usize| -> u64 {
        arg_at(&args, i)
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| usage())
    };
    match arg(0) {
        "classify" => classify(Path::new(arg(1)), num(2) as usize, num(3) as usize),
        "gen-table" => gen_table(Path::new(arg(1)), num(2) as usize),
        "gen-lake" => gen_lake(Path::new(arg(1)), num(2) as usize, num(3) as usize),
        "gen-big-lake" => {
            let info =
                benches::realistic_lake::generate(Path::new(arg(1)), num(2) as usize, num(3))?;
            println!("{info}");
            Ok(())
        }
        "gen-persons" => gen_persons(Path::new(arg(1)), num(2), num(3), num(4) as usize),
        "gen-once" => gen_once(Path::new(arg(1)), num(2), num(3) as usize),
        _ => usage(),
    }
}

fn arg_at(args: &[String], i: usize) -> &str {
    args.get(i).map(String::as_str).unwrap_or_else(|| usage())
}

fn usage() -> ! {
    eprintln!("usage: see the header of benches/src/bin/mulu-bench.rs");
    std::process::exit(2)
}

/// Best wall time of `rounds` runs of `f`.
fn best_of(rounds: usize, mut f: impl FnMut()) -> f64 {
    (0..rounds.max(1))
        .map(|_| {
            let t0 = Instant::now();
            f();
            t0.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn classify(out: &Path, n: usize, rounds: usize) -> Result<()> {
    let corpus = mixed_corpus(n, 42);
    let mut w = BufWriter::new(File::create(out)?);
    for v in &corpus {
        writeln!(w, "{v}")?;
    }
    w.flush()?;
    let bytes: usize = corpus.iter().map(String::len).sum();
    let set = ClassifierSet::builtin();

    // The engine as the scanner drives it: one column, every value pushed, verdicts at the end.
    let mut findings = 0;
    let engine = best_of(rounds, || {
        let mut scan = set.column("c3");
        for v in &corpus {
            scan.push(Some(std::hint::black_box(v.as_str())));
        }
        findings = std::hint::black_box(scan.finish()).len();
    });

    // Same values, one column per category-sized slice is not what a scanner sees; instead a
    // second figure: the engine on identifier-only columns (every value a candidate).
    let ids: Vec<&String> = corpus
        .iter()
        .filter(|v| v.len() == 18 && classifiers::validate::mod11_2_valid(v))
        .collect();
    let engine_ids = best_of(rounds, || {
        let mut scan = set.column("c3");
        for v in &ids {
            scan.push(Some(std::hint::black_box(v.as_str())));
        }
        std::hint::black_box(scan.finish());
    });

    // The ceiling: look at every byte of every value once (memchr for a byte that never
    // occurs, so it walks the whole value), with the same per-value loop.
    let mut found = 0usize;
    let byte_scan = best_of(rounds, || {
        found = corpus
            .iter()
            .filter(|v| memchr::memchr(0x00, std::hint::black_box(v.as_bytes())).is_some())
            .count();
    });
    // And raw memory bandwidth for the same bytes laid out contiguously.
    let flat: Vec<u8> = corpus
        .iter()
        .flat_map(|v| v.bytes().chain([b'\n']))
        .collect();
    let bulk = best_of(rounds, || {
        found += memchr::memchr_iter(b'\n', std::hint::black_box(&flat)).count();
    });

    println!(
        concat!(
            "{{\"values\":{},\"bytes\":{},\"rounds\":{},",
            "\"engine_secs\":{:.6},\"engine_values_per_sec\":{:.0},\"engine_mb_per_sec\":{:.1},\"findings\":{},",
            "\"engine_ids_values\":{},\"engine_ids_values_per_sec\":{:.0},",
            "\"byte_scan_secs\":{:.6},\"byte_scan_values_per_sec\":{:.0},\"byte_scan_mb_per_sec\":{:.1},",
            "\"bulk_memchr_mb_per_sec\":{:.1},\"_sink\":{}}}"
        ),
        n,
        bytes,
        rounds,
        engine,
        n as f64 / engine,
        bytes as f64 / engine / 1e6,
        findings,
        ids.len(),
        ids.len() as f64 / engine_ids,
        byte_scan,
        n as f64 / byte_scan,
        bytes as f64 / byte_scan / 1e6,
        flat.len() as f64 / bulk / 1e6,
        found % 2,
    );
    Ok(())
}

const TABLE_COLUMNS: [&str; 20] = [
    "sfzh",
    "sjhm",
    "email",
    "xm",
    "dz",
    "cphm",
    "vin",
    "yhkh",
    "ip_addr",
    "imei",
    "passport_no",
    "tyshxydm",
    "minzu",
    "je",
    "ddh",
    "sku",
    "bz",
    "gs",
    "hash",
    "created_at",
];

fn table_row(rng: &mut Rng, corpus_row: &[String]) -> Vec<String> {
    let person = rng.below(50_000_000);
    let mut r = corpus_row.to_vec();
    r[0] = resident_id_of(person);
    r[1] = mobile_of(person);
    r
}

fn gen_table(out: &Path, rows: usize) -> Result<()> {
    // Column c holds values of one category: slice the mixed corpus by generator branch is not
    // exposed, so build typed columns from per-category corpora instead.
    let pools = typed_pools(rows);
    let mut rng = Rng::new(9);
    let mut w = BufWriter::new(File::create(out)?);
    for i in 0..rows {
        let base: Vec<String> = pools.iter().map(|p| p[i].clone()).collect();
        let row = table_row(&mut rng, &base);
        let quoted: Vec<String> = row
            .iter()
            .map(|v| format!("\"{}\"", v.replace('"', "\"\"")))
            .collect();
        writeln!(w, "{}", quoted.join(","))?;
    }
    w.flush()?;
    println!("{{\"rows\":{rows},\"columns\":{}}}", TABLE_COLUMNS.len());
    Ok(())
}

/// Per-column value pools for the 20-column table: each column takes the corpus values that
/// look like its category (by a cheap shape test), so columns are homogeneous as in real tables.
fn typed_pools(rows: usize) -> Vec<Vec<String>> {
    let corpus = mixed_corpus(rows * 40, 7);
    let tests: [&dyn Fn(&str) -> bool; 20] = [
        &|v: &str| v.len() == 18 && classifiers::validate::mod11_2_valid(v),
        &|v: &str| v.len() == 11 && v.starts_with('1') && v.bytes().all(|b| b.is_ascii_digit()),
        &|v: &str| v.contains('@'),
        &|v: &str| {
            v.chars().count() <= 3
                && v.chars().all(|c| !c.is_ascii())
                && !v.ends_with('族')
                && v != "男"
                && v != "女"
        },
        &|v: &str| v.ends_with('号') && !v.starts_with("订单"),
        &|v: &str| v.chars().count() == 7 && !v.chars().next().unwrap().is_ascii(),
        &|v: &str| v.len() == 17 && v.starts_with("LSV"),
        &|v: &str| v.starts_with("622202"),
        &|v: &str| v.split('.').count() == 4 && !v.contains(','),
        &|v: &str| v.len() == 15 && v.starts_with("35"),
        &|v: &str| v.len() == 9 && v.starts_with('E'),
        &|v: &str| v.len() == 18 && v.starts_with("91"),
        &|v: &str| v.ends_with('族'),
        &|v: &str| v.split('.').count() == 2 && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'),
        &|v: &str| v.len() == 18 && v.starts_with("2025"),
        &|v: &str| v.starts_with("SKU"),
        &|v: &str| v.starts_with("订单") || v.starts_with("客户"),
        &|v: &str| v.ends_with("公司"),
        &|v: &str| v.len() == 32,
        &|v: &str| v.len() == 10 && v.starts_with("19"),
    ];
    tests
        .iter()
        .map(|t| {
            let pool: Vec<String> = corpus.iter().filter(|v| t(v)).cloned().collect();
            assert!(!pool.is_empty());
            pool.iter().cycle().take(rows).cloned().collect()
        })
        .collect()
}

fn write_parquet(
    path: &Path,
    columns: &[(&str, Vec<Option<String>>)],
    row_group: usize,
) -> Result<u64> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|(name, _)| Field::new(*name, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let arrays: Vec<ArrayRef> = columns
        .iter()
        .map(|(_, v)| Arc::new(StringArray::from_iter(v.iter().map(|s| s.as_deref()))) as ArrayRef)
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(row_group))
        .build();
    let mut writer = ArrowWriter::try_new(File::create(path)?, schema, Some(props))?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(std::fs::metadata(path)?.len())
}

const LAKE_COLUMNS: [&str; 6] = ["sfzh", "sjhm", "xm", "cphm", "je", "ddh"];

fn gen_lake(dir: &Path, files: usize, rows: usize) -> Result<()> {
    // 60% of the files in hive-partitioned datasets of 20 day partitions, the rest stand-alone.
    let hive_files = files * 6 / 10 / 20 * 20;
    let datasets = hive_files / 20;
    let paths: Vec<PathBuf> = (0..files)
        .map(|i| {
            if i < hive_files {
                dir.join(format!("ds_{:04}", i / 20))
                    .join(format!("dt=2026-01-{:02}", 1 + i % 20))
                    .join("part-0.parquet")
            } else {
                let j = i - hive_files;
                dir.join(format!("raw/batch_{:03}", j / 100))
                    .join(format!("file_{:05}.parquet", j))
            }
        })
        .collect();
    let bytes: u64 = paths
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let mut rng = Rng::new(1000 + i as u64);
            let mut cols: Vec<Vec<Option<String>>> =
                (0..6).map(|_| Vec::with_capacity(rows)).collect();
            for _ in 0..rows {
                for (c, v) in row_values(&mut rng).into_iter().enumerate() {
                    cols[c].push(Some(v));
                }
            }
            let named: Vec<(&str, Vec<Option<String>>)> =
                LAKE_COLUMNS.iter().copied().zip(cols).collect();
            write_parquet(path, &named, 1000).expect("write parquet")
        })
        .sum();
    println!(
        "{{\"files\":{files},\"rows_per_file\":{rows},\"hive_datasets\":{datasets},\"standalone_files\":{},\"assets\":{},\"bytes\":{bytes}}}",
        files - hive_files,
        datasets + files - hive_files
    );
    Ok(())
}

fn gen_persons(dir: &Path, values: u64, persons: u64, files: usize) -> Result<()> {
    // Rows hold (sfzh, sjhm) of one person drawn uniformly from the pool; one row in ten has
    // the phone only (an order table), so linking matters. Values = non-null cells.
    let rows_total = values * 10 / 19;
    let per_file = rows_total.div_ceil(files as u64);
    let results: Vec<(u64, u64, Vec<u64>)> = (0..files)
        .into_par_iter()
        .map(|f| {
            let mut rng = Rng::new(77 + f as u64);
            let n = per_file.min(rows_total.saturating_sub(per_file * f as u64));
            let mut ids = Vec::with_capacity(n as usize);
            let mut phones = Vec::with_capacity(n as usize);
            let mut seen = Vec::with_capacity(n as usize);
            let mut cells = 0;
            for _ in 0..n {
                let p = rng.below(persons);
                seen.push(p);
                let has_id = rng.below(10) != 0;
                ids.push(has_id.then(|| resident_id_of(p)));
                phones.push(Some(mobile_of(p)));
                cells += 1 + u64::from(has_id);
            }
            let path = dir
                .join(format!("people_{}", f % 4))
                .join(format!("dt=2026-02-{:02}", 1 + (f / 4) % 28))
                .join(format!("part-{f:04}.parquet"));
            let bytes = write_parquet(&path, &[("sfzh", ids), ("sjhm", phones)], 128 * 1024)
                .expect("write parquet");
            (bytes, cells, seen)
        })
        .collect();
    let mut used = vec![false; persons as usize];
    let (mut bytes, mut cells) = (0, 0);
    for (b, c, seen) in results {
        bytes += b;
        cells += c;
        for p in seen {
            used[p as usize] = true;
        }
    }
    let distinct = used.iter().filter(|u| **u).count();
    println!("{{\"values\":{cells},\"rows\":{rows_total},\"persons_pool\":{persons},\"distinct_persons\":{distinct},\"files\":{files},\"bytes\":{bytes}}}");
    Ok(())
}

fn gen_once(dir: &Path, persons: u64, files: usize) -> Result<()> {
    let per_file = persons.div_ceil(files as u64);
    let bytes: u64 = (0..files)
        .into_par_iter()
        .map(|f| {
            let start = per_file * f as u64;
            let end = (start + per_file).min(persons);
            let ids = (start..end).map(|p| Some(resident_id_of(p))).collect();
            let phones = (start..end).map(|p| Some(mobile_of(p))).collect();
            let path = dir
                .join("residents")
                .join(format!("dt=2026-03-{:02}", 1 + f % 28))
                .join(format!("part-{f:04}.parquet"));
            write_parquet(&path, &[("sfzh", ids), ("sjhm", phones)], 128 * 1024)
                .expect("write parquet")
        })
        .sum();
    println!(
        "{{\"values\":{},\"distinct_persons\":{persons},\"files\":{files},\"bytes\":{bytes}}}",
        persons * 2
    );
    Ok(())
}
