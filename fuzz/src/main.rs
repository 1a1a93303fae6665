//! `mulu-fuzz`: runs every fuzz target (or one) for a total number of iterations.
//!
//! ```sh
//! cargo run --release -p fuzz -- [--iterations N] [--target NAME] [--seed S]
//! ```
//! Exits 1 when any input panicked or took longer than the hang limit (1 s), and prints the
//! input as hex to reproduce it.

use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let mut iterations: u64 = 100_000_000;
    let mut only: Option<String> = None;
    let mut seed: u64 = 0x6d75_6c75;
    let mut lake_iterations: Option<u64> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match arg.as_str() {
            "--iterations" => iterations = value().replace('_', "").parse().unwrap_or(iterations),
            "--lake-iterations" => lake_iterations = value().parse().ok(),
            "--target" => only = Some(value()),
            "--seed" => seed = value().parse().unwrap_or(seed),
            other => {
                eprintln!("unknown argument {other}; use --iterations N --lake-iterations N --target NAME --seed S");
                return ExitCode::from(2);
            }
        }
    }
    // The lake targets run the async connector per input: far slower per iteration, so they
    // get a fixed count of their own (default 1/1000 of the total each).
    let lake_each = lake_iterations.unwrap_or(iterations / 1000);
    let mut failed = false;
    let mut total = 0u64;
    println!("| target | iterations | time | slowest input | panics | hangs |");
    println!("|---|---:|---:|---:|---:|---:|");
    for mut target in fuzz::all_targets() {
        if only.as_deref().is_some_and(|o| o != target.name()) {
            continue;
        }
        let n = match (&only, target.share()) {
            (Some(_), _) => iterations,
            (None, 0) => lake_each,
            (None, share) => iterations * share / 1000,
        };
        let report = fuzz::run(target.as_mut(), n, seed, Duration::from_secs(1));
        total += report.iterations;
        println!(
            "| {} | {} | {:.1} s | {:.1} ms | {} | {} |",
            target.name(),
            report.iterations,
            report.elapsed.as_secs_f64(),
            report.slowest.as_secs_f64() * 1000.0,
            report.panics.len(),
            report.hangs.len()
        );
        for (input, message) in &report.panics {
            eprintln!("PANIC in {}: {message}\n  input: {input}", target.name());
            failed = true;
        }
        for (input, took) in &report.hangs {
            eprintln!("HANG in {} ({took:?})\n  input: {input}", target.name());
            failed = true;
        }
    }
    let peak = fuzz::peak_rss_bytes();
    println!("\n{total} iterations in total; peak RSS {} MiB", peak >> 20);
    if peak > 1 << 30 {
        eprintln!("peak RSS over 1 GiB: an input drove allocation without bound");
        failed = true;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
