//! A company-specific classifier written in Rust and registered next to the
//! built-ins, the way DataFusion registers a custom table provider: no fork
//! of this crate, one `.with(Box::new(..))` call.
//!
//! The identifier is a made-up "ACME customer number": `KH`, eight digits
//! and a check character (weights 2–9 over the digits, modulo 11, `X` for
//! 10). A check character is what makes a custom classifier worth writing in
//! Rust rather than TOML: it rejects look-alike order or ticket numbers that
//! a regex alone would accept.
//!
//! Run with `cargo run -p classifiers --example custom_classifier`; it
//! asserts its own results, so `cargo test -p classifiers --examples` builds
//! it and a failing assertion fails the run.

use classifiers::{CategoryInfo, Classifier, ClassifierSet};

/// ACME customer number (客户编号), e.g. `KH20240001` + check character.
struct CustomerNo;

impl CustomerNo {
    const WEIGHTS: [u32; 8] = [2, 3, 4, 5, 6, 7, 8, 9];

    /// Check character for the eight digits; `None` if they are not digits.
    fn check_char(digits: &[u8]) -> Option<u8> {
        if digits.len() != 8 {
            return None;
        }
        let mut sum = 0;
        for (&d, &w) in digits.iter().zip(Self::WEIGHTS.iter()) {
            if !d.is_ascii_digit() {
                return None;
            }
            sum += u32::from(d - b'0') * w;
        }
        Some(match sum % 11 {
            10 => b'X',
            r => b'0' + r as u8,
        })
    }

    /// Builds a valid number from eight digits (used to make sample data).
    fn make(digits: &str) -> String {
        let c = Self::check_char(digits.as_bytes()).expect("eight digits");
        format!("KH{digits}{}", c as char)
    }

    /// The same number with a wrong check character (a typo or a look-alike).
    fn corrupt(number: &str) -> String {
        let wrong = if number.ends_with('1') { '2' } else { '1' };
        format!("{}{wrong}", &number[..10])
    }
}

impl Classifier for CustomerNo {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new("acme.customer_no", "客户编号", "ACME customer number")
            .personal("网络身份标识信息")
    }

    // Loose on purpose: case and the check character are settled in
    // `confirm`. The prefilter only has to let every valid number through.
    fn value_pattern(&self) -> Option<&str> {
        Some("(?i)KH[0-9]{8}[0-9X]")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        let b = value.as_bytes();
        // The prefilter guarantees 11 ASCII bytes, but `confirm` must not
        // panic on anything, so check again.
        if b.len() != 11 {
            return None;
        }
        let want = Self::check_char(&b[2..10])?;
        (b[10].to_ascii_uppercase() == want).then_some(1.0)
    }

    fn column_hint(&self) -> Option<&str> {
        Some("khbh|cust(?:omer)?_(?:no|id)|客户编号|客户号")
    }

    fn mask(&self, value: &str) -> String {
        // Keep the prefix and the last two characters: enough to recognise
        // the format in a report, not enough to look the customer up.
        let tail = value.get(value.len().saturating_sub(2)..).unwrap_or("");
        format!("KH*******{tail}")
    }

    fn docs(&self) -> &'static str {
        "ACME customer number.\n\n## What it detects\n\n`KH`, eight digits and a \
         weighted modulo-11 check character.\n\n## Why it matters\n\nIt identifies one \
         customer account.\n\n## Examples\n\n`KH` + `20240001` + check.\n\n\
         ## Known false positives\n\nOne in eleven random `KH` codes passes the check.\n"
    }
}

fn main() {
    let set = ClassifierSet::builder()
        .builtins()
        .with(Box::new(CustomerNo))
        .build()
        .expect("patterns compile and the id is unique");
    assert!(set.get("acme.customer_no").is_some());

    // A column of synthetic customer numbers with a few nulls and one typo.
    let numbers: Vec<String> = (1..=20)
        .map(|i| CustomerNo::make(&format!("2024{i:04}")))
        .collect();
    let mut scan = set.column("cust_no");
    for (i, n) in numbers.iter().enumerate() {
        scan.push(Some(n));
        if i % 5 == 0 {
            scan.push(None);
        }
    }
    scan.push(Some(&CustomerNo::corrupt(&numbers[0])));
    let findings = scan.finish();
    for f in &findings {
        println!(
            "{}: confidence {} ({} of {} values, by {:?}), evidence {:?}",
            f.category, f.confidence, f.matched, f.sampled, f.by, f.evidence
        );
    }
    let f = &findings[0];
    assert_eq!(f.category, "acme.customer_no");
    assert_eq!((f.matched, f.sampled), (20, 21));
    assert_eq!(f.by, vec!["value", "column_name"]);
    assert!(f.evidence.iter().all(|e| e.starts_with("KH*******")));
    assert!(f.evidence.iter().all(|e| !numbers.contains(e)));

    // Look-alikes with wrong check characters produce nothing, even under a
    // neutral column name.
    let mut scan = set.column("ticket_ref");
    for n in &numbers {
        scan.push(Some(&CustomerNo::corrupt(n)));
    }
    let findings = scan.finish();
    assert!(findings.is_empty(), "{findings:?}");

    println!("custom classifier registered and verified");
}

/// Lets `cargo test -p classifiers --examples` run the assertions above,
/// not only compile them.
#[test]
fn example_runs() {
    main();
}
