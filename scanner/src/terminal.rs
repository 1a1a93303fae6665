//! Text from sources printed on a terminal.
//!
//! Table, column and file names are whatever the source's owner wrote, and a name with an
//! escape sequence in it would recolour the terminal, rewrite its title or hide the lines
//! before it. Wherever mulu prints such text, control characters (C0, DEL, C1) and the
//! bidirectional overrides that reorder what is shown are written out as `\u{..}` instead.
//! Reports and exports keep the names as they are (JSON and xlsx escape them themselves).

use std::borrow::Cow;
use std::fmt::Write as _;

use model::ScanReport;

/// Whether `c` changes what a terminal shows rather than being shown.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character written as `\u{..}`.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape`] for a whole printed block: line breaks stay line breaks.
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escape).collect();
    Cow::Owned(lines.join("\n"))
}

/// A copy of `report` with every name and message escaped, for printing a table of it.
pub fn escaped_report(report: &ScanReport) -> ScanReport {
    let mut shown = report.clone();
    let fix = |s: &mut String| {
        if let Cow::Owned(e) = escape(s) {
            *s = e;
        }
    };
    for source in &mut shown.sources {
        fix(&mut source.url);
        source.error.iter_mut().for_each(fix);
    }
    for asset in &mut shown.assets {
        fix(&mut asset.source);
        fix(&mut asset.name);
        asset.error.iter_mut().for_each(fix);
        asset.warnings.iter_mut().for_each(fix);
        asset.partition_columns.iter_mut().for_each(fix);
        asset.columns.iter_mut().for_each(|c| fix(&mut c.name));
        asset
            .categories
            .iter_mut()
            .for_each(|c| c.columns.iter_mut().for_each(fix));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters_and_bidi_overrides() {
        assert_eq!(escape("t\u{1b}[31mred\u{7}"), "t\\u{1b}[31mred\\u{7}");
        assert_eq!(escape("a\u{202E}b\nc"), "a\\u{202e}b\\u{a}c");
        assert!(matches!(escape("客户表 orders"), Cow::Borrowed(_)));
        assert_eq!(
            escape_lines("a\u{1b}]0;x\u{7}\nb\n"),
            "a\\u{1b}]0;x\\u{7}\nb\n"
        );
    }
}
