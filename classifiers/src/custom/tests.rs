//! Loading classifier files: the format, the errors, the compiled behaviour.

use super::classifier::{mask, MaskMode};
use super::compile::id_is_well_formed;
use super::*;
use crate::Classifier;
use crate::ClassifierSet;

fn load(text: &str) -> Vec<Box<dyn Classifier>> {
    load_custom_classifiers(text, "t.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn load_err(text: &str) -> CustomClassifierError {
    match load_custom_classifiers(text, "t.toml") {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

fn scan(c: Vec<Box<dyn Classifier>>, column: &str, values: &[&str]) -> Vec<crate::ColumnFinding> {
    let mut b = ClassifierSet::builder().builtins();
    for c in c {
        b = b.with(c);
    }
    let set = b.build().unwrap();
    let mut s = set.column(column);
    for v in values {
        s.push(Some(v));
    }
    s.finish()
}

/// A synthetic USCC with a correct check character.
fn uscc(body: &str) -> String {
    let c = crate::validate::uscc_check_char(body.as_bytes()).unwrap() as char;
    format!("{body}{c}")
}

#[test]
fn id_shape() {
    for ok in ["acme.employee_no", "a.b", "x1.y_2"] {
        assert!(id_is_well_formed(ok), "{ok}");
    }
    for bad in [
        "acme", "Acme.x", "acme.", ".x", "acme.1x", "a.b.c", "a-b.c", "_a.b",
    ] {
        assert!(!id_is_well_formed(bad), "{bad}");
    }
}

#[test]
fn masking() {
    assert_eq!(mask("EMP00012345", MaskMode::HeadTail, 2), "EM*******45");
    assert_eq!(mask("EMP00012345", MaskMode::Head, 3), "EMP********");
    assert_eq!(mask("EMP00012345", MaskMode::Tail, 4), "*******2345");
    assert_eq!(mask("EMP00012345", MaskMode::Full, 2), "***********");
    assert_eq!(mask("沪一工厂", MaskMode::HeadTail, 2), "沪***");
    assert_eq!(mask("abc", MaskMode::Tail, 2), "**c");
    assert_eq!(mask("a", MaskMode::HeadTail, 2), "*");
    assert_eq!(mask("", MaskMode::HeadTail, 2), "");
}

#[test]
fn validator_group_and_whole_value() {
    // 79927398713 passes Luhn; ...10 does not.
    let c = load(
        r#"
        [[classifier]]
        id = "acme.card_ref"
        name_zh = "卡号引用"
        name_en = "Card reference"
        pi = true
        regex = "CR(?P<validate>[0-9]{11})"
        validator = "luhn"
        "#,
    );
    assert_eq!(c[0].confirm("CR79927398713"), Some(1.0));
    assert_eq!(c[0].confirm("CR79927398710"), None);
    // Free-text search is opt-in.
    assert_eq!(c[0].confirm_free_text("CR79927398713"), None);
    let c = load(
        r#"
        [[classifier]]
        id = "acme.luhn_no"
        name_zh = "号码"
        name_en = "Number"
        pi = false
        regex = "[0-9 -]{11,14}"
        validator = "luhn"
        free_text = true
        "#,
    );
    assert_eq!(c[0].confirm_free_text("79927398713"), Some(1.0));
    assert_eq!(c[0].confirm("7992-7398-713"), Some(1.0));
    assert_eq!(c[0].confirm("7992-7398-710"), None);
}

#[test]
fn uscc_validator_through_the_engine() {
    let c = load(
        r#"
        [[classifier]]
        id = "acme.supplier_code"
        name_zh = "供应商信用代码"
        name_en = "Supplier credit code"
        pi = false
        regex = "[0-9A-HJ-NP-RTUW-Y]{18}"
        ignore_case = true
        validator = "gb32100"
        column_hints = ["gys_uscc", "供应商信用代码"]
        mask = "keep_head"
        mask_keep = 8
        "#,
    );
    let codes: Vec<String> = ["91310115MA1H7AAA", "92440300MA5F0BBB", "12100000400000CC"]
        .iter()
        .enumerate()
        .map(|(i, b)| uscc(&format!("{b}{i}")))
        .collect();
    let values: Vec<&str> = codes.iter().map(String::as_str).collect();
    assert_eq!(c[0].confirm(&codes[1].to_ascii_lowercase()), Some(1.0));
    let wrong = format!(
        "{}{}",
        &codes[0][..17],
        if codes[0].ends_with('0') { '1' } else { '0' }
    );
    assert_eq!(c[0].confirm(&wrong), None);
    let f = scan(c, "gys_uscc", &values);
    let f = f
        .iter()
        .find(|f| f.category == "acme.supplier_code")
        .unwrap_or_else(|| panic!("{f:?}"));
    assert_eq!(f.by, vec!["value", "column_name"]);
    assert_eq!(f.matched, 3);
    assert_eq!(f.evidence[0], format!("{}**********", &codes[0][..8]));
}

#[test]
fn dictionary_equals_and_contains() {
    let c = load(
        r#"
        [[classifier]]
        id = "acme.plant"
        name_zh = "工厂代号"
        name_en = "Plant code"
        pi = false
        dictionary = ["沪一工厂", "  Plant-B ", "" ]
        ignore_case = true

        [[classifier]]
        id = "acme.project"
        name_zh = "项目代号"
        name_en = "Project codename"
        pi = false
        dictionary = ["青鸟计划"]
        match = "contains"
        "#,
    );
    assert_eq!(c[0].confirm("沪一工厂"), Some(1.0));
    assert_eq!(c[0].confirm("plant-b"), Some(1.0));
    assert_eq!(c[0].confirm("沪一工厂二"), None);
    assert_eq!(c[0].confirm("Plant"), None);
    assert_eq!(c[1].confirm("关于青鸟计划的周报"), Some(1.0));
    assert_eq!(c[1].confirm("青鸟"), None);
    let f = scan(c, "remark", &["关于青鸟计划的周报", "青鸟计划评审"]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].category, "acme.project");
}

#[test]
fn large_dictionary_uses_the_automaton_only() {
    let entries: Vec<String> = (0..1000).map(|i| format!("\"K{i:05}\"")).collect();
    let text = format!(
        "[[classifier]]\nid = \"acme.k\"\nname_zh = \"代码\"\nname_en = \"Code\"\npi = false\ndictionary = [{}]\n",
        entries.join(", ")
    );
    let c = load(&text);
    assert_eq!(c[0].value_pattern(), Some("(?s:.+)"));
    let f = scan(c, "x", &["K00999", "K00001", "K00500"]);
    assert_eq!(f[0].category, "acme.k");
    assert_eq!(f[0].matched, 3);
}

#[test]
fn dictionary_file_goes_through_the_resolver() {
    let text = r#"
        [[classifier]]
        id = "acme.dept"
        name_zh = "部门"
        name_en = "Department"
        pi = false
        dictionary_file = "dept.txt"
    "#;
    let e = load_err(text);
    assert!(
        matches!(e.kind(), CustomErrorKind::DictionaryFile { .. }),
        "{e}"
    );
    assert_eq!(e.line(), Some(7));
    let c = load_custom_classifiers_with(text, "t.toml", &|p| {
        assert_eq!(p, "dept.txt");
        Ok("# departments\n研发一部\n\n  销售二部  \n".to_owned())
    })
    .unwrap();
    assert_eq!(c[0].confirm("销售二部"), Some(1.0));
    assert_eq!(c[0].confirm("# departments"), None);
}

#[test]
fn min_ratio_and_generated_docs() {
    let c = load(
        r#"
        [[classifier]]
        id = "acme.x"
        name_zh = "甲"
        name_en = "X"
        pi = true
        sensitive = true
        gbt43697_class = "个人身份信息"
        vehicle_item = "第三条第（五）项"
        regex = "X[0-9]{4}"
        validator = "luhn"
        min_ratio = 0.9
        column_hints = ["XCode", "甲号"]
        "#,
    );
    assert_eq!(c[0].min_ratio(), (0.9, 0.3));
    assert_eq!(c[0].column_hint(), Some("x_code|甲号"));
    let info = c[0].info();
    assert!(info.is_sensitive);
    assert_eq!(info.gbt43697_class, "个人身份信息");
    assert_eq!(info.vehicle_item.as_deref(), Some("第三条第（五）项"));
    let docs = c[0].docs();
    for h in [
        "## What it detects",
        "## Why it matters",
        "## Examples",
        "## Known false positives",
    ] {
        assert!(docs.contains(h), "{docs}");
    }
    assert!(docs.contains("Luhn"), "{docs}");
}

/// Each load owns its strings (nothing is leaked or shared between
/// loads), and the metadata is what the file says.
#[test]
fn loaded_metadata_is_owned_per_load() {
    let text = "[[classifier]]\nid = \"acme.same\"\nname_zh = \"同\"\nname_en = \"Same\"\npi = false\nregex = \"S[0-9]\"\ndocs = \"Own docs\"\n";
    let a = load(text);
    let b = load(text);
    let ia = a[0].info();
    assert_eq!(ia.id, "acme.same");
    assert_eq!((ia.name_zh.as_ref(), ia.name_en.as_ref()), ("同", "Same"));
    assert_eq!(a[0].docs(), "Own docs");
    assert!(!std::ptr::eq(a[0].docs(), b[0].docs()));
}

#[test]
fn errors_name_file_line_and_id() {
    let cases: &[(&str, usize, Option<&str>, &str)] = &[
        (
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\ncolum_hints = [\"x\"]\n",
            7,
            Some("a.b"),
            "unknown field `colum_hints`",
        ),
        (
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\nvalidator = \"mod97\"\n",
            7,
            Some("a.b"),
            "allowed: luhn, gb11643, iso3779, gb32100",
        ),
        (
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\n",
            2,
            Some("a.b"),
            "needs `regex`, `dictionary` or `dictionary_file`",
        ),
        (
            "[[classifier]]\nid = \"A.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\n",
            2,
            Some("A.b"),
            "family.name",
        ),
        (
            "[[classifier]]\nid = \"pi.mobile_phone\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\n",
            2,
            Some("pi.mobile_phone"),
            "built-in",
        ),
        (
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = false\nsensitive = true\nregex = \"x\"\n",
            6,
            Some("a.b"),
            "requires pi = true",
        ),
        (
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\ndictionary = [\"x\"]\nvalidator = \"luhn\"\n",
            7,
            Some("a.b"),
            "validator needs a regex",
        ),
        (
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\nmin_ratio = 1.5\n",
            7,
            Some("a.b"),
            "min_ratio",
        ),
        (
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\nmask = \"none\"\n",
            7,
            Some("a.b"),
            "allowed: keep_head_tail",
        ),
        (
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\nmatch = \"contains\"\n",
            7,
            Some("a.b"),
            "dictionaries only",
        ),
        (
            "[[classifier]]\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\n",
            1,
            Some("#1 (no id)"),
            "missing field `id`",
        ),
        (
            "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = \"yes\"\nregex = \"x\"\n",
            5,
            Some("a.b"),
            "invalid type",
        ),
        ("version = 2\n", 1, None, "unknown field `version`"),
        ("[[classifier]\n", 1, None, ""),
    ];
    for (text, line, id, needle) in cases {
        let e = load_err(text);
        let shown = e.to_string();
        assert_eq!(e.origin(), "t.toml");
        assert_eq!(e.line(), Some(*line), "{shown}");
        assert_eq!(e.classifier(), *id, "{shown}");
        assert!(shown.starts_with(&format!("t.toml line {line}")), "{shown}");
        assert!(shown.contains(needle), "{shown}");
    }
}

#[test]
fn regex_error_points_at_the_regex() {
    let e = load_err(
        "\n[[classifier]]\nid = \"acme.bad\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"EMP[0-9\"\n",
    );
    assert!(matches!(e.kind(), CustomErrorKind::Regex(_)));
    let shown = e.to_string();
    assert!(
        shown.starts_with("t.toml line 7, classifier 'acme.bad': regex does not compile:"),
        "{shown}"
    );
    assert!(std::error::Error::source(&e).is_some());
}

#[test]
fn duplicate_in_file() {
    let e = load_err(
        "[[classifier]]\nid = \"a.b\"\nname_zh = \"甲\"\nname_en = \"A\"\npi = true\nregex = \"x\"\n\n\
         [[classifier]]\nid = \"a.b\"\nname_zh = \"乙\"\nname_en = \"B\"\npi = true\nregex = \"y\"\n",
    );
    assert_eq!(
        e.to_string(),
        "t.toml line 9, classifier 'a.b': duplicate id, first defined at line 2"
    );
}

#[test]
fn empty_file_is_fine() {
    assert!(load("# nothing yet\n").is_empty());
}
