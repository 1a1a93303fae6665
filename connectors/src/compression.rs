//! Compressed text files: telling gzip and zstd by name, decompressing the start of a file
//! for a sample's window, and wording a cut or corrupt stream. Decoding and parsing are the
//! one text reader's (`text`).

use std::io::{BufRead, Read};

use crate::{Error, Result};

/// How a text file is compressed, judged by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// `.gz`/`.gzip` is gzip, `.zst`/`.zstd` is zstd (case-insensitive), anything else plain.
    pub(crate) fn of(name: &str) -> Self {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("gz" | "gzip") => Compression::Gzip,
            Some("zst" | "zstd") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Compression::None => "text",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// A streaming decoder over `compressed` (a slice for a sample's window, a buffered
    /// object stream for a full pass). Gzip accepts several concatenated members
    /// (`cat a.gz b.gz`, bgzip, Hadoop output), as zstd accepts several frames.
    pub(crate) fn reader<'a>(
        self,
        asset: &str,
        compressed: impl BufRead + 'a,
    ) -> Result<Box<dyn Read + 'a>> {
        Ok(match self {
            Compression::None => Box::new(compressed),
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(compressed)),
            Compression::Zstd => Box::new(
                zstd::stream::read::Decoder::with_buffer(compressed)
                    .map_err(|e| Error::invalid(asset, "zstd", e))?,
            ),
        })
    }
}

/// The error for a decompressor that failed after `decoded` bytes of output: a stream that
/// ends early is a truncated file, anything else corrupt data.
pub(crate) fn stream_error(
    asset: &str,
    compression: Compression,
    e: &std::io::Error,
    decoded: usize,
) -> Error {
    if is_unexpected_end(e) {
        Error::invalid(
            asset,
            compression.name(),
            format!(
                "the {} stream ends early; the file is truncated — re-copy it",
                compression.name()
            ),
        )
    } else {
        corrupt(asset, compression, e, decoded)
    }
}

/// The decompressed start of a compressed file.
pub(crate) struct DecompressedWindow {
    /// At most `window` bytes of text.
    pub bytes: Vec<u8>,
    /// More text follows: the window filled up, or only a prefix of the file was given.
    pub more: bool,
    /// The whole file was given, and its compressed stream stops before its end: the file
    /// was cut short (an interrupted copy or download).
    pub ended_early: bool,
}

/// Whether a decoder error means "the compressed input ran out mid-stream".
fn is_unexpected_end(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::UnexpectedEof
}

/// Decompresses the start of a file, stopping after `window` bytes of output.
///
/// `compressed` is the first bytes of the file, `whole` says whether it is all of it. Output
/// is bounded by `window` however well the data compresses (a 1 MiB gzip bomb inflating to
/// 1 GiB costs `window` bytes of memory, not 1 GiB), and the decoder stops there.
///
/// # Errors
/// [`Error::InvalidData`] when the data is not valid gzip/zstd. A stream that ends early is
/// not an error here: it is reported in [`DecompressedWindow::ended_early`] (when `whole`)
/// so the caller can still sample the complete rows before the cut.
pub(crate) fn decompress_prefix(
    asset: &str,
    compression: Compression,
    compressed: &[u8],
    whole: bool,
    window: usize,
) -> Result<DecompressedWindow> {
    let mut bytes = Vec::new();
    let reader = compression.reader(asset, compressed)?;
    let result = reader.take(window as u64 + 1).read_to_end(&mut bytes);
    let mut out = DecompressedWindow {
        more: false,
        ended_early: false,
        bytes,
    };
    match result {
        Ok(_) => {}
        Err(e) if is_unexpected_end(&e) => {
            out.more = true;
            out.ended_early = whole;
        }
        Err(e) => return Err(corrupt(asset, compression, &e, out.bytes.len())),
    }
    if out.bytes.len() > window {
        out.bytes.truncate(window);
        out.more = true;
    }
    Ok(out)
}

fn corrupt(asset: &str, compression: Compression, e: &std::io::Error, decoded: usize) -> Error {
    Error::invalid(
        asset,
        compression.name(),
        format!(
            "the {} data is corrupt after {decoded} decompressed bytes ({e}); check that the \
             file really is {} and re-copy it",
            compression.name(),
            compression.name()
        ),
    )
}

/// Drops a trailing partial record when only a prefix of the file was read: everything after
/// the last `end` byte (a newline, or a JSON object's closing brace). Both are ASCII, so the
/// cut never splits a UTF-8 character.
pub(crate) fn cut_partial_record(bytes: &[u8], truncated: bool, end: u8) -> &[u8] {
    if !truncated {
        return bytes;
    }
    match bytes.iter().rposition(|&b| b == end) {
        Some(end) => &bytes[..=end],
        None => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decompresses a whole file the way the full pass reads it.
    fn decompress_all(asset: &str, compression: Compression, bytes: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        match compression.reader(asset, bytes)?.read_to_end(&mut out) {
            Ok(_) => Ok(out),
            Err(e) => Err(stream_error(asset, compression, &e, out.len())),
        }
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn compression_by_name() {
        assert_eq!(Compression::of("a.csv.GZ"), Compression::Gzip);
        assert_eq!(Compression::of("a.jsonl.zst"), Compression::Zstd);
        assert_eq!(Compression::of("a.csv"), Compression::None);
    }

    #[test]
    fn decompression_stops_at_the_window_however_well_the_data_compresses() {
        // 64 MiB of zeros is about 64 KiB of gzip; only the window is ever inflated.
        let bomb = gzip(&vec![0u8; 64 << 20]);
        assert!(bomb.len() < 1 << 20);
        let w = decompress_prefix("bomb.csv.gz", Compression::Gzip, &bomb, true, 1 << 20).unwrap();
        assert_eq!(w.bytes.len(), 1 << 20);
        assert!(w.more && !w.ended_early);
        let z = zstd::encode_all(&vec![b'a'; 4 << 20][..], 1).unwrap();
        let w = decompress_prefix("a.csv.zst", Compression::Zstd, &z, true, 1000).unwrap();
        assert_eq!((w.bytes.len(), w.more), (1000, true));
    }

    #[test]
    fn a_cut_stream_is_reported_only_when_the_whole_file_was_read() {
        let text: String = (0..2000).map(|i| format!("{i},row {i}\n")).collect();
        let gz = gzip(text.as_bytes());
        let cut = &gz[..gz.len() / 2];
        let w = decompress_prefix("t.csv.gz", Compression::Gzip, cut, true, 1 << 20).unwrap();
        assert!(w.ended_early && w.more);
        assert!(!w.bytes.is_empty() && text.as_bytes().starts_with(&w.bytes));
        let w = decompress_prefix("t.csv.gz", Compression::Gzip, cut, false, 1 << 20).unwrap();
        assert!(!w.ended_early && w.more);
        let err = decompress_all("t.csv.gz", Compression::Gzip, cut)
            .err()
            .unwrap();
        assert!(err.to_string().contains("ends early"), "{err}");
        let z = zstd::encode_all(text.as_bytes(), 1).unwrap();
        let w = decompress_prefix(
            "t.csv.zst",
            Compression::Zstd,
            &z[..z.len() - 10],
            true,
            1 << 20,
        )
        .unwrap();
        assert!(w.ended_early, "a cut zstd frame is noticed too");
    }

    #[test]
    fn garbage_is_corrupt_not_truncated() {
        let err = decompress_all("x.csv.gz", Compression::Gzip, b"this is not gzip at all")
            .err()
            .unwrap();
        assert!(err.to_string().contains("x.csv.gz"), "{err}");
    }
}
