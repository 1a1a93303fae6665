//! A summary of one column's values for the table rules, which otherwise
//! see only names and types: whether a neutral-named column holds
//! longitudes, latitudes or epoch times, and how often its values repeat.
//! A `vin, t1, a, b` table is a track only if `a` and `b` are coordinates
//! and `t1` a time, and only the values say so; a `vin, object_key,
//! position, ts` table is a camera media index only if the keys name image
//! or video files.

use super::shape::Shape;
use crate::decimal::plain_decimal;
use crate::validate::CHINA_BOX;

/// Distinct values remembered per column; beyond this, "many".
const MAX_DISTINCT: usize = 4096;
/// Values a profile needs before it says anything.
const MIN_VALUES: u64 = 5;
/// Fraction digits a coordinate needs (about 10 m).
const MIN_COORDINATE_DECIMALS: u32 = 4;
/// Epoch seconds of 2000-01-01 and 2100-01-01: the plausible span of
/// recorded event times.
const EPOCH_SPAN: (f64, f64) = (946_684_800.0, 4_102_444_800.0);
/// File extensions of camera images and video, lower-case, with the dot.
const MEDIA_EXTENSIONS: &[&str] = &[
    ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".heic", ".mp4", ".mov", ".avi", ".mkv", ".h264",
    ".h265", ".264", ".265", ".hevc",
];
/// Share of values that must name media files for a column of media keys.
const MEDIA_SHARE: f64 = 0.9;

/// Which coordinate a column's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Every value in China's longitude range (73.66–135.05).
    Longitude,
    /// Every value in China's latitude range (3.86–53.55).
    Latitude,
}

/// The unit of an integer epoch-time column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochUnit {
    /// Seconds since 1970-01-01 (10 digits for this century).
    Seconds,
    /// Milliseconds since 1970-01-01 (13 digits).
    Milliseconds,
}

/// What one column's non-null values look like, gathered by a
/// [`ColumnScan`](crate::ColumnScan) and read with
/// [`ColumnScan::profile`](crate::ColumnScan::profile). It keeps no values,
/// only hashes to count distinct ones.
#[derive(Debug, Clone, Default)]
pub struct ValueProfile {
    sampled: u64,
    numbers: u64,
    integers: u64,
    min: f64,
    max: f64,
    min_decimals: u32,
    /// No number-based answer is possible any more (a value was no
    /// number, or the numbers fit neither an axis nor an epoch): parsing
    /// stops, as it is the costly part.
    settled: bool,
    /// Hashes of the first values, counted when asked: appending is far
    /// cheaper per value than a set insert, and few columns are asked.
    hashes: Vec<u64>,
    /// Values that are object keys, paths or URLs of an image or video file.
    media: u64,
}

/// A fast, non-cryptographic hash of a value (distinct counting and the
/// scan's memo of repeated values only).
pub(super) fn value_hash(value: &str) -> u64 {
    let bytes = value.as_bytes();
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        // One step for the tail: the value's last eight bytes (overlapping
        // the last chunk) when it has as many; else, as the length is in
        // `h`, its first and last four bytes (overlapping), or its first,
        // middle and last byte, which together are all of it.
        let n = bytes.len();
        let w = match (bytes.last_chunk::<8>(), bytes.first_chunk::<4>()) {
            (Some(last), _) => u64::from_le_bytes(*last),
            (None, Some(first)) => {
                let last = bytes.last_chunk::<4>().unwrap_or(first);
                u64::from(u32::from_le_bytes(*first)) << 32 | u64::from(u32::from_le_bytes(*last))
            }
            (None, None) => {
                u64::from(bytes[0]) << 16 | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1])
            }
        };
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

impl ValueProfile {
    /// An empty profile that fills `buffer` (emptied) with its hashes: a
    /// finished scan's, reused by the next column.
    pub(super) fn reusing(mut buffer: Vec<u64>) -> Self {
        buffer.clear();
        ValueProfile {
            hashes: buffer,
            ..Default::default()
        }
    }

