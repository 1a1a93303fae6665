use crate::{ids, CategoryInfo, Classifier, PersonKeyBuf, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"E-mail address (电子邮箱).

## What it detects

Addresses of the form `local@domain.tld`: a local part of 1–64 characters
(letters, digits and ``.!#$%&'*+/=?^_`{|}~-``, no leading, trailing or
doubled dot), a domain of at least two dot-separated labels (letters,
digits and inner hyphens, at most 63 characters each, 253 in total) and an
alphabetic top-level domain of two or more letters (or a `xn--` IDN label).
Non-ASCII letters are accepted in both parts.

Addresses embedded in free text and JSON strings are found as well.

## Why it matters

Personal mailboxes identify and reach a person and are listed among network
identifiers in the PI examples of GB/T 35273, so they are personal
information under the PIPL.

## Examples

* `zhang.san@example.com`, `li_si+news@mail.example.cn`
* Rejected: `user@localhost`, `a@b.c`, `.x@example.com`,
  `x..y@example.com`, `name@-bad-.com`.
* Evidence is masked as `z***@example.com`.

## Known false positives

* Role and system mailboxes (`noreply@…`, `admin@…`) are not personal but
  are detected all the same.
* Strings that merely look like addresses, such as `user@host.local` in
  configuration values or some package identifiers.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct EmailAddress;

fn local_ok(local: &str) -> bool {
    let n = local.chars().count();
    if n == 0 || n > 64 || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    local.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || ".!#$%&'*+/=?^_`{|}~-".contains(c)
            || (!c.is_ascii() && c.is_alphanumeric())
    })
}

fn domain_ok(domain: &str) -> bool {
    if domain.len() > 253 {
        return false;
    }
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        let n = label.chars().count();
        if n == 0 || n > 63 || label.starts_with('-') || label.ends_with('-') {
            return false;
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return false;
        }
        labels += 1;
        last = label;
    }
    let tld_ok = last.starts_with("xn--")
        || (last.chars().count() >= 2 && last.chars().all(char::is_alphabetic));
    labels >= 2 && tld_ok
}

/// Classes of ASCII bytes in an address, as bits: a table, as every byte
/// of every candidate is looked at.
const LOCAL: u8 = 1;
const LABEL: u8 = 2;
const CLASSES: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut class = 0;
        if c.is_ascii_alphanumeric() || c == b'-' {
            class = LOCAL | LABEL;
        } else {
            let specials = b".!#$%&'*+/=?^_`{|}~";
            let mut i = 0;
            while i < specials.len() {
                if specials[i] == c {
                    class = LOCAL;
                }
                i += 1;
            }
        }
        t[b] = class;
        b += 1;
    }
    t
};

fn class(c: u8) -> u8 {
    CLASSES.get(usize::from(c)).copied().unwrap_or(0)
}

/// [`local_ok`] for ASCII (most addresses): bytes are characters, so one
/// pass over them, by table, instead of several over decoded characters.
fn ascii_local_ok(local: &[u8]) -> bool {
    let n = local.len();
    if !(1..=64).contains(&n) || local[0] == b'.' || local[n - 1] == b'.' {
        return false;
    }
    let mut prev = 0;
    for &c in local {
        if class(c) & LOCAL == 0 || (c == b'.' && prev == b'.') {
            return false;
        }
        prev = c;
    }
    true
}

/// [`domain_ok`] for ASCII, in one pass over the bytes.
fn ascii_domain_ok(domain: &[u8]) -> bool {
    if domain.len() > 253 {
        return false;
    }
    let label_ok =
        |l: &[u8]| !l.is_empty() && l.len() <= 63 && l[0] != b'-' && l[l.len() - 1] != b'-';
    let (mut labels, mut start) = (0, 0);
    for (i, &c) in domain.iter().enumerate() {
        if c == b'.' {
            if !label_ok(&domain[start..i]) {
                return false;
            }
            labels += 1;
            start = i + 1;
        } else if class(c) & LABEL == 0 {
            return false;
        }
    }
    let last = &domain[start..];
    if !label_ok(last) {
        return false;
    }
    let tld_ok =
        last.starts_with(b"xn--") || (last.len() >= 2 && last.iter().all(u8::is_ascii_alphabetic));
    labels >= 1 && tld_ok
}

