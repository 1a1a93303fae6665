//! What the first bytes of an image or video say: its content type (magic bytes, never the
//! name), and the metadata that makes camera data personal or important — where (EXIF GPS,
//! the MP4/MOV `©xyz` atom), when (EXIF `DateTimeOriginal`, the `mvhd` creation time) and
//! with what camera (EXIF make and model).
//!
//! EXIF is parsed by `kamadak-exif`; the few MP4 boxes are walked here, since no light crate
//! reads just those.

use std::io::Cursor;

/// What one object's first bytes showed.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Probe {
    /// `image/jpeg`, `video/mp4`, …; `application/octet-stream` when no signature matched.
    pub(super) content_type: &'static str,
    /// Capture time as `YYYY-MM-DDTHH:MM:SS` (EXIF local time, MP4 UTC).
    pub(super) captured: Option<String>,
    /// Camera make and model.
    pub(super) camera_model: Option<String>,
    /// `(longitude, latitude)` in degrees.
    pub(super) gps: Option<(f64, f64)>,
}

/// Tells a content type by its leading bytes.
pub(super) fn content_type(b: &[u8]) -> &'static str {
    let starts = |sig: &[u8]| b.starts_with(sig);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        "image/gif"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "image/tiff"
    } else if starts(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        "image/webp"
    } else if starts(b"RIFF") && b.get(8..12) == Some(b"AVI ") {
        "video/x-msvideo"
    } else if b.get(4..8) == Some(b"ftyp") {
        match b.get(8..12) {
            Some(b"heic" | b"heix" | b"heim" | b"heis" | b"mif1" | b"msf1") => "image/heic",
            Some(b"avif" | b"avis") => "image/avif",
            Some(b"qt  ") => "video/quicktime",
            _ => "video/mp4",
        }
    } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        "video/x-matroska"
    } else if starts(b"FLV") {
        "video/x-flv"
    } else if starts(&[0, 0, 0, 1]) || starts(&[0, 0, 1]) {
        "video/h264"
    } else if starts(b"BM") && b.len() > 14 {
        "image/bmp"
    } else {
        "application/octet-stream"
    }
}

/// Reads what `head` (the first bytes of an object) holds. Metadata past the bytes given is
/// not looked for here; for MP4 see [`top_level_boxes`].
pub(super) fn probe_head(head: &[u8]) -> Probe {
    let content_type = content_type(head);
    let mut probe = Probe {
        content_type,
        ..Probe::default()
    };
    if content_type.starts_with("image/") {
        exif_into(head, &mut probe);
    } else if matches!(content_type, "video/mp4" | "video/quicktime") {
        if let Some(moov) = find_box(head, b"moov") {
            movie_into(moov, &mut probe);
        }
    }
    probe
}

/// Fills capture time, camera and GPS from the EXIF block of an image, when it has one.
fn exif_into(head: &[u8], probe: &mut Probe) {
    use exif::{In, Tag};
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(head)) else {
        return;
    };
    let text = |tag: Tag| -> Option<String> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            exif::Value::Ascii(parts) => {
                let s = String::from_utf8_lossy(parts.first()?);
                let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
                (!s.is_empty()).then(|| s.to_string())
            }
            _ => None,
        }
    };
    let degrees = |tag: Tag| -> Option<f64> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            exif::Value::Rational(r) if r.len() == 3 && r.iter().all(|x| x.denom != 0) => {
                Some(r[0].to_f64() + r[1].to_f64() / 60.0 + r[2].to_f64() / 3600.0)
            }
            _ => None,
        }
    };
    probe.captured = text(Tag::DateTimeOriginal)
        .or_else(|| text(Tag::DateTime))
        .and_then(|t| exif_time(&t));
    probe.camera_model = match (text(Tag::Make), text(Tag::Model)) {
        (Some(make), Some(model)) if model.starts_with(&make) => Some(model),
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (make, model) => make.or(model),
    };
    if let (Some(lat), Some(lon)) = (degrees(Tag::GPSLatitude), degrees(Tag::GPSLongitude)) {
        let sign = |tag: Tag, negative: &str| {
            if text(tag).is_some_and(|r| r.eq_ignore_ascii_case(negative)) {
                -1.0
            } else {
                1.0
            }
        };
        let (lon, lat) = (
            lon * sign(Tag::GPSLongitudeRef, "W"),
            lat * sign(Tag::GPSLatitudeRef, "S"),
        );
        if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
            probe.gps = Some((lon, lat));
        }
    }
}

