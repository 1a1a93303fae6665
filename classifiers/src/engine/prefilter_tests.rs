//! The fast prefilter path answers exactly what the general path (one
//! overlapping search over every pattern) answers, and the dispatch never
//! rules out a pattern that matches: checked on values generated from every
//! built-in pattern, on near misses made from them, on random strings and on
//! the evaluation set's values.

use regex_syntax::hir::{Class, Hir, HirKind};

use crate::engine::ClassifierSet;

/// splitmix64, so every run checks the same values.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters near misses and random strings are made of: the ones the
/// built-in patterns care about, and a few they do not.
const ALPHABET: &[char] = &[
    '0', '1', '3', '8', '9', 'X', 'x', 'A', 'E', 'G', 'H', 'C', 'W', 'f', 'z', '@', '.', '-', ':',
    ' ', ',', '(', ')', '+', '_', '/', '\n', '\t', '·', '•', '王', '李', '市', '区', '路', '号',
    '族', '男', '京', '沪', '年', '月', '日', '，', 'é', '😀', '\u{3000}',
    // Case-folding partners of ASCII letters (long s, Kelvin sign): a
    // `(?i)` class spells them in more bytes.
    'ſ', '\u{212A}', 'S', 'k',
];

/// A random string that `hir` matches (repetitions at most six beyond their
/// minimum).
fn generate(hir: &Hir, rng: &mut Rng, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(std::str::from_utf8(&lit.0).expect("UTF-8")),
        HirKind::Class(Class::Unicode(c)) => {
            if c.ranges().is_empty() {
                return;
            }
            let r = c.ranges()[rng.below(c.ranges().len())];
            let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
            let pick = lo + rng.below((hi - lo + 1) as usize) as u32;
            out.push(char::from_u32(pick).unwrap_or(r.start()));
        }
        HirKind::Class(Class::Bytes(c)) => {
            if let Some(r) = c.ranges().first() {
                out.push(char::from(r.start()));
            }
        }
        HirKind::Repetition(rep) => {
            let max = rep.max.unwrap_or(rep.min + 6).min(rep.min + 6);
            let n = rep.min + rng.below((max - rep.min + 1) as usize) as u32;
            for _ in 0..n {
                generate(&rep.sub, rng, out);
            }
        }
        HirKind::Capture(cap) => generate(&cap.sub, rng, out),
        HirKind::Concat(subs) => subs.iter().for_each(|s| generate(s, rng, out)),
        HirKind::Alternation(subs) => generate(&subs[rng.below(subs.len())], rng, out),
    }
}

/// `value` with one character replaced, inserted or removed.
fn near_miss(value: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = value.chars().collect();
    let at = rng.below(chars.len() + 1);
    let c = ALPHABET[rng.below(ALPHABET.len())];
    match rng.below(3) {
        0 if at < chars.len() => chars[at] = c,
        1 if at < chars.len() => {
            chars.remove(at);
        }
        _ => chars.insert(at, c),
    }
    chars.into_iter().collect()
}

/// Checks `value` against both paths of `set`'s prefilter.
fn check(set: &ClassifierSet, value: &str) {
    for wanted in [u64::MAX, set.token_patterns, !set.hint_only] {
        check_wanted(set, value, wanted);
    }
}

/// Checks `value` against both paths, for the `wanted` patterns.
fn check_wanted(set: &ClassifierSet, value: &str, wanted: u64) {
    let mut fast = set.prefilter.scratch();
    let mut reference = set.prefilter.scratch();
    let matched = reference.matches_reference(value, wanted);
    let expected: Vec<usize> = reference.hits.iter().collect();
    let candidates = fast.candidates(value);
    let (sure, maybe) = fast.by_position(value);
    assert_eq!(sure & maybe, 0, "{value:?}");
    for &p in &expected {
        assert!(
            p >= 64 || candidates & (1 << p) != 0,
            "the dispatch ruled out pattern {p} for {value:?}"
        );
        assert!(
            p >= 64 || (sure | maybe) & (1 << p) != 0,
            "the position tables ruled out pattern {p} for {value:?}"
        );
    }
    // What the tables call sure matches, whatever is wanted.
    let mut all = set.prefilter.scratch();
    all.matches_reference(value, u64::MAX);
    let all_hits = all
        .hits
        .iter()
        .filter(|&p| p < 64)
        .fold(0u64, |a, p| a | 1 << p);
    assert_eq!(
        sure & !all_hits,
        0,
        "the position tables are wrong for {value:?}"
    );
    assert_eq!(fast.matches(value, wanted), matched, "{value:?}");
    assert_eq!(fast.hits.iter().collect::<Vec<_>>(), expected, "{value:?}");
}

/// What a classifier promises the prefilter may skip holds for `value`.
fn check_promises(c: &dyn crate::Classifier, value: &str) {
    if !c.confirms_without_hint() {
        assert_eq!(c.confirm(value), None, "{} {value:?}", c.id());
    }
    if !c.confirms_free_text() {
        assert_eq!(c.confirm_free_text(value), None, "{} {value:?}", c.id());
    }
}

