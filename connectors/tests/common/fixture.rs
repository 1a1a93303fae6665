//! The same small `customers` table, written into each kind of source.
//!
//! Synthetic values only; the phone numbers are the column the suite checks end to end.

use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Decimal128Array, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};

/// Column names in table order.
pub const COLUMNS: [&str; 7] = [
    "id",
    "name",
    "phone",
    "note",
    "created_at",
    "amount",
    "profile",
];

/// One fixture row: (id, name, phone, note, created_at, amount, profile).
pub type Row = (
    i64,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
);

pub const ROWS: [Row; 5] = [
    (
        1,
        "张三",
        "13800138000",
        Some("VIP"),
        "2024-01-02 03:04:05",
        "12.50",
        r#"{"city": "北京"}"#,
    ),
    (
        2,
        "李四",
        "13912345678",
        None,
        "2024-02-03 04:05:06",
        "0.00",
        r#"{"city": "上海"}"#,
    ),
    (
        3,
        "王五",
        "15000000001",
        Some("车牌 京A12345"),
        "2024-03-04 05:06:07",
        "99.99",
        r#"{"tags": ["a", "b"]}"#,
    ),
    (
        4,
        "赵六",
        "18611112222",
        Some(""),
        "2024-04-05 06:07:08",
        "1000.00",
        r#"{}"#,
    ),
    (
        5,
        "孙七",
        "17700001111",
        Some("note"),
        "2024-05-06 07:08:09",
        "3.14",
        r#"{"vin": "LSVAU2180N2183294"}"#,
    ),
];

/// What a connector should report for the fixture.
#[derive(Debug, Clone)]
pub struct Expected {
    /// The fixture's asset name in this connector's naming (`schema.customers`, …).
    pub asset: String,
}

impl Expected {
    pub fn new(asset: impl Into<String>) -> Self {
        Self {
            asset: asset.into(),
        }
    }

    pub fn columns(&self) -> Vec<String> {
        COLUMNS.iter().map(|c| c.to_string()).collect()
    }

    pub fn phones(&self) -> Vec<String> {
        let mut p: Vec<String> = ROWS.iter().map(|r| r.2.to_string()).collect();
        p.sort();
        p
    }

    pub fn rows(&self) -> usize {
        ROWS.len()
    }
}

fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `INSERT … VALUES` rows for any of the SQL databases.
pub fn insert_values() -> String {
    ROWS.iter()
        .map(|(id, name, phone, note, created, amount, profile)| {
            format!(
                "({id}, {}, {}, {}, {}, {amount}, {})",
                sql_str(name),
                sql_str(phone),
                note.map(sql_str).unwrap_or_else(|| "NULL".into()),
                sql_str(created),
                sql_str(profile)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE TABLE` for PostgreSQL (`table` already qualified and quoted as needed).
pub fn postgres_ddl(table: &str) -> String {
    format!(
        "CREATE TABLE {table} (id bigint PRIMARY KEY, name text NOT NULL, phone varchar(20), \
         note text, created_at timestamp, amount numeric(12, 2), profile jsonb)"
    )
}

/// `CREATE TABLE` for MySQL/MariaDB.
pub fn mysql_ddl(table: &str) -> String {
    format!(
        "CREATE TABLE {table} (id bigint PRIMARY KEY, name varchar(64) NOT NULL, \
         phone varchar(20), note text, created_at datetime, amount decimal(12, 2), profile json) \
         DEFAULT CHARSET = utf8mb4"
    )
}

/// `CREATE TABLE` for SQLite.
pub fn sqlite_ddl(table: &str) -> String {
    format!(
        "CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone VARCHAR(20), \
         note TEXT, created_at TIMESTAMP, amount NUMERIC(12, 2), profile JSON)"
    )
}

/// Creates `dir/customers.db` with the fixture.
pub async fn write_sqlite(path: &Path) {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true),
        )
        .await
        .unwrap();
    sqlx::query(&sqlite_ddl("customers"))
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(&format!("INSERT INTO customers VALUES {}", insert_values()))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

/// The fixture as an Arrow batch with natural types.
pub fn arrow_batch() -> RecordBatch {
    let schema = Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("phone", DataType::Utf8, true),
        Field::new("note", DataType::Utf8, true),
        Field::new(
            "created_at",
            DataType::Timestamp(TimeUnit::Microsecond, None),
            true,
        ),
        Field::new("amount", DataType::Decimal128(12, 2), true),
        Field::new("profile", DataType::Utf8, true),
    ]);
    let micros = |s: &str| chrono_like_micros(s);
    let cents = |s: &str| -> i128 { s.replace('.', "").parse().unwrap() };
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(ROWS.iter().map(|r| r.0))),
        Arc::new(StringArray::from_iter_values(ROWS.iter().map(|r| r.1))),
        Arc::new(StringArray::from_iter_values(ROWS.iter().map(|r| r.2))),
        Arc::new(StringArray::from_iter(ROWS.iter().map(|r| r.3))),
        Arc::new(TimestampMicrosecondArray::from_iter_values(
            ROWS.iter().map(|r| micros(r.4)),
        )),
        Arc::new(
            Decimal128Array::from_iter_values(ROWS.iter().map(|r| cents(r.5)))
                .with_precision_and_scale(12, 2)
                .unwrap(),
        ),
        Arc::new(StringArray::from_iter_values(ROWS.iter().map(|r| r.6))),
    ];
    RecordBatch::try_new(Arc::new(schema), columns).unwrap()
}

/// Microseconds since the epoch for `YYYY-MM-DD HH:MM:SS` (UTC), without a date library.
fn chrono_like_micros(s: &str) -> i64 {
    let n: Vec<i64> = s
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse().unwrap())
        .collect();
    let (y, m, d) = (n[0], n[1], n[2]);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    ((days * 24 + n[3]) * 3600 + n[4] * 60 + n[5]) * 1_000_000
}

/// Writes `customers.parquet` (via parquet's ArrowWriter) and `customers.csv` into `dir`.
pub fn write_lake(dir: &Path) {
    let batch = arrow_batch();
    let file = std::fs::File::create(dir.join("customers.parquet")).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();

    let mut csv = Vec::new();
    {
        let mut w = arrow_csv::WriterBuilder::new()
            .with_header(true)
            .build(&mut csv);
        w.write(&batch).unwrap();
    }
    std::fs::write(dir.join("customers.csv"), csv).unwrap();
}

#[test]
fn epoch_arithmetic() {
    assert_eq!(chrono_like_micros("1970-01-01 00:00:01"), 1_000_000);
    assert_eq!(
        chrono_like_micros("2024-01-02 03:04:05"),
        1_704_164_645_000_000
    );
}

/// The fixture CSV as bytes (what `write_lake` writes to `customers.csv`).
pub fn csv_bytes() -> Vec<u8> {
    let batch = arrow_batch();
    let mut csv = Vec::new();
    {
        let mut w = arrow_csv::WriterBuilder::new()
            .with_header(true)
            .build(&mut csv);
        w.write(&batch).unwrap();
    }
    csv
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

/// Writes `customers.csv.gz` and `customers.csv.zst` (the fixture CSV, compressed) into `dir`.
pub fn write_compressed_csv(dir: &Path) {
    let csv = csv_bytes();
    std::fs::write(dir.join("customers.csv.gz"), gzip(&csv)).unwrap();
    std::fs::write(dir.join("customers.csv.zst"), zstd(&csv)).unwrap();
}

/// Writes one parquet file with `batch`, creating its folder.
pub fn write_parquet(path: &Path, batch: &RecordBatch) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
}
