//! A 9-prefixed foreign permanent-resident ID (外国人永久居留身份证) is a
//! resident ID to the classifier, so it must count as a person too. All
//! values are synthetic, with computed check characters.

use classifiers::validate::mod11_2_check_char;
use classifiers::{Classifier, ClassifierSet, ResidentId};
use persons::{ExactCounter, IdentifierKind::*, PersonKeyer};

/// `9`, accepting province 31, nationality code 156, born 1988-08-08,
/// sequence `seq`, GB 11643 check character.
fn permanent_resident_id(seq: u32) -> String {
    let body = format!("93115619880808{seq:03}");
    let c = mod11_2_check_char(body.as_bytes()).unwrap();
    format!("{body}{}", c as char)
}

#[test]
fn permanent_resident_ids_are_counted_as_persons() {
    let set = ClassifierSet::builtin();
    let ids: Vec<String> = (1..=3).map(permanent_resident_id).collect();
    let mut scan = set.column("zjhm");
    for id in &ids {
        scan.push(Some(id));
    }
    assert_eq!(scan.finish()[0].category, "pi.cn_resident_id");

    let keyer = PersonKeyer::from_hex(&"ab".repeat(32)).unwrap();
    let mut counter = ExactCounter::new();
    for id in &ids {
        assert!(ResidentId.confirm(id).is_some());
        // The same person written twice, once spaced.
        let spaced = format!("{} {}", &id[..6], &id[6..]);
        for raw in [id.as_str(), spaced.as_str()] {
            let key = keyer.key_raw(CnResidentId, raw).expect("a person key");
            counter.add_row(&[key]);
        }
    }
    assert_eq!(counter.distinct_persons(), 3);
}