/// Values from every classifier's pattern, near misses of them, and random
/// strings.
fn check_generated(set: &ClassifierSet, per_pattern: usize, seed: u64) {
    let mut rng = Rng(seed);
    let mut checked = 0;
    for c in set.classifiers() {
        let Some(pattern) = c.value_pattern() else {
            continue;
        };
        let hir = regex_syntax::parse(pattern).expect("pattern parses");
        for _ in 0..per_pattern {
            let mut value = String::new();
            generate(&hir, &mut rng, &mut value);
            check(set, &value);
            check_promises(c, &value);
            let mut miss = value.clone();
            for _ in 0..1 + rng.below(3) {
                miss = near_miss(&miss, &mut rng);
                check(set, &miss);
                check_promises(c, &miss);
            }
            checked += 1;
        }
    }
    for _ in 0..per_pattern * 20 {
        let n = 1 + rng.below(48);
        let value: String = (0..n)
            .map(|_| ALPHABET[rng.below(ALPHABET.len())])
            .collect();
        check(set, &value);
    }
    assert!(checked >= per_pattern, "no pattern generated values");
}

#[test]
fn fast_path_equals_the_overlapping_search_on_generated_values() {
    check_generated(&ClassifierSet::builtin(), 400, 42);
}

#[test]
fn fast_path_equals_the_overlapping_search_on_the_evaluation_set() {
    let set = ClassifierSet::builtin();
    let tsv = include_str!("../../tests/eval_set/values.tsv");
    let mut n = 0;
    for line in tsv.lines().filter(|l| !l.starts_with('#')) {
        let Some((_, value)) = line.split_once('\t') else {
            continue;
        };
        check(&set, value);
        check(&set, value.trim());
        for c in set.classifiers() {
            check_promises(c, value.trim());
        }
        n += 1;
    }
    assert!(n > 10_000, "{n}");
}

/// A custom pattern with a Unicode word boundary: the DFA gives up on
/// non-ASCII values, which then take the general path.
struct WordBounded;

impl crate::Classifier for WordBounded {
    fn info(&self) -> crate::CategoryInfo {
        crate::CategoryInfo::new("acme.badge", "工牌号", "Badge")
    }
    fn value_pattern(&self) -> Option<&str> {
        Some(r"\bEMP[0-9]{3}\w*")
    }
    fn confirm(&self, _: &str) -> Option<f64> {
        Some(1.0)
    }
    fn column_hint(&self) -> Option<&str> {
        None
    }
    fn mask(&self, _: &str) -> String {
        "EMP***".into()
    }
}

#[test]
fn custom_patterns_keep_the_paths_equal() {
    let set = ClassifierSet::builder()
        .builtins()
        .with(Box::new(WordBounded))
        .build()
        .expect("builds");
    check_generated(&set, 100, 7);
    for v in ["EMP123", "EMP123王", "EMP12", "王EMP123"] {
        check(&set, v);
    }
}

#[test]
fn scans_move_between_threads_and_sets_are_shared() {
    fn send<T: Send>() {}
    fn sync<T: Sync>() {}
    send::<crate::engine::ColumnScan<'static>>();
    sync::<ClassifierSet>();
    // Scans on several threads share the set and hand their DFA caches back.
    let set = ClassifierSet::builtin();
    std::thread::scope(|s| {
        for t in 0..4 {
            let set = &set;
            s.spawn(move || {
                let mut scan = set.column("sfzh");
                for _ in 0..50 {
                    scan.push(Some(if t % 2 == 0 {
                        "11010519491231002X"
                    } else {
                        "王伟"
                    }));
                }
                assert_eq!(scan.finish().len(), 1);
            });
        }
    });
}

#[test]
fn position_tables_hold_for_unusual_patterns() {
    // Assertions inside a pattern, empty and optional parts, case folding,
    // nested repetitions, overlapping alternatives, long fixed formats.
    let patterns = [
        ("acme.a", "a$b|x"),
        ("acme.b", "(?m)^z[0-9]$"),
        ("acme.c", "x?(?:)[0-9]{0}"),
        ("acme.d", "(?:ab|a)(?:bc|c)?"),
        ("acme.e", "(?i)k{3}s"),
        ("acme.f", "(?:[0-9]{2}-?){2,5}"),
        ("acme.g", "[0-9]{30}[A-Z]{4}|[0-9]{31}"),
        ("acme.h", "(?:王|李)[市区]{1,2}"),
        ("acme.i", "[^0-9]{3,}"),
        ("acme.j", "[^\\t ]*[#@王][^\\t ]*"),
    ];
    let mut builder = ClassifierSet::builder().builtins();
    for (id, p) in patterns {
        builder = builder.with(Box::new(crate::engine::tests::Dummy(id, p)));
    }
    let set = builder.build().expect("builds");
    check_generated(&set, 100, 11);
    let fixed = [
        "x",
        "ab",
        "abc",
        "ac",
        "a",
        "kkks",
        "KKKS",
        "\u{212A}\u{212A}ks",
        "kkkſ",
        "z1",
        "12-34",
        "1234",
        "12-3456",
        "王市",
        "李区市",
        "王",
        "abc",
        "ſſſ",
    ];
    for v in fixed {
        check(&set, v);
    }
    check(&set, &"1".repeat(31));
    check(&set, &format!("{}ABCD", "1".repeat(30)));
}
