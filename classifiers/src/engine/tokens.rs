//! Cutting free-text candidate tokens ([`TOKEN_PATTERN`]) out of a value
//! with one forward walk of a small, fully built DFA.
//!
//! A general regex search finds where a match ends with a forward DFA and
//! then where it starts with a reverse one, at a few hundred instructions
//! per call; free text calls it for every token. Here the pattern is
//! compiled once, anchored, and run from each byte that can start a token:
//! the leftmost match is the first start position with an anchored match,
//! and its end is the anchored match's end under the same leftmost-first
//! rule, so the tokens are exactly those of `Regex::find_iter`. Most bytes
//! (Han text, punctuation) cannot start a token and are skipped by a table.

use std::sync::LazyLock;

use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, MatchKind};

use super::free_text::{TOKEN_PATTERN, TOKEN_PATTERN_NO_AT};

/// The token DFAs, built once per process (constant patterns; building
/// takes a few milliseconds).
pub(super) static TOKENS: LazyLock<Tokens> =
    LazyLock::new(|| Tokens::new().expect("the token patterns build (tested)"));

/// The token pattern as anchored DFAs: all of it, and all but the e-mail
/// alternative for the values without an `@` (most): that alternative's
/// local part takes dots, so with it a walk from a number such as `121` in
/// `121.473701,31.230416` runs on to the comma, and from the dot again.
pub(super) struct Tokens {
    with_at: TokenDfa,
    without_at: TokenDfa,
}

/// One token pattern as an anchored DFA.
struct TokenDfa {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
    /// Bytes on which a token can start.
    starts: [bool; 256],
    /// For a lead byte of a multi-byte character (`0xC0..`), one bit per
    /// continuation byte (`0x80..0xC0`) after which a token can still go
    /// on: of the Han characters only the plate provinces start one, and
    /// the test on two bytes spares every other character a walk.
    lead_pairs: [u64; 64],
    /// Bytes to move on by from a byte on which no token starts: the whole
    /// character for a lead byte, as no token starts on a continuation byte
    /// (else 1).
    skip: [u8; 256],
}

impl Tokens {
    fn new() -> Result<Tokens, Box<dense::BuildError>> {
        Ok(Tokens {
            with_at: TokenDfa::new(TOKEN_PATTERN)?,
            without_at: TokenDfa::new(TOKEN_PATTERN_NO_AT)?,
        })
    }

    /// Calls `f` with the byte range of every token of `value`, left to
    /// right, as `Regex::find_iter` would find them with [`TOKEN_PATTERN`].
    pub(super) fn each(&self, value: &str, f: impl FnMut(usize, usize)) {
        // A fold the compiler vectorizes: `contains` calls out to `memchr`,
        // which costs more on values this short.
        let at = (value.bytes()).fold(false, |at, b| at | (b == b'@'));
        if at {
            self.with_at.each(value, f);
        } else {
            self.without_at.each(value, f);
        }
    }
}

