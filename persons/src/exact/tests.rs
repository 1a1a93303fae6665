//! Exact counting on small graphs whose components are known.

use super::*;

fn key(kind: IdentifierKind, n: u64) -> PersonKey {
    // Synthetic well-spread keys; the counter only needs uniqueness.
    let v = u128::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
    PersonKey::from_parts(kind, v ^ (v >> 64))
}

#[test]
fn stored_round_trip_keeps_kind() {
    for k in IdentifierKind::ALL {
        let pk = key(k, 7);
        let back = unstored(stored(pk));
        assert_eq!(back.kind(), k);
        assert_eq!(stored(back), stored(pk));
    }
}

#[test]
fn union_find_components() {
    use IdentifierKind::*;
    let mut c = ExactCounter::new();
    c.add_row(&[]);
    assert_eq!(c.distinct_persons(), 0);
    c.add_row(&[key(MobilePhone, 1)]);
    c.add_row(&[key(MobilePhone, 2)]);
    c.add_row(&[key(MobilePhone, 1)]);
    assert_eq!(c.distinct_persons(), 2);
    // Chain 1 - id9 - 2 collapses to one person.
    c.add_row(&[key(CnResidentId, 9), key(MobilePhone, 1)]);
    assert_eq!(c.distinct_persons(), 2);
    c.add_row(&[key(MobilePhone, 2), key(CnResidentId, 9)]);
    assert_eq!(c.distinct_persons(), 1);
    assert_eq!(c.distinct_keys(), 3);
    assert_eq!(
        c.distinct_by_kind(),
        BTreeMap::from([(CnResidentId, 1), (MobilePhone, 2)])
    );
}

/// A small deterministic generator for the randomised tests.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Reference count: components by breadth-first search over the rows.
fn components(rows: &[Vec<PersonKey>]) -> (u64, Vec<u64>) {
    let mut ids: HashMap<PersonKey, usize> = HashMap::new();
    let mut edges: Vec<Vec<usize>> = Vec::new();
    for row in rows {
        let idx: Vec<usize> = row
            .iter()
            .map(|k| {
                let n = ids.len();
                *ids.entry(*k).or_insert_with(|| {
                    edges.push(Vec::new());
                    n
                })
            })
            .collect();
        for w in idx.windows(2) {
            edges[w[0]].push(w[1]);
            edges[w[1]].push(w[0]);
        }
    }
    let mut comp = vec![usize::MAX; edges.len()];
    let mut n = 0u64;
    for start in 0..edges.len() {
        if comp[start] != usize::MAX {
            continue;
        }
        let mut stack = vec![start];
        comp[start] = n as usize;
        while let Some(v) = stack.pop() {
            for &w in &edges[v] {
                if comp[w] == usize::MAX {
                    comp[w] = n as usize;
                    stack.push(w);
                }
            }
        }
        n += 1;
    }
    let per_row = rows
        .iter()
        .map(|r| comp[ids[&r[0]]] as u64)
        .collect::<Vec<_>>();
    (n, per_row)
}