impl Classifier for EmailAddress {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::EMAIL, "电子邮箱", "E-mail address")
            .personal("个人基本资料")
            .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(r"[^\s@]+@[^\s@]+\.[^\s@]+")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        // A byte search: `@` is ASCII, and `split_once` costs more on values this short.
        let at = value.bytes().position(|b| b == b'@')?;
        let (local, domain) = (&value[..at], &value[at + 1..]);
        // The ASCII checks first, with no pass to tell an ASCII value: they
        // fail on any other byte (its class is 0), and only then is the
        // value looked at as Unicode.
        let ok = (ascii_local_ok(local.as_bytes()) && ascii_domain_ok(domain.as_bytes()))
            || (!value.is_ascii() && local_ok(local) && domain_ok(domain));
        ok.then_some(1.0)
    }

    /// The trimmed address with ASCII letters lower-cased. Looser than
    /// [`confirm`](Classifier::confirm) on purpose: internationalised
    /// addresses (`测试@例子.中国`) still identify one person.
    fn person_key_into(&self, value: &str, out: &mut PersonKeyBuf) -> bool {
        let Some(address) = key_address(value) else {
            return false;
        };
        out.clear();
        address.bytes().all(|b| out.push(b.to_ascii_lowercase()))
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        self.confirm(token)
    }

    fn column_hint(&self) -> Option<&str> {
        Some("e_?mail(?:_addr|_address)?|mail|mail_addr|mail_address|youxiang|dzyx|邮箱|电子邮件|邮件地址")
    }

    fn mask(&self, value: &str) -> String {
        // The first `@` by bytes: a char searcher costs more than the rest.
        match value.bytes().position(|b| b == b'@') {
            Some(at) => {
                let (local, domain) = (&value[..at], &value[at + 1..]);
                // Pieces pushed, not formatted: a column of one domain masks
                // every value alike, so the mask runs for each of them.
                let first = local.chars().next().map_or(0, char::len_utf8);
                let mut out = String::with_capacity(first + 4 + domain.len());
                out.push_str(&local[..first]);
                out.push_str("***@");
                out.push_str(domain);
                out
            }
            None => "***".to_owned(),
        }
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

/// The trimmed address if it can be a person key (see
/// [`Classifier::person_key_into`]).
fn key_address(value: &str) -> Option<&str> {
    /// RFC 5321: an address is at most 254 octets.
    const MAX_LEN: usize = 254;
    let s = value.trim();
    if s.is_empty() || s.len() > MAX_LEN {
        return None;
    }
    let (local, domain) = s.split_once('@')?;
    let bad = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '@' | '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '"' | '\\'
            )
    };
    if local.is_empty() || local.len() > 64 || local.chars().any(bad) || domain.chars().any(bad) {
        return None;
    }
    let mut labels = 0;
    for label in domain.split('.') {
        if label.is_empty() || label.starts_with('-') || label.ends_with('-') {
            return None;
        }
        labels += 1;
    }
    let tld = domain.rsplit('.').next().unwrap_or("");
    if labels < 2 || tld.chars().count() < 2 || tld.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_addresses() {
        for v in [
            "zhang.san@example.com",
            "li_si+news@mail.example.cn",
            "a1@example.org",
            "o'brien@example.co.uk",
            "用户@例子.中国",
            "x@xn--fiqs8s.xn--fiqs8s",
        ] {
            assert_eq!(EmailAddress.confirm(v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn rejects_non_addresses() {
        for v in [
            "user@localhost",
            "a@b.c",
            ".x@example.com",
            "x.@example.com",
            "x..y@example.com",
            "name@-bad-.com",
            "name@example..com",
            "name@example.c0m",
            "@example.com",
            "name@",
            "name example@example.com",
            "a@b@example.com",
        ] {
            assert_eq!(EmailAddress.confirm(v), None, "{v}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(EmailAddress.confirm(&long_local), None);
    }

    #[test]
    fn ascii_checks_agree_with_the_char_checks() {
        let parts = [
            "",
            ".",
            "..",
            "a",
            "a.b",
            ".a",
            "a.",
            "a..b",
            "-a",
            "a-",
            "xn--p1ai",
            "com",
            "c",
            "a_b",
            "a+b",
            "A1",
            "1",
            "x y",
            "a~b",
            "ex-ample",
            "a!b",
            "a\"b",
            "a(b",
            "a\u{7f}b",
            "a/b",
            "a`b{c}",
            "xn--",
            "ab",
            &"a".repeat(63),
            &"a".repeat(64),
            &"a".repeat(65),
        ];
        for p in parts {
            assert_eq!(ascii_local_ok(p.as_bytes()), local_ok(p), "{p:?}");
            for q in parts {
                let d = format!("{p}.{q}");
                assert_eq!(ascii_domain_ok(d.as_bytes()), domain_ok(&d), "{d:?}");
            }
            assert_eq!(ascii_domain_ok(p.as_bytes()), domain_ok(p), "{p:?}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(
            EmailAddress.mask("zhang.san@example.com"),
            "z***@example.com"
        );
        assert_eq!(EmailAddress.mask("用户@例子.中国"), "用***@例子.中国");
    }
}
