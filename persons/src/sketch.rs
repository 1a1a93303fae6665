//! Sketch mode: one HyperLogLog sketch per identifier kind.

use std::collections::BTreeMap;

use datasketches::common::NumStdDev;
use datasketches::hash::value::raw_bytes;
use datasketches::hll::{Coupon, HllSketch, HllType, HllUnion};

use crate::exact::by_kind_map;
use crate::keyer::hex;
use crate::{IdentifierKind, PersonCount, PersonKey, PersonKeyer};

/// `log2` of the register count of every sketch in the project: 2^14 =
/// 16,384 registers, a relative standard error of about 0.8 %, so the 2-σ
/// bounds are about ±1.6 %.
pub const SKETCH_LG_K: u8 = 14;

/// Register layout: HLL_8, one byte per register (16 KiB per kind once in
/// array mode). Fastest to update and the layout unions work in anyway; the
/// serialised form is what other DataSketches implementations read.
const SKETCH_TYPE: HllType = HllType::Hll8;

const MAGIC: &[u8; 8] = b"MULUPS01";

/// Why sketches could not be read or merged.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SketchError {
    /// The bytes are not a serialised [`SketchCounter`].
    #[error("not a persons sketch: {0}")]
    Format(String),
    /// The sketches were built with different secret keys (their keys never
    /// match, so a union would double-count everybody).
    #[error("sketches were built with different keys ({0} vs {1})")]
    KeyMismatch(String, String),
}

/// Counts persons approximately, in fixed memory, with one Apache
/// DataSketches HLL sketch per [`IdentifierKind`] (lgK =
/// [`SKETCH_LG_K`], HLL_8).
///
/// Sketches are fed the 16 bytes of each [`PersonKey`] (hashed with the
/// library's MurmurHash3, seed 9001, as its `update(byte[])` in other
/// languages), so they hold no identifier and, with a persistent secret,
/// can be serialised and merged across shards and runs.
///
/// Kinds cannot be linked in a sketch: a person with an ID and a phone is in
/// both sketches. The count therefore has bounds only: `lower` = the largest
/// 2-σ lower bound of any one kind, `upper` = the sum of the kinds' 2-σ
/// upper bounds.
#[derive(Clone)]
pub struct SketchCounter {
    key_id: [u8; 8],
    ephemeral: bool,
    sketches: [HllSketch; IdentifierKind::COUNT],
}

/// The sketch coupon of a key: the library's MurmurHash3 of its 16 bytes, as
/// `update(byte[])` hashes them in the other DataSketches languages.
fn coupon(key: PersonKey) -> Coupon {
    Coupon::from_value(raw_bytes::from_slice(&key.to_bytes()))
}

fn empty_sketch() -> HllSketch {
    HllSketch::new(SKETCH_LG_K, SKETCH_TYPE).unwrap_or_else(|_| unreachable!("lgK 14 is valid"))
}

impl SketchCounter {
    /// An empty counter for keys made by `keyer`.
    pub fn new(keyer: &PersonKeyer) -> Self {
        SketchCounter {
            key_id: keyer.key_id_bytes(),
            ephemeral: keyer.is_ephemeral(),
            sketches: std::array::from_fn(|_| empty_sketch()),
        }
    }

    /// Adds one identifier.
    pub fn add(&mut self, key: PersonKey) {
        self.add_coupon(key, coupon(key));
    }

    fn add_coupon(&mut self, key: PersonKey, coupon: Coupon) {
        self.sketches[key.kind().index()].update_with_coupon(coupon);
    }

    /// Adds the identifiers of one row (no linking is possible in sketches).
    pub fn add_row(&mut self, keys: &[PersonKey]) {
        for &k in keys {
            self.add(k);
        }
    }

    /// Adds the identifiers of one row, as [`add_row`](Self::add_row), and its lead (its
    /// key of the first kind in [`IdentifierKind`] order) to `leads`, hashing each key
    /// once for both.
    pub fn add_row_and_lead(&mut self, keys: &[PersonKey], leads: &mut SketchCounter) {
        let mut lead: Option<(PersonKey, Coupon)> = None;
        for &k in keys {
            let c = coupon(k);
            self.add_coupon(k, c);
            if lead.is_none_or(|(l, _)| k.kind() < l.kind()) {
                lead = Some((k, c));
            }
        }
        if let Some((k, c)) = lead {
            leads.add_coupon(k, c);
        }
    }

    /// Fingerprint of the secret the keys were made with
    /// ([`PersonKeyer::key_id`]).
    pub fn key_id(&self) -> String {
        hex(&self.key_id)
    }

    /// Whether the keys came from an ephemeral keyer (then the sketch can be
    /// merged only with shards of the same run).
    pub fn is_ephemeral(&self) -> bool {
        self.ephemeral
    }

    /// Estimate, lower and upper 2-σ bound of one kind, computed from the
    /// registers alone (composite estimator), so the figures depend only on
    /// the set of keys added and not on the order or on how shards were
    /// merged.
    fn kind_bounds(&self, kind: IdentifierKind) -> (f64, f64, f64) {
        let s = &self.sketches[kind.index()];
        if s.is_empty() {
            return (0.0, 0.0, 0.0);
        }
        let canon = canonical(s);
        (
            canon.estimate(),
            canon.lower_bound(NumStdDev::Two),
            canon.upper_bound(NumStdDev::Two),
        )
    }

    /// The estimate of one kind's distinct values (0 when none was added), as
    /// [`kind_bounds`](Self::kind_bounds) computes it: the figure Spark SQL's
    /// `hll_sketch_estimate(hll_union_agg(…))` gives for the same keys.
    pub fn kind_estimate(&self, kind: IdentifierKind) -> f64 {
        self.kind_bounds(kind).0
    }

