//! Keyed hashing of normalised identifiers into [`PersonKey`]s.
//!
//! Each value is hashed with SipHash-2-4 (128-bit output), a keyed PRF that costs a few
//! rounds per 8 bytes: about six times cheaper than HMAC-SHA-256 on an 11- to 18-byte
//! identifier, which matters at a billion values. Its 128-bit keys, one per identifier kind,
//! are derived from the enterprise secret with HMAC-SHA-256, so the secret itself never
//! keys the fast hash and no kind's keys can be compared with another's.

use std::fmt;
use std::hash::Hasher;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use siphasher::sip128::{Hasher128, SipHasher24};

use crate::normalize::{normalize_into, Buf};
use crate::IdentifierKind;

type HmacSha256 = Hmac<Sha256>;

/// The keyed hash of every [`PersonKey`], as reports, plans and shard markers name it. Keys
/// of different algorithms never match, so runs can only be merged when this agrees (the
/// first version, HMAC-SHA-256, is [`LEGACY_KEY_HASH`]).
pub const KEY_HASH: &str = "siphash-2-4-128";
/// The keyed hash of mulu versions that recorded none: HMAC-SHA-256 truncated to 128 bits.
pub const LEGACY_KEY_HASH: &str = "hmac-sha256-128";

/// Domain-separation prefix of the messages whose MAC is a kind's SipHash key; the
/// kind's namespace (its category id) follows. Changing it changes every key, so it
/// carries the algorithm and a version.
const SUBKEY_DOMAIN: &[u8] = b"mulu/persons/siphash-2-4/v2\0";
/// Domain-separation prefix of [`PersonKeyer::label`].
const LABEL_DOMAIN: &[u8] = b"mulu/label/v1\0";
/// Message whose MAC gives the key fingerprint ([`PersonKeyer::key_id`]). It names the
/// algorithm, so keyers of one secret but different algorithms have different fingerprints
/// and every check that compares fingerprints (plans, shard markers, sketches) refuses to
/// mix them, in older mulu versions too.
const KEY_ID_MSG: &[u8] = b"mulu/persons/key-id/v2/siphash-2-4-128";

/// Bits of a [`PersonKey`] that hold the identifier kind tag (the top four).
const KIND_SHIFT: u32 = 124;
const HASH_MASK: u128 = (1u128 << KIND_SHIFT) - 1;

/// The pseudonymous key of one identifier value: SipHash-2-4-128 of the
/// normalised value under its kind's key ([`KEY_HASH`]), whose top 4 bits are
/// replaced by the identifier kind (so 124 bits of MAC remain).
///
/// It cannot be turned back into the identifier without the secret key.
/// `Debug` prints the kind and the first 8 hex digits only.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonKey(u128);

impl PersonKey {
    /// The kind of identifier this key was made from.
    pub fn kind(self) -> IdentifierKind {
        // Every constructor guarantees a valid tag.
        IdentifierKind::from_tag((self.0 >> KIND_SHIFT) as u8)
            .unwrap_or(IdentifierKind::CnResidentId)
    }

    /// The key as 16 big-endian bytes, e.g. to ship it between processes.
    pub fn to_bytes(self) -> [u8; 16] {
        self.0.to_be_bytes()
    }

    /// Inverse of [`to_bytes`](Self::to_bytes); `None` if the kind tag is not
    /// valid.
    pub fn from_bytes(bytes: [u8; 16]) -> Option<Self> {
        let v = u128::from_be_bytes(bytes);
        IdentifierKind::from_tag((v >> KIND_SHIFT) as u8).map(|_| PersonKey(v))
    }

    pub(crate) fn from_parts(kind: IdentifierKind, mac: u128) -> Self {
        PersonKey((u128::from(kind.tag()) << KIND_SHIFT) | (mac & HASH_MASK))
    }

    pub(crate) fn raw(self) -> u128 {
        self.0
    }
}

impl fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PersonKey({}:{:08x}…)",
            self.kind(),
            (self.0 >> 92) as u32
        )
    }
}

/// Why a key could not be loaded or made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    /// The secret is shorter than 16 or longer than 64 bytes.
    #[error("secret key must be 16 to 64 bytes, got {0}")]
    Length(usize),
    /// Hex text with an odd length or a non-hex character.
    #[error("secret key is not valid hex")]
    Hex,
    /// The operating system's random source failed.
    #[error("no entropy for a random key: {0}")]
    Entropy(String),
}

