//! Throughput of the exact counter alone, on synthetic keys shaped like the
//! persons benchmark (ID + phone per row, one row in ten phone only, drawn
//! from a pool of persons), to tune it without the rest of a scan. Timings
//! of memory-bound code vary a lot on shared machines: compare runs made
//! back to back. Usage:
//! `cargo run --release -p persons --example exact_throughput -- [rows] [pool]`.

use std::time::Instant;

use persons::{ExactCounter, KeyRows, PersonKey};

fn main() {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args.next().map_or(52_631_578, |a| a.parse().unwrap());
    let pool: u64 = args.next().map_or(15_000_000, |a| a.parse().unwrap());
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    // A well-spread 128-bit value per (kind tag, person).
    let key = |tag: u8, p: u64| {
        let a = p.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(tag);
        let b = (a ^ (a >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let v = (u128::from(a) << 64 | u128::from(b ^ (b >> 29))) & ((1u128 << 124) - 1);
        PersonKey::from_bytes((v | u128::from(tag) << 124).to_be_bytes()).unwrap()
    };
    let mut counter = ExactCounter::new();
    let asset = counter.register_asset("t");
    let started = Instant::now();
    let mut done = 0;
    while done < rows {
        let mut batch = KeyRows::new();
        for _ in 0..8192.min(rows - done) {
            let r = next();
            let p = r % pool;
            if (r >> 40) % 10 != 0 {
                batch.push_key(key(1, p));
            }
            batch.push_key(key(4, p));
            batch.end_row();
        }
        done += batch.len() as u64;
        counter.add_rows(Some(asset), &batch);
    }
    let add = started.elapsed();
    let per_asset = counter.persons_by_asset();
    let total = started.elapsed();
    eprintln!(
        "{rows} rows, {} keys, {} persons, asset {}: add {:.2} s, per-asset {:.2} s, {} MB",
        counter.distinct_keys(),
        counter.distinct_persons(),
        per_asset[0].1,
        add.as_secs_f64(),
        (total - add).as_secs_f64(),
        counter.approx_bytes() >> 20
    );
}
