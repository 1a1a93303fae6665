//! `gen-sample-data`: writes mulu's synthetic sample data set.
//!
//! Every value is made up. Identifiers that carry a check digit (resident
//! IDs, VINs, bank cards) are drawn from a fixed-seed PRNG and then given a
//! correct check digit, so positives are valid instances; look-alike
//! negatives (order numbers, part codes, 10/11/12-prefixed codes) are built
//! to fail the same checks. Output is deterministic: the parquet, CSV and
//! JSONL files are byte-identical between runs, and `crm.db` is deleted and
//! recreated.
//!
//! Usage: `gen-sample-data [OUTPUT_DIR]` (default `sample-data`).
//!
//! Files written below `OUTPUT_DIR`:
//! * `crm.db` (SQLite: `customers`, `orders`, `payment_cards`, `misleading`)
//! * `lake/vehicle_tracks/dt=2026-11-0{1,2,3}/part-00000.parquet` (snappy)
//! * `lake/part_catalog.parquet` (zstd)
//! * `exports/vehicle_owners.csv` (UTF-8)
//! * `exports/service_records_gbk.csv` (GBK)
//! * `exports/app_events.jsonl`

mod checks;
mod crm;
mod exports;
mod fake;
mod lake;
mod rng;
#[cfg(test)]
mod verify;

use std::path::PathBuf;

/// Global seed; every output file derives its own stream from it.
pub const SEED: u64 = 0x6d75_6c75_5f73_6431; // "mulu_sd1"

/// Error type of the generator.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("sample-data"));
    if args.next().is_some() {
        return Err("usage: gen-sample-data [OUTPUT_DIR]".into());
    }

    let lake_dir = out.join("lake");
    let exports_dir = out.join("exports");
    std::fs::create_dir_all(&lake_dir)?;
    std::fs::create_dir_all(&exports_dir)?;

    crm::write(&out.join("crm.db")).await?;
    lake::write_tracks(&lake_dir)?;
    lake::write_part_catalog(&lake_dir)?;
    exports::write_vehicle_owners(&exports_dir)?;
    exports::write_service_records(&exports_dir)?;
    exports::write_app_events(&exports_dir)?;

    println!("sample data written to {}", out.display());
    Ok(())
}
