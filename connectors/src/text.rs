//! Text formats: encoding detection, CSV and JSON lines, all read into string columns.

use std::io::{BufRead, Read};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::{Error, Result};

/// Text decoded from a file, and the encoding it was in.
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes UTF-8 (with or without BOM), falling back to GB18030, the superset of GBK that
/// Chinese systems export. Returns an error when neither decodes cleanly.
pub(crate) fn decode(asset: &str, bytes: &[u8]) -> Result<Decoded> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
        }),
        Err(utf8_err) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(Error::invalid(
                    asset,
                    "text",
                    format!(
                        "the bytes are neither UTF-8 ({utf8_err}) nor GB18030/GBK; re-export the file as UTF-8"
                    ),
                ));
            }
            Ok(Decoded {
                text: text.into_owned(),
                encoding: "GB18030",
            })
        }
    }
}

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

/// Drops a trailing partial line when only a prefix of the file was read.
pub(crate) fn cut_partial_line(bytes: &[u8], truncated: bool) -> &[u8] {
    if !truncated {
        return bytes;
    }
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(end) => &bytes[..=end],
        None => bytes,
    }
}

/// String columns built row by row.
struct Columns {
    names: Vec<String>,
    values: Vec<Vec<Option<String>>>,
}

impl Columns {
    fn new(names: Vec<String>) -> Self {
        let values = names.iter().map(|_| Vec::new()).collect();
        Self { names, values }
    }

    fn into_batch(self, asset: &str) -> Result<(SchemaRef, RecordBatch)> {
        let schema: SchemaRef = Arc::new(Schema::new(
            self.names
                .iter()
                .map(|n| Field::new(n, DataType::Utf8, true))
                .collect::<Vec<_>>(),
        ));
        let arrays: Vec<ArrayRef> = self
            .values
            .into_iter()
            .map(|v| Arc::new(StringArray::from(v)) as ArrayRef)
            .collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays)
            .map_err(|e| Error::backend("lake", asset, e))?;
        Ok((schema, batch))
    }
}

/// A parsed text sample: string columns, the rows seen in the read window, and warnings.
pub(crate) struct TextSample {
    pub schema: SchemaRef,
    pub batch: RecordBatch,
    pub rows_seen: u64,
    pub warnings: Vec<String>,
}