/// Turns identifiers into [`PersonKey`]s with a secret key.
///
/// Keys made by keyers with the same secret agree across runs and machines,
/// so counts and sketches can be merged. A keyer from
/// [`random`](Self::random) is *ephemeral*: its keys match nothing made by
/// any other run, which the report must say (`mergeable: false`).
///
/// `Debug` shows only the key fingerprint, never the secret.
#[derive(Clone)]
pub struct PersonKeyer {
    /// HMAC under the secret: derives the hash keys, labels and the fingerprint.
    mac: HmacSha256,
    /// Each kind's SipHash, already keyed (indexed by [`IdentifierKind::index`]).
    kinds: [SipHasher24; IdentifierKind::COUNT],
    key_id: [u8; 8],
    ephemeral: bool,
}

impl PersonKeyer {
    /// Recommended secret length in bytes.
    pub const KEY_LEN: usize = 32;

    /// A keyer with the given secret (16 to 64 bytes; 32 recommended).
    pub fn new(secret: &[u8]) -> Result<Self, KeyError> {
        Self::build(secret, false)
    }

    fn build(secret: &[u8], ephemeral: bool) -> Result<Self, KeyError> {
        if !(16..=64).contains(&secret.len()) {
            return Err(KeyError::Length(secret.len()));
        }
        let mac = HmacSha256::new_from_slice(secret).map_err(|_| KeyError::Length(secret.len()))?;
        let mac_of = |parts: &[&[u8]]| {
            let mut m = mac.clone();
            parts.iter().for_each(|p| m.update(p));
            m.finalize().into_bytes()
        };
        let mut key_id = [0u8; 8];
        key_id.copy_from_slice(&mac_of(&[KEY_ID_MSG])[..8]);
        let kinds = IdentifierKind::ALL.map(|kind| {
            let out = mac_of(&[SUBKEY_DOMAIN, kind.category_id().as_str().as_bytes()]);
            let mut key = [0u8; 16];
            key.copy_from_slice(&out[..16]);
            SipHasher24::new_with_key(&key)
        });
        Ok(PersonKeyer {
            mac,
            kinds,
            key_id,
            ephemeral,
        })
    }

    /// A keyer from hex text (32 to 128 hex digits; surrounding whitespace
    /// ignored).
    pub fn from_hex(text: &str) -> Result<Self, KeyError> {
        let secret = decode_hex(text.trim())?;
        Self::new(&secret)
    }