/// `2026:11:02 08:15:30` → `2026-11-02T08:15:30`.
fn exif_time(t: &str) -> Option<String> {
    let b = t.as_bytes();
    let ok = b.len() >= 19
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && &t[..4] != "0000";
    ok.then(|| format!("{}-{}-{}T{}", &t[..4], &t[5..7], &t[8..10], &t[11..19]))
}

/// One box: its type and where its payload lies in the buffer it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BoxHeader {
    pub(super) kind: [u8; 4],
    /// Offset of the box from the start of the buffer (or file).
    pub(super) start: u64,
    /// Header length (8, or 16 with a 64-bit size).
    pub(super) header: u64,
    /// Whole box length; `None` for a box that runs to the end of the file.
    pub(super) len: Option<u64>,
}

/// Parses the box header at the start of `b`, found at offset `start`.
pub(super) fn box_header(b: &[u8], start: u64) -> Option<BoxHeader> {
    let size = u32::from_be_bytes(b.get(..4)?.try_into().ok()?) as u64;
    let kind: [u8; 4] = b.get(4..8)?.try_into().ok()?;
    let (header, len) = match size {
        0 => (8, None),
        1 => (16, Some(u64::from_be_bytes(b.get(8..16)?.try_into().ok()?))),
        n => (8, Some(n)),
    };
    if len.is_some_and(|l| l < header) {
        return None;
    }
    Some(BoxHeader {
        kind,
        start,
        header,
        len,
    })
}

/// The top-level boxes of a file whose first bytes are `head`, as far as `head` reaches:
/// the headers found, and the offset of the next header past `head` (to be read with another
/// ranged request), if the file goes on.
pub(super) fn top_level_boxes(head: &[u8]) -> (Vec<BoxHeader>, Option<u64>) {
    let mut found = Vec::new();
    let mut at = 0u64;
    loop {
        let Some(rest) = head.get(at as usize..) else {
            return (found, Some(at));
        };
        if rest.len() < 16 {
            return (found, Some(at));
        }
        let Some(h) = box_header(rest, at) else {
            return (found, None);
        };
        found.push(h);
        match h.len {
            Some(len) => at += len,
            None => return (found, None),
        }
    }
}

/// The payload of the first box of type `kind` among the boxes that fill `b`.
fn find_box<'a>(b: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    let mut at = 0usize;
    while at + 8 <= b.len() {
        let h = box_header(&b[at..], at as u64)?;
        let len = h.len.map_or(b.len() - at, |l| l as usize);
        let end = at.checked_add(len)?.min(b.len());
        if &h.kind == kind {
            return b.get(at + h.header as usize..end);
        }
        if len == 0 {
            return None;
        }
        at += len;
    }
    None
}

/// Fills capture time and GPS from a `moov` payload: `mvhd`'s creation time, and a `©xyz`
/// ISO 6709 location under `udta` (directly, or in an `ilst` of a `meta` box).
pub(super) fn movie_into(moov: &[u8], probe: &mut Probe) {
    if let Some(mvhd) = find_box(moov, b"mvhd") {
        probe.captured = mvhd_time(mvhd);
    }
    let Some(udta) = find_box(moov, b"udta") else {
        return;
    };
    let xyz = find_box(udta, b"\xA9xyz").or_else(|| {
        // `meta` is a full box: four bytes of version and flags before its children.
        let meta = find_box(udta, b"meta")?;
        let ilst = find_box(meta.get(4..)?, b"ilst")?;
        find_box(ilst, b"\xA9xyz")
    });
    if let Some(text) = xyz.and_then(xyz_text) {
        probe.gps = iso6709(&text);
    }
}

/// The text of a `©xyz` payload: a QuickTime user-data string (length, language, text) or
/// an `ilst` item holding a `data` box (type, locale, text).
fn xyz_text(payload: &[u8]) -> Option<String> {
    if let Some(data) = find_box(payload, b"data") {
        return Some(String::from_utf8_lossy(data.get(8..)?).into_owned());
    }
    let len = u16::from_be_bytes(payload.get(..2)?.try_into().ok()?) as usize;
    let text = payload.get(4..4 + len)?;
    Some(String::from_utf8_lossy(text).into_owned())
}

