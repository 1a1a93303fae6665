//! A short run of every fuzz target, so the harness and the targets keep working; the long
//! run is `cargo run --release -p fuzz`.

use std::time::Duration;

#[test]
fn every_target_survives_a_short_run() {
    for mut target in fuzz::all_targets() {
        let n = if target.share() == 0 { 200 } else { 3_000 };
        let report = fuzz::run(target.as_mut(), n, 7, Duration::from_secs(5));
        assert_eq!(report.iterations, n, "{}", target.name());
        assert!(
            report.panics.is_empty() && report.hangs.is_empty(),
            "{}: panics {:?} hangs {:?}",
            target.name(),
            report.panics,
            report.hangs
        );
    }
}

#[test]
fn mutation_is_reproducible_and_bounded() {
    let mut a = fuzz::Rng::new(42);
    let mut b = fuzz::Rng::new(42);
    for _ in 0..1000 {
        let x = fuzz::mutate(&mut a, b"11010519491231002X", b"13800138000", 24);
        let y = fuzz::mutate(&mut b, b"11010519491231002X", b"13800138000", 24);
        assert_eq!(x, y);
        assert!(x.len() <= 24);
    }
}
