//! Fuzzing on stable Rust: every target takes bytes, made by mutating a corpus of realistic
//! seeds (valid identifiers, CSV and JSON lines, parquet files, config and classifier TOML),
//! and must neither panic nor take long on any of them. A panic is caught and reported with the
//! input that caused it; an input slower than the limit is reported as a hang.
//!
//! No coverage feedback (that needs nightly and cargo-fuzz); instead the seeds start every
//! run deep in the formats, and the mutations (bit flips, byte edits, splices, truncation,
//! repetition) walk out from there.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

mod targets;

pub use targets::{all_targets, Target};

/// A small, fast, reproducible generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (any value; 0 is replaced).
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Bytes that often matter to parsers.
const INTERESTING: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b",",
    b"\n",
    b"\r\n",
    b"\0",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"=",
    b"'",
    b"PAR1",
    b"\xff\xff\xff\x7f",
    b"\x00\x00\x00\x80",
    "：".as_bytes(),
    "身份证".as_bytes(),
    b"\xe4",
    b"\x81\x30",
    b"1",
    b"X",
    b"x",
    b"-",
    b"+86",
    b"@",
    b".",
    b"\\",
    b"#",
    b" ",
];

/// One mutation of `seed`, at most `max_len` bytes long.
pub fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8], max_len: usize) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(8) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] = rng.next_u64() as u8;
            }
            2 => {
                let i = rng.below(out.len() + 1);
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                out.splice(i..i, piece.iter().copied());
            }
            3 if !out.is_empty() => {
                let i = rng.below(out.len());
                let n = rng.below((out.len() - i).min(16)) + 1;
                out.drain(i..i + n);
            }
            4 if !other.is_empty() => {
                let i = rng.below(out.len() + 1);
                let j = rng.below(other.len());
                let n = rng.below((other.len() - j).min(64)) + 1;
                out.splice(i..i, other[j..j + n].iter().copied());
            }
            5 => out.truncate(rng.below(out.len() + 1)),
            6 if !out.is_empty() && out.len() < max_len / 2 => {
                let i = rng.below(out.len());
                let n = rng.below((out.len() - i).min(32)) + 1;
                let piece = out[i..i + n].to_vec();
                for _ in 0..rng.below(8) {
                    out.splice(i..i, piece.iter().copied());
                }
            }
            _ => {
                let i = rng.below(out.len() + 1);
                out.insert(i, rng.next_u64() as u8);
            }
        }
    }
    out.truncate(max_len);
    out
}

/// What a run of one target found.
#[derive(Debug, Default)]
pub struct Report {
    /// Inputs tried.
    pub iterations: u64,
    /// Inputs that panicked, as hex, with the panic message.
    pub panics: Vec<(String, String)>,
    /// Inputs that took longer than the hang limit, as hex, with the time.
    pub hangs: Vec<(String, Duration)>,
    /// The slowest input's time.
    pub slowest: Duration,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// Runs `target` on `iterations` mutated inputs from `seed`. Stops early after 10 findings.
pub fn run(target: &mut dyn Target, iterations: u64, seed: u64, hang: Duration) -> Report {
    let mut rng = Rng::new(seed);
    let corpus = target.corpus();
    let mut report = Report::default();
    let started = Instant::now();
    for _ in 0..iterations {
        let a = &corpus[rng.below(corpus.len())];
        let b = &corpus[rng.below(corpus.len())];
        let input = if rng.below(16) == 0 {
            a.clone()
        } else {
            mutate(&mut rng, a, b, target.max_len())
        };
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| target.run(&input)));
        let took = t.elapsed();
        report.iterations += 1;
        report.slowest = report.slowest.max(took);
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            report.panics.push((hex(&input), message));
        } else if took > hang {
            report.hangs.push((hex(&input), took));
        }
        if report.panics.len() + report.hangs.len() >= 10 {
            break;
        }
    }
    report.elapsed = started.elapsed();
    report
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Peak resident memory of this process so far, from the kernel (0 where unknown).
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}
