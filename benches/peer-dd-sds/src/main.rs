//! Runs dd-sds (Datadog's Sensitive Data Scanner core) over a file of values, one per line,
//! with regex rules equivalent to the mulu categories dd-sds can express, and prints one JSON
//! line: values, best-of-N seconds, values per second and hits per rule.
//!
//! Usage: `peer-dd-sds VALUES.txt [ROUNDS]`

use dd_sds::{RegexRuleConfig, RootRuleConfig, Scanner, SecondaryValidator};
use std::time::Instant;

/// (name, pattern, validator). Patterns mirror mulu's built-in shapes; dd-sds searches for
/// occurrences anywhere in the value, as it does for log events.
const RULES: &[(&str, &str, Option<SecondaryValidator>)] = &[
    (
        "cn_resident_id",
        r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]",
        Some(SecondaryValidator::ChineseIdChecksum),
    ),
    ("cn_mobile", r"(?:\+?86[- ]?)?1[3-9]\d{9}", None),
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", None),
    ("bank_card", r"[1-9]\d{15,18}", Some(SecondaryValidator::LuhnChecksum)),
    ("vin", r"[A-HJ-NPR-Z0-9]{17}", Some(SecondaryValidator::VinChecksum)),
    (
        "cn_plate",
        r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}",
        None,
    ),
];

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: peer-dd-sds VALUES.txt [ROUNDS]");
    let rounds: usize = args.next().map_or(3, |r| r.parse().expect("ROUNDS is a number"));
    let text = std::fs::read_to_string(&path).expect("read values");
    let values: Vec<String> = text.lines().map(str::to_owned).collect();

    let rules: Vec<_> = RULES
        .iter()
        .map(|(_, pattern, validator)| {
            RootRuleConfig::new(RegexRuleConfig::new(pattern).with_validator(validator.clone()).build())
        })
        .collect();
    let scanner = Scanner::builder(&rules).build().expect("rules compile");

    // No match action is configured, so scanning never rewrites a value: scan in place.
    let mut work = values.clone();
    let mut best = f64::INFINITY;
    let mut hits = vec![0u64; RULES.len()];
    for round in 0..rounds {
        let mut round_hits = vec![0u64; RULES.len()];
        let t0 = Instant::now();
        for v in work.iter_mut() {
            for m in scanner.scan(v).expect("scan") {
                round_hits[m.rule_index] += 1;
            }
        }
        best = best.min(t0.elapsed().as_secs_f64());
        if round == 0 {
            hits = round_hits;
        }
    }
    let hits_json: Vec<String> = RULES
        .iter()
        .zip(&hits)
        .map(|((name, _, _), n)| format!("\"{name}\":{n}"))
        .collect();
    println!(
        "{{\"engine\":\"dd-sds 0.1.0-20261029\",\"values\":{},\"bytes\":{},\"secs\":{:.6},\"values_per_sec\":{:.0},\"hits\":{{{}}}}}",
        values.len(),
        values.iter().map(String::len).sum::<usize>(),
        best,
        values.len() as f64 / best,
        hits_json.join(",")
    );
}
