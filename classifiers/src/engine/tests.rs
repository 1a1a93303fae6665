//! Engine behaviour over whole columns, with synthetic values.

use super::scan::trim;
use super::*;
use crate::validate::{luhn_valid, mod11_2_check_char};
use crate::CategoryInfo;
use crate::{Classifier, ColumnType};

mod free_text;

/// Deterministic xorshift so tests need no extra crates.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + (self.next() % 10) as u8))
            .collect()
    }
}

/// A synthetic, checksum-valid 18-digit resident ID.
fn synthetic_id(rng: &mut Rng) -> String {
    let areas = ["110105", "310104", "440305", "510107", "330106"];
    let area = areas[(rng.next() % areas.len() as u64) as usize];
    let year = 1950 + rng.next() % 60;
    let month = 1 + rng.next() % 12;
    let day = 1 + rng.next() % 28;
    let body = format!("{area}{year}{month:02}{day:02}{}", rng.digits(3));
    let check = mod11_2_check_char(body.as_bytes()).unwrap() as char;
    format!("{body}{check}")
}

fn scan(set: &ClassifierSet, column: &str, values: &[&str]) -> Vec<ColumnFinding> {
    let mut s = set.column(column);
    for v in values {
        s.push(Some(v));
    }
    s.finish()
}

fn categories(f: &[ColumnFinding]) -> Vec<&str> {
    f.iter().map(|f| f.category.as_str()).collect()
}

#[test]
fn trim_matches_str_trim() {
    for v in [
        "a",
        " a ",
        "\ta\n",
        "\u{3000}张三\u{3000}",
        "a\u{3000}",
        "张",
        " ",
        "",
        "~x~",
        "张三 ",
        " 张三",
        "张三\u{3000}",
        "张\u{2003}",
        "张\u{85}",
        "a张",
        "张\n",
        // U+4E00..U+4FFF (lead byte E4) are ideographs too; U+4DC0 is not.
        "上海",
        "一",
        " 上海",
        "上海\u{2003}",
        "\u{4DC0}",
        "上\u{4DFF}",
        "\u{85}a\u{a0}",
        "\u{1680}a\u{205f}",
        "\u{2028}é\u{2029}",
        "\u{202f}\u{7f}\u{200a}",
        "\u{7f}\u{0}",
        "\u{80}\u{a0}\u{1680}\u{4e00}\u{9fff}\u{2000}",
        "\u{10ffff}",
    ] {
        assert_eq!(trim(v), v.trim(), "{v:?}");
    }
    // Every character at either end, beside visible ASCII.
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        for v in [format!("{c}a"), format!("a{c}"), format!("{c}")] {
            assert_eq!(trim(&v), v.trim(), "{v:?}");
        }
    }
}

#[test]
fn resident_ids_with_nulls() {
    let set = ClassifierSet::builtin();
    let mut rng = Rng(42);
    let ids: Vec<String> = (0..100).map(|_| synthetic_id(&mut rng)).collect();
    let mut s = set.column("customer_ref");
    for (i, id) in ids.iter().enumerate() {
        s.push(Some(id));
        if i % 7 < 3 {
            // ~30% nulls, in both spellings.
            s.push(None);
            s.push(Some("   "));
        }
    }
    let f = s.finish();
    assert_eq!(categories(&f), vec!["pi.cn_resident_id"], "{f:?}");
    let f = &f[0];
    assert!(f.confidence >= 0.9, "{f:?}");
    assert_eq!(f.matched, 100);
    assert_eq!(f.sampled, 100);
    assert_eq!(f.by, vec!["value"]);
    assert_eq!(f.evidence.len(), 3);
    for e in &f.evidence {
        assert!(!ids.contains(e), "raw id leaked: {e}");
        assert_eq!(e.chars().filter(|&c| c == '*').count(), 8);
    }
}

