//! Free text: identifiers embedded in remarks and JSON strings, found by
//! cutting candidate tokens out of prose and confirming them one by one.

use std::borrow::Cow;

use super::set::ClassifierSet;
use crate::CategoryId;

use super::evidence::Evidence;
use super::prefilter::Hits;
use super::scan::ColumnScan;
use super::tokens::TOKENS;

/// A value longer than this (in characters) counts as free text.
pub(super) const FREE_TEXT_MIN_CHARS: usize = 40;
/// Free-text candidates shorter than this (in bytes) are not checked.
const MIN_TOKEN_BYTES: usize = 6;
/// The fewest consecutive ASCII bytes in a token of [`MIN_TOKEN_BYTES`]:
/// a plate (`京A·12345`) has five after its Han character and dot, every
/// other [`TOKEN_PATTERN`] alternative is all ASCII. A value without such a
/// run (most addresses and notes) has no token worth cutting out.
pub(super) const MIN_TOKEN_ASCII_RUN: usize = 5;
/// Digit groups of one token tried as separate candidates at most.
const MAX_TOKEN_GROUPS: usize = 12;

/// The e-mail alternative of [`TOKEN_PATTERN`], the only one that needs an `@`.
macro_rules! token_email {
    () => {
        r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
    };
}

/// The alternatives of [`TOKEN_PATTERN`] after the e-mail one.
macro_rules! token_others {
    () => {
        concat!(
            // Licence plate.
            r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-Za-z][·•]?[A-Za-z0-9]{5,6}[挂学警港澳]?",
            // Dotted IPv4.
            r"|[0-9]{1,3}(?:\.[0-9]{1,3}){3}",
            // Colon-separated hex: IPv6, MAC.
            r"|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}",
            // Hyphen-separated MAC.
            r"|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}",
            // A run of letters and digits, optionally after +86 and followed by
            // digit groups (`138 0013 8000`, `4111-1111-1111-1111`, `…002X`).
            r"|(?:\+86[ \-]?)?[A-Za-z0-9]+(?:[ \-][0-9]+[Xx]?)*",
        )
    };
}

/// Candidate tokens in free text, found in one pass per value. The
/// alternatives are ordered so that, at one start position, the more
/// specific shape wins; every alternative is maximal, so a match never ends
/// inside a longer run of letters and digits. Boundaries are checked after
/// the match (the regex crate has no look-around).
pub(super) const TOKEN_PATTERN: &str = concat!(token_email!(), "|", token_others!());

/// [`TOKEN_PATTERN`] without its e-mail alternative: the same tokens in a
/// value without an `@`, where that alternative cannot match (and its
/// `[A-Za-z0-9._%+\-]+` would otherwise keep every walk going to the next
/// character outside it).
pub(super) const TOKEN_PATTERN_NO_AT: &str = token_others!();

#[derive(Default)]
pub(super) struct FreeTextStat {
    /// Rows with at least one confirmed token.
    pub(super) rows: u64,
    /// Row number of the last hit, so a row counts once.
    pub(super) last_row: Option<u64>,
    pub(super) evidence: Evidence,
}

impl FreeTextStat {
    /// Counts a hit in `row` (once per row), offering its mask as evidence.
    pub(super) fn add(&mut self, row: u64, masked: impl FnOnce() -> String) {
        if self.last_row != Some(row) {
            self.last_row = Some(row);
            self.rows += 1;
        }
        self.evidence.offer(masked);
    }
}

