//! Throughput of the exact counter on synthetic linked rows shaped like the persons bench
//! lake (ID + phone of one person per row, one row in ten phone only):
//! `cargo run --release -p persons --example exact_throughput -- ROWS POOL [PARTS]`, where
//! PARTS is the number of 1,024-row parts given to each `add_batches` call (8 by default: one
//! 8,192-row batch of the scanner).

use std::time::Instant;

use persons::{ExactCounter, IdentifierKind, KeyRows, PersonKeyer};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>().unwrap());
    let rows = args.next().unwrap_or(2_631_578);
    let pool = args.next().unwrap_or(1_000_000);
    let parts = args.next().unwrap_or(8) as usize;
    let keyer = PersonKeyer::new(&[7u8; 32]).unwrap();
    let mut state = 77u64;
    let mut batches = Vec::new();
    let t = Instant::now();
    let mut values = 0u64;
    // Parts of 1,024 rows, as the scanner hashes them.
    for start in (0..rows).step_by(1024) {
        let mut b = KeyRows::with_capacity(2048, 1024);
        for _ in start..(start + 1024).min(rows) {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let p = (state >> 33) % pool;
            if (state >> 20) % 10 != 0 {
                b.push_key(keyer.key(IdentifierKind::CnResidentId, &format!("{p:018}")));
                values += 1;
            }
            b.push_key(keyer.key(IdentifierKind::MobilePhone, &format!("1{p:010}")));
            values += 1;
            b.end_row();
        }
        batches.push(b);
    }
    eprintln!(
        "keyed {values} values in {:.2} s (incl. formatting)",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let cpu0 = cpu_secs();
    let mut c = ExactCounter::new();
    let a = c.register_asset("a");
    for b in batches.chunks(parts) {
        c.add_batches(Some(a), b);
    }
    let secs = t.elapsed().as_secs_f64();
    let cpu1 = cpu_secs();
    let cpu = cpu1.0 + cpu1.1 - cpu0.0 - cpu0.1;
    println!(
        "single: {:.2} s, {:.1} ns/value, CPU {:.2} s ({:.1} ns/value; sys {:.2} s), {} persons, {} keys",
        secs,
        secs * 1e9 / values as f64,
        cpu,
        cpu * 1e9 / values as f64,
        cpu1.1 - cpu0.1,
        c.distinct_persons(),
        c.distinct_keys()
    );
}

/// User and system CPU seconds of the whole process so far.
fn cpu_secs() -> (f64, f64) {
    // SAFETY: getrusage only writes the struct it is given.
    let u = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    (secs(u.ru_utime), secs(u.ru_stime))
}