#[test]
fn ids_do_not_count_as_bank_cards() {
    let set = ClassifierSet::builtin();
    let mut rng = Rng(7);
    // Keep only IDs that also pass Luhn, the worst case for a conflict.
    let ids: Vec<String> = std::iter::repeat_with(|| synthetic_id(&mut rng))
        .filter(|id| luhn_valid(id))
        .take(20)
        .collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let f = scan(&set, "sfzh", &refs);
    assert_eq!(categories(&f), vec!["pi.cn_resident_id"]);
    assert_eq!(f[0].by, vec!["value", "column_name"]);
    assert_eq!(f[0].confidence, 1.0);
}

#[test]
fn phone_column_of_order_numbers_is_nothing() {
    let set = ClassifierSet::builtin();
    let mut rng = Rng(99);
    let orders: Vec<String> = (0..200)
        .map(|_| format!("2024{}{}", rng.digits(4), rng.digits(10)))
        .collect();
    let refs: Vec<&str> = orders.iter().map(String::as_str).collect();
    assert!(scan(&set, "phone", &refs).is_empty());
}

#[test]
fn look_alikes_produce_nothing() {
    let set = ClassifierSet::builtin();
    let mut rng = Rng(5);
    let timestamps: Vec<String> = (0..100)
        .map(|i| (1_700_000_000_000u64 + i * 1_234_567).to_string())
        .collect();
    let codes: Vec<String> = (0..90)
        .map(|i| format!("1{}{}", i % 3, rng.digits(9)))
        .collect();
    let uuids: Vec<String> = (0..50)
        .map(|_| {
            let h = format!("{:016x}{:016x}", rng.next(), rng.next());
            format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            )
        })
        .collect();
    let amounts: Vec<String> = (0..50)
        .map(|i| format!("{}.{:02}", 1000 + i * 37, i % 100))
        .collect();
    let skus: Vec<String> = (0..50).map(|i| format!("SKU-2024-{i:06}")).collect();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "created_ms",
            timestamps.iter().map(String::as_str).collect(),
        ),
        ("tel", codes.iter().map(String::as_str).collect()),
        ("id", uuids.iter().map(String::as_str).collect()),
        ("amount", amounts.iter().map(String::as_str).collect()),
        ("sku", skus.iter().map(String::as_str).collect()),
        (
            "company_name",
            vec![
                "北京星辰科技有限公司",
                "上海云帆网络科技有限公司",
                "深圳前海数据服务有限公司",
                "杭州西湖软件集团",
                "王记餐饮店",
                "李氏贸易公司",
                "中国建设银行",
            ],
        ),
        (
            "city",
            vec![
                "上海",
                "杭州市",
                "北京",
                "广州",
                "深圳",
                "成都",
                "武汉",
                "苏州",
                "郑州",
                "南京",
                "西安",
                "重庆",
                "天津",
                "长沙",
            ],
        ),
    ];
    for (column, values) in cases {
        let f = scan(&set, column, &values);
        assert!(f.is_empty(), "{column}: {f:?}");
    }
}

#[test]
fn empty_column_with_hint() {
    let set = ClassifierSet::builtin();
    let mut s = set.column("sfzh");
    s.push(None);
    s.push(Some(""));
    s.push(Some(" \t"));
    let f = s.finish();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].category, "pi.cn_resident_id");
    assert_eq!(f[0].confidence, 0.3);
    assert_eq!(f[0].by, vec!["column_name"]);
    assert_eq!((f[0].matched, f[0].sampled), (0, 0));
    assert!(f[0].evidence.is_empty());
    // No hint and no values: nothing.
    assert!(set.column("remark").finish().is_empty());
}

