//! Declarative custom classifiers end to end: TOML text → classifiers →
//! a `ClassifierSet` with the built-ins → column findings, plus the error
//! messages a user sees for a broken file.

use classifiers::{
    load_custom_classifiers, load_custom_classifiers_with, validate::luhn_valid, BuildError,
    Classifier, ClassifierSet, ColumnFinding, CustomErrorKind,
};

const ACME: &str = r#"
# Synthetic ACME classifiers for tests.

[[classifier]]
id = "acme.employee_no"
name_zh = "员工工号"
name_en = "Employee number"
pi = true
gbt43697_class = "个人教育工作信息"
regex = "EMP(?P<validate>[0-9]{8})"
validator = "luhn"
column_hints = ["gh", "emp_no", "工号"]
mask = "keep_head_tail"
mask_keep = 3
docs = """
ACME employee number.

## What it detects
`EMP` and eight digits whose last digit is a Luhn check digit.

## Why it matters
It identifies one employee.

## Examples
`EMP` + seven digits + Luhn digit.

## Known false positives
Other `EMP` codes pass the check one time in ten.
"""

[[classifier]]
id = "acme.plant"
name_zh = "工厂名称"
name_en = "Plant name"
pi = false
dictionary = ["沪一工厂", "沪二工厂", "Plant Wuhan"]
ignore_case = true
column_hints = ["plant", "工厂"]
"#;

/// Eight digits ending in a Luhn check digit.
fn luhn_number(body: u32) -> String {
    let body = format!("{body:07}");
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|n| luhn_valid(n))
        .expect("one check digit fits")
}

fn set_with(custom: Vec<Box<dyn Classifier>>) -> ClassifierSet {
    custom
        .into_iter()
        .fold(ClassifierSet::builder().builtins(), |b, c| b.with(c))
        .build()
        .expect("custom classifiers build with the built-ins")
}

fn scan(set: &ClassifierSet, column: &str, values: &[&str]) -> Vec<ColumnFinding> {
    let mut s = set.column(column);
    for v in values {
        s.push(Some(v));
    }
    s.finish()
}

#[test]
fn two_classifiers_with_builtins() {
    let custom = load_custom_classifiers(ACME, "acme.toml").expect("valid file");
    assert_eq!(custom.len(), 2);
    assert_eq!(custom[0].info().gbt43697_class, "个人教育工作信息");
    assert!(custom[0].docs().starts_with("ACME employee number."));
    // No docs given: generated, with the four headings.
    assert!(custom[1].docs().contains("## Known false positives"));
    let set = set_with(custom);

    // Regex + validator, with the column hint.
    let employees: Vec<String> = (1..=12)
        .map(|i| format!("EMP{}", luhn_number(1_000_000 + i * 7919)))
        .collect();
    let refs: Vec<&str> = employees.iter().map(String::as_str).collect();
    let f = scan(&set, "emp_no", &refs);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].category, "acme.employee_no");
    assert_eq!(f[0].by, vec!["value", "column_name"]);
    assert_eq!((f[0].matched, f[0].sampled), (12, 12));
    for e in &f[0].evidence {
        assert!(e.starts_with("EMP") && e.contains("*****"), "{e}");
        assert!(!employees.contains(e));
    }

    // The same shape with wrong check digits is not an employee number.
    let wrong: Vec<String> = employees
        .iter()
        .map(|e| {
            let last = e.as_bytes()[10] - b'0';
            format!("{}{}", &e[..10], (last + 1) % 10)
        })
        .collect();
    let refs: Vec<&str> = wrong.iter().map(String::as_str).collect();
    assert!(scan(&set, "col_a", &refs).is_empty());

    // Dictionary, equality match, ASCII case-insensitive; a Chinese hint.
    let f = scan(
        &set,
        "所属工厂",
        &["沪一工厂", "沪二工厂", "plant wuhan", "沪一工厂", "未知"],
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].category, "acme.plant");
    assert_eq!(f[0].matched, 4);
    assert_eq!(f[0].evidence[0], "沪***");

    // Built-ins still work next to the custom ones.
    let f = scan(&set, "mobile", &["13800138000", "13900139000"]);
    assert_eq!(f[0].category, "pi.mobile_phone");
}

