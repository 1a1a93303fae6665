//! Tiny valid camera files for tests, built byte by byte: a 1×1 grey baseline JPEG with an
//! EXIF block (make, model, capture time, optional GPS), and an MP4 with a `mvhd` creation
//! time and an optional `©xyz` location, its `moov` before or after a `mdat` of any size.
//!
//! Self-contained (no `super::`), so scanner tests include it by path.
#![allow(dead_code)]

/// What a test image's EXIF block says.
#[derive(Debug, Clone)]
pub struct Exif<'a> {
    pub make: &'a str,
    pub model: &'a str,
    /// `YYYY:MM:DD HH:MM:SS`, as EXIF writes it.
    pub taken: &'a str,
    /// `(latitude, longitude)` in signed degrees.
    pub gps: Option<(f64, f64)>,
}

/// One IFD entry's value: bytes (inline when at most 4, else in the data area) or the
/// offset of another IFD of the same file.
enum Value {
    Bytes(Vec<u8>),
    Ifd(usize),
}

struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    value: Value,
}

fn ascii(tag: u16, text: &str) -> Entry {
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    Entry {
        tag,
        kind: 2,
        count: bytes.len() as u32,
        value: Value::Bytes(bytes),
    }
}

/// Degrees as three rationals: degrees, minutes, seconds (to 1/10000 s).
fn dms(tag: u16, degrees: f64) -> Entry {
    let d = degrees.abs();
    let whole = d.floor();
    let minutes = ((d - whole) * 60.0).floor();
    let seconds = ((d - whole) * 60.0 - minutes) * 60.0;
    let mut bytes = Vec::new();
    for (num, den) in [
        (whole as u32, 1u32),
        (minutes as u32, 1),
        ((seconds * 10_000.0).round() as u32, 10_000),
    ] {
        bytes.extend_from_slice(&num.to_le_bytes());
        bytes.extend_from_slice(&den.to_le_bytes());
    }
    Entry {
        tag,
        kind: 5,
        count: 3,
        value: Value::Bytes(bytes),
    }
}

/// A little-endian TIFF holding `ifds` one after another, the first being IFD0.
fn tiff(ifds: &[Vec<Entry>]) -> Vec<u8> {
    let size = |entries: &Vec<Entry>| -> usize {
        let data: usize = entries
            .iter()
            .map(|e| match &e.value {
                Value::Bytes(b) if b.len() > 4 => b.len() + b.len() % 2,
                _ => 0,
            })
            .sum();
        2 + 12 * entries.len() + 4 + data
    };
    let mut offsets = Vec::new();
    let mut at = 8usize;
    for ifd in ifds {
        offsets.push(at);
        at += size(ifd);
    }
    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&8u32.to_le_bytes());
    for (ifd, &start) in ifds.iter().zip(&offsets) {
        let mut data_at = start + 2 + 12 * ifd.len() + 4;
        let mut data = Vec::new();
        out.extend_from_slice(&(ifd.len() as u16).to_le_bytes());
        for e in ifd {
            out.extend_from_slice(&e.tag.to_le_bytes());
            out.extend_from_slice(&e.kind.to_le_bytes());
            out.extend_from_slice(&e.count.to_le_bytes());
            match &e.value {
                Value::Ifd(i) => out.extend_from_slice(&(offsets[*i] as u32).to_le_bytes()),
                Value::Bytes(b) if b.len() <= 4 => {
                    let mut inline = b.clone();
                    inline.resize(4, 0);
                    out.extend_from_slice(&inline);
                }
                Value::Bytes(b) => {
                    out.extend_from_slice(&(data_at as u32).to_le_bytes());
                    data.extend_from_slice(b);
                    if b.len() % 2 == 1 {
                        data.push(0);
                    }
                    data_at += b.len() + b.len() % 2;
                }
            }
        }
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&data);
    }
    out
}

/// The EXIF APP1 payload (`Exif\0\0` and a TIFF) for `exif`.
fn exif_block(exif: &Exif<'_>) -> Vec<u8> {
    let mut ifd0 = vec![ascii(0x010F, exif.make), ascii(0x0110, exif.model)];
    ifd0.push(Entry {
        tag: 0x8769,
        kind: 4,
        count: 1,
        value: Value::Ifd(1),
    });
    let mut ifds = vec![ifd0, vec![ascii(0x9003, exif.taken)]];
    if let Some((lat, lon)) = exif.gps {
        ifds[0].push(Entry {
            tag: 0x8825,
            kind: 4,
            count: 1,
            value: Value::Ifd(2),
        });
        ifds.push(vec![
            ascii(1, if lat < 0.0 { "S" } else { "N" }),
            dms(2, lat),
            ascii(3, if lon < 0.0 { "W" } else { "E" }),
            dms(4, lon),
        ]);
    }
    let mut block = b"Exif\0\0".to_vec();
    block.extend_from_slice(&tiff(&ifds));
    block
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A decodable 1×1 grey baseline JPEG, with an EXIF block when `exif` is given.
pub fn jpeg(exif: Option<&Exif<'_>>) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    if let Some(exif) = exif {
        out.extend(segment(0xE1, &exif_block(exif)));
    }
    // One quantisation table of ones.
    let mut dqt = vec![0u8];
    dqt.extend([1u8; 64]);
    out.extend(segment(0xDB, &dqt));
    // 8-bit, 1×1, one component (id 1, no subsampling, table 0).
    out.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    // DC and AC tables with one 1-bit code each: DC category 0, AC end-of-block.
    for class in [0x00u8, 0x10] {
        let mut dht = vec![class, 1];
        dht.extend([0u8; 15]);
        dht.push(0);
        out.extend(segment(0xC4, &dht));
    }
    out.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
    // The two codes (`0`, `0`), padded with ones.
    out.push(0b0011_1111);
    out.extend([0xFF, 0xD9]);
    out
}

fn mp4_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend_from_slice(kind);
    b.extend_from_slice(payload);
    b
}

/// An MP4 created at `unix_secs`, with an ISO 6709 `location` (`+31.2304+121.4737/`) in a
/// `©xyz` atom when given, and `mdat_bytes` of media data; `moov_last` puts the index after
/// the media as cameras write it.
pub fn mp4(unix_secs: i64, location: Option<&str>, mdat_bytes: usize, moov_last: bool) -> Vec<u8> {
    let mut mvhd = vec![0u8; 100];
    let since_1904 = (unix_secs + 2_082_844_800) as u32;
    mvhd[4..8].copy_from_slice(&since_1904.to_be_bytes());
    mvhd[8..12].copy_from_slice(&since_1904.to_be_bytes());
    let mut children = mp4_box(b"mvhd", &mvhd);
    if let Some(location) = location {
        let mut xyz = (location.len() as u16).to_be_bytes().to_vec();
        xyz.extend_from_slice(&[0x15, 0xC7]);
        xyz.extend_from_slice(location.as_bytes());
        children.extend(mp4_box(b"udta", &mp4_box(b"\xA9xyz", &xyz)));
    }
    let moov = mp4_box(b"moov", &children);
    let ftyp = mp4_box(b"ftyp", b"isom\0\0\x02\0isomiso2mp41");
    let mdat = mp4_box(b"mdat", &vec![0u8; mdat_bytes]);
    if moov_last {
        [ftyp, mdat, moov].concat()
    } else {
        [ftyp, moov, mdat].concat()
    }
}
