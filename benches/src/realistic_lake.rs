//! A lake of realistic parquet files: one hive-partitioned customer table whose files are
//! hundreds of MB in row groups of about 128 MB (as Spark's `parquet.block.size` gives), with
//! the writer's page and dictionary defaults and snappy. Its columns are what such tables
//! hold: identifiers, names, phones, e-mail, addresses, plates, order numbers, timestamps,
//! amounts, a free-text remark and wide numeric metrics, so a 1,000-row sample is a tiny share
//! of the rows.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::{PageIndexPolicy, ParquetMetaDataReader};
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;

use crate::{row_values, Rng};

/// Row-group size the writer aims at, in encoded bytes.
const ROW_GROUP_BYTES: usize = 128 << 20;
/// Rows handed to the writer at a time (bounds the generator's memory).
const BATCH_ROWS: usize = 65_536;
/// Wide numeric metric columns (`m1`…).
const METRICS: usize = 8;

const STATUSES: &[&str] = &["active", "dormant", "closed", "frozen", "pending"];
const CHANNELS: &[&str] = &[
    "app",
    "web",
    "store",
    "partner",
    "call_center",
    "mini_program",
];
const CITIES: &[&str] = &[
    "浙江省杭州市西湖区",
    "上海市浦东新区",
    "北京市朝阳区",
    "四川省成都市武侯区",
    "广东省深圳市南山区",
    "江苏省南京市鼓楼区",
];
const ROADS: &[&str] = &[
    "文三路",
    "张江路",
    "建国路",
    "天府大道",
    "科技园路",
    "中山路",
];
const WORDS: &[&str] = &[
    "客户",
    "要求",
    "周末",
    "送货",
    "请",
    "提前",
    "电话",
    "联系",
    "地址",
    "变更",
    "已",
    "核实",
    "退款",
    "处理中",
    "发票",
    "抬头",
    "会员",
    "升级",
    "投诉",
    "回访",
    "满意",
    "物流",
    "延迟",
    "签收",
    "门卫",
    "代收",
    "备注",
    "优惠券",
    "过期",
    "补发",
];

