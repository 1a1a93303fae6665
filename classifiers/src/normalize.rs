//! Column-name normalisation for hint matching.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Upper,
    Lower,
    Digit,
    /// Non-ASCII letter or digit (CJK and other scripts); kept as is.
    Wide,
    Sep,
}

fn kind(c: char) -> Kind {
    if c.is_ascii_uppercase() {
        Kind::Upper
    } else if c.is_ascii_lowercase() {
        Kind::Lower
    } else if c.is_ascii_digit() {
        Kind::Digit
    } else if !c.is_ascii() && c.is_alphanumeric() {
        Kind::Wide
    } else {
        Kind::Sep
    }
}

/// Normalises a column name so that column hints can match whole tokens.
///
/// * ASCII letters are lower-cased; camelCase and PascalCase are split
///   (`idCard` → `id_card`, `IDCardNo` → `id_card_no`).
/// * Boundaries between letters and digits, and between ASCII and non-ASCII
///   (e.g. CJK) runs, become `_` (`phone2` → `phone_2`, `user身份证` →
///   `user_身份证`).
/// * Every other character (space, `-`, `.`, `/`, full-width punctuation …)
///   is a separator and becomes `_`; runs of separators collapse to one and
///   leading/trailing separators are dropped.
/// * CJK characters are kept unchanged.
///
/// ```
/// use classifiers::normalize_column_name;
/// assert_eq!(normalize_column_name("Customer.MobilePhone"), "customer_mobile_phone");
/// assert_eq!(normalize_column_name("  ID-Card No "), "id_card_no");
/// assert_eq!(normalize_column_name("客户 身份证号"), "客户_身份证号");
/// ```
pub fn normalize_column_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev = Kind::Sep;
    for (i, &c) in chars.iter().enumerate() {
        let cur = kind(c);
        if cur == Kind::Sep {
            push_sep(&mut out);
            prev = cur;
            continue;
        }
        let next = chars.get(i + 1).map(|&n| kind(n)).unwrap_or(Kind::Sep);
        let is_letter = |k: Kind| matches!(k, Kind::Upper | Kind::Lower);
        let boundary = match (prev, cur) {
            (Kind::Sep, _) => false,
            (Kind::Lower, Kind::Upper) => true,
            (Kind::Upper, Kind::Upper) => next == Kind::Lower,
            (p, Kind::Digit) if is_letter(p) => true,
            (Kind::Digit, c) if is_letter(c) => true,
            (Kind::Wide, Kind::Wide) => false,
            (Kind::Wide, _) | (_, Kind::Wide) => true,
            _ => false,
        };
        if boundary {
            push_sep(&mut out);
        }
        out.push(c.to_ascii_lowercase());
        prev = cur;
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

fn push_sep(out: &mut String) {
    if !out.is_empty() && !out.ends_with('_') {
        out.push('_');
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_column_name as n;

    #[test]
    fn camel_and_acronyms() {
        assert_eq!(n("idCard"), "id_card");
        assert_eq!(n("IDCard"), "id_card");
        assert_eq!(n("IdCardNo"), "id_card_no");
        assert_eq!(n("userIDNumber"), "user_id_number");
        assert_eq!(n("SFZH"), "sfzh");
        assert_eq!(n("xm"), "xm");
    }

    #[test]
    fn separators_and_digits() {
        assert_eq!(n("phone 2"), "phone_2");
        assert_eq!(n("phone2"), "phone_2");
        assert_eq!(n("e-mail"), "e_mail");
        assert_eq!(n("t.card__no"), "t_card_no");
        assert_eq!(n("__x__"), "x");
        assert_eq!(n(""), "");
        assert_eq!(n("---"), "");
    }

    #[test]
    fn cjk_is_kept() {
        assert_eq!(n("姓名"), "姓名");
        assert_eq!(n("客户（姓名）"), "客户_姓名");
        assert_eq!(n("user身份证"), "user_身份证");
        assert_eq!(n("手机号1"), "手机号_1");
    }
}