#[test]
fn hint_lowers_threshold_and_adds_bonus() {
    let set = ClassifierSet::builtin();
    // 40% phones, 60% free text.
    let mut values = vec!["13800138000", "13900139000", "15012345678", "18611112222"];
    values.extend(["暂无", "n/a", "unknown", "待补充", "-", "?"]);
    assert!(scan(&set, "remark", &values).is_empty());
    let f = scan(&set, "lxdh", &values);
    assert_eq!(categories(&f), vec!["pi.mobile_phone"]);
    assert_eq!(f[0].confidence, 0.75); // 0.5 + 0.5*0.4 + 0.05
    assert_eq!(f[0].matched, 4);
    assert_eq!(f[0].sampled, 10);
    assert_eq!(f[0].by, vec!["value", "column_name"]);
}

#[test]
fn evidence_is_masked_distinct_and_capped() {
    let set = ClassifierSet::builtin();
    let values = [
        "13800138000",
        "13800138000",
        "+86 139-0013-9000",
        "15000150000",
        "18600186000",
    ];
    let f = scan(&set, "mobile", &values);
    assert_eq!(f[0].category.as_str(), "pi.mobile_phone");
    assert_eq!(
        f[0].evidence,
        vec!["138****8000", "139****9000", "150****0000"]
    );
    for v in values {
        assert!(f[0].evidence.iter().all(|e| !e.contains(v)));
    }
}

#[test]
fn findings_sorted_and_serializable() {
    let set = ClassifierSet::builtin();
    let f = scan(
        &set,
        "mixed",
        &["13800138000", "13800138001", "a.b@example.com"],
    );
    assert_eq!(categories(&f), vec!["pi.mobile_phone"]);
    assert!(f.windows(2).all(|w| w[0].confidence >= w[1].confidence));
}

#[test]
fn tiny_tables_are_not_certain() {
    let set = ClassifierSet::builtin();
    let cap = |values: &[&str]| scan(&set, "xm", values)[0].confidence;
    assert_eq!(cap(&["张三"]), 0.75);
    assert_eq!(cap(&["张三", "李四"]), 0.88);
    assert_eq!(cap(&["张三", "李四", "王五", "赵六", "钱七"]), 0.95);
    let ten: Vec<String> = (0..10)
        .map(|i| format!("张{}", ["三", "四"][i % 2]))
        .collect();
    let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
    assert_eq!(cap(&ten), 1.0);
}

/// One positive column per built-in, under a neutral column name.
#[test]
fn every_builtin_detects_its_column() {
    let set = ClassifierSet::builtin();
    let cases: &[(&str, &[&str])] = &[
        (
            "pi.email",
            &[
                "zhang.san@example.com",
                "li.si@example.cn",
                "w5@example.org",
            ],
        ),
        (
            "pi.bank_card",
            &[
                "6222021234567890128",
                "4111 1111 1111 1111",
                "4111-1111-1111-1111",
            ],
        ),
        ("vehicle.vin", &["1M8GDM9AXKP042788", "1m8gdm9axkp042788"]),
        (
            "vehicle.license_plate",
            &["京A12345", "沪B·D12345", "粤B12345D", "苏E-1234学"],
        ),
        (
            "pi.name",
            &["张三", "王小明", "欧阳娜娜", "李娜", "阿依古丽·买买提"],
        ),
    ];
    for (want, values) in cases {
        let f = scan(&set, "col_a", values);
        assert_eq!(categories(&f), vec![*want], "{f:?}");
        // Two to five values: confident, but never certain.
        assert!((0.85..1.0).contains(&f[0].confidence), "{f:?}");
        for v in *values {
            assert!(f[0].evidence.iter().all(|e| e != v), "{want}: raw {v}");
        }
    }
}

#[test]
fn name_hint_needs_fewer_names() {
    let set = ClassifierSet::builtin();
    // Half names, half unknown placeholders.
    let values = [
        "张三",
        "王小明",
        "李娜",
        "赵四",
        "未知",
        "暂无",
        "不详",
        "待定",
    ];
    assert!(scan(&set, "col_a", &values).is_empty());
    let f = scan(&set, "customer_name", &values);
    assert_eq!(categories(&f), vec!["pi.name"]);
    assert_eq!(f[0].confidence, 0.8); // 0.5 + 0.5*0.5 + 0.05
    assert_eq!(f[0].evidence, vec!["张*", "王**", "李*"]);
    // A company-name column with the same values gets no hint bonus.
    assert!(scan(&set, "company_name", &values).is_empty());
}