#[test]
fn dictionary_file_resolved_by_the_caller() {
    // The scanner resolves `dictionary_file` relative to the TOML file; the
    // loader itself reads nothing.
    let dir = std::env::temp_dir().join(format!("mulu-custom-toml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("departments.txt"),
        "# synthetic departments\n研发一部\n销售二部\n\n",
    )
    .unwrap();
    let toml = r#"
[[classifier]]
id = "acme.department"
name_zh = "部门"
name_en = "Department"
pi = false
dictionary_file = "departments.txt"
match = "contains"
"#;
    let resolve = |path: &str| std::fs::read_to_string(dir.join(path));
    let custom = load_custom_classifiers_with(toml, "acme.toml", &resolve).unwrap();
    let set = set_with(custom);
    let f = scan(
        &set,
        "remark",
        &["调往研发一部", "销售二部周报", "研发一部"],
    );
    assert_eq!(f[0].category, "acme.department", "{f:?}");

    let missing = toml.replace("departments.txt", "nope.txt");
    let e = load_custom_classifiers_with(&missing, "acme.toml", &resolve)
        .err()
        .expect("missing file");
    let shown = e.to_string();
    assert!(
        shown.starts_with(
            "acme.toml line 7, classifier 'acme.department': dictionary_file \"nope.txt\":"
        ),
        "{shown}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Loads `text` expecting an error; returns its message.
fn error_of(text: &str) -> (String, classifiers::CustomClassifierError) {
    match load_custom_classifiers(text, "acme.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => (e.to_string(), e),
    }
}

#[test]
fn unknown_key() {
    let text = ACME.replace("mask_keep = 3", "mask_keep = 3\ncolum_hints = [\"x\"]");
    let (shown, e) = error_of(&text);
    let line = text
        .lines()
        .position(|l| l.starts_with("colum_hints"))
        .unwrap()
        + 1;
    assert_eq!(e.line(), Some(line));
    assert!(
        shown.starts_with(&format!(
            "acme.toml line {line}, classifier 'acme.employee_no': unknown field `colum_hints`"
        )),
        "{shown}"
    );
}

#[test]
fn regex_that_does_not_compile() {
    let text = ACME.replace("EMP(?P<validate>[0-9]{8})", "EMP(?P<validate>[0-9]{8}");
    let (shown, e) = error_of(&text);
    assert!(matches!(e.kind(), CustomErrorKind::Regex(_)));
    assert!(
        shown.starts_with(
            "acme.toml line 10, classifier 'acme.employee_no': regex does not compile:"
        ),
        "{shown}"
    );
}

#[test]
fn unknown_validator_lists_the_allowed_ones() {
    let text = ACME.replace("validator = \"luhn\"", "validator = \"mod97\"");
    let (shown, _) = error_of(&text);
    assert!(
        shown.starts_with("acme.toml line 11, classifier 'acme.employee_no': unknown validator \"mod97\"; allowed: luhn, gb11643, iso3779, gb32100"),
        "{shown}"
    );
}

#[test]
fn duplicate_ids() {
    // Twice in one file: the second one is reported.
    let text = ACME.replace("id = \"acme.plant\"", "id = \"acme.employee_no\"");
    let (shown, e) = error_of(&text);
    assert!(matches!(
        e.kind(),
        CustomErrorKind::DuplicateId { first_line: 5 }
    ));
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "id = \"acme.employee_no\"")
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert_eq!(
        shown,
        format!("acme.toml line {line}, classifier 'acme.employee_no': duplicate id, first defined at line 5")
    );

    // Taking a built-in id.
    let text = ACME.replace("id = \"acme.plant\"", "id = \"vehicle.vin\"");
    let (shown, _) = error_of(&text);
    assert!(
        shown.contains(", classifier 'vehicle.vin': id is already used by a built-in"),
        "{shown}"
    );

    // The same id in two files is caught when the set is built.
    let a = load_custom_classifiers(ACME, "a.toml").unwrap();
    let b = load_custom_classifiers(ACME, "b.toml").unwrap();
    let err = a
        .into_iter()
        .chain(b)
        .fold(ClassifierSet::builder().builtins(), |s, c| s.with(c))
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::DuplicateId { ref id } if id == "acme.employee_no"));
}

#[test]
fn neither_regex_nor_dictionary() {
    let text = "[[classifier]]\nid = \"acme.empty\"\nname_zh = \"空\"\nname_en = \"Empty\"\npi = false\ncolumn_hints = [\"x\"]\n";
    let (shown, _) = error_of(text);
    assert_eq!(
        shown,
        "acme.toml line 2, classifier 'acme.empty': needs `regex`, `dictionary` or `dictionary_file`"
    );
}
