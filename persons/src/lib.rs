//! Counting the distinct natural persons behind personal-information (PI)
//! identifiers, for the person-count thresholds of Chinese law
//! (《网络数据安全管理条例》 Art. 28: 10,000,000 persons or more; PIPL
//! Art. 52: 1,000,000; vehicle rules Art. 3(5): more than 100,000 persons in
//! vehicle data).
//!
//! This crate is pure logic: no I/O, no async. The scanner feeds it the
//! identifier values it finds, row by row; it gives back counts, bounds and
//! threshold verdicts ready to serialise.
//!
//! # Pipeline
//!
//! 1. [`normalize`]: put each value in canonical form (resident ID upper-case
//!    `X`, 15-digit IDs up-converted to 18; phone without `+86` and
//!    punctuation; …) and drop values that are not valid identifiers — an
//!    invalid ID is not evidence of a person.
//! 2. [`PersonKeyer`]: turn the value into a [`PersonKey`], a keyed hash.
//! 3. Count the keys, either
//!    * exactly, with [`ExactCounter`] (union-find, linking the identifiers
//!      found in one row), or
//!    * approximately, in fixed memory, with [`SketchCounter`] (one HLL
//!      sketch per identifier kind, mergeable across shards and runs).
//! 4. Judge the count against [`ThresholdRule`]s and build a
//!    [`PersonsReport`] ([`exact_report`], [`sketch_report`]).
//!
//! ```
//! use persons::{exact_report, ExactCounter, IdentifierKind::*, PersonKeyer, ThresholdRule};
//!
//! let keyer = PersonKeyer::from_hex(&"42".repeat(32)).unwrap();
//! let mut counter = ExactCounter::new();
//! // One customer row holds an ID and a phone; an order row only the phone.
//! let id = keyer.key_raw(CnResidentId, "11010519491231002x").unwrap();
//! let phone = keyer.key_raw(MobilePhone, "+86 138-0013-8000").unwrap();
//! counter.add_row(&[id, phone]);
//! counter.add_row(&[keyer.key_raw(MobilePhone, "13800138000").unwrap()]);
//! assert_eq!(counter.distinct_persons(), 1);
//!
//! let report = exact_report(&counter, &keyer, None, &ThresholdRule::defaults());
//! assert_eq!(report.distinct, Some(1));
//! ```
//!
//! # Why keyed hashes
//!
//! A person counter must not become a new store of personal information. The
//! counters therefore never hold an identifier, only [`PersonKey`]s. A plain
//! hash would not do: mobile numbers (about 10¹⁰ possibilities) and resident
//! IDs (a few thousand area codes × dates × 1,000 sequence numbers) are small
//! enough to hash exhaustively, so an unkeyed hash can be reversed by
//! enumeration. A keyed PRF (SipHash-2-4-128, [`KEY_HASH`], under keys
//! derived with HMAC-SHA-256 from a secret held by the enterprise, the key
//! file) cannot be enumerated without the secret, yet gives the same key for
//! the same person in every run and on every machine, so results of
//! different runs or shards can be merged. The report names the keyed hash
//! and the key's fingerprint, which covers the hash too: runs keyed with
//! another hash are refused, never summed. Without a key file the scanner
//! uses [`PersonKeyer::random`]; the report then says `mergeable: false`.
//! No struct of this crate prints or serialises an identifier: `Debug` of a
//! key shows its kind and 8 hex digits.
//!
//! # Why connected components
//!
//! The same person appears in many holdings under different identifiers: a
//! customer table has ID and phone, an order table only the phone, a
//! vehicle-owner table the ID and a licence plate (a plate identifies a car,
//! not a person, and is not counted). Summing the tables counts that person
//! three times; taking the largest table misses the persons who appear only
//! in the others. Treating each distinct identifier as a node and each row
//! as evidence that its identifiers belong together, the persons are the
//! connected components of that graph. [`ExactCounter`] maintains the
//! components incrementally with union-find (path halving, linking under
//! the older root), so the count is available at any time and each
//! identifier costs a hash-table lookup and a few parent hops.
//!
//! Linking assumes that identifiers in one row belong to one person; a row
//! mixing two persons (a buyer's and a recipient's phone) merges them, so
//! the scanner should pass one row per person-bearing column group.
//! Identifiers inside free text ([`text_keys_into`]) form rows of their own,
//! linked only when the text names at most one identifier of each kind.
//!
//! In sketch mode ([`SketchCounter`]) no linking is possible: the count is
//! reported as bounds (the largest single kind at the low end, the sum of
//! all kinds at the high end), and threshold verdicts may be `undecided`.

#![warn(missing_docs)]

mod exact;
mod free_text;
mod keyer;
mod normalize;
mod report;
mod rows;
mod sketch;
mod threshold;

pub use exact::{AssetId, ExactCounter};
pub use free_text::text_keys_into;
pub use keyer::{KeyError, PersonKey, PersonKeyer, KEY_HASH, LEGACY_KEY_HASH};
pub use model::persons::{
    CountMethod, FreeTextPersons, IdentifierKind, Op, PersonsReport, ThresholdStatus, Verdict,
};
pub use normalize::normalize;
pub use report::{build_report, exact_report, sketch_report};
pub use rows::KeyRows;
pub use sketch::{SketchCounter, SketchError, SKETCH_LG_K};
pub use threshold::{evaluate, AppliesTo, PersonCount, ThresholdRule};