    /// The buffer of the hashes, for [`reusing`](Self::reusing) by another profile.
    pub(super) fn take_buffer(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.hashes)
    }

    /// Adds one trimmed, non-empty value, with its [`value_hash`] and its
    /// shape `sh` (whether it has a `.`, which a file name needs, and a `?`
    /// or `#`, which may end its path). Inlined into the scan's per-value step: for most values the call
    /// costs more than the work.
    #[inline]
    pub(super) fn add(&mut self, value: &str, hash: u64, sh: &Shape) {
        self.sampled += 1;
        if self.hashes.len() < MAX_DISTINCT {
            self.hashes.push(hash);
        }
        if sh.dot && is_media_file(value, sh.query) {
            self.media += 1;
        }
        if !self.settled {
            self.add_number(value);
        }
    }

    /// The number part of [`add`](Self::add), until the profile is settled
    /// (in most columns after the first value): out of line, so that the
    /// per-value step stays short.
    #[inline(never)]
    fn add_number(&mut self, value: &str) {
        let Some((v, decimals)) = number(value) else {
            self.settled = true;
            return;
        };
        if self.numbers == 0 {
            (self.min, self.max, self.min_decimals) = (v, v, decimals);
        } else {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
            self.min_decimals = self.min_decimals.min(decimals);
        }
        self.numbers += 1;
        if decimals == 0 {
            self.integers += 1;
        }
        self.settled = !self.may_be_axis() && !self.may_be_epoch();
    }

    fn may_be_axis(&self) -> bool {
        let (x0, x1, y0, y1) = CHINA_BOX;
        let within = |lo: f64, hi: f64| lo <= self.min && self.max <= hi;
        self.min_decimals >= MIN_COORDINATE_DECIMALS && (within(x0, x1) || within(y0, y1))
    }

    fn may_be_epoch(&self) -> bool {
        let (lo, hi) = EPOCH_SPAN;
        let within = |lo: f64, hi: f64| lo <= self.min && self.max <= hi;
        self.integers == self.numbers && (within(lo, hi) || within(lo * 1000.0, hi * 1000.0))
    }

    /// Non-null values seen.
    pub fn sampled(&self) -> u64 {
        self.sampled
    }

    /// Distinct values among the first 4096 seen.
    pub fn distinct(&self) -> u64 {
        let mut h = self.hashes.clone();
        h.sort_unstable();
        h.dedup();
        h.len() as u64
    }

    /// Whether every one of at least 20 values differs (a key: one row per
    /// thing).
    pub fn all_distinct(&self) -> bool {
        self.sampled >= 20 && self.distinct() == self.sampled.min(MAX_DISTINCT as u64)
    }

    /// Whether the values repeat a few settings (at most one in five
    /// distinct, over at least 20 values): fixed positions, not movement.
    pub fn mostly_repeated(&self) -> bool {
        self.sampled >= 20 && self.distinct() * 5 <= self.hashes.len() as u64
    }

    fn all_numbers(&self) -> bool {
        self.sampled >= MIN_VALUES && self.numbers == self.sampled
    }

    /// Whether the values are object keys, paths or URLs of image or video
    /// files (`.jpg`, `.png`, `.mp4`, `.h264`, `.h265` …): at least 90 % of
    /// at least five values.
    pub fn media_files(&self) -> bool {
        self.sampled >= MIN_VALUES && self.media as f64 >= self.sampled as f64 * MEDIA_SHARE
    }

    /// Whether one of `values` is among the first 4096 values seen,
    /// compared whole, as written or in upper or lower case (`dms`, `DMS`):
    /// for the codes of a small vocabulary, such as a camera position. The
    /// profile holds hashes only, so this is all it can tell.
    pub fn has_any(&self, values: &[&str]) -> bool {
        values.iter().any(|v| {
            [
                v.to_string(),
                v.to_ascii_uppercase(),
                v.to_ascii_lowercase(),
            ]
            .iter()
            .any(|form| self.hashes.contains(&value_hash(form)))
        })
    }

    /// The coordinate axis every value lies on, with at least four decimals
    /// and at least half of the values distinct; `None` otherwise.
    pub fn axis(&self) -> Option<Axis> {
        if !self.all_numbers()
            || !self.may_be_axis()
            || self.distinct() * 2 < self.hashes.len() as u64
        {
            return None;
        }
        let (x0, x1, _, _) = CHINA_BOX;
        if x0 <= self.min && self.max <= x1 {
            Some(Axis::Longitude)
        } else {
            Some(Axis::Latitude)
        }
    }

    /// The epoch unit of a column of integers that all fall between 2000
    /// and 2100 in it; `None` otherwise.
    pub fn epoch(&self) -> Option<EpochUnit> {
        if !self.all_numbers() || !self.may_be_epoch() {
            return None;
        }
        if self.max <= EPOCH_SPAN.1 {
            Some(EpochUnit::Seconds)
        } else {
            Some(EpochUnit::Milliseconds)
        }
    }
}

/// Whether `value` names an image or video file: its path (before any `?`
/// or `#`, if `has_query`) ends in a media extension, in any case.
fn is_media_file(value: &str, has_query: bool) -> bool {
    let Some(path) = media_path(value, has_query) else {
        return false;
    };
    // Most values with a dot (e-mails, amounts, addresses) end in a byte no
    // media extension ends in.
    path.last().is_some_and(|&b| MEDIA_LAST[usize::from(b)]) && has_media_extension(path)
}

