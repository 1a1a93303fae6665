//! Classifier throughput over a mixed corpus: values per second on one core.
//!
//! Run with `cargo bench -p benches --bench classify`.

use classifiers::ClassifierSet;
use divan::counter::ItemsCount;
use divan::Bencher;

fn main() {
    divan::main();
}

const VALUES: usize = 100_000;

#[divan::bench(sample_count = 20)]
fn builtin_set_mixed_corpus(bencher: Bencher) {
    let set = ClassifierSet::builtin();
    let corpus = benches::mixed_corpus(VALUES, 42);
    bencher.counter(ItemsCount::new(VALUES)).bench_local(|| {
        let mut scan = set.column("c3");
        for value in &corpus {
            scan.push(Some(divan::black_box(value.as_str())));
        }
        divan::black_box(scan.finish())
    });
}