#[test]
fn values_win_over_misleading_names() {
    let set = ClassifierSet::builtin();
    let f = scan(&set, "name", &["SKU-1", "SKU-2", "SKU-3"]);
    assert!(f.is_empty());
}

/// A classifier of one category id and value pattern that confirms every match (shared with
/// the prefilter's tests).
pub(super) struct Dummy(pub(super) &'static str, pub(super) &'static str);
impl Classifier for Dummy {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(self.0, "测试", "Test")
    }
    fn value_pattern(&self) -> Option<&str> {
        Some(self.1)
    }
    fn confirm(&self, _: &str) -> Option<f64> {
        Some(1.0)
    }
    fn column_hint(&self) -> Option<&str> {
        None
    }
    fn mask(&self, _: &str) -> String {
        "*".into()
    }
}

#[test]
fn builder_errors() {
    let err = ClassifierSet::builder()
        .builtins()
        .with(Box::new(Dummy("pi.mobile_phone", "x")))
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::DuplicateId { ref id } if id == "pi.mobile_phone"));
    let err = ClassifierSet::builder()
        .with(Box::new(Dummy("test.bad", "(")))
        .build()
        .unwrap_err();
    assert!(
        matches!(err, BuildError::ValuePattern { ref classifier, .. } if classifier == "test.bad")
    );
    assert!(err.to_string().contains("test.bad"));
}

#[test]
fn custom_classifier_runs_alongside_builtins() {
    let set = ClassifierSet::builder()
        .builtins()
        .with(Box::new(Dummy("test.digits", "[0-9]{11}")))
        .build()
        .unwrap();
    assert!(set.get("test.digits").is_some());
    // Not in the exclusive group: counts independently of the phone.
    let f = scan(&set, "x", &["13800138000"]);
    assert_eq!(categories(&f), vec!["pi.mobile_phone", "test.digits"]);
}

#[test]
fn ambiguous_values_follow_the_column() {
    let set = ClassifierSet::builtin();
    let mut rng = Rng(3);
    // Luhn-valid IDs among plain IDs: all go to the resident ID.
    let ids: Vec<String> = (0..40).map(|_| synthetic_id(&mut rng)).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let f = scan(&set, "c1", &refs);
    assert_eq!(categories(&f), vec!["pi.cn_resident_id"]);
    assert_eq!(f[0].matched, 40);
}

#[test]
fn name_driven_categories() {
    let set = ClassifierSet::builtin();
    // Binary template column: no values reach the engine.
    let f = set
        .column_typed("face_feature", &ColumnType::parse("Binary"))
        .finish();
    assert_eq!(categories(&f), vec!["pi.biometric"]);
    assert_eq!(f[0].confidence, 0.6);
    assert_eq!(f[0].by, vec!["column_name", "data_type"]);
    // Hash digests in a fingerprint column veto the verdict.
    let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    assert!(scan(&set, "fingerprint", &[sha, sha, sha]).is_empty());
    // Health from the name alone, with values, at 0.6.
    let f = scan(&set, "过敏史", &["青霉素", "无", "海鲜"]);
    assert_eq!(categories(&f), vec!["pi.health"]);
    assert_eq!(f[0].confidence, 0.6);
    assert_eq!(f[0].by, vec!["column_name"]);
    // Not for a count.
    assert!(
        set.column_typed("fingerprint_count", &ColumnType::parse("Int64"))
            .finish()
            .is_empty()
            || set
                .column_typed("fingerprint_count", &ColumnType::parse("Int64"))
                .finish()[0]
                .confidence
                <= 0.3
    );
}