/// Cuts candidate tokens out of `value` in one pass of [`TOKEN_PATTERN`] and offers each byte
/// range to `claim`, which says whether it was an identifier. A token shorter than
/// [`MIN_TOKEN_BYTES`] is skipped (both callers check no shorter candidate), as is one whose
/// neighbours are ASCII letters or digits (it is part of a longer run); an unclaimed token made
/// of digit groups written apart (`订单 2024 13800138000`) offers its longest runs of adjacent
/// groups, left to right. Shared by column scans and [`ClassifierSet::mask_identifiers`], so
/// what a scan finds in a remark is what masking finds in a message.
fn candidates(value: &str, mut claim: impl FnMut(usize, usize) -> bool) {
    let bytes = value.as_bytes();
    TOKENS.each(value, |start, end| {
        // Too short to be checked, and so are its groups.
        if end - start < MIN_TOKEN_BYTES {
            return;
        }
        let m = &value[start..end];
        // The neighbours as bytes: a non-ASCII character's bytes are none
        // of a letter, a digit or a dot, as the character is none either.
        let before = start.checked_sub(1).map(|p| bytes[p]);
        let after = bytes.get(end).copied();
        let bad_neighbour = |c: Option<u8>, beyond: Option<u8>| match c {
            Some(c) if c.is_ascii_alphanumeric() => true,
            // `1.2.3.4.5` is not an address.
            Some(b'.') => {
                m.contains('.') && !m.contains('@') && beyond.is_some_and(|b| b.is_ascii_digit())
            }
            _ => false,
        };
        let beyond_before = start.checked_sub(2).map(|p| bytes[p]);
        let beyond_after = bytes.get(end + 1).copied();
        // A plate starts with a Han character; anything may precede it.
        let plate = !bytes[start].is_ascii();
        if (!plate && bad_neighbour(before, beyond_before)) || bad_neighbour(after, beyond_after) {
            return;
        }
        if claim(start, end) {
            return;
        }
        // One group (no separator): nothing shorter to try.
        if !separated(m) {
            return;
        }
        let mut spans = [(0, 0); MAX_TOKEN_GROUPS];
        let Some(groups) = group_spans(m, &mut spans).filter(|g| g.len() >= 2) else {
            return;
        };
        let mut g = 0;
        while g < groups.len() {
            let mut next = g + 1;
            for h in (g..groups.len()).rev() {
                if g == 0 && h == groups.len() - 1 {
                    continue; // the whole token, tried above
                }
                if claim(start + groups[g].0, start + groups[h].1) {
                    next = h + 1;
                    break;
                }
            }
            g = next;
        }
    });
}

impl ClassifierSet {
    /// Offers every identifier that a free-text classifier of a `select`ed category confirms
    /// in `text` to `found`, with its classifier's index and byte range: the same tokens and
    /// checks as a column scan's free-text search. A token goes to the first selected
    /// classifier that confirms it.
    fn each_identifier(
        &self,
        text: &str,
        mut select: impl FnMut(&CategoryId) -> bool,
        mut found: impl FnMut(usize, usize, usize),
    ) {
        let mut scratch = self.prefilter.scratch();
        candidates(text, |start, end| {
            let token = &text[start..end];
            if token.len() < MIN_TOKEN_BYTES || !scratch.matches(token, self.token_patterns) {
                return false;
            }
            for pattern in scratch.hits.iter() {
                let i = self.pattern_owner[pattern];
                if select(&self.ids[i])
                    && self.classifiers[i]
                        .confirm_free_text(token)
                        .is_some_and(|w| w > 0.0)
                {
                    found(i, start, end);
                    return true;
                }
            }
            false
        });
    }

    /// Calls `found` with the category and text of every identifier of a `select`ed category
    /// in `text` (a chat message, a service note), in order: what a column scan's free-text
    /// search would count. The person count uses it to key the identifiers in prose; the
    /// tokens are the caller's to protect (mask or key them, never store them).
    pub fn identifiers_in_text<'t>(
        &self,
        text: &'t str,
        select: impl FnMut(&CategoryId) -> bool,
        mut found: impl FnMut(&CategoryId, &'t str),
    ) {
        self.each_identifier(text, select, |i, start, end| {
            found(&self.ids[i], &text[start..end]);
        });
    }

    /// `text` with every identifier that a free-text classifier confirms in it replaced by
    /// that classifier's mask (`客户_110105********002X.csv`), for names and messages that
    /// leave mulu: the same tokens and checks as a column scan's free-text search, so nothing
    /// is masked that a scan would not call an identifier, and the rest of the text stays
    /// readable. `select` picks the categories to mask (e.g. only personal information).
    pub fn mask_identifiers<'t>(
        &self,
        text: &'t str,
        select: impl FnMut(&CategoryId) -> bool,
    ) -> Cow<'t, str> {
        let mut masked: Vec<(usize, usize, String)> = Vec::new();
        self.each_identifier(text, select, |i, start, end| {
            masked.push((start, end, self.classifiers[i].mask(&text[start..end])));
        });
        if masked.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end, mask) in masked {
            out.push_str(&text[at..start]);
            out.push_str(&mask);
            at = end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }
}

