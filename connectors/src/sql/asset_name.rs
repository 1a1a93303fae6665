//! Asset names of database tables: `schema.table`, quote-aware.
//!
//! Schema, database and table names may contain dots, so joining them with a dot is ambiguous:
//! `"s.x"."y"` and `s."x.y"` would both read `s.x.y`, and one of the two tables would never be
//! read. A part that contains a dot or a double quote (or is empty) is written in double quotes
//! with inner quotes doubled, as SQL writes identifiers; plain parts stay plain, so the names
//! people see almost always look as before.

/// `namespace.table`, each part quoted only when it has to be.
pub(crate) fn join(namespace: &str, table: &str) -> String {
    format!("{}.{}", part(namespace), part(table))
}

fn part(name: &str) -> String {
    if name.is_empty() || name.contains(['.', '"']) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_string()
    }
}

/// The (namespace, table) of a name made by [`join`]; `None` when it is not one.
pub(crate) fn split(name: &str) -> Option<(String, String)> {
    let (namespace, rest) = take_part(name)?;
    let rest = rest.strip_prefix('.')?;
    let (table, end) = take_part(rest)?;
    end.is_empty().then_some((namespace, table))
}

/// One part at the start of `s`: a quoted part, or plain text up to the first dot.
fn take_part(s: &str) -> Option<(String, &str)> {
    let Some(quoted) = s.strip_prefix('"') else {
        let end = s.find('.').unwrap_or(s.len());
        return (end > 0).then(|| (s[..end].to_string(), &s[end..]));
    };
    let mut out = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            out.push(c);
            continue;
        }
        if quoted[i + 1..].starts_with('"') {
            out.push('"');
            chars.next();
        } else {
            return Some((out, &quoted[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_names_no_longer_collide() {
        let a = join("s.x", "y");
        let b = join("s", "x.y");
        assert_eq!(a, "\"s.x\".y");
        assert_eq!(b, "s.\"x.y\"");
        assert_ne!(a, b);
        assert_eq!(split(&a), Some(("s.x".into(), "y".into())));
        assert_eq!(split(&b), Some(("s".into(), "x.y".into())));
    }

    #[test]
    fn plain_names_look_as_before_and_odd_ones_round_trip() {
        assert_eq!(join("public", "customers"), "public.customers");
        assert_eq!(
            split("public.customers"),
            Some(("public".into(), "customers".into()))
        );
        for (ns, t) in [("a\"b", "c"), ("", "t"), ("客户", "订单.2024"), ("x", "\"")] {
            assert_eq!(
                split(&join(ns, t)),
                Some((ns.to_string(), t.to_string())),
                "{ns} {t}"
            );
        }
        assert_eq!(split("nodot"), None);
        assert_eq!(split("\"open.t"), None);
        assert_eq!(split("a.b.c"), None, "a plain table part has no dot");
    }
}
