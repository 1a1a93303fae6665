//! Images and video in a folder or bucket, grouped into collections by key pattern.
//!
//! A camera bucket holds millions of small objects whose keys differ only in dates, ids and
//! sequence numbers: `adas-raw/front/2026-11-02/LSVAB4BR8KN123456_0001.jpg`. Taken one by
//! one they would be millions of assets; left out they would be the largest important-data
//! holding not in the catalogue. So keys are folded into a pattern — dates become `{date}`,
//! VIN-shaped parts `{vin}`, anything else carrying digits `*` — and every object of one
//! pattern is one collection asset (`adas-raw/front/{date}/{vin}_*.jpg`), counted exactly from
//! the listing and read through a small spread sample of its objects.

use std::collections::{BTreeMap, BinaryHeap};

use object_store::ObjectMeta;
use twox_hash::XxHash64;

use crate::{AssetInfo, AssetKind};

/// Objects whose first bytes a collection's sample reads at most.
pub(super) const SAMPLE_OBJECTS: usize = 64;

/// Whether a medium is a still image or video (by its name: the listing has only names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaClass {
    Image,
    Video,
}

impl MediaClass {
    /// `image` or `video`, as the collection's media column is named.
    pub(super) fn word(self) -> &'static str {
        match self {
            MediaClass::Image => "image",
            MediaClass::Video => "video",
        }
    }
}

/// Image extensions (lower case). Ambiguous ones (`.raw`, `.ts`: a TypeScript file as often
/// as an MPEG stream) are left to the unsupported count.
const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "heic", "heif", "webp", "bmp", "tif", "tiff", "gif", "avif", "dng",
];
const VIDEO_EXTENSIONS: &[&str] = &[
    "mp4", "mov", "m4v", "avi", "mkv", "webm", "h264", "h265", "hevc", "264", "265", "flv", "3gp",
];

/// The media class of a key by its extension, if it is an image or a video.
pub(super) fn media_class(key: &str) -> Option<MediaClass> {
    let file = key.rsplit('/').next().unwrap_or(key);
    let (stem, ext) = file.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    let ext = ext.to_ascii_lowercase();
    if IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        Some(MediaClass::Image)
    } else if VIDEO_EXTENSIONS.contains(&ext.as_str()) {
        Some(MediaClass::Video)
    } else {
        None
    }
}

/// Path words that name where a camera looks, and the word the collection reports for each.
/// Exterior positions first, then the cabin; Chinese words map to their English word.
const POSITIONS: &[(&str, &str)] = &[
    ("front", "front"),
    ("rear", "rear"),
    ("left", "left"),
    ("right", "right"),
    ("side", "side"),
    ("surround", "surround"),
    ("avm", "avm"),
    ("fisheye", "fisheye"),
    ("adas", "adas"),
    ("dashcam", "dashcam"),
    ("dvr", "dvr"),
    ("exterior", "exterior"),
    ("cabin", "cabin"),
    ("dms", "dms"),
    ("oms", "oms"),
    ("occupant", "oms"),
    ("interior", "interior"),
    ("incar", "incar"),
    ("前视", "front"),
    ("后视", "rear"),
    ("环视", "surround"),
    ("行车记录", "dashcam"),
    ("车外", "exterior"),
    ("车内", "cabin"),
    ("座舱", "cabin"),
];

/// One collection as the listing found it.
#[derive(Debug, Clone)]
pub(super) struct Collection {
    pub(super) class: MediaClass,
    /// The camera position the pattern names (the deepest one, `adas-raw/front/…` → `front`).
    pub(super) position: Option<&'static str>,
    /// Whether the pattern mentions a camera without saying where it looks.
    pub(super) camera: bool,
    pub(super) objects: u64,
    pub(super) bytes: u64,
    pub(super) first_modified: Option<chrono::DateTime<chrono::Utc>>,
    pub(super) last_modified: Option<chrono::DateTime<chrono::Utc>>,
    /// A spread of its objects, at most [`SAMPLE_OBJECTS`], in key order.
    pub(super) sample: Vec<ObjectMeta>,
}

impl Collection {
    /// The name of the column holding the sampled objects' content types: the camera position
    /// and the medium, as a table of such images would name it (`front_camera_image`,
    /// `dms_camera_video`), so the table rules judge a collection as they judge a table.
    pub(super) fn media_column(&self) -> String {
        match (self.position, self.camera) {
            (Some(position), _) => format!("{position}_camera_{}", self.class.word()),
            (None, true) => format!("camera_{}", self.class.word()),
            (None, false) => self.class.word().to_string(),
        }
    }
}