impl ColumnScan<'_> {
    /// Searches one value for embedded identifiers: one token pass, then the
    /// shared prefilter and [`Classifier::confirm_free_text`] per token.
    /// `value_hits`: the whole value's prefilter hits, if known. Whether any
    /// token confirmed.
    pub(super) fn search_free_text(
        &mut self,
        value: &str,
        row: u64,
        value_hits: Option<u64>,
    ) -> bool {
        #[cfg(not(test))]
        let lone_as_any = false;
        #[cfg(test)]
        let lone_as_any = self.lone_as_any;
        let mut any = false;
        candidates(value, |start, end| {
            let lone = end - start == value.len() && !lone_as_any;
            let claimed = self.try_token(&value[start..end], row, value_hits.filter(|_| lone));
            any |= claimed;
            claimed
        });
        any
    }

    /// Checks one free-text candidate. Returns whether anything confirmed.
    /// `lone_hits`: for a token that is the whole value (a plate in a text
    /// column), the whole value's prefilter hits.
    fn try_token(&mut self, token: &str, row: u64, lone_hits: Option<u64>) -> bool {
        if token.len() < MIN_TOKEN_BYTES {
            return false;
        }
        let patterns = self.set.token_patterns;
        // A lone token's hits are the whole value's, if the value's search
        // wanted every token pattern: no second prefilter run.
        let known = lone_hits
            .filter(|_| patterns & !self.value_patterns == 0)
            .map(|hits| hits & patterns);
        let any = match known {
            Some(hits) => self.scratch.hits.set_low(hits),
            None => self.scratch.matches(token, patterns),
        };
        if !any {
            return false;
        }
        // Nobody asks what a lone token confirmed if it has no separators (no
        // shorter groups of it are tried): classifiers that counted the whole
        // value need not check it.
        let unasked = lone_hits.is_some() && !separated(token);
        let hits = std::mem::take(&mut self.scratch.hits);
        let claimed = self.confirm_token(token, row, &hits, unasked);
        self.scratch.hits = hits;
        claimed
    }

    /// [`try_token`](Self::try_token) for a token that passed the prefilter.
    /// `unasked`: the answer is not used, so a check that could only change
    /// the answer is skipped.
    fn confirm_token(&mut self, token: &str, row: u64, hits: &Hits, unasked: bool) -> bool {
        let set = self.set;
        let mut claimed = false;
        let mut any = false;
        for pattern in hits.iter() {
            let i = set.pattern_owner[pattern];
            let exclusive = set.exclusive[i].is_some();
            if exclusive && claimed {
                continue;
            }
            // Confirmed or not, the token would count nowhere (the whole
            // value counted) and hide nothing (only exclusive claims do).
            if unasked && !exclusive && self.tallies[i].whole_mark == row {
                continue;
            }
            let classifier = &set.classifiers[i];
            if !classifier.confirm_free_text(token).is_some_and(|w| w > 0.0) {
                continue;
            }
            claimed |= exclusive;
            any = true;
            // The whole value already counted for this classifier.
            let tally = &mut self.tallies[i];
            if tally.whole_mark == row {
                continue;
            }
            tally.ft.add(row, || classifier.mask(token));
        }
        any
    }
}

/// Whether a token has digit groups written apart (a space or a hyphen).
/// Eight bytes at a time (the last eight overlapping), as it runs for
/// every unclaimed token.
fn separated(token: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether some byte of `w` is 0 (exact as a yes or no).
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH != 0;
    let has =
        |w: u64| has_zero(w ^ (u64::from(b' ') * ONES)) || has_zero(w ^ (u64::from(b'-') * ONES));
    let bytes = token.as_bytes();
    let Some(last) = bytes.last_chunk::<8>() else {
        return bytes.iter().any(|&b| b == b' ' || b == b'-');
    };
    let mut words = bytes.chunks_exact(8);
    words.any(|w| has(u64::from_le_bytes(w.try_into().expect("eight bytes"))))
        || (!words.remainder().is_empty() && has(u64::from_le_bytes(*last)))
}

/// Byte spans of the letter/digit groups of a token, split at spaces and
/// hyphens (a leading `+86` stays with its group), in `spans`: no allocation
/// per token. `None` for more than [`MAX_TOKEN_GROUPS`] groups.
fn group_spans<'s>(
    token: &str,
    spans: &'s mut [(usize, usize); MAX_TOKEN_GROUPS],
) -> Option<&'s [(usize, usize)]> {
    let mut n = 0;
    let mut start = None;
    for (p, b) in token.bytes().enumerate().chain([(token.len(), b' ')]) {
        if b == b' ' || b == b'-' {
            if let Some(s) = start.take() {
                *spans.get_mut(n)? = (s, p);
                n += 1;
            }
        } else if start.is_none() {
            start = Some(p);
        }
    }
    Some(&spans[..n])
}