/// The path part of a value that is long enough to name a media file: before any `?` or
/// `#`, if `has_query`. Bytes, not characters: every byte that matters here is ASCII, and
/// this runs for every value with a dot (e-mails, amounts, addresses).
fn media_path(value: &str, has_query: bool) -> Option<&[u8]> {
    let bytes = value.as_bytes();
    if bytes.len() < 5 {
        return None;
    }
    let end = match has_query {
        true => bytes.iter().position(|&b| b == b'?' || b == b'#'),
        false => None,
    };
    Some(&bytes[..end.unwrap_or(bytes.len())])
}

/// Whether `path` ends in a media extension after at least one other byte.
fn has_media_extension(path: &[u8]) -> bool {
    let Some(dot) = path.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    let ext = &path[dot..];
    dot > 0 && ext.len() <= 6 && MEDIA_KEYS.contains(&extension_key(ext))
}

/// An extension of at most eight bytes that starts with its dot, lower-cased, as one number
/// (the leading dot fixes the length): the media test compares numbers, not slices byte by
/// byte, as it runs for every value with a dot.
const fn extension_key(ext: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < ext.len() {
        key = key << 8 | ext[i].to_ascii_lowercase() as u64;
        i += 1;
    }
    key
}

/// The last bytes of [`MEDIA_EXTENSIONS`], in either case.
const MEDIA_LAST: [bool; 256] = {
    let mut last = [false; 256];
    let mut i = 0;
    while i < MEDIA_EXTENSIONS.len() {
        let ext = MEDIA_EXTENSIONS[i].as_bytes();
        let b = ext[ext.len() - 1];
        last[b.to_ascii_lowercase() as usize] = true;
        last[b.to_ascii_uppercase() as usize] = true;
        i += 1;
    }
    last
};

/// [`MEDIA_EXTENSIONS`] as [`extension_key`]s.
const MEDIA_KEYS: [u64; MEDIA_EXTENSIONS.len()] = {
    let mut keys = [0u64; MEDIA_EXTENSIONS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = extension_key(MEDIA_EXTENSIONS[i].as_bytes());
        i += 1;
    }
    keys
};

/// A plain decimal number (`-12`, `121.473701`) of at most 24 characters
/// and its fraction digits.
fn number(s: &str) -> Option<(f64, u32)> {
    if s.len() > 24 {
        return None;
    }
    let (v, decimals) = plain_decimal(s)?;
    Some((v, decimals as u32))
}

#[cfg(test)]
mod tests {
    use super::super::shape::shape;
    use super::*;

    fn profile<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> ValueProfile {
        let mut p = ValueProfile::default();
        for v in values {
            p.add(v.as_ref(), value_hash(v.as_ref()), &shape(v.as_ref()));
        }
        p
    }

    #[test]
    fn axes() {
        let lon = profile((0..30).map(|i| format!("121.{:06}", 473_701 + i * 37)));
        assert_eq!(lon.axis(), Some(Axis::Longitude));
        let lat = profile((0..30).map(|i| format!("31.{:05}", 23_041 + i * 11)));
        assert_eq!(lat.axis(), Some(Axis::Latitude));
        // Prices: two decimals. Mixed ranges. A fixed station: repeated.
        assert_eq!(profile((0..30).map(|i| format!("109.{i:02}"))).axis(), None);
        let mixed = profile(["121.4737", "31.2304", "121.4738", "31.2305", "121.4739"]);
        assert_eq!(mixed.axis(), None);
        let fixed = profile((0..30).map(|i| format!("116.{}", 397_128 + i % 3)));
        assert_eq!(fixed.axis(), None);
        assert!(fixed.mostly_repeated());
        assert_eq!(
            profile(["121.4737", "x", "121.4738", "121.4739", "121.4740"]).axis(),
            None
        );
    }

    #[test]
    fn epochs_and_keys() {
        let s = profile((0..30).map(|i| (1_700_000_000u64 + i * 30).to_string()));
        assert_eq!(s.epoch(), Some(EpochUnit::Seconds));
        assert!(s.all_distinct());
        let ms = profile((0..30).map(|i| (1_700_000_000_000u64 + i * 1000).to_string()));
        assert_eq!(ms.epoch(), Some(EpochUnit::Milliseconds));
        // Order amounts, phone numbers and decimals are no times.
        assert_eq!(
            profile((0..30).map(|i| (100 + i).to_string())).epoch(),
            None
        );
        assert_eq!(
            profile((0..30).map(|i| format!("1380013{i:04}"))).epoch(),
            None
        );
        assert_eq!(profile(["1700000000.5"; 6]).epoch(), None);
        assert!(!profile(["a"; 30]).all_distinct());
    }