/// Groups media objects into collections keyed by pattern; other objects are ignored.
pub(super) fn group_collections(
    objects: impl IntoIterator<Item = ObjectMeta>,
) -> BTreeMap<String, (AssetInfo, Collection)> {
    let mut collections = Collections::default();
    for meta in objects {
        collections.add(meta);
    }
    collections.finish()
}

/// Media objects gathered into collections as they stream by, in any order: per pattern its
/// figures and a bounded sample, so a bucket of millions of images takes memory for its
/// patterns, not its objects.
#[derive(Default)]
pub(super) struct Collections {
    gathering: BTreeMap<String, Gathering>,
}

/// One collection being gathered.
struct Gathering {
    class: MediaClass,
    objects: u64,
    bytes: u64,
    first_modified: Option<chrono::DateTime<chrono::Utc>>,
    last_modified: Option<chrono::DateTime<chrono::Utc>>,
    /// The [`SAMPLE_OBJECTS`] objects of lowest rank so far, the highest on top.
    sample: BinaryHeap<Ranked>,
}

/// An object and its rank: a fixed hash of its key. The objects of lowest rank are a spread
/// over the whole collection, the same whatever order the listing comes in, and the same
/// from one scan to the next.
struct Ranked(u64, ObjectMeta);

impl Ranked {
    fn of(meta: ObjectMeta) -> Self {
        Self(
            XxHash64::oneshot(0, meta.location.as_ref().as_bytes()),
            meta,
        )
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0, &self.1.location).cmp(&(other.0, &other.1.location))
    }
}

impl Collections {
    /// Adds one object, if it is an image or a video.
    pub(super) fn add(&mut self, meta: ObjectMeta) {
        let Some(class) = media_class(meta.location.as_ref()) else {
            return;
        };
        let c = self
            .gathering
            .entry(key_pattern(meta.location.as_ref()))
            .or_insert_with(|| Gathering {
                class,
                objects: 0,
                bytes: 0,
                first_modified: None,
                last_modified: None,
                sample: BinaryHeap::with_capacity(SAMPLE_OBJECTS + 1),
            });
        c.objects += 1;
        c.bytes += meta.size;
        let modified = meta.last_modified;
        c.first_modified = Some(c.first_modified.map_or(modified, |t| t.min(modified)));
        c.last_modified = Some(c.last_modified.map_or(modified, |t| t.max(modified)));
        c.sample.push(Ranked::of(meta));
        if c.sample.len() > SAMPLE_OBJECTS {
            c.sample.pop();
        }
    }

    /// The collections, keyed by pattern.
    pub(super) fn finish(self) -> BTreeMap<String, (AssetInfo, Collection)> {
        self.gathering
            .into_iter()
            .map(|(pattern, gathered)| {
                let collection = summarise(&pattern, gathered);
                let info = AssetInfo {
                    name: pattern.clone(),
                    kind: AssetKind::Collection,
                    row_count: Some(collection.objects),
                    bytes: Some(collection.bytes),
                    partition_columns: Vec::new(),
                    unreadable: None,
                    snapshot: None,
                    share: None,
                };
                (pattern, (info, collection))
            })
            .collect()
    }
}

fn summarise(pattern: &str, gathered: Gathering) -> Collection {
    let words = literal_words(pattern);
    let position = words
        .iter()
        .rev()
        .find_map(|w| {
            POSITIONS.iter().find(|(word, _)| {
                if word.is_ascii() {
                    w == word
                } else {
                    w.contains(word)
                }
            })
        })
        .map(|(_, reported)| *reported);
    let camera = words
        .iter()
        .any(|w| w == "cam" || w == "camera" || w == "cameras" || w.contains("摄像"));
    let mut sample: Vec<ObjectMeta> = gathered.sample.into_iter().map(|r| r.1).collect();
    sample.sort_by(|a, b| a.location.cmp(&b.location));
    Collection {
        class: gathered.class,
        position,
        camera,
        objects: gathered.objects,
        bytes: gathered.bytes,
        first_modified: gathered.first_modified,
        last_modified: gathered.last_modified,
        sample,
    }
}