#[cfg(test)]
mod tests {
    use super::{group_spans, MAX_TOKEN_GROUPS};
    use crate::{CategoryInfo, Classifier, ClassifierSet};

    #[test]
    fn separated_as_byte_by_byte() {
        for len in 0..=20 {
            for at in 0..len {
                for b in [
                    b' ', b'-', b'0', b'!', b',', b'\x00', 0xA0, b'm', b'\r', b'/',
                ] {
                    let mut v = vec![b'7'; len];
                    v[at] = b;
                    let v = String::from_utf8_lossy(&v).into_owned();
                    let want = v.bytes().any(|b| b == b' ' || b == b'-');
                    assert_eq!(super::separated(&v), want, "{v:?}");
                }
            }
        }
    }

    #[test]
    fn group_spans_split_at_spaces_and_hyphens() {
        for token in [
            "",
            "13800138000",
            "138 0013 8000",
            "+86 138-0013-8000",
            "- 1  2--3 -",
            "1 2 3 4 5 6 7 8 9 10 11 12",
            "1 2 3 4 5 6 7 8 9 10 11 12 13",
        ] {
            let mut offset = 0;
            let mut want = Vec::new();
            for piece in token.split([' ', '-']) {
                if !piece.is_empty() {
                    want.push((offset, offset + piece.len()));
                }
                offset += piece.len() + 1;
            }
            let mut spans = [(0, 0); MAX_TOKEN_GROUPS];
            let got = group_spans(token, &mut spans);
            let want = (want.len() <= MAX_TOKEN_GROUPS).then_some(want);
            assert_eq!(got.map(<[_]>::to_vec), want, "{token:?}");
        }
    }

    /// Codes that count in prose only, so a whole value that is one such
    /// token counts through the free-text search alone.
    struct ProseOnly;
    impl Classifier for ProseOnly {
        fn info(&self) -> CategoryInfo {
            CategoryInfo::new("test.prose_only", "测试", "Test")
        }
        fn value_pattern(&self) -> Option<&str> {
            Some("[A-Z]{2}[0-9]{2} [0-9]{4}")
        }
        fn confirm(&self, _: &str) -> Option<f64> {
            None
        }
        fn confirm_free_text(&self, _: &str) -> Option<f64> {
            Some(1.0)
        }
        fn column_hint(&self) -> Option<&str> {
            None
        }
        fn mask(&self, _: &str) -> String {
            "*".into()
        }
    }

    /// A value that is one token (a plate in a notes column) finds what the
    /// general token check finds.
    #[test]
    fn lone_tokens_as_any_token() {
        let set = ClassifierSet::builder()
            .builtins()
            .with(Box::new(ProseOnly))
            .build()
            .unwrap();
        let values = [
            "粤A12345",
            "京A·12345",
            "沪BD12345挂",
            "粤B12345",
            "京I12345",
            "粤A 12345",
            "138 0013 8000",
            "+86 138-0013-8000",
            "6222 0212 3456 7894",
            "6222-0212-3456-7894",
            "4111 1111 1111 1111",
            "110105 19491231 002X",
            "AB12 3456",
            "fe80::1:2:3",
            "a.b@example.com",
            "订单12345678",
            "粤A12345，",
        ];
        for column in ["c3", "remark", "plate_no", "mobile", "bank_card", "imei"] {
            for repeat in [1, 3, 12] {
                let scans = [false, true].map(|reference| {
                    let mut scan = set.column(column);
                    scan.lone_as_any = reference;
                    for v in values.iter().cycle().take(values.len() * repeat) {
                        scan.push(Some(v));
                    }
                    scan.finish()
                });
                assert_eq!(scans[0], scans[1], "{column} x{repeat}");
                let prose_only = scans[0].iter().find(|f| f.category == "test.prose_only");
                // One row of seventeen is too few for a free-text finding.
                let want = (repeat > 1).then_some(repeat as u64);
                assert_eq!(prose_only.map(|f| f.matched), want, "{column} x{repeat}");
            }
        }
    }
}
