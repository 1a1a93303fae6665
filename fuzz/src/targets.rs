//! The fuzz targets: what each one feeds its input to, and the seeds it starts from.

use std::sync::Arc;

use classifiers::{validate, ClassifierSet};
use connectors::{Connector, ConnectorExt, LakeConnector, ReadRequest};
use futures::TryStreamExt;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStoreExt, PutPayload};
use persons::IdentifierKind;

/// Something to fuzz.
pub trait Target {
    /// Short name for the command line and the report.
    fn name(&self) -> &'static str;
    /// Realistic inputs to mutate.
    fn corpus(&self) -> Vec<Vec<u8>>;
    /// Longest input to build.
    fn max_len(&self) -> usize {
        256
    }
    /// Share of the default iteration budget, in parts per thousand.
    fn share(&self) -> u64;
    /// Feeds one input to the code under test. It may return anything; it must not panic.
    fn run(&mut self, input: &[u8]);
}

/// Every target, in report order.
pub fn all_targets() -> Vec<Box<dyn Target>> {
    vec![
        Box::new(Validators),
        Box::new(Normalize),
        Box::new(Engine(ClassifierSet::builtin())),
        Box::new(Mask(ClassifierSet::builtin())),
        Box::new(ConfigToml),
        Box::new(ClassifierToml),
        Box::new(Lake::new("f.csv", &[CSV_UTF8, CSV_GBK])),
        Box::new(Lake::new("f.jsonl", &[JSONL])),
        Box::new(Lake::new("f.parquet", &[PARQUET])),
    ]
}

fn text(input: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(input)
}

const IDENTIFIERS: &[&str] = &[
    "11010519491231002X",
    "110105491231002",
    "91310115MA1H7XY101",
    "13800138000",
    "+86 138-0013-8000",
    "6222020000000000005",
    "LSVAB2BM0A0000001",
    "E12345678",
    "C12345678",
    "CA1234567",
    "dpo@example.com",
    "沪A12345",
    "粤BD12345",
    "1990-01-31",
    "19900131",
    "31.2304,121.4737",
    "POINT(121.4737 31.2304)",
    "2001:db8::1",
    "192.168.0.1",
];

fn identifier_corpus() -> Vec<Vec<u8>> {
    IDENTIFIERS.iter().map(|s| s.as_bytes().to_vec()).collect()
}

/// The check-digit validators and the date parser.
struct Validators;

impl Target for Validators {
    fn name(&self) -> &'static str {
        "validators"
    }
    fn corpus(&self) -> Vec<Vec<u8>> {
        identifier_corpus()
    }
    fn max_len(&self) -> usize {
        40
    }
    fn share(&self) -> u64 {
        400
    }
    fn run(&mut self, input: &[u8]) {
        let s = text(input);
        let _ = validate::luhn_valid(&s);
        let _ = validate::mod11_2_valid(&s);
        let _ = validate::mod11_2_check_char(input);
        let _ = validate::vin_valid(&s);
        let _ = validate::vin_check_char(input);
        let _ = validate::uscc_valid(&s);
        let _ = validate::uscc_check_char(input);
        let _ = validate::parse_date(&s);
    }
}

/// The person-key normalisation of every identifier kind.
struct Normalize;

impl Target for Normalize {
    fn name(&self) -> &'static str {
        "normalize"
    }
    fn corpus(&self) -> Vec<Vec<u8>> {
        identifier_corpus()
    }
    fn max_len(&self) -> usize {
        64
    }
    fn share(&self) -> u64 {
        250
    }
    fn run(&mut self, input: &[u8]) {
        let s = text(input);
        for kind in IdentifierKind::ALL {
            let _ = persons::normalize(kind, &s);
        }
    }
}

/// A column scan over the values of one input (one per line), column name first.
struct Engine(ClassifierSet);

impl Target for Engine {
    fn name(&self) -> &'static str {
        "engine"
    }
    fn corpus(&self) -> Vec<Vec<u8>> {
        let mut seeds = vec![
            IDENTIFIERS.join("\n").into_bytes(),
            "sfzh\n11010519491231002X\n11010519491231002x\n".into(),
            "备注\n客户王建国来电，手机13800138000，要求修改收货地址为上海市浦东新区世纪大道100号"
                .into(),
        ];
        seeds.extend(identifier_corpus());
        seeds
    }
    fn share(&self) -> u64 {
        200
    }
    fn run(&mut self, input: &[u8]) {
        let s = text(input);
        let mut lines = s.split('\n');
        let name = lines.next().unwrap_or_default();
        let mut scan = self.0.column(name);
        for value in lines {
            scan.push(Some(value));
        }
        scan.push(None);
        let _ = scan.finish();
    }
}