/// The lower-case words a pattern keeps literally (its placeholders and `*` dropped).
fn literal_words(pattern: &str) -> Vec<String> {
    pattern
        .split(|c: char| !(c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A key's pattern: every path segment folded ([`fold_segment`]), the extension lower-cased.
pub(super) fn key_pattern(key: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let segments: Vec<&str> = key.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if last {
            let (stem, ext) = segment.rsplit_once('.').unwrap_or((segment, ""));
            parts.push(format!(
                "{}.{}",
                fold_segment(stem),
                ext.to_ascii_lowercase()
            ));
        } else if let Some((key, value)) = segment.split_once('=') {
            // A hive-style `dt=2026-11-02` keeps its key.
            parts.push(format!("{key}={}", fold_segment(value)));
        } else {
            parts.push(fold_segment(segment));
        }
    }
    parts.join("/")
}

/// Folds one segment: dates (`2026-11-02`, `20261102`, `2026_11_02`) become `{date}`, a
/// VIN-shaped token `{vin}`, a numbered word its word and `*` (`cam1` → `cam*`), any other
/// token holding a digit `*`; runs of `*` joined by
/// separators become one `*`. Tokens are split on `_`, `-`, `.` and spaces.
pub(super) fn fold_segment(segment: &str) -> String {
    let marked = mark_dates(segment);
    let mut out = String::new();
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        if token.is_empty() {
            return;
        }
        let folded = fold_token(token);
        if folded == "*" && ends_with_star_run(out) {
            // `*_*` → `*`: drop the separator just written.
            out.pop();
        } else {
            out.push_str(&folded);
        }
        token.clear();
    };
    for c in marked.chars() {
        if matches!(c, '_' | '-' | '.' | ' ') {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out.replace(DATE_MARK, "{date}")
}

/// Whether `out` ends with `*` and one separator.
fn ends_with_star_run(out: &str) -> bool {
    let mut rev = out.chars().rev();
    matches!(
        (rev.next(), rev.next()),
        (Some('_' | '-' | '.' | ' '), Some('*'))
    )
}

/// Stands for a date while a segment is split into tokens (a date holds separators itself).
const DATE_MARK: &str = "\u{E000}";

fn fold_token(token: &str) -> String {
    if token == DATE_MARK {
        return token.to_string();
    }
    if vin_shaped(token) {
        return "{vin}".into();
    }
    if !token.chars().any(|c| c.is_ascii_digit()) {
        return token.to_string();
    }
    // A word numbered by a suffix keeps the word: `cam1` → `cam*`, `IMG0001` → `IMG*`.
    let word = token.trim_end_matches(|c: char| c.is_ascii_digit());
    if word.len() >= 2 && word.chars().all(|c| c.is_alphabetic()) {
        return format!("{word}*");
    }
    "*".into()
}

/// 17 characters of the VIN alphabet (no I, O, Q), with letters and at least three digits:
/// the shape only — the check digit is the VIN classifier's to confirm on the sampled keys.
pub(super) fn vin_shaped(token: &str) -> bool {
    let b = token.as_bytes();
    b.len() == 17
        && b.iter()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !b"IOQ".contains(c)))
        && b.iter().filter(|c| c.is_ascii_digit()).count() >= 3
        && b.iter().any(u8::is_ascii_uppercase)
}

/// Replaces every calendar date in `segment` (`YYYY-MM-DD`, `YYYY_MM_DD`, `YYYY.MM.DD`,
/// `YYYYMMDD`, years 1990–2099, not inside a longer run of digits) with [`DATE_MARK`].
fn mark_dates(segment: &str) -> String {
    let b = segment.as_bytes();
    let mut out = String::with_capacity(segment.len());
    let mut i = 0;
    while i < b.len() {
        let preceded_by_digit = i > 0 && b[i - 1].is_ascii_digit();
        if !preceded_by_digit {
            if let Some(len) = date_at(&b[i..]) {
                let followed_by_digit = b.get(i + len).is_some_and(u8::is_ascii_digit);
                if !followed_by_digit {
                    out.push_str(DATE_MARK);
                    i += len;
                    continue;
                }
            }
        }
        let ch = segment[i..].chars().next().expect("i is a char boundary");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// The length of a date starting at `b[0]`, if one does.
fn date_at(b: &[u8]) -> Option<usize> {
    let digits = |s: &[u8]| -> Option<u32> {
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| std::str::from_utf8(s).ok()?.parse().ok())
            .flatten()
    };
    let valid = |y: u32, m: u32, d: u32| {
        (1990..=2099).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
    };
    if b.len() >= 10 && matches!(b[4], b'-' | b'_' | b'.') && b[7] == b[4] {
        let (y, m, d) = (digits(&b[..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
        return valid(y, m, d).then_some(10);
    }
    if b.len() >= 8 {
        let (y, m, d) = (digits(&b[..4])?, digits(&b[4..6])?, digits(&b[6..8])?);
        return valid(y, m, d).then_some(8);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::path::Path;

    fn meta(path: &str, size: u64, secs: i64) -> ObjectMeta {
        ObjectMeta {
            location: Path::from(path),
            last_modified: chrono::DateTime::from_timestamp(secs, 0).unwrap(),
            size,
            e_tag: None,
            version: None,
        }
    }

    #[test]
    fn keys_fold_dates_vins_and_numbers() {
        for (key, pattern) in [
            (
                "adas-raw/front/2026-11-02/LSVAB4BR8KN123456_0001.jpg",
                "adas-raw/front/{date}/{vin}_*.jpg",
            ),
            (
                "adas-raw/front/2026-11-03/LFV2A21K6A3000017_0452.JPG",
                "adas-raw/front/{date}/{vin}_*.jpg",
            ),
            ("dms/20261102/clip_0001_0002.mp4", "dms/{date}/clip_*.mp4"),
            (
                "cams/dt=2026_11_02/IMG-2026.11.02-120001.jpeg",
                "cams/dt={date}/IMG-{date}-*.jpeg",
            ),
            ("cam1/2026/11/02/3f2a9c10-77aa-4b1e.png", "cam*/*/*/*/*.png"),
            ("logo.png", "logo.png"),
            // Twelve digits are no date; a lower-case VIN-length word is no VIN.
            ("x/202611021230.jpg", "x/*.jpg"),
            ("x/abcdefghjklmnprst.jpg", "x/abcdefghjklmnprst.jpg"),
        ] {
            assert_eq!(key_pattern(key), pattern, "{key}");
        }
    }

    #[test]
    fn a_collection_counts_every_object_and_samples_a_spread() {
        let mut objects = Vec::new();
        for day in 1..=3 {
            for n in 0..100 {
                objects.push(meta(
                    &format!("adas-raw/front/2026-11-0{day}/LSVAB4BR8KN123456_{n:04}.jpg"),
                    100 + n,
                    1_700_000_000 + day as i64 * 86_400 + n as i64,
                ));
            }
        }
        objects.push(meta("cabin/dms/2026-11-01/a_1.mp4", 5000, 1_700_000_000));
        objects.push(meta("site/logo.png", 7, 1_600_000_000));
        let groups = group_collections(objects);
        let names: Vec<&str> = groups.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "adas-raw/front/{date}/{vin}_*.jpg",
                "cabin/dms/{date}/a_*.mp4",
                "site/logo.png"
            ]
        );
        let (info, front) = &groups["adas-raw/front/{date}/{vin}_*.jpg"];
        assert_eq!(info.kind, AssetKind::Collection);
        assert_eq!((front.objects, front.bytes), (300, 3 * (100 * 100 + 4950)));
        assert_eq!(info.row_count, Some(300));
        assert_eq!(front.sample.len(), SAMPLE_OBJECTS);
        assert_eq!(
            front.first_modified.unwrap().timestamp(),
            1_700_000_000 + 86_400
        );
        assert_eq!(
            front.last_modified.unwrap().timestamp(),
            1_700_000_000 + 3 * 86_400 + 99
        );
        assert_eq!(front.media_column(), "front_camera_image");
        let dms = &groups["cabin/dms/{date}/a_*.mp4"].1;
        assert_eq!(dms.media_column(), "dms_camera_video");
        assert_eq!(groups["site/logo.png"].1.media_column(), "image");
    }

    #[test]
    fn the_sample_is_a_spread_whatever_the_listing_order() {
        let mut objects = Vec::new();
        for day in 1..=9 {
            for n in 0..2_000 {
                objects.push(meta(
                    &format!("cam/front/2026-11-0{day}/LSVAB4BR8KN123456_{n:04}.jpg"),
                    1,
                    0,
                ));
            }
        }
        let sample = |objects: Vec<ObjectMeta>| {
            let mut groups = group_collections(objects);
            let (_, c) = groups.remove("cam/front/{date}/{vin}_*.jpg").unwrap();
            assert_eq!(c.objects, 18_000);
            c.sample
                .into_iter()
                .map(|m| m.location.to_string())
                .collect::<Vec<_>>()
        };
        let mut reversed = objects.clone();
        reversed.reverse();
        let chosen = sample(objects);
        assert_eq!(chosen, sample(reversed));
        assert_eq!(chosen.len(), SAMPLE_OBJECTS);
        assert!(chosen.windows(2).all(|w| w[0] < w[1]), "in key order");
        // Every day is in it (a random 64 of them miss one of nine days about once in 200
        // draws; the ranks are fixed, so this holds on every run).
        for day in 1..=9 {
            let folder = format!("/2026-11-0{day}/");
            assert!(chosen.iter().any(|k| k.contains(&folder)), "day {day}");
        }
    }

    #[test]
    fn media_is_told_by_extension_and_ambiguous_ones_are_not() {
        assert_eq!(media_class("a/b.JPG"), Some(MediaClass::Image));
        assert_eq!(media_class("a/b.mov"), Some(MediaClass::Video));
        assert_eq!(media_class("src/app.ts"), None);
        assert_eq!(media_class("a/.jpg"), None);
        assert_eq!(media_class("a/report.pdf"), None);
    }
}