#[test]
fn batches_match_row_by_row_and_a_reference_search() {
    use IdentifierKind::*;
    let mut rng = Lcg(42);
    // 40,000 rows over a pool small enough that rows link into chains,
    // spread over three assets; enough keys for every table to grow.
    let rows: Vec<Vec<PersonKey>> = (0..40_000)
        .map(|_| match rng.below(3) {
            0 => vec![key(CnResidentId, rng.below(30_000))],
            1 => vec![
                key(MobilePhone, rng.below(30_000)),
                key(CnResidentId, rng.below(30_000)),
            ],
            _ => vec![
                key(Email, rng.below(30_000)),
                key(MobilePhone, rng.below(30_000)),
                key(Passport, rng.below(30_000)),
            ],
        })
        .collect();
    let (truth, comp_of_row) = components(&rows);

    let mut one = ExactCounter::new();
    let mut batched = ExactCounter::new();
    let assets: Vec<(AssetId, AssetId)> = ["a", "b", "c"]
        .iter()
        .map(|n| (one.register_asset(n), batched.register_asset(n)))
        .collect();
    for (chunk_no, chunk) in rows.chunks(1000).enumerate() {
        let (a1, a2) = assets[chunk_no % 3];
        let mut batch = KeyRows::new();
        for row in chunk {
            one.add_asset_row(a1, row);
            batch.push_row(row);
        }
        batched.add_rows(Some(a2), &batch);
    }
    assert_eq!(one.distinct_persons(), truth);
    assert_eq!(batched.distinct_persons(), truth);
    assert_eq!(batched.distinct_keys(), one.distinct_keys());
    assert_eq!(batched.distinct_by_kind(), one.distinct_by_kind());

    // Per-asset persons: distinct reference components of the asset's rows.
    for (i, &(a1, a2)) in assets.iter().enumerate() {
        let mut expect: Vec<u64> = rows
            .chunks(1000)
            .enumerate()
            .filter(|(n, _)| n % 3 == i)
            .flat_map(|(n, c)| (0..c.len()).map(move |r| n * 1000 + r))
            .map(|r| comp_of_row[r])
            .collect();
        expect.sort_unstable();
        expect.dedup();
        let expect = expect.len() as u64;
        assert_eq!(one.asset_persons(a1), expect, "asset {i}, row by row");
        assert_eq!(batched.asset_persons(a2), expect, "asset {i}, batched");
        assert_eq!(batched.persons_by_asset()[i], (a2, expect));
    }
    let all: Vec<AssetId> = assets.iter().map(|a| a.1).collect();
    assert_eq!(batched.persons_in_assets(&all), truth);
}

#[test]
fn few_rows_resolve_without_the_root_array() {
    // One asset with 2 rows among 100,000 keys takes the walk-up path.
    let mut c = ExactCounter::new();
    let a = c.register_asset("small");
    let mut batch = KeyRows::new();
    for i in 0..100_000 {
        batch.push_row(&[key(IdentifierKind::Email, i)]);
    }
    c.add_rows(None, &batch);
    c.add_asset_row(a, &[key(IdentifierKind::Email, 5)]);
    c.add_asset_row(a, &[key(IdentifierKind::Email, 6)]);
    assert_eq!(c.asset_persons(a), 2);
    c.add_row(&[key(IdentifierKind::Email, 5), key(IdentifierKind::Email, 6)]);
    assert_eq!(
        c.asset_persons(a),
        1,
        "a later link merges the asset's rows"
    );
    assert_eq!(c.distinct_persons(), 99_999);
}

#[test]
fn memory_estimate_tracks_the_tables() {
    let rows: Vec<KeyRows> = (0..20)
        .map(|b| {
            let mut batch = KeyRows::new();
            for i in b * 10_000..(b + 1) * 10_000 {
                batch.push_row(&[key(IdentifierKind::MobilePhone, i)]);
            }
            batch
        })
        .collect();
    // Small batches: the tables and the forest are all there is.
    let mut small = ExactCounter::new();
    rows.iter().for_each(|batch| small.add_rows(None, batch));
    let per_key = small.approx_bytes() as f64 / 200_000.0;
    assert!((20.0..=40.0).contains(&per_key), "{per_key} bytes per key");
    // One large batch is sorted for lookup, in buffers of 16 bytes a key that are kept.
    let mut large = ExactCounter::new();
    large.add_batches(None, &rows);
    let extra = (large.approx_bytes() - small.approx_bytes()) as f64 / 200_000.0;
    assert!((16.0..=20.0).contains(&extra), "{extra} more bytes per key");
}

#[test]
fn long_chain_stays_correct() {
    let mut c = ExactCounter::with_capacity(10_000);
    for i in 0..10_000u64 {
        c.add_row(&[
            key(IdentifierKind::Email, i),
            key(IdentifierKind::Email, i + 1),
        ]);
    }
    assert_eq!(c.distinct_persons(), 1);
    assert_eq!(c.distinct_keys(), 10_001);
}