impl TokenDfa {
    fn new(pattern: &str) -> Result<TokenDfa, Box<dense::BuildError>> {
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .start_kind(StartKind::Anchored)
                    .match_kind(MatchKind::LeftmostFirst)
                    // The walk below uses no accelerated states, and with
                    // neither them nor special start states (nor quit
                    // bytes, which the pattern does not need) every
                    // special state is the dead state or a match state.
                    .accelerate(false)
                    .specialize_start_states(false),
            )
            .build(pattern)
            .map_err(Box::new)?;
        let start = dfa
            .universal_start_state(Anchored::Yes)
            .expect("the token pattern has no look-behind");
        let mut starts = [false; 256];
        for (b, s) in starts.iter_mut().enumerate() {
            *s = !dfa.is_dead_state(dfa.next_state(start, b as u8));
        }
        let mut lead_pairs = [0u64; 64];
        for (lead, bits) in (0xC0..=0xFFu8).zip(&mut lead_pairs) {
            let after_lead = dfa.next_state(start, lead);
            for next in 0x80..0xC0u8 {
                let live = !dfa.is_dead_state(dfa.next_state(after_lead, next));
                *bits |= u64::from(live) << (next - 0x80);
            }
        }
        let mut skip = [1u8; 256];
        if !starts[0x80..0xC0].iter().any(|&s| s) {
            for (b, n) in skip.iter_mut().enumerate().skip(0xC0) {
                *n = match b {
                    0xC0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    _ => 4,
                };
            }
        }
        Ok(TokenDfa {
            dfa,
            start,
            starts,
            lead_pairs,
            skip,
        })
    }

    /// Calls `f` with the byte range of every match of the pattern in
    /// `value`, left to right, as `Regex::find_iter` would find them.
    fn each(&self, value: &str, mut f: impl FnMut(usize, usize)) {
        let bytes = value.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if !self.may_start(bytes, at) {
                at += usize::from(self.skip[usize::from(bytes[at])]);
                continue;
            }
            match self.end_of_match_at(bytes, at) {
                end if end > at => {
                    f(at, end);
                    at = end;
                }
                _ => at += 1,
            }
        }
    }

    /// Whether a token can start at `bytes[at]`, by its byte and, for a
    /// lead byte, the next one. Either test is a superset: a walk that dies
    /// on the second byte of a character has no match (the pattern's
    /// matches are whole characters, so none ends after a lead byte).
    #[inline]
    fn may_start(&self, bytes: &[u8], at: usize) -> bool {
        let b = bytes[at];
        if !self.starts[usize::from(b)] {
            return false;
        }
        match bytes.get(at + 1) {
            Some(&next) if b >= 0xC0 && (0x80..0xC0).contains(&next) => {
                self.lead_pairs[usize::from(b - 0xC0)] & (1 << (next - 0x80)) != 0
            }
            _ => true,
        }
    }

    /// The end of the leftmost-first match starting at `at`, or `at` if
    /// there is none (an empty match is none either). A plain index rather
    /// than an `Option`: the walk's loop then carries no tag to move about.
    #[inline]
    fn end_of_match_at(&self, bytes: &[u8], at: usize) -> usize {
        let dfa = &self.dfa;
        let mut state = self.start;
        let mut end = at;
        for (i, &b) in (at..).zip(&bytes[at..]) {
            // SAFETY: `state` is this DFA's start state or a state its
            // transitions led to: a valid state for the unchecked step.
            state = unsafe { dfa.next_state_unchecked(state, b) };
            if dfa.is_dead_state(state) {
                return end;
            }
            // Any other special state is a match state (see `new`); tested
            // apart from the dead state's exit, it takes no branch. Matches
            // are reported one byte late: this state matched the bytes
            // before `i`.
            if dfa.is_special_state(state) {
                debug_assert!(dfa.is_match_state(state));
                end = i;
            }
        }
        state = dfa.next_eoi_state(state);
        if dfa.is_match_state(state) {
            end = bytes.len();
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// splitmix64, so every run checks the same strings.
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn tokens(t: &Tokens, v: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        t.each(v, |s, e| out.push((s, e)));
        out
    }

    #[test]
    fn same_tokens_as_the_regex() {
        let t = Tokens::new().expect("builds");
        let re = Regex::new(TOKEN_PATTERN).expect("builds");
        // Characters every alternative of the pattern starts, ends or
        // separates with, and some it does not know.
        let alphabet: Vec<char> =
            "0123456789aAfFxXzZ@._%+-: ·•京沪粤使领挂学警港澳王市号，。,;()\"'é😀\u{3000}\t"
                .chars()
                .collect();
        let fixed = [
            "",
            "user1@example.com",
            "京A·12345挂",
            "订单 2024 13800138000",
            "+86 138-0013-8000",
            "1.2.3.4.5",
            "fe80::1:2:3 and 00-1A-2B-3C-4D-5E",
            "客户王建国来电，手机13800138000，身份证11010519491231002X",
            "121.473701,31.230416",
        ];
        let mut state = 7u64;
        let random = (0..20_000).map(|_| {
            let n = (next(&mut state) % 40) as usize;
            (0..n)
                .map(|_| alphabet[(next(&mut state) % alphabet.len() as u64) as usize])
                .collect::<String>()
        });
        for v in fixed.into_iter().map(String::from).chain(random) {
            let want: Vec<(usize, usize)> =
                re.find_iter(&v).map(|m| (m.start(), m.end())).collect();
            assert_eq!(tokens(&t, &v), want, "{v:?}");
        }
    }
}