/// Identifier masking of names and messages.
struct Mask(ClassifierSet);

impl Target for Mask {
    fn name(&self) -> &'static str {
        "mask"
    }
    fn corpus(&self) -> Vec<Vec<u8>> {
        let mut seeds = vec![
            "客户_11010519491231002X_13800138000.csv".into(),
            "value \"11010519491231002X\" is out of range for type integer".into(),
        ];
        seeds.extend(identifier_corpus());
        seeds
    }
    fn share(&self) -> u64 {
        148
    }
    fn run(&mut self, input: &[u8]) {
        let _ = self.0.mask_identifiers(&text(input), |_| true);
    }
}

/// `mulu.toml`.
struct ConfigToml;

impl Target for ConfigToml {
    fn name(&self) -> &'static str {
        "config"
    }
    fn corpus(&self) -> Vec<Vec<u8>> {
        vec![include_bytes!("../../sample-data/mulu.toml").to_vec()]
    }
    fn max_len(&self) -> usize {
        8 << 10
    }
    fn share(&self) -> u64 {
        1
    }
    fn run(&mut self, input: &[u8]) {
        let _ = scanner::config::Config::parse(&text(input));
    }
}

/// Company classifier files.
struct ClassifierToml;

impl Target for ClassifierToml {
    fn name(&self) -> &'static str {
        "classifier-toml"
    }
    fn corpus(&self) -> Vec<Vec<u8>> {
        vec![include_bytes!("../../sample-data/classifiers/acme.toml").to_vec()]
    }
    fn max_len(&self) -> usize {
        4 << 10
    }
    fn share(&self) -> u64 {
        1
    }
    fn run(&mut self, input: &[u8]) {
        let _ = classifiers::load_custom_classifiers(&text(input), "fuzz.toml");
    }
}

const CSV_UTF8: &[u8] = include_bytes!("../../sample-data/exports/vehicle_owners.csv");
const CSV_GBK: &[u8] = include_bytes!("../../sample-data/exports/service_records_gbk.csv");
const JSONL: &[u8] = include_bytes!("../../sample-data/exports/app_events.jsonl");
const PARQUET: &[u8] =
    include_bytes!("../../sample-data/lake/vehicle_tracks/dt=2026-11-01/part-00000.parquet");

/// A file in an in-memory bucket, listed, sampled and read whole by the lake connector: the
/// encoding sniffing, CSV and JSON-lines parsing, decompression and the parquet footer path.
struct Lake {
    file: &'static str,
    seeds: Vec<Vec<u8>>,
    runtime: tokio::runtime::Runtime,
}

impl Lake {
    fn new(file: &'static str, seeds: &[&[u8]]) -> Self {
        // Text seeds are cut to their first lines: short inputs make more iterations.
        let seeds = seeds
            .iter()
            .map(|s| {
                if file.ends_with(".parquet") {
                    return s.to_vec();
                }
                let cut = s
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .nth(20)
                    .map_or(s.len(), |(i, _)| i + 1);
                s[..cut].to_vec()
            })
            .collect();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the lake target");
        Lake {
            file,
            seeds,
            runtime,
        }
    }
}

impl Target for Lake {
    fn name(&self) -> &'static str {
        match self.file {
            "f.csv" => "csv",
            "f.jsonl" => "jsonl",
            _ => "parquet",
        }
    }
    fn corpus(&self) -> Vec<Vec<u8>> {
        self.seeds.clone()
    }
    fn max_len(&self) -> usize {
        64 << 10
    }
    fn share(&self) -> u64 {
        0
    }
    fn run(&mut self, input: &[u8]) {
        let bytes = bytes::Bytes::copy_from_slice(input);
        let file = self.file;
        self.runtime.block_on(async move {
            let store = Arc::new(InMemory::new());
            store
                .put(&Path::from(file), PutPayload::from(bytes))
                .await
                .expect("the in-memory store takes any bytes");
            let lake = LakeConnector::new(store, "memory://fuzz".into());
            let Ok(assets) = lake.list_assets().await else {
                return;
            };
            for asset in assets {
                let Ok(sample) = lake.sample(&asset, 100).await else {
                    continue;
                };
                let names: Vec<String> = sample
                    .schema
                    .fields()
                    .iter()
                    .map(|f| f.name().clone())
                    .collect();
                let request = ReadRequest::full_pass(names, 1024);
                if let Ok(read) = lake.read(&asset, &request).await {
                    let _ = read.batches.try_collect::<Vec<_>>().await;
                }
            }
        });
    }
}
