//! Person identifiers inside free text (service notes, chat messages, prompt logs), keyed at
//! once, and how the identifiers of one text are linked.
//!
//! # Linking
//!
//! A structured row names one person, so all its identifiers are linked. A text may name
//! several: `收货人电话 139…`, `帮我朋友订票，他的身份证 …`, a customer quoting a new number
//! beside the old one. A wrong link merges two persons for good (the count falls, and a
//! threshold can be missed); a missed link splits one person in two only until that person's
//! identifiers meet elsewhere — in a customer table, or in another message that names both.
//! So the identifiers of one text are linked only when the text names at most one identifier
//! of each kind (one ID and one phone: one person speaking of themself); a text naming two
//! distinct identifiers of one kind speaks of several persons, and each of its identifiers
//! stands alone. Text identifiers are never linked with the identifier columns of the row
//! (a note beside the buyer's phone is often about the recipient), nor with other text
//! columns of the row.

use classifiers::ClassifierSet;

use crate::{IdentifierKind, KeyRows, PersonKey, PersonKeyer};

/// Distinct identifiers kept per text at most; a text quoting more (a pasted list) links
/// none of them anyway, and the rest are still keyed one by one.
const MAX_GROUP: usize = 16;

/// Adds the person identifiers found in `text` to `out` as rows, linked as the module says:
/// one row holding them all, or one row per identifier. Only values the identifier's
/// classifier confirms in free text (resident ID with its check digit, mobile number,
/// e-mail) and that normalise as identifiers count; the raw tokens never leave this
/// function. Returns how many distinct keys the text gave.
pub fn text_keys_into(
    set: &ClassifierSet,
    keyer: &PersonKeyer,
    text: &str,
    out: &mut KeyRows,
) -> usize {
    let mut keys: Vec<PersonKey> = Vec::new();
    let mut overflow: Vec<PersonKey> = Vec::new();
    set.identifiers_in_text(
        text,
        |id| IdentifierKind::from_category_id(id.as_str()).is_some(),
        |id, token| {
            let Some(kind) = IdentifierKind::from_category_id(id.as_str()) else {
                return;
            };
            let Some(key) = keyer.key_raw(kind, token) else {
                return;
            };
            if keys.contains(&key) || overflow.contains(&key) {
                return;
            }
            if keys.len() < MAX_GROUP {
                keys.push(key);
            } else {
                overflow.push(key);
            }
        },
    );
    let several_of_a_kind = !overflow.is_empty()
        || IdentifierKind::ALL
            .into_iter()
            .any(|k| keys.iter().filter(|key| key.kind() == k).count() > 1);
    if several_of_a_kind {
        for key in keys.iter().chain(&overflow) {
            out.push_row(std::slice::from_ref(key));
        }
    } else {
        out.push_row(&keys);
    }
    keys.len() + overflow.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use classifiers::validate::mod11_2_check_char;

    fn id18(body17: &str) -> String {
        let c = mod11_2_check_char(body17.as_bytes()).unwrap();
        format!("{body17}{}", c as char)
    }

    fn rows(text: &str) -> Vec<Vec<PersonKey>> {
        let set = ClassifierSet::builtin();
        let keyer = PersonKeyer::new(&[9u8; 32]).unwrap();
        let mut out = KeyRows::new();
        text_keys_into(&set, &keyer, text, &mut out);
        out.iter().map(<[PersonKey]>::to_vec).collect()
    }

    #[test]
    fn one_identifier_of_each_kind_is_one_person() {
        let id = id18("11010519850307123");
        let r = rows(&format!(
            "您好，我的身份证号是{id}，手机 +86 139-0000-1234，麻烦改一下"
        ));
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].len(), 2);
        // The same phone twice (and written two ways) is one identifier.
        let r = rows("电话13900001234，再说一遍 139 0000 1234");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].len(), 1);
    }

    #[test]
    fn two_of_one_kind_link_nothing() {
        let id = id18("11010519850307123");
        let r = rows(&format!("本人{id}，电话13900001234，收货人电话13900005678"));
        assert_eq!(r.len(), 3, "each identifier alone: {r:?}");
        assert!(r.iter().all(|row| row.len() == 1));
    }

    #[test]
    fn invalid_and_absent_identifiers_give_nothing() {
        // A wrong check digit, an order number, a 12-digit phone.
        let mut bad = id18("11010519850307123").into_bytes();
        bad[17] = if bad[17] == b'1' { b'2' } else { b'1' };
        let bad = String::from_utf8(bad).unwrap();
        assert!(rows(&format!("证件{bad} 订单2024010100012345 电话139000012345")).is_empty());
        assert!(rows("没有任何号码的留言。").is_empty());
    }
}