    /// A keyer from the contents of a key file: hex text (as written by
    /// [`generate_key_hex`](Self::generate_key_hex)) or 16 to 64 raw bytes.
    pub fn from_key_file(contents: &[u8]) -> Result<Self, KeyError> {
        if let Ok(text) = std::str::from_utf8(contents) {
            let t = text.trim();
            if t.len() >= 32 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Self::from_hex(t);
            }
        }
        Self::new(contents)
    }

    /// A keyer with a fresh random 32-byte secret that is never written
    /// anywhere. [`is_ephemeral`](Self::is_ephemeral) is `true`.
    pub fn random() -> Result<Self, KeyError> {
        let secret = random_secret()?;
        Self::build(&secret, true)
    }

    /// A fresh random 32-byte secret as 64 lower-case hex digits, suitable
    /// for a key file.
    pub fn generate_key_hex() -> Result<String, KeyError> {
        let secret = random_secret()?;
        Ok(secret.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Whether the secret was generated for this run only.
    pub fn is_ephemeral(&self) -> bool {
        self.ephemeral
    }

    /// A 16-hex-digit fingerprint of the secret and the keyed hash (a MAC of
    /// a fixed message that names [`KEY_HASH`]). Equal fingerprints mean
    /// results can be merged; it reveals nothing about the secret.
    pub fn key_id(&self) -> String {
        hex(&self.key_id)
    }

    pub(crate) fn key_id_bytes(&self) -> [u8; 8] {
        self.key_id
    }

    /// A keyed label for a text that is not an identifier but may contain one (an asset's
    /// name in a shard plan): 32 hex digits, the same for the same secret and text, and
    /// meaningless without the secret.
    pub fn label(&self, text: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(LABEL_DOMAIN);
        mac.update(text.as_bytes());
        hex(&mac.finalize().into_bytes()[..16])
    }

    /// The key of an already normalised value (see [`normalize`](crate::normalize)).
    /// Passing a non-normalised value gives a key that will not match its
    /// normalised twin; prefer [`key_raw`](Self::key_raw).
    pub fn key(&self, kind: IdentifierKind, normalized: &str) -> PersonKey {
        self.key_bytes(kind, normalized.as_bytes())
    }

    /// Normalises `raw` and returns its key, or `None` if it is not a valid
    /// identifier of `kind`. Does not allocate.
    pub fn key_raw(&self, kind: IdentifierKind, raw: &str) -> Option<PersonKey> {
        self.key_raw_in(kind, raw, &mut Buf::new())
    }

    /// [`key_raw`](Self::key_raw), normalising into `buf` (emptied first): a loop over many
    /// values reuses one buffer instead of zeroing a fresh one for each.
    pub fn key_raw_in(&self, kind: IdentifierKind, raw: &str, buf: &mut Buf) -> Option<PersonKey> {
        buf.clear();
        normalize_into(kind, raw, buf).then(|| self.key_bytes(kind, buf.as_bytes()))
    }

    /// The key of `raw` as an identifier of the organisation's own, in the canonical form
    /// its `classifier` defines ([`Classifier::person_key_into`]), or `None` when the
    /// classifier does not accept it. The classifier's id is hashed in, so two custom
    /// identifiers with the same text never make one person. Does not allocate.
    ///
    /// [`Classifier::person_key_into`]: classifiers::Classifier::person_key_into
    pub fn key_custom(
        &self,
        classifier: &dyn classifiers::Classifier,
        raw: &str,
    ) -> Option<PersonKey> {
        self.key_custom_in(classifier, raw, &mut Buf::new())
    }

    /// [`key_custom`](Self::key_custom), in a reused buffer as [`key_raw_in`](Self::key_raw_in).
    pub fn key_custom_in(
        &self,
        classifier: &dyn classifiers::Classifier,
        raw: &str,
        buf: &mut Buf,
    ) -> Option<PersonKey> {
        buf.clear();
        classifier.person_key_into(raw, buf).then(|| {
            let mut h = self.kinds[IdentifierKind::Custom.index()];
            // The id holds no NUL, so id and value cannot be re-cut into another pair.
            h.write(classifier.id().as_str().as_bytes());
            h.write(b"\0");
            h.write(buf.as_bytes());
            PersonKey::from_parts(IdentifierKind::Custom, h.finish128().as_u128())
        })
    }

    /// SipHash of the normalised value under its kind's key.
    fn key_bytes(&self, kind: IdentifierKind, value: &[u8]) -> PersonKey {
        PersonKey::from_parts(kind, self.kinds[kind.index()].hash(value).as_u128())
    }
}

impl fmt::Debug for PersonKeyer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonKeyer")
            .field("key_id", &self.key_id())
            .field("ephemeral", &self.ephemeral)
            .finish_non_exhaustive()
    }
}

