//! Free text: identifiers found inside longer values, and masking of what that search finds.

use super::{categories, scan, synthetic_id, Rng};
use crate::engine::ClassifierSet;
use crate::validate::luhn_valid;
use crate::{Classifier, ColumnType};

#[test]
fn free_text_finds_embedded_identifiers() {
    let set = ClassifierSet::builtin();
    let mut rng = Rng(11);
    let id = synthetic_id(&mut rng);
    let notes = [
        "请联系13812345678谢谢".to_owned(),
        "客户说明：周末送货，电话 139-0013-9000，邮箱 zhang.san@example.com".to_owned(),
        format!("{{\"sfzh\":\"{id}\",\"remark\":\"已核验\"}}"),
        "订单号2024050112345678901已发货，请注意查收".to_owned(),
        "编号A13812345678不是电话".to_owned(),
        "没有任何个人信息的备注，只是一段很长的说明文字而已。".to_owned(),
    ];
    let refs: Vec<&str> = notes.iter().map(String::as_str).collect();
    let f = scan(&set, "remark", &refs);
    let phone = f.iter().find(|f| f.category == "pi.mobile_phone").unwrap();
    assert_eq!(phone.by, vec!["free_text"]);
    assert_eq!((phone.matched, phone.sampled), (2, 6));
    assert!(phone.evidence.iter().all(|e| e.contains('*')));
    let email = f.iter().find(|f| f.category == "pi.email").unwrap();
    assert_eq!(email.matched, 1);
    let rid = f
        .iter()
        .find(|f| f.category == "pi.cn_resident_id")
        .unwrap();
    assert_eq!(rid.matched, 1);
    assert!(!rid.evidence.contains(&id));
    assert!(f.iter().all(|f| f.by == vec!["free_text"]), "{f:?}");
    assert_eq!(f.len(), 3, "{f:?}");
}

#[test]
fn digits_inside_longer_runs_are_not_phones() {
    let set = ClassifierSet::builtin();
    let values = [
        "流水号9913812345678000已处理",
        "订单20241381234567890完成",
        "code:X13812345678Y",
    ];
    assert!(scan(&set, "remark", &values).is_empty());
}

#[test]
fn numeric_columns_are_not_free_text() {
    let set = ClassifierSet::builtin();
    let mut s = set.column_typed("note", &ColumnType::parse("Int64"));
    for _ in 0..5 {
        s.push(Some("请联系13812345678谢谢"));
    }
    assert!(s.finish().is_empty());
}

#[test]
fn mask_identifiers_masks_what_free_text_search_confirms() {
    let set = ClassifierSet::builtin();
    let id = synthetic_id(&mut Rng(29));
    let name = format!("客户_{id}_13812345678.csv");
    let masked = set.mask_identifiers(&name, |_| true);
    assert!(!masked.contains(&id), "{masked}");
    assert!(!masked.contains("13812345678"), "{masked}");
    assert_eq!(
        masked,
        format!(
            "客户_{}_138****5678.csv",
            crate::builtin::ResidentId.mask(&id)
        ),
        "the rest of the name stays"
    );
    // Digits that validate as nothing, and identifiers the selection leaves out, stay.
    let plain = "orders_2024_0001.csv";
    assert!(matches!(
        set.mask_identifiers(plain, |_| true),
        std::borrow::Cow::Borrowed(_)
    ));
    let message = format!("value {id} is out of range; call 13812345678");
    let only_phones = set.mask_identifiers(&message, |c| c == "pi.mobile_phone");
    assert!(only_phones.contains(&id) && !only_phones.contains("13812345678"));
    // Masked output is stable: masking it again changes nothing.
    assert_eq!(set.mask_identifiers(&masked, |_| true), masked);
}

#[test]
fn identifiers_in_text_yields_what_masking_would_mask() {
    let set = ClassifierSet::builtin();
    let id = synthetic_id(&mut Rng(31));
    let text = format!("我的身份证{id}，手机 138 1234 5678，订单号 20240101000123");
    let mut found = Vec::new();
    set.identifiers_in_text(&text, |_| true, |c, t| found.push((c.to_string(), t)));
    assert_eq!(
        found,
        [
            ("pi.cn_resident_id".to_string(), id.as_str()),
            ("pi.mobile_phone".to_string(), "138 1234 5678")
        ]
    );
    let mut phones = 0;
    set.identifiers_in_text(&text, |c| c == "pi.mobile_phone", |_, _| phones += 1);
    assert_eq!(phones, 1);
}

/// Short field values among the notes of a text column do not add up to a
/// free-text finding; a note that is all address does.
#[test]
fn free_text_rows_count_prose_values_only() {
    let set = ClassifierSet::builtin();
    let long = "客户要求周末送货，不要提前打电话，到了以后放在门卫处即可，谢谢配合。";
    let mut s = set.column("remark");
    for _ in 0..8 {
        s.push(Some(long));
    }
    s.push(Some("王伟"));
    s.push(Some("李娜"));
    assert_eq!(s.finish(), vec![]);

    let mut s = set.column("remark");
    for _ in 0..8 {
        s.push(Some(long));
    }
    s.push(Some("北京市朝阳区建国路93号院 2单元"));
    s.push(Some("上海市浦东新区张江路88号 3栋"));
    let f = s.finish();
    assert_eq!(categories(&f), vec!["pi.address"], "{f:?}");
    assert_eq!((f[0].matched, f[0].by.clone()), (2, vec!["free_text"]));
}

/// A value confirmed as one identifier that holds no other is not searched again as free
/// text: the digits after a coordinate's decimal point are no bank card, however they
/// happen to check, and a plate column is plates only.
#[test]
fn values_of_one_identifier_are_not_searched_as_text() {
    let set = ClassifierSet::builtin();
    // Sixteen fraction digits that pass Luhn, as a card number would.
    let fraction = "6222020000000007";
    assert!(luhn_valid(fraction));
    let pairs: Vec<String> = (0..20)
        .map(|i| format!("121.{fraction},31.{}", 230_000 + i))
        .collect();
    let pairs: Vec<&str> = pairs.iter().map(String::as_str).collect();
    let f = scan(&set, "location", &pairs);
    assert_eq!(categories(&f), vec!["geo.coordinate"], "{f:?}");
    assert_eq!(f[0].matched, 20);

    let plates = ["京A12345", "沪B·6789C", "粤B1234挂", "浙AD12345"];
    let f = scan(&set, "c", &plates);
    assert_eq!(categories(&f), vec!["vehicle.license_plate"], "{f:?}");
    assert_eq!((f[0].matched, f[0].by.clone()), (4, vec!["value"]), "{f:?}");
}