/// `+31.2304+121.4737+012.5/` → (121.4737, 31.2304).
fn iso6709(text: &str) -> Option<(f64, f64)> {
    let t = text.trim().trim_end_matches('/');
    let mut cuts: Vec<usize> = t
        .char_indices()
        .filter(|&(_, c)| c == '+' || c == '-')
        .map(|(i, _)| i)
        .collect();
    cuts.push(t.len());
    if cuts.len() < 3 || cuts[0] != 0 {
        return None;
    }
    let lat: f64 = t[cuts[0]..cuts[1]].parse().ok()?;
    let lon: f64 = t[cuts[1]..cuts[2]].parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lon, lat))
}

/// `mvhd`'s creation time (seconds since 1904-01-01 UTC), or `None` when unset.
fn mvhd_time(mvhd: &[u8]) -> Option<String> {
    const FROM_1904: i64 = 2_082_844_800;
    let secs = match mvhd.first()? {
        0 => u32::from_be_bytes(mvhd.get(4..8)?.try_into().ok()?) as i64,
        1 => i64::try_from(u64::from_be_bytes(mvhd.get(4..12)?.try_into().ok()?)).ok()?,
        _ => return None,
    };
    if secs == 0 {
        return None;
    }
    let t = chrono::DateTime::from_timestamp(secs - FROM_1904, 0)?;
    Some(t.format("%Y-%m-%dT%H:%M:%S").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mp4_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(payload);
        b
    }

    fn movie(location: &str) -> Vec<u8> {
        let mut mvhd = vec![0u8; 100];
        // 2026-11-02T08:00:00Z in seconds since 1904.
        let secs = (1_793_606_400i64 + 2_082_844_800) as u32;
        mvhd[4..8].copy_from_slice(&secs.to_be_bytes());
        let mut xyz = (location.len() as u16).to_be_bytes().to_vec();
        xyz.extend_from_slice(&[0x15, 0xC7]);
        xyz.extend_from_slice(location.as_bytes());
        let udta = mp4_box(b"udta", &mp4_box(b"\xA9xyz", &xyz));
        let moov = mp4_box(b"moov", &[mp4_box(b"mvhd", &mvhd), udta].concat());
        [
            mp4_box(b"ftyp", b"isom\0\0\x02\0isommp41"),
            moov,
            mp4_box(b"mdat", &[0u8; 32]),
        ]
        .concat()
    }

    #[test]
    fn mp4_creation_time_and_location_are_read() {
        let file = movie("+31.2304+121.4737+012.500/");
        let p = probe_head(&file);
        assert_eq!(p.content_type, "video/mp4");
        assert_eq!(p.captured.as_deref(), Some("2026-11-02T08:00:00"));
        assert_eq!(p.gps, Some((121.4737, 31.2304)));
        let (boxes, next) = top_level_boxes(&file);
        let kinds: Vec<&[u8]> = boxes.iter().map(|b| &b.kind[..]).collect();
        assert_eq!(kinds, [&b"ftyp"[..], b"moov", b"mdat"]);
        assert_eq!(next, Some(file.len() as u64));
        // A head cut inside `moov`: the walk stops at the box and says where it is.
        let (boxes, next) = top_level_boxes(&file[..30]);
        assert_eq!(boxes.len(), 1);
        assert_eq!(next, Some(boxes[0].len.unwrap()));
    }

    #[test]
    fn signatures_not_names_tell_the_type() {
        assert_eq!(content_type(&[0xFF, 0xD8, 0xFF, 0xE1]), "image/jpeg");
        assert_eq!(content_type(b"\x89PNG\r\n\x1a\n...."), "image/png");
        assert_eq!(content_type(b"\0\0\0\x18ftypheic...."), "image/heic");
        assert_eq!(content_type(b"\0\0\0\x14ftypqt  ...."), "video/quicktime");
        assert_eq!(content_type(b"%PDF-1.7"), "application/octet-stream");
        assert_eq!(iso6709("-33.8688+151.2093/"), Some((151.2093, -33.8688)));
        assert_eq!(iso6709("garbage"), None);
        assert_eq!(
            exif_time("2026:11:02 08:15:30"),
            Some("2026-11-02T08:15:30".into())
        );
        assert_eq!(exif_time("0000:00:00 00:00:00"), None);
    }
}