/// Roots resolved in runs (on several cores) and asset counts over a million rows (one bit
/// set per core) agree with walking up the forest, on a forest whose chains cross the runs:
/// a chain over the first half of the elements, and later keys hung under its far end.
#[test]
fn roots_in_runs_and_large_unions_agree_with_walking_up() {
    use IdentifierKind::*;
    let mut c = ExactCounter::new();
    let assets: Vec<AssetId> = ["chain", "spokes", "mixed"]
        .iter()
        .map(|n| c.register_asset(n))
        .collect();
    let half = 150_000u64;
    for i in 0..half {
        c.add_asset_row(assets[0], &[key(Email, i), key(Email, i + 1)]);
    }
    for i in half..3 * half {
        let row = if i % 3 == 0 {
            vec![key(MobilePhone, i), key(Email, half)]
        } else {
            vec![key(MobilePhone, i), key(Passport, i / 2)]
        };
        c.add_asset_row(assets[1], &row);
        let other = [key(Email, i - half)];
        c.add_asset_row(assets[2], if i % 2 == 0 { &row } else { &other });
    }
    let n = c.parent.len as u32;
    let walked: Vec<u32> = (0..n).map(|i| c.find_ro(i)).collect();
    for run in [1 << 16, 100_003, n as usize] {
        assert_eq!(c.roots_in_runs(run), walked, "runs of {run}");
    }
    let persons_of = |assets: &[AssetId]| {
        let mut roots = std::collections::HashSet::new();
        for a in assets {
            c.assets[a.0 as usize].members.for_each(|i| {
                roots.insert(walked[i as usize]);
            });
        }
        roots.len() as u64
    };
    let rows: usize = c.assets.iter().map(|a| a.members.len_hint()).sum();
    assert!(
        rows >= 1 << 20,
        "the union takes the path of one bit set per core"
    );
    assert_eq!(c.persons_in_assets(&assets), persons_of(&assets));
    assert_eq!(c.persons_in_assets(&assets), c.distinct_persons());
    for (a, n) in c.persons_by_asset() {
        assert_eq!(n, persons_of(&[a]), "asset {a:?}");
    }
    assert_eq!(c.persons_in_assets(&assets[1..]), persons_of(&assets[1..]));
}

/// Property: keys looked up in parallel, table by table (batches large and small, several
/// per call) give the counts of the one-row-at-a-time path and of a reference search, for random
/// linked rows over pools of every density; a merge of two halves gives the whole.
#[test]
fn parallel_batches_count_like_single_rows_on_random_linked_rows() {
    for seed in 0..8u64 {
        let mut rng = Lcg(seed + 1000);
        let pool = 200 + rng.below(20_000);
        let n_rows = 5_000 + rng.below(60_000) as usize;
        let rows: Vec<Vec<PersonKey>> = (0..n_rows)
            .map(|_| {
                (0..1 + rng.below(4))
                    .map(|_| {
                        let kind = IdentifierKind::ALL[rng.below(6) as usize];
                        key(kind, rng.below(pool))
                    })
                    .collect()
            })
            .collect();
        let (truth, _) = components(&rows);

        let mut one = ExactCounter::new();
        let mut batched = ExactCounter::new();
        let mut halves = [ExactCounter::new(), ExactCounter::new()];
        let a1 = one.register_asset("a");
        let a2 = batched.register_asset("a");
        let mut rest = &rows[..];
        let mut call = 0;
        while !rest.is_empty() {
            // 1 to 4 batches per call, each 1 to 3,000 rows: mostly below PARTITION_MIN (looked
            // up in order); one call in four of 40,000 rows: past it (sorted, table by table).
            let mut batches = Vec::new();
            let large = rng.below(4) == 0;
            for _ in 0..1 + rng.below(4) {
                let rows = if large {
                    40_000
                } else {
                    1 + rng.below(3_000) as usize
                };
                let take = rows.min(rest.len());
                let mut batch = KeyRows::new();
                for row in &rest[..take] {
                    one.add_asset_row(a1, row);
                    batch.push_row(row);
                }
                rest = &rest[take..];
                batches.push(batch);
            }
            batched.add_batches(Some(a2), &batches);
            let half = &mut halves[call % 2];
            let h = half.register_asset("a");
            half.add_batches(Some(h), &batches);
            call += 1;
        }
        let [mut merged, second] = halves;
        merged.merge(&second);
        for (c, what) in [(&one, "one"), (&batched, "batched"), (&merged, "merged")] {
            assert_eq!(c.distinct_persons(), truth, "seed {seed}: {what}");
            assert_eq!(
                c.distinct_keys(),
                one.distinct_keys(),
                "seed {seed}: {what}"
            );
            assert_eq!(c.distinct_by_kind(), one.distinct_by_kind(), "{what}");
            assert_eq!(c.persons_by_asset()[0].1, truth, "seed {seed}: {what}");
        }
    }
}