fn schema() -> Arc<Schema> {
    let text = |name: &str| Field::new(name, DataType::Utf8, true);
    let mut fields = vec![
        Field::new("customer_id", DataType::Int64, false),
        text("sfzh"),
        text("xm"),
        text("sjhm"),
        text("email"),
        text("dz"),
        text("cphm"),
        text("ddh"),
        text("je"),
        text("status"),
        text("channel"),
        text("device_id"),
        text("remark"),
        Field::new(
            "created_at",
            DataType::Timestamp(TimeUnit::Microsecond, None),
            false,
        ),
        Field::new("balance", DataType::Float64, true),
        Field::new("score", DataType::Int32, true),
    ];
    fields.extend((1..=METRICS).map(|m| Field::new(format!("m{m}"), DataType::Float64, true)));
    Arc::new(Schema::new(fields))
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

/// Rows `first..first + n` of the table (row `i` is a pure function of `i` and `seed`).
fn batch(schema: &Arc<Schema>, rng: &mut Rng, first: u64, n: usize) -> RecordBatch {
    let mut text: Vec<Vec<String>> = (0..12).map(|_| Vec::with_capacity(n)).collect();
    let (mut balance, mut score) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut metrics: Vec<Vec<f64>> = (0..METRICS).map(|_| Vec::with_capacity(n)).collect();
    for _ in 0..n {
        let [sfzh, sjhm, xm, cphm, je, ddh] = row_values(rng);
        let email = format!("{}.{}@example.com", &sjhm[7..], rng.below(1_000_000));
        let dz = format!(
            "{}{}{}号{}幢{}室",
            pick(rng, CITIES),
            pick(rng, ROADS),
            1 + rng.below(999),
            1 + rng.below(30),
            101 + rng.below(2400)
        );
        let words = 10 + rng.below(25) as usize;
        let remark: String = (0..words).map(|_| pick(rng, WORDS)).collect();
        let device = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
        let status = pick(rng, STATUSES).to_string();
        let channel = pick(rng, CHANNELS).to_string();
        for (c, v) in [
            sfzh, xm, sjhm, email, dz, cphm, ddh, je, status, channel, device, remark,
        ]
        .into_iter()
        .enumerate()
        {
            text[c].push(v);
        }
        balance.push(rng.below(100_000_000) as f64 / 100.0);
        score.push(rng.below(1000) as i32);
        // Half the metrics are amounts in cents (high cardinality), half small quantities.
        for (k, m) in metrics.iter_mut().enumerate() {
            let range = if k < METRICS / 2 { 10_000_000 } else { 500 };
            m.push(rng.below(range) as f64 / 100.0);
        }
    }
    let start = 1_767_225_600_000_000i64; // 2026-01-01, one row a second
    let mut columns: Vec<ArrayRef> = vec![Arc::new(Int64Array::from_iter_values(
        (first..first + n as u64).map(|i| i as i64),
    ))];
    columns.extend(
        text.into_iter()
            .map(|v| Arc::new(StringArray::from(v)) as ArrayRef),
    );
    columns.push(Arc::new(TimestampMicrosecondArray::from_iter_values(
        (first..first + n as u64).map(|i| start + i as i64 * 1_000_000),
    )));
    columns.push(Arc::new(Float64Array::from(balance)));
    columns.push(Arc::new(Int32Array::from(score)));
    columns.extend(
        metrics
            .into_iter()
            .map(|m| Arc::new(Float64Array::from(m)) as ArrayRef),
    );
    RecordBatch::try_new(schema.clone(), columns).expect("columns match the schema")
}

/// Writes `files` files of `rows` rows each under `dir/customers/dt=…/` and returns the JSON
/// line the harness records (files, rows, row groups, bytes).
pub fn generate(dir: &Path, files: usize, rows: u64) -> std::io::Result<String> {
    let schema = schema();
    let written: Vec<Written> = (0..files)
        .into_par_iter()
        .map(|f| {
            let path = dir
                .join("customers")
                .join(format!("dt=2026-01-{:02}", 1 + f))
                .join("part-00000.snappy.parquet");
            std::fs::create_dir_all(path.parent().expect("a parent"))?;
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(None)
                .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
                .build();
            let mut writer =
                ArrowWriter::try_new(File::create(&path)?, schema.clone(), Some(props))?;
            let mut rng = Rng::new(5_000 + f as u64);
            let mut done = 0;
            while done < rows {
                let n = (rows - done).min(BATCH_ROWS as u64) as usize;
                writer.write(&batch(&schema, &mut rng, f as u64 * rows + done, n))?;
                done += n as u64;
            }
            writer.close()?;
            let (groups, dictionaries, pages) = heads(&path)?;
            Ok(Written {
                bytes: std::fs::metadata(&path)?.len(),
                groups,
                dictionaries,
                pages,
            })
        })
        .collect::<std::io::Result<_>>()?;
    let sum = |f: fn(&Written) -> u64| written.iter().map(f).sum::<u64>();
    let smallest = written.iter().map(|w| w.bytes).min().unwrap_or(0);
    Ok(format!(
        "{{\"files\":{files},\"rows_per_file\":{rows},\"row_groups\":{},\"columns\":{},\
         \"smallest_file_bytes\":{smallest},\"bytes\":{},\"head_dictionary_bytes\":{},\
         \"head_page_bytes\":{}}}",
        sum(|w| w.groups),
        schema.fields().len(),
        sum(|w| w.bytes),
        sum(|w| w.dictionaries),
        sum(|w| w.pages),
    ))
}

/// One written file: its size, row groups, and what reading the head of every row group
/// takes (the dictionary pages and the first data page of every column chunk).
struct Written {
    bytes: u64,
    groups: u64,
    dictionaries: u64,
    pages: u64,
}

/// Row groups, dictionary bytes and first-data-page bytes of a file, from its offset index.
fn heads(path: &Path) -> std::io::Result<(u64, u64, u64)> {
    let meta = ParquetMetaDataReader::new()
        .with_offset_index_policy(PageIndexPolicy::Required)
        .parse_and_finish(&File::open(path)?)?;
    let index = meta
        .page_index()
        .ok_or_else(|| std::io::Error::other("the writer wrote no offset index"))?;
    let (mut dictionaries, mut pages) = (0, 0);
    for (g, group) in meta.row_groups().iter().enumerate() {
        for (c, chunk) in group.columns().iter().enumerate() {
            let offsets = index
                .offset_index(g, c)
                .ok_or_else(|| std::io::Error::other("a column chunk has no offset index"))?;
            let first = &offsets.page_locations()[0];
            dictionaries += first.offset as u64 - chunk.byte_range().0;
            pages += first.compressed_page_size as u64;
        }
    }
    Ok((meta.num_row_groups() as u64, dictionaries, pages))
}