#[test]
fn hint_gated_values() {
    let set = ClassifierSet::builtin();
    let dates = ["1990-05-17", "1985-11-02", "2001-01-30"];
    assert!(scan(&set, "order_date", &dates).is_empty());
    assert_eq!(
        categories(&scan(&set, "birthday", &dates)),
        vec!["pi.birth_date"]
    );
    let codes = ["1", "2", "2", "1"];
    assert!(scan(&set, "status", &codes).is_empty());
    assert_eq!(categories(&scan(&set, "xb", &codes)), vec!["pi.gender"]);
    let mut s = set.column_typed("lat", &ColumnType::parse("Float64"));
    for v in ["31.230416", "31.2291", "31.1987"] {
        s.push(Some(v));
    }
    let f = s.finish();
    assert_eq!(categories(&f), vec!["geo.coordinate"]);
    assert!(scan(&set, "price", &["31.230416", "31.2291", "31.1987"]).is_empty());
}

#[test]
fn empty_set_works() {
    let set = ClassifierSet::builder().build().unwrap();
    let mut s = set.column("phone");
    s.push(Some("13800138000"));
    assert_eq!(s.sampled(), 1);
    assert!(s.finish().is_empty());
}

/// Weak identifier forms in unnamed columns: found by the column's shape,
/// while codes of the same form that run in sequence or repeat are not.
#[test]
fn uniform_shape_column_evidence() {
    let set = ClassifierSet::builtin();
    let mut rng = Rng(7);
    let column = |prefix: &str, rng: &mut Rng, n: usize| -> Vec<String> {
        (0..n)
            .map(|_| format!("{prefix}{}", rng.digits(9 - prefix.len())))
            .collect()
    };
    let run = |col: &str, values: &[String]| {
        let v: Vec<&str> = values.iter().map(String::as_str).collect();
        scan(&set, col, &v)
    };
    for (prefix, want) in [
        ("E", "pi.passport"),
        ("G", "pi.passport"),
        ("CA", "pi.travel_permit"),
        ("C", "pi.travel_permit"),
        ("W", "pi.travel_permit"),
    ] {
        let values = column(prefix, &mut rng, 40);
        let f = run("col_x", &values);
        assert_eq!(categories(&f), vec![want], "{prefix}: {f:?}");
        assert_eq!(f[0].confidence, 0.8);
        assert_eq!(f[0].by, vec!["value", "uniform_shape"]);
        assert_eq!((f[0].matched, f[0].sampled), (40, 40));
        // A name gives the ordinary, more confident verdict.
        let named = run(
            if want == "pi.passport" {
                "hzhm"
            } else {
                "gatxz"
            },
            &values,
        );
        assert_eq!(named[0].by, vec!["value", "column_name"], "{prefix}");
        assert_eq!(named[0].confidence, 1.0);
    }
    // Too few values to say anything.
    assert!(run("col_x", &column("E", &mut rng, 6)).is_empty());
    // Order numbers: E + a running number.
    let seq: Vec<String> = (0..40)
        .map(|i| format!("E{:08}", 10_000_000 + i * 3))
        .collect();
    assert!(run("col_x", &seq).is_empty());
    // G + yymmdd + a counter.
    let dated: Vec<String> = (0..40)
        .map(|i| format!("G2405{:02}{:02}", 1 + i / 8, i % 8))
        .collect();
    assert!(run("col_x", &dated).is_empty());
    // A handful of codes repeated over many rows.
    let few = column("E", &mut rng, 5);
    let repeated: Vec<String> = (0..40).map(|i| few[i % 5].clone()).collect();
    assert!(run("col_x", &repeated).is_empty());
    // Two forms mixed: no single shape.
    let mut mixed = column("E", &mut rng, 20);
    mixed.extend(column("G", &mut rng, 20));
    assert!(run("col_x", &mixed).is_empty());
    // A tenth of the values are something else.
    let mut diluted = column("E", &mut rng, 36);
    diluted.extend((0..4).map(|i| format!("SKU-{i}")));
    assert!(run("col_x", &diluted).is_empty());
}
