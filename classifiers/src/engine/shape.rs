//! A value's shape: its length in characters and whether it reads as text
//! (spaces, punctuation, Han mixed with letters or digits) rather than one
//! field, gathered in one pass over its bytes. Decides which values the
//! free-text and prose searches look into.

use super::free_text::FREE_TEXT_MIN_CHARS;

/// Shape facts about one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shape {
    pub(super) chars: usize,
    pub(super) texty: bool,
    /// Has a non-ASCII letter (Han): worth a search for names and addresses.
    pub(super) han: bool,
    /// Worth a free-text search at all.
    pub(super) searchable: bool,
    /// The longest run of consecutive ASCII bytes (free-text tokens are
    /// made of them).
    pub(super) ascii_run: usize,
    /// Has a `.` (file names, numbers and addresses do).
    pub(super) dot: bool,
    /// Has a `?` or `#` (a URL's query or fragment).
    pub(super) query: bool,
}

impl Shape {
    /// Has a character beyond ASCII (the whole value is not one ASCII run).
    pub(super) fn has_non_ascii(&self) -> bool {
        self.ascii_run < self.chars
    }
}

/// Classes of an ASCII byte, as bits.
const ALNUM: u8 = 1;
const SPACE: u8 = 2;
const AT: u8 = 4;
const PUNCT: u8 = 8;
const DOT: u8 = 16;
const QUERY: u8 = 32;
/// Any byte beyond ASCII: the value takes [`mixed_shape`].
const WIDE: u8 = 64;

/// The class of every byte: a table, as most values are ASCII. 256
/// entries, so that any byte indexes it as it is; a byte beyond ASCII is
/// [`WIDE`].
const ASCII: [u8; 256] = {
    let mut t = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            ALNUM
        } else if matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            SPACE
        } else if c == b'@' {
            AT
        } else if c == b'.' {
            DOT
        } else if c == b'#' {
            QUERY
        } else if c == b'?' {
            PUNCT | QUERY
        } else if matches!(
            c,
            b',' | b';'
                | b'!'
                | b'"'
                | b'\''
                | b'{'
                | b'}'
                | b'['
                | b']'
                | b'('
                | b')'
                | b'='
                | b'<'
                | b'>'
                | b'|'
        ) {
            PUNCT
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Whether the character whose UTF-8 starts at `bytes[i]` is in
/// U+4E00..=U+9FFF, where every character is a CJK ideograph (a letter;
/// neither space nor punctuation): a lead byte E5..E9, or E4 and then
/// B8..BF. Tested on bytes, as most characters of Chinese text are, without
/// decoding them.
pub(super) fn is_han_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        0xE5..=0xE9 => true,
        0xE4 => bytes.get(i + 1).is_some_and(|&b| b >= 0xB8),
        _ => false,
    }
}

/// Full-width and CJK punctuation.
fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{2014}'..='\u{2026}')
}

/// The shape of `value`. ASCII bytes are classified by table; only
/// non-ASCII characters are decoded. Inlined, for the all-ASCII values
/// (most) that take a short path.
#[inline]
pub(super) fn shape(value: &str) -> Shape {
    ascii_shape(value.as_bytes()).unwrap_or_else(|| mixed_shape(value))
}

/// [`shape`] of a value with non-ASCII characters. Not inlined: its loop
/// would crowd the caller's registers.
#[inline(never)]
fn mixed_shape(value: &str) -> Shape {
    let bytes = value.as_bytes();
    let (mut chars, mut alnum, mut seen) = (0usize, 0usize, 0u8);
    let mut han = false;
    let (mut run, mut ascii_run) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            // A run of ASCII bytes, a character each, counted at its end.
            let start = i;
            while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii()) {
                let class = ASCII[usize::from(b)];
                alnum += usize::from(class & ALNUM);
                seen |= class;
                i += 1;
            }
            chars += i - start;
            run += i - start;
            continue;
        }
        chars += 1;
        ascii_run = ascii_run.max(run);
        run = 0;
        if is_han_at(bytes, i) {
            // U+4E00..=U+9FFF: CJK ideographs, letters all (no decoding).
            han = true;
            i += 3;
            // The ideographs that follow (a name, an address), without the
            // checks for the other characters; E4 ones take the outer loop.
            while i < bytes.len() && matches!(bytes[i], 0xE5..=0xE9) {
                chars += 1;
                i += 3;
            }
            continue;
        }
        let Some(c) = value[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        if c.is_whitespace() {
            seen |= SPACE;
        } else if is_cjk_punct(c) {
            seen |= PUNCT;
        } else if !han && c.is_alphabetic() {
            // Checked until the first letter only: the Unicode table lookup is slow.
            han = true;
        }
    }
    let texty = chars > FREE_TEXT_MIN_CHARS || seen & (SPACE | PUNCT) != 0 || (han && alnum > 0);
    Shape {
        chars,
        texty,
        han,
        searchable: texty && (alnum >= 5 || seen & AT != 0),
        ascii_run: ascii_run.max(run),
        dot: seen & DOT != 0,
        query: seen & QUERY != 0,
    }
}