    /// Distinct values of up to seven bytes never share a hash (every byte
    /// of a short value goes into it), nor do a sample of longer ones.
    #[test]
    fn short_values_hash_apart() {
        let mut values = std::collections::HashSet::new();
        for n in 0..=12u32 {
            for k in 0..4u64.pow(n.min(7)) {
                // Base-4 digits of `k`, then of a scrambled `k`.
                let x = if n <= 7 {
                    k
                } else {
                    k.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                };
                let v: String = (0..n)
                    .map(|i| ['\0', 'a', '~', '\x7f'][(x >> (2 * i % 64) & 3) as usize])
                    .collect();
                values.insert(v);
            }
        }
        let hashes: std::collections::HashSet<u64> = values.iter().map(|v| value_hash(v)).collect();
        assert_eq!(hashes.len(), values.len());
    }

    #[test]
    fn parsing_stops_once_settled() {
        let mut p = profile(["abc"]);
        assert!(p.settled);
        p.add("121.4737", value_hash("121.4737"), &shape("121.4737"));
        assert_eq!(p.numbers, 0);
        // Integers far from any epoch span.
        let ids = profile(["110105194912310021", "5"]);
        assert!(ids.settled);
        assert_ne!(value_hash("121.473701"), value_hash("121.473702"));
        assert_ne!(value_hash(""), value_hash("\0"));
    }

    #[test]
    fn media_files_and_vocabulary() {
        let keys = profile((0..20).map(|i| match i % 4 {
            0 => format!("vehicle/LSVAX00000000{i:04}/front/1700000{i:03}.jpg"),
            1 => format!("https://oss.example.com/cap/{i}.MP4?sign=abc"),
            2 => format!("s3://bucket/clips/{i}.h265"),
            _ => format!("/data/dvr/ch1/{i}.h264"),
        }));
        assert!(keys.media_files());
        let docs = profile((0..20).map(|i| format!("contracts/{i}.pdf")));
        assert!(!docs.media_files());
        assert!(!profile(["a.jpg", "b.jpg"]).media_files(), "too few values");
        assert!(!profile(["1.5", "2.75", "version 1.0", "x.jpgx", "jpg"]).media_files());
        let positions = profile((0..20).map(|i| ["front", "rear", "DMS"][i % 3]));
        assert!(positions.has_any(&["dms"]));
        assert!(positions.has_any(&["FRONT"]));
        assert!(!positions.has_any(&["cabin", "oms"]));
    }

    #[test]
    fn media_keys_agree_with_comparing_extensions() {
        let reference = |ext: &[u8]| {
            MEDIA_EXTENSIONS
                .iter()
                .any(|m| m.as_bytes().eq_ignore_ascii_case(ext))
        };
        let mut exts: Vec<Vec<u8>> = MEDIA_EXTENSIONS
            .iter()
            .flat_map(|m| {
                [
                    m.to_string(),
                    m.to_uppercase(),
                    m[..m.len() - 1].to_string(),
                ]
            })
            .map(String::into_bytes)
            .collect();
        exts.extend(
            [&b".JpG"[..], b".mp", b".\0jpg", b".", b".jpg\0", b".hevcx"].map(<[u8]>::to_vec),
        );
        for ext in exts {
            assert_eq!(
                MEDIA_KEYS.contains(&extension_key(&ext)),
                reference(&ext),
                "{ext:?}"
            );
        }
    }

    /// `is_media_file` without its last-byte shortcut.
    fn is_media_file_reference(value: &str, has_query: bool) -> bool {
        media_path(value, has_query).is_some_and(has_media_extension)
    }

    #[test]
    fn media_files_as_without_the_last_byte_test() {
        let mut values = Vec::new();
        for ext in MEDIA_EXTENSIONS
            .iter()
            .chain(&[".pdf", ".jpgx", ".mp", ".com", ".137"])
        {
            for ext in [ext.to_string(), ext.to_uppercase()] {
                for v in [
                    format!("a/b{ext}"),
                    format!("x{ext}?sign=1"),
                    format!("x{ext}#frag"),
                    ext.clone(),
                    format!("x{ext}x"),
                ] {
                    values.push(v);
                }
            }
        }
        values.extend(
            [
                "user01@example.com",
                "121.473701",
                "a.jpg?",
                "a?.jpg",
                "?a.jpg",
            ]
            .map(String::from),
        );
        for v in &values {
            let query = v.contains(['?', '#']);
            assert_eq!(
                is_media_file(v, query),
                is_media_file_reference(v, query),
                "{v}"
            );
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(number("-12"), Some((-12.0, 0)));
        assert_eq!(number("121.473701"), Some((121.473701, 6)));
        for bad in ["", "1.", ".5", "1e5", "12a", "+1", "1.2.3"] {
            assert_eq!(number(bad), None, "{bad}");
        }
    }
}