fn random_secret() -> Result<[u8; PersonKeyer::KEY_LEN], KeyError> {
    let mut secret = [0u8; PersonKeyer::KEY_LEN];
    getrandom::fill(&mut secret).map_err(|e| KeyError::Entropy(e.to_string()))?;
    Ok(secret)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> Result<Vec<u8>, KeyError> {
    if text.len() % 2 != 0 {
        return Err(KeyError::Hex);
    }
    let nibble = |c: u8| (c as char).to_digit(16).ok_or(KeyError::Hex);
    text.as_bytes()
        .chunks_exact(2)
        .map(|p| Ok((nibble(p[0])? << 4 | nibble(p[1])?) as u8))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdentifierKind::*;

    const K1: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const K2: &str = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn stable_for_same_key_different_across_keys() {
        let a = PersonKeyer::from_hex(K1).unwrap();
        let a2 = PersonKeyer::from_key_file(format!("{K1}\n").as_bytes()).unwrap();
        let b = PersonKeyer::from_hex(K2).unwrap();
        let v = "13800138000";
        assert_eq!(a.key(MobilePhone, v), a2.key(MobilePhone, v));
        assert_eq!(a.key_id(), a2.key_id());
        assert_ne!(a.key(MobilePhone, v), b.key(MobilePhone, v));
        assert_ne!(a.key_id(), b.key_id());
        // The kind is part of the hash input: same text, other kind, other key.
        assert_ne!(
            a.key(Passport, "E12345678").raw() & HASH_MASK,
            a.key(TravelPermit, "E12345678").raw() & HASH_MASK
        );
        assert_eq!(a.key(MobilePhone, v).kind(), MobilePhone);
        // Raw bytes of the same secret give the same keyer as its hex.
        let raw: Vec<u8> = (0u8..32).collect();
        assert_eq!(
            PersonKeyer::from_key_file(&raw).unwrap().key_id(),
            a.key_id()
        );
        assert!(!a.is_ephemeral());
    }

    /// The keys of a fixed secret never change: a change would make every earlier run
    /// unmergeable with later ones while its fingerprint stayed the same.
    #[test]
    fn known_keys_of_a_fixed_secret() {
        let k = PersonKeyer::from_hex(K1).unwrap();
        let hex_of = |key: PersonKey| format!("{:032x}", key.raw());
        assert_eq!(
            hex_of(k.key(MobilePhone, "13800138000")),
            "4c52b55434c2e65cf8eb99677a8f4e60"
        );
        assert_eq!(
            hex_of(k.key(CnResidentId, "11010519491231002X")),
            "1a261cdc1465993fe475cad664e7fdd7"
        );
        assert_eq!(
            hex_of(k.key(Email, "a@example.com")),
            "5f0873e1a7ccdf35d45058fb06a17a9b"
        );
        assert_eq!(k.key_id(), "5b8c052ab3e01be0");
        assert_eq!(KEY_HASH, "siphash-2-4-128");
    }

    /// The kind's own SipHash key, derived from the secret, and nothing else decides the key:
    /// SipHash-2-4-128 of the value under HMAC-SHA-256(secret, domain ‖ category id).
    #[test]
    fn keys_are_siphash_under_a_derived_key() {
        let secret: Vec<u8> = (0u8..32).collect();
        let mut m = HmacSha256::new_from_slice(&secret).unwrap();
        m.update(b"mulu/persons/siphash-2-4/v2\0pi.mobile_phone");
        let sub: [u8; 16] = m.finalize().into_bytes()[..16].try_into().unwrap();
        let mac = SipHasher24::new_with_key(&sub)
            .hash(b"13800138000")
            .as_u128();
        let k = PersonKeyer::new(&secret).unwrap();
        assert_eq!(
            k.key(MobilePhone, "13800138000"),
            PersonKey::from_parts(MobilePhone, mac)
        );
    }

    #[test]
    fn random_keyers_are_ephemeral_and_distinct() {
        let r1 = PersonKeyer::random().unwrap();
        let r2 = PersonKeyer::random().unwrap();
        assert!(r1.is_ephemeral());
        assert_ne!(
            r1.key(Email, "a@example.com"),
            r2.key(Email, "a@example.com")
        );
        let hexkey = PersonKeyer::generate_key_hex().unwrap();
        assert_eq!(hexkey.len(), 64);
        assert!(!PersonKeyer::from_hex(&hexkey).unwrap().is_ephemeral());
    }

    #[test]
    fn bad_secrets() {
        assert_eq!(
            PersonKeyer::new(&[0u8; 15]).unwrap_err(),
            KeyError::Length(15)
        );
        assert_eq!(
            PersonKeyer::new(&[0u8; 65]).unwrap_err(),
            KeyError::Length(65)
        );
        assert_eq!(PersonKeyer::from_hex("abc").unwrap_err(), KeyError::Hex);
        assert_eq!(
            PersonKeyer::from_hex(&"zz".repeat(16)).unwrap_err(),
            KeyError::Hex
        );
        assert_eq!(
            PersonKeyer::from_hex("00").unwrap_err(),
            KeyError::Length(1)
        );
    }

    #[test]
    fn key_raw_matches_normalised_key() {
        let k = PersonKeyer::from_hex(K1).unwrap();
        assert_eq!(
            k.key_raw(MobilePhone, "+86 138-0013-8000"),
            Some(k.key(MobilePhone, "13800138000"))
        );
        assert_eq!(k.key_raw(MobilePhone, "not a phone"), None);
    }

    #[test]
    fn bytes_round_trip_and_debug_is_short() {
        let k = PersonKeyer::from_hex(K1).unwrap();
        let key = k.key(CnResidentId, "11010519491231002X");
        assert_eq!(PersonKey::from_bytes(key.to_bytes()), Some(key));
        assert_eq!(PersonKey::from_bytes([0; 16]), None);
        let dbg = format!("{key:?}");
        assert!(dbg.starts_with("PersonKey(pi.cn_resident_id:"), "{dbg}");
        assert!(dbg.len() < 45, "{dbg}");
        let kdbg = format!("{k:?}");
        assert!(!kdbg.contains("0102030405"), "{kdbg}");
    }
}