/// The class bits of a byte, to be or-ed over a value's bytes for
/// [`shape_of_classes`].
#[inline]
pub(super) fn byte_class(b: u8) -> u8 {
    ASCII[usize::from(b)]
}

/// [`shape`] of a value whose bytes' [`byte_class`] bits, or-ed, are
/// `classes` (a pass over its bytes made elsewhere).
#[inline]
pub(super) fn shape_of_classes(value: &str, classes: u8) -> Shape {
    ascii_classes_shape(value.as_bytes(), classes).unwrap_or_else(|| mixed_shape(value))
}

/// [`shape`] of an all-ASCII value (most values): every byte is one
/// character and the whole value one ASCII run, so a pass of table
/// lookups, without the per-byte branch on non-ASCII, is all it takes; the
/// same pass tells a value with a byte beyond ASCII (`None`), with no pass
/// of its own. The letters and digits are counted only for text, the one
/// case that needs them.
fn ascii_shape(bytes: &[u8]) -> Option<Shape> {
    let seen = bytes.iter().fold(0u8, |seen, &b| seen | byte_class(b));
    ascii_classes_shape(bytes, seen)
}

/// [`ascii_shape`] from the or-ed classes `seen` of the bytes.
#[inline]
fn ascii_classes_shape(bytes: &[u8], seen: u8) -> Option<Shape> {
    let class = byte_class;
    if seen & WIDE != 0 {
        return None;
    }
    let chars = bytes.len();
    let texty = chars > FREE_TEXT_MIN_CHARS || seen & (SPACE | PUNCT) != 0;
    // Five letters or digits: the count stops at the fifth.
    let searchable = texty
        && (seen & AT != 0
            || bytes
                .iter()
                .filter(|&&b| class(b) & ALNUM != 0)
                .nth(4)
                .is_some());
    Some(Shape {
        chars,
        texty,
        han: false,
        searchable,
        ascii_run: chars,
        dot: seen & DOT != 0,
        query: seen & QUERY != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char-by-char definition the table version must agree with.
    fn reference(value: &str) -> Shape {
        let (mut chars, mut alnum) = (0usize, 0usize);
        let (mut ws, mut punct, mut han, mut at) = (false, false, false, false);
        for c in value.chars() {
            chars += 1;
            if c.is_ascii_alphanumeric() {
                alnum += 1;
            } else if c.is_whitespace() {
                ws = true;
            } else if c == '@' {
                at = true;
            } else if matches!(
                c,
                ',' | ';'
                    | '!'
                    | '?'
                    | '"'
                    | '\''
                    | '{'
                    | '}'
                    | '['
                    | ']'
                    | '('
                    | ')'
                    | '='
                    | '<'
                    | '>'
                    | '|'
            ) || is_cjk_punct(c)
            {
                punct = true;
            } else if !han && !c.is_ascii() && c.is_alphabetic() {
                // Checked until the first letter only: the Unicode table lookup is slow.
                han = true;
            }
        }
        let texty = chars > FREE_TEXT_MIN_CHARS || ws || punct || (han && alnum > 0);
        let ascii_run = value
            .split(|c: char| !c.is_ascii())
            .map(str::len)
            .max()
            .unwrap_or(0);
        Shape {
            chars,
            texty,
            han,
            searchable: texty && (alnum >= 5 || at),
            ascii_run,
            dot: value.contains('.'),
            query: value.contains(['?', '#']),
        }
    }

    #[test]
    fn han_bytes_start_letters_only() {
        for c in '\0'..='\u{FFFF}' {
            let text = format!("{c}a");
            let han = is_han_at(text.as_bytes(), 0);
            assert_eq!(han, matches!(c, '\u{4E00}'..='\u{9FFF}'), "{c}");
            if han {
                assert!(
                    c.is_alphabetic() && !c.is_whitespace() && !is_cjk_punct(c),
                    "{c}"
                );
            }
        }
    }

    #[test]
    fn table_shape_agrees_with_the_char_definition() {
        let samples = [
            "",
            "110105194912310021",
            "王伟",
            "user1@example.com",
            "上海市浦东新区建国路12号",
            "121.473701,31.230416",
            "客户要求周末送货，请提前电话联系",
            "a b",
            "x\u{3000}y",
            "\u{a0}1",
            "é",
            "SKU-2025-000123",
            "{\"k\":1}",
            "订单12345678已发货",
            "·",
            "—",
            "😀abc",
            "tab\there",
            "0123456789012345678901234567890123456789x",
        ];
        let tsv = include_str!("../../tests/eval_set/values.tsv");
        let eval = tsv
            .lines()
            .filter_map(|l| l.split_once('\t').map(|(_, v)| v));
        for v in samples.into_iter().chain(eval) {
            assert_eq!(shape(v), reference(v), "{v:?}");
            // As the scan takes it, from classes or-ed in the prefilter's pass.
            let classes = v.bytes().fold(0, |c, b| c | byte_class(b));
            assert_eq!(shape_of_classes(v, classes), reference(v), "{v:?}");
        }
    }
}