    /// One kind's sketch as a plain Apache DataSketches HLL image (lgK
    /// [`SKETCH_LG_K`]), the binary form Spark SQL's `hll_union_agg` and the
    /// DataSketches libraries read; `None` when no key of that kind was added.
    pub fn kind_image(&self, kind: IdentifierKind) -> Option<Vec<u8>> {
        let s = &self.sketches[kind.index()];
        (!s.is_empty()).then(|| s.serialize())
    }

    /// Estimated distinct identifier values per kind, rounded (kinds never
    /// seen are left out).
    pub fn distinct_by_kind(&self) -> BTreeMap<IdentifierKind, u64> {
        let mut counts = [0u64; IdentifierKind::COUNT];
        for k in IdentifierKind::ALL {
            counts[k.index()] = self.kind_bounds(k).0.round() as u64;
        }
        by_kind_map(&counts)
    }

    /// The persons bounds: `distinct` is `None`, `lower` = max over kinds of
    /// the 2-σ lower bound (floored), `upper` = sum over kinds of the 2-σ
    /// upper bounds (ceiled).
    pub fn count(&self) -> PersonCount {
        let mut lower = 0f64;
        let mut upper = 0f64;
        for k in IdentifierKind::ALL {
            let (_, lo, hi) = self.kind_bounds(k);
            lower = lower.max(lo);
            upper += hi;
        }
        PersonCount {
            distinct: None,
            lower: lower.floor() as u64,
            upper: upper.ceil() as u64,
        }
    }

    /// Adds everything in `other`, kind by kind.
    ///
    /// # Errors
    ///
    /// [`SketchError::KeyMismatch`] if the two were built with different
    /// secrets.
    pub fn merge(&mut self, other: &SketchCounter) -> Result<(), SketchError> {
        if self.key_id != other.key_id {
            return Err(SketchError::KeyMismatch(self.key_id(), other.key_id()));
        }
        for (mine, theirs) in self.sketches.iter_mut().zip(&other.sketches) {
            if theirs.is_empty() {
                continue;
            }
            let mut u = union();
            u.update(mine);
            u.update(theirs);
            *mine = u.to_sketch(SKETCH_TYPE);
        }
        Ok(())
    }

    /// Serialises the counter: an 8-byte magic, the key fingerprint, an
    /// ephemeral flag, then per kind its tag, a little-endian `u32` length
    /// and the DataSketches HLL image.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.key_id);
        out.push(u8::from(self.ephemeral));
        for k in IdentifierKind::ALL {
            let s = &self.sketches[k.index()];
            if s.is_empty() {
                continue;
            }
            let img = s.serialize();
            out.push(k.tag());
            out.extend_from_slice(&(img.len() as u32).to_le_bytes());
            out.extend_from_slice(&img);
        }
        out
    }

    /// Reads what [`to_bytes`](Self::to_bytes) wrote.
    ///
    /// # Errors
    ///
    /// [`SketchError::Format`] on anything malformed, including HLL images
    /// with another lgK.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SketchError> {
        let err = |m: &str| SketchError::Format(m.to_owned());
        let rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| err("bad magic"))?;
        if rest.len() < 9 {
            return Err(err("truncated header"));
        }
        let mut key_id = [0u8; 8];
        key_id.copy_from_slice(&rest[..8]);
        let ephemeral = match rest[8] {
            0 => false,
            1 => true,
            _ => return Err(err("bad flag")),
        };
        let mut c = SketchCounter {
            key_id,
            ephemeral,
            sketches: std::array::from_fn(|_| empty_sketch()),
        };
        let mut rest = &rest[9..];
        while let Some((&tag, tail)) = rest.split_first() {
            let kind = IdentifierKind::from_tag(tag).ok_or_else(|| err("unknown kind tag"))?;
            if tail.len() < 4 {
                return Err(err("truncated length"));
            }
            let len = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]) as usize;
            let img = tail
                .get(4..4 + len)
                .ok_or_else(|| err("truncated sketch"))?;
            let s = HllSketch::deserialize(img).map_err(|e| SketchError::Format(e.to_string()))?;
            if s.lg_config_k() != SKETCH_LG_K {
                return Err(err("sketch lgK differs from the project's"));
            }
            c.sketches[kind.index()] = s;
            rest = &tail[4 + len..];
        }
        Ok(c)
    }

    /// Approximate bytes held by the sketches.
    pub fn approx_bytes(&self) -> usize {
        self.sketches.iter().map(HllSketch::estimated_size).sum()
    }
}

impl std::fmt::Debug for SketchCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SketchCounter")
            .field("key_id", &self.key_id())
            .field("ephemeral", &self.ephemeral)
            .field("count", &self.count())
            .finish()
    }
}

fn union() -> HllUnion {
    HllUnion::new(SKETCH_LG_K).unwrap_or_else(|_| unreachable!("lgK 14 is valid"))
}

/// `s` with its estimator switched to the registers-only (composite) one.
///
/// A sketch fed in order uses the HIP estimator, which is slightly tighter
/// but is lost by any merge; a union copies a lone input unchanged, and only
/// a second, register-level merge marks the result out of order. Merging `s`
/// with itself changes no register and gives that state, so one sketch and
/// a merge of its shards report identical figures.
fn canonical(s: &HllSketch) -> HllSketch {
    let mut u = union();
    u.update(s);
    u.update(s);
    u.to_sketch(SKETCH_TYPE)
}