/// Parses CSV with a header row. Rows with the wrong number of fields are an error naming the
/// line, because a shifted row silently mislabels every column after it.
pub(crate) fn parse_csv(asset: &str, text: &str, limit: usize) -> Result<TextSample> {
    let mut reader = arrow_csv::reader::Format::default()
        .with_header(true)
        .infer_schema(text.as_bytes(), Some(1))
        .map_err(|e| Error::invalid(asset, "CSV", e))?
        .0;
    // Infer only gave us the header; every column is read as text for classification.
    let names: Vec<String> = reader.fields().iter().map(|f| f.name().clone()).collect();
    if names.is_empty() {
        return Err(Error::invalid(asset, "CSV", "the file has no header row"));
    }
    reader = Schema::new(
        names
            .iter()
            .map(|n| Field::new(n, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    );
    let csv = arrow_csv::ReaderBuilder::new(Arc::new(reader))
        .with_header(true)
        .with_batch_size(8192)
        .build(text.as_bytes())
        .map_err(|e| Error::invalid(asset, "CSV", e))?;
    let mut cols = Columns::new(names);
    let mut rows_seen = 0u64;
    for batch in csv {
        let batch = batch.map_err(|e| {
            Error::invalid(
                asset,
                "CSV",
                format!("{e}; check the delimiter and quoting of that line"),
            )
        })?;
        rows_seen += batch.num_rows() as u64;
        let take = limit
            .saturating_sub(cols.values[0].len())
            .min(batch.num_rows());
        for (i, col) in batch.columns().iter().enumerate() {
            let strings = col
                .as_any()
                .downcast_ref::<StringArray>()
                .expect("CSV columns are read as Utf8");
            cols.values[i].extend(strings.iter().take(take).map(|v| v.map(str::to_string)));
        }
    }
    let (schema, batch) = cols.into_batch(asset)?;
    Ok(TextSample {
        schema,
        batch,
        rows_seen,
        warnings: Vec::new(),
    })
}

/// Parses JSON lines: top-level keys become columns (in order of first appearance); nested
/// values are kept as compact JSON text. Unparseable lines are skipped with a warning, unless
/// no line parses at all.
pub(crate) fn parse_json_lines(asset: &str, text: &str, limit: usize) -> Result<TextSample> {
    let mut names: Vec<String> = Vec::new();
    let mut rows: Vec<serde_json::Map<String, serde_json::Value>> = Vec::new();
    let mut rows_seen = 0u64;
    let mut bad_lines: Vec<usize> = Vec::new();
    let mut first_error = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(map)) => {
                rows_seen += 1;
                if rows.len() < limit {
                    for key in map.keys() {
                        if !names.contains(key) {
                            names.push(key.clone());
                        }
                    }
                    rows.push(map);
                }
            }
            Ok(_) => bad_lines.push(n + 1),
            Err(e) => {
                first_error.get_or_insert(e.to_string());
                bad_lines.push(n + 1);
            }
        }
    }
    if rows_seen == 0 {
        let why = first_error.unwrap_or_else(|| "no line holds a JSON object".into());
        return Err(Error::invalid(asset, "JSON lines", why));
    }
    let mut warnings = Vec::new();
    if !bad_lines.is_empty() {
        let shown: Vec<String> = bad_lines.iter().take(5).map(|n| n.to_string()).collect();
        warnings.push(format!(
            "{} line(s) were not JSON objects and were skipped (lines {}{})",
            bad_lines.len(),
            shown.join(", "),
            if bad_lines.len() > 5 { ", …" } else { "" }
        ));
    }
    let mut cols = Columns::new(names.clone());
    for row in &rows {
        for (i, name) in names.iter().enumerate() {
            let value = match row.get(name) {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
            };
            cols.values[i].push(value);
        }
    }
    let (schema, batch) = cols.into_batch(asset)?;
    Ok(TextSample {
        schema,
        batch,
        rows_seen,
        warnings,
    })
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

    fn column(sample: &TextSample, i: usize) -> Vec<Option<&str>> {
        sample
            .batch
            .column(i)
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap()
            .iter()
            .collect()
    }

    #[test]
    fn decodes_gbk_exports() {
        let (bytes, _, _) = encoding_rs::GBK.encode("客户姓名,金额\n张三,10\n");
        let d = decode("x.csv", &bytes).unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert!(d.text.starts_with("客户姓名,金额"));
    }

    #[test]
    fn utf8_with_bom_stays_utf8() {
        let d = decode("x.csv", "\u{feff}a,b\n".as_bytes()).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-8", "a,b\n"));
    }

    #[test]
    fn csv_reads_all_columns_as_text_and_respects_limit() {
        let s = parse_csv("t.csv", "id,phone\n1,\"138 0013 8000\"\n2,\n3,x\n", 2).unwrap();
        assert_eq!(s.rows_seen, 3);
        assert_eq!(s.batch.num_rows(), 2);
        assert_eq!(column(&s, 0), vec![Some("1"), Some("2")]);
        assert_eq!(column(&s, 1)[0], Some("138 0013 8000"));
    }

    #[test]
    fn ragged_csv_is_an_error_naming_the_asset() {
        let err = parse_csv("bad.csv", "a,b,c\n1,2,3\n4,5\n", 10)
            .err()
            .unwrap();
        let msg = err.to_string();
        assert!(msg.contains("bad.csv") && msg.contains("CSV"), "{msg}");
    }

    #[test]
    fn json_lines_flatten_top_level_keys_and_skip_bad_lines() {
        let text = "{\"a\":\"x\",\"n\":{\"k\":1}}\nnot json\n{\"b\":2}\n";
        let s = parse_json_lines("e.jsonl", text, 10).unwrap();
        assert_eq!(s.schema.fields().len(), 3);
        assert_eq!(column(&s, 1), vec![Some("{\"k\":1}"), None]);
        assert_eq!(column(&s, 2), vec![None, Some("2")]);
        assert_eq!(s.rows_seen, 2);
        assert!(s.warnings[0].contains("lines 2"), "{:?}", s.warnings);
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

    #[test]
    fn neither_utf8_nor_gb18030_is_a_clear_error() {
        // 0xFF is not a valid byte in either encoding.
        let err = decode("bad.csv", b"a,b\n\xff\xff,1\n").err().unwrap();
        let msg = err.to_string();
        assert!(
            msg.contains("bad.csv") && msg.contains("re-export the file as UTF-8"),
            "{msg}"
        );
    }

    #[test]
    fn json_lines_with_no_object_is_an_error() {
        assert!(parse_json_lines("e.jsonl", "[1,2]\n", 10).is_err());
    }
}
