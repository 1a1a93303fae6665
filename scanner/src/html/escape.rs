//! Escaping: every string that comes from data (names, messages, evidence, configuration)
//! goes through [`esc`] before it enters the page, in text and in attribute values alike.

use std::fmt::Write;

/// `text` with `& < > " '` replaced by entities, safe in element content and quoted
/// attribute values. Control characters other than tab and newline are dropped: a name
/// taken from a source may hold them, and they have no business in a printed report.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A whole number with thousands separators: `12,345,678`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A number for an SVG coordinate: one decimal, no trailing `.0`.
pub fn coord(x: f64) -> String {
    let mut s = String::new();
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        let _ = write!(s, "{}", rounded as i64);
    } else {
        let _ = write!(s, "{rounded:.1}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(esc("客户表\u{1b}[31m"), "客户表[31m");
    }

    #[test]
    fn numbers_are_grouped_and_coordinates_short() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(12_345_678), "12,345,678");
        assert_eq!(coord(12.0), "12");
        assert_eq!(coord(12.345), "12.3");
    }
}
