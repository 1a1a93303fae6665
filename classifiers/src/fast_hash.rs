//! Fast lookups for the built-in word and character tables: a
//! non-cryptographic hasher (foldhash) for words, a bitmap for characters. The keys
//! are fixed at compile time (no untrusted key can be chosen to collide),
//! and the tables are probed several times per sampled value, where std's
//! SipHash was a measurable share of a name column's scan.

use std::collections::HashSet;

/// A `HashSet` with foldhash's fast hasher (the one hashbrown uses) instead of SipHash.
pub(crate) type FastSet<T> = HashSet<T, foldhash::fast::FixedState>;

/// A set of characters: one bit each over the Basic Multilingual Plane
/// (8 KiB; a lookup is one load), a hash set beyond it.
pub(crate) struct CharSet {
    bmp: Box<[u64; 1024]>,
    beyond: FastSet<char>,
    len: usize,
}

impl CharSet {
    #[inline]
    pub(crate) fn contains(&self, c: &char) -> bool {
        let n = *c as usize;
        match self.bmp.get(n / 64) {
            Some(word) => word & (1 << (n % 64)) != 0,
            None => self.beyond.contains(c),
        }
    }

    /// Distinct characters in the set.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl FromIterator<char> for CharSet {
    fn from_iter<I: IntoIterator<Item = char>>(chars: I) -> Self {
        let mut set = CharSet {
            bmp: Box::new([0; 1024]),
            beyond: FastSet::default(),
            len: 0,
        };
        for c in chars {
            let n = c as usize;
            let new = match set.bmp.get_mut(n / 64) {
                Some(word) => {
                    let had = *word & (1 << (n % 64)) != 0;
                    *word |= 1 << (n % 64);
                    !had
                }
                None => set.beyond.insert(c),
            };
            set.len += usize::from(new);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_find_what_they_hold() {
        let words: FastSet<&str> = ["王", "欧阳", "有限公司", "abcdefgh", "abcdefghi"]
            .into_iter()
            .collect();
        for w in ["王", "欧阳", "有限公司", "abcdefgh", "abcdefghi"] {
            assert!(words.contains(w));
        }
        assert!(!words.contains("abcdefg") && !words.contains("欧"));
        let chars: FastSet<char> = ('\u{4E00}'..='\u{9FFF}').step_by(3).collect();
        assert!(chars.contains(&'\u{4E00}') && !chars.contains(&'\u{4E01}'));
    }

    #[test]
    fn char_sets_hold_what_they_were_given() {
        let given = [
            '王',
            '王',
            'a',
            '\u{FFFF}',
            '\u{20000}',
            '\u{20000}',
            '\u{10FFFF}',
        ];
        let set: CharSet = given.into_iter().collect();
        assert_eq!(set.len(), 5);
        for c in given {
            assert!(set.contains(&c), "{c:?}");
        }
        for c in ['李', 'b', '\u{FFFE}', '\u{20001}', '\0'] {
            assert!(!set.contains(&c), "{c:?}");
        }
    }
}
