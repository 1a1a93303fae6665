//! A fixed list of words looked up at the start of a text: the words that
//! may follow a name in prose, checked after every name candidate.
//!
//! An anchored Aho-Corasick search spends about 140 instructions per call
//! on setup for a few bytes of text. Here a bit test says whether any word
//! starts with the text's first character, and only then are the few words
//! with that first character compared.

/// A list of words, by first character.
pub(super) struct Words {
    /// `(first character, word, index in the list)`, sorted by first
    /// character, longest word first within one.
    words: Vec<(char, &'static str, usize)>,
    /// The first characters in the Basic Multilingual Plane, one bit per
    /// code point.
    starts: Box<[u64; 1024]>,
}

/// The code points one bit each in [`Words::starts`] stand for.
const BMP: u32 = 0x1_0000;

impl Words {
    /// The words of `list` (empty strings are never found).
    pub(super) fn new(list: &[&'static str]) -> Words {
        let mut words: Vec<(char, &'static str, usize)> = (list.iter().enumerate())
            .filter_map(|(i, w)| Some((w.chars().next()?, *w, i)))
            .collect();
        words.sort_by_key(|&(c, w, _)| (c, std::cmp::Reverse(w.len())));
        let mut starts = Box::new([0u64; 1024]);
        for &(c, _, _) in &words {
            if u32::from(c) < BMP {
                starts[c as usize / 64] |= 1 << (c as usize % 64);
            }
        }
        Words { words, starts }
    }

    /// The longest word `text` starts with: its index in the list and its
    /// length in bytes.
    pub(super) fn prefix(&self, text: &str) -> Option<(usize, usize)> {
        let c = text.chars().next()?;
        let code = u32::from(c);
        if code < BMP && self.starts[code as usize / 64] & (1 << (code % 64)) == 0 {
            return None;
        }
        let from = self.words.partition_point(|w| w.0 < c);
        self.words[from..]
            .iter()
            .take_while(|w| w.0 == c)
            .find(|w| text.starts_with(w.1))
            .map(|w| (w.2, w.1.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

    /// The longest word, as an anchored leftmost-longest Aho-Corasick
    /// search finds it, on texts glued at random from pieces of the words
    /// and other text.
    #[test]
    fn prefix_agrees_with_aho_corasick() {
        const WORDS: &[&str] = &[
            "来电",
            "来电话",
            "来",
            "地址",
            "\"addr",
            "\"address",
            "é",
            "ée",
            "😀x",
            "（",
            "",
            "的",
        ];
        let words = Words::new(WORDS);
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(WORDS.iter().filter(|w| !w.is_empty()))
            .unwrap();
        // The automaton numbers the words without the empty one (at 10).
        let index = |p: usize| p + usize::from(p >= 10);
        let mut pieces: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
        pieces.extend(WORDS.iter().flat_map(|w| w.chars().map(String::from)));
        pieces.extend(["王建国", "，", " ", "a", "😀", "\u{7ff}", "\u{800}"].map(String::from));
        let mut state = 11u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for _ in 0..20_000 {
            let n = next() % 6;
            let text: String = (0..n)
                .map(|_| pieces[next() % pieces.len()].as_str())
                .collect();
            let want = (ac.find(Input::new(&text).anchored(Anchored::Yes)))
                .map(|m| (index(m.pattern().as_usize()), m.end()));
            assert_eq!(words.prefix(&text), want, "{text:?}");
        }
    }
}
