//! The one text reader (CSV or JSON lines): decompress, decode and parse as one stream, so
//! memory stays bounded whatever the file size. A full pass runs it over the whole object on
//! a blocking thread; a sample runs it over the window it fetched, with a row limit.
//!
//! Layers, each a [`Read`]: the object's bytes ([`StoreReader`]), the decompressor
//! ([`Tagged`] around it), the decoder to UTF-8 ([`Utf8Reader`]), then the CSV or line
//! parser. A layer that fails records a complete, actionable [`Error`] in a shared
//! [`Failure`] slot and returns a plain I/O error upward; the first recorded failure is what
//! the caller reports, so a cut gzip stream is reported as such, not as a CSV error.

use std::io::{self, BufReader, Read};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;

use crate::avro::AvroRecords;
use crate::batch::{resolve_columns, utf8_schema, BatchSender, StringRows};
use crate::compression::Compression;
use crate::csv_guard::CsvGuard;
use crate::delimited;
use crate::json_records::{json_rows, JsonDocument, JsonLines, JsonShape};
use crate::lake::TEXT_WINDOW_BYTES;
use crate::{Error, FileFormat, Result};

/// Bytes read from the layer below per decode step.
const READ_CHUNK: usize = 256 << 10;

/// The first failure of any layer.
#[derive(Clone, Default)]
pub(crate) struct Failure(Arc<Mutex<Option<Error>>>);

impl Failure {
    /// Records `error` unless an earlier layer already failed; returns an I/O error for the
    /// layer above.
    pub(crate) fn record(&self, error: Error) -> io::Error {
        let mut slot = self.0.lock().expect("not poisoned");
        slot.get_or_insert(error);
        io::Error::other("see the recorded failure")
    }

    pub(crate) fn take(&self) -> Option<Error> {
        self.0.lock().expect("not poisoned").take()
    }

    fn is_set(&self) -> bool {
        self.0.lock().expect("not poisoned").is_some()
    }
}

/// The bytes of an object, pulled chunk by chunk from its async stream.
pub(crate) struct StoreReader<F> {
    stream: BoxStream<'static, object_store::Result<Bytes>>,
    chunk: Bytes,
    runtime: tokio::runtime::Handle,
    map_error: F,
    failure: Failure,
}

impl<F: Fn(object_store::Error) -> Error> StoreReader<F> {
    pub(crate) fn new(
        stream: BoxStream<'static, object_store::Result<Bytes>>,
        runtime: tokio::runtime::Handle,
        map_error: F,
        failure: Failure,
    ) -> Self {
        Self {
            stream,
            chunk: Bytes::new(),
            runtime,
            map_error,
            failure,
        }
    }
}

impl<F: Fn(object_store::Error) -> Error> Read for StoreReader<F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            match self.runtime.block_on(self.stream.next()) {
                None => return Ok(0),
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(e)) => return Err(self.failure.record((self.map_error)(e))),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}

/// A decompressor whose errors are recorded as truncated or corrupt data of the asset.
struct Tagged<R> {
    inner: R,
    asset: String,
    compression: Compression,
    decoded: usize,
    failure: Failure,
}

impl<R: Read> Read for Tagged<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.decoded += n;
                Ok(n)
            }
            Err(e) if self.failure.is_set() => Err(e),
            Err(e) => Err(self.failure.record(crate::compression::stream_error(
                &self.asset,
                self.compression,
                &e,
                self.decoded,
            ))),
        }
    }
}

/// The encoding of the text, judged like a sample judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Nothing decided yet: the look-ahead window is still filling.
    Undecided,
    /// UTF-8, and every byte so far was ASCII: a later non-UTF-8 byte means GB18030 (which
    /// reads ASCII the same), not an error.
    Ascii,
    Utf8,
    Gb18030,
}

/// Decodes UTF-8 (BOM dropped) or GB18030 text to UTF-8, incrementally. The encoding is
/// chosen on the first [`TEXT_WINDOW_BYTES`] as the sample does: UTF-8 if that window is
/// valid UTF-8, GB18030 otherwise.
struct Utf8Reader<R> {
    inner: R,
    asset: String,
    mode: Mode,
    gb18030: encoding_rs::Decoder,
    /// The GB18030 decoder has been told the input ended (it must not be used again).
    gb18030_done: bool,
    /// Raw bytes not decoded yet.
    raw: Vec<u8>,
    /// Bytes of the file consumed before `raw`, for error positions.
    offset: u64,
    eof: bool,
    out: Vec<u8>,
    pos: usize,
    failure: Failure,
}

impl<R: Read> Utf8Reader<R> {
    fn new(inner: R, asset: &str, failure: Failure) -> Self {
        Self {
            inner,
            asset: asset.to_string(),
            mode: Mode::Undecided,
            gb18030: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            gb18030_done: false,
            raw: Vec::new(),
            offset: 0,
            eof: false,
            out: Vec::new(),
            pos: 0,
            failure,
        }
    }

    /// Reads more raw bytes; `false` at the end of the input.
    fn read_raw(&mut self, want: usize) -> io::Result<bool> {
        let start = self.raw.len();
        self.raw.resize(start + want, 0);
        let n = loop {
            match self.inner.read(&mut self.raw[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.raw.truncate(start);
                    return Err(e);
                }
            }
        };
        self.raw.truncate(start + n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// The encoding chosen (`UTF-8` until the first bytes are decoded).
    fn encoding(&self) -> &'static str {
        match self.mode {
            Mode::Gb18030 => "GB18030",
            Mode::Undecided | Mode::Ascii | Mode::Utf8 => "UTF-8",
        }
    }

    fn fail(&self, detail: String) -> io::Error {
        self.failure
            .record(Error::invalid(&self.asset, "text", detail))
    }

    /// Chooses the encoding from the look-ahead window (and drops a UTF-8 BOM).
    fn decide(&mut self) -> io::Result<()> {
        while !self.eof && self.raw.len() < TEXT_WINDOW_BYTES as usize {
            self.read_raw(READ_CHUNK)?;
        }
        if self.raw.starts_with(b"\xEF\xBB\xBF") {
            self.raw.drain(..3);
            self.offset += 3;
        }
        let ascii_or_utf8 = |prefix: &[u8]| {
            if prefix.is_ascii() {
                Mode::Ascii
            } else {
                Mode::Utf8
            }
        };
        self.mode = match std::str::from_utf8(&self.raw) {
            Ok(_) => ascii_or_utf8(&self.raw),
            // Only a character cut at the end of the window: still UTF-8.
            Err(e) if e.error_len().is_none() && !self.eof => {
                ascii_or_utf8(&self.raw[..e.valid_up_to()])
            }
            Err(_) => Mode::Gb18030,
        };
        Ok(())
    }

    /// Decodes the next piece of text into `out`; leaves `out` empty only at the end.
    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        if self.mode == Mode::Undecided {
            self.decide()?;
        }
        loop {
            if self.raw.is_empty() && !self.eof {
                self.read_raw(READ_CHUNK)?;
            }
            match self.mode {
                Mode::Ascii | Mode::Utf8 => self.decode_utf8()?,
                Mode::Gb18030 if self.gb18030_done => return Ok(()),
                Mode::Gb18030 => self.decode_gb18030(self.eof)?,
                Mode::Undecided => unreachable!("decided above"),
            }
            if !self.out.is_empty() || (self.eof && self.raw.is_empty()) {
                return Ok(());
            }
            // Only part of a character so far (or the encoding just changed): read on.
            if !self.eof && self.mode != Mode::Gb18030 {
                self.read_raw(READ_CHUNK)?;
            }
        }
    }

    fn decode_utf8(&mut self) -> io::Result<()> {
        let valid = match std::str::from_utf8(&self.raw) {
            Ok(_) => self.raw.len(),
            Err(e) if e.error_len().is_none() && !self.eof => e.valid_up_to(),
            Err(e) => {
                let bad = e.valid_up_to();
                if self.mode == Mode::Ascii && self.raw[..bad].is_ascii() {
                    // ASCII so far, then a byte that is not UTF-8: the file is GB18030.
                    self.mode = Mode::Gb18030;
                    return Ok(());
                }
                return Err(self.fail(format!(
                    "the file is UTF-8 in its first {} MiB but has a byte that is not UTF-8 at \
                     offset {}; re-export it in one encoding (UTF-8)",
                    TEXT_WINDOW_BYTES >> 20,
                    self.offset + bad as u64
                )));
            }
        };
        if self.mode == Mode::Ascii && !self.raw[..valid].is_ascii() {
            self.mode = Mode::Utf8;
        }
        self.out.extend_from_slice(&self.raw[..valid]);
        self.raw.drain(..valid);
        self.offset += valid as u64;
        Ok(())
    }

    fn decode_gb18030(&mut self, last: bool) -> io::Result<()> {
        let mut read_total = 0;
        loop {
            let room = self
                .gb18030
                .max_utf8_buffer_length_without_replacement(self.raw.len() - read_total)
                .unwrap_or(READ_CHUNK * 4)
                .max(16);
            let start = self.out.len();
            self.out.resize(start + room, 0);
            let (result, read, written) = self.gb18030.decode_to_utf8_without_replacement(
                &self.raw[read_total..],
                &mut self.out[start..],
                last,
            );
            self.out.truncate(start + written);
            read_total += read;
            match result {
                encoding_rs::DecoderResult::InputEmpty => break,
                encoding_rs::DecoderResult::OutputFull => continue,
                encoding_rs::DecoderResult::Malformed(_, _) => {
                    let at = self.offset + read_total as u64;
                    return Err(self.fail(format!(
                        "the bytes are neither UTF-8 nor GB18030/GBK (bad sequence before \
                         offset {at}); re-export the file as UTF-8"
                    )));
                }
            }
        }
        self.raw.drain(..read_total);
        self.offset += read_total as u64;
        self.gb18030_done = last;
        Ok(())
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.out.len() {
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Tells the caller of a full pass whether the stream got going: a file that cannot be
/// opened, decoded or whose header lacks a requested column fails the call itself, as it
/// does for every other connector; later failures end the stream instead.
pub(crate) struct Ready(Option<tokio::sync::oneshot::Sender<Result<()>>>);

impl Ready {
    /// For a read whose caller waits for the whole answer anyway (a sample).
    pub(crate) fn unwatched() -> Self {
        Self(None)
    }

    pub(crate) fn new(signal: tokio::sync::oneshot::Sender<Result<()>>) -> Self {
        Self(Some(signal))
    }

    pub(crate) fn ok(&mut self) {
        if let Some(signal) = self.0.take() {
            let _ = signal.send(Ok(()));
        }
    }

    /// Hands `error` to the caller if the stream has not started; otherwise gives it back.
    fn fail(&mut self, error: Error) -> Option<Error> {
        match self.0.take() {
            Some(signal) => {
                let _ = signal.send(Err(error));
                None
            }
            None => Some(error),
        }
    }
}

/// What to read from a text file: the one description a sample and a full pass share.
pub(crate) struct TextRead<'a> {
    pub asset: &'a str,
    pub format: FileFormat,
    /// How the bytes handed to [`read_text`] are compressed.
    pub compression: Compression,
    /// The columns to return; `None` for every column (a CSV header, or the keys of the
    /// objects read).
    pub columns: Option<&'a [String]>,
    /// Rows to return at most. Rows past it are still parsed and counted (a sample reads a
    /// bounded window, and its row count is exact when the window is the whole file).
    pub limit: Option<usize>,
    /// Most rows per batch.
    pub batch_rows: usize,
    /// Whether the bytes are the whole object (not a window cut before its end).
    pub complete: bool,
}

/// What a text read learned besides its rows.
pub(crate) struct TextSummary {
    /// The returned columns (all text).
    pub schema: SchemaRef,
    /// Rows in the bytes read, returned or not.
    pub rows_seen: u64,
    /// Skipped lines and the like.
    pub warnings: Vec<String>,
    /// `UTF-8` or `GB18030`.
    pub encoding: &'static str,
}

/// Decompresses, decodes (UTF-8 or GB18030) and parses `bytes` as `read` says, sending
/// batches through `send` until it returns `false`. Both the sample (over its window) and
/// the full pass (over the whole object) are this one read; they differ in the bytes, the
/// columns and the limit.
///
/// # Errors
/// The first failure of any layer, as an error naming the asset: a lower layer's failure
/// (a cut gzip stream, an undecodable byte) explains a parser error better than the parser.
pub(crate) fn read_text(
    read: &TextRead<'_>,
    bytes: impl Read,
    failure: &Failure,
    ready: &mut Ready,
    send: &dyn Fn(Result<RecordBatch>) -> bool,
) -> Result<TextSummary> {
    let asset = read.asset;
    let buffered = BufReader::with_capacity(READ_CHUNK, bytes);
    if read.format == FileFormat::Avro {
        // Binary, compressed inside its blocks, its strings UTF-8 by definition.
        let mut records = AvroRecords::new(buffered, read.complete)
            .map_err(|e| Error::invalid(asset, "Avro", e))?;
        let shape = JsonShape {
            format: "Avro",
            unit: "record",
        };
        let (schema, rows_seen, warnings) = json_rows(read, &mut records, &shape, ready, send)
            .map_err(|e| failure.take().unwrap_or(e))?;
        return Ok(TextSummary {
            schema,
            rows_seen,
            warnings,
            encoding: "UTF-8",
        });
    }
    let decompressed = Tagged {
        inner: read.compression.reader(asset, buffered)?,
        asset: asset.to_string(),
        compression: read.compression,
        decoded: 0,
        failure: failure.clone(),
    };
    let mut text = Utf8Reader::new(decompressed, asset, failure.clone());
    let parsed = match read.format {
        FileFormat::Csv | FileFormat::Tsv => csv_rows(
            read,
            CsvGuard::new(&mut text, asset, read.complete, failure.clone()),
            if read.format == FileFormat::Tsv {
                b'\t'
            } else {
                b','
            },
            ready,
            send,
        ),
        FileFormat::Text => {
            let mut buffered = BufReader::with_capacity(READ_CHUNK, &mut text);
            match delimited::sniff(&mut buffered) {
                Ok(Some(delimiter)) => csv_rows(
                    read,
                    CsvGuard::new(buffered, asset, read.complete, failure.clone()),
                    delimiter,
                    ready,
                    send,
                ),
                Ok(None) => delimited::line_rows(read, buffered, ready, send),
                Err(e) => Err(Error::invalid(asset, "text", e)),
            }
        }
        FileFormat::JsonLines => json_rows(
            read,
            &mut JsonLines::new(BufReader::with_capacity(READ_CHUNK, &mut text)),
            &JsonShape {
                format: "JSON lines",
                unit: "line",
            },
            ready,
            send,
        ),
        FileFormat::Json => {
            let mut records = JsonDocument::new(
                BufReader::with_capacity(READ_CHUNK, &mut text),
                read.complete,
            );
            let parsed = json_rows(
                read,
                &mut records,
                &JsonShape {
                    format: "JSON",
                    unit: "record",
                },
                ready,
                send,
            );
            parsed.map(|(schema, rows, mut warnings)| {
                if let Some(path) = &records.records_path {
                    warnings.push(format!("records read from the array at `{path}`"));
                }
                (schema, rows, warnings)
            })
        }
        FileFormat::Parquet | FileFormat::Spreadsheet | FileFormat::Document | FileFormat::Avro => {
            unreachable!("{:?} is not a text format", read.format)
        }
    };
    let (schema, rows_seen, warnings) = parsed.map_err(|e| failure.take().unwrap_or(e))?;
    Ok(TextSummary {
        schema,
        rows_seen,
        warnings,
        encoding: text.encoding(),
    })
}

/// The full pass: [`read_text`] of the named `columns` of the whole object, every failure
/// reported through `ready` (before the first batch) or the stream. Runs on a blocking thread.
#[allow(clippy::too_many_arguments)]
pub(crate) fn stream_columns(
    asset: &str,
    format: FileFormat,
    compression: Compression,
    bytes: impl Read,
    columns: &[String],
    batch_rows: usize,
    failure: Failure,
    mut ready: Ready,
    tx: &BatchSender,
) {
    let send = |item: Result<RecordBatch>| tx.blocking_send(item).is_ok();
    let read = TextRead {
        asset,
        format,
        compression,
        columns: Some(columns),
        limit: None,
        batch_rows,
        complete: true,
    };
    match read_text(&read, bytes, &failure, &mut ready, &send) {
        Ok(_) => ready.ok(),
        Err(e) => {
            if let Some(e) = ready.fail(e) {
                send(Err(e));
            }
        }
    }
}

/// Whether another row may be returned.
pub(crate) fn under_limit(read: &TextRead<'_>, returned: u64) -> bool {
    read.limit.is_none_or(|limit| returned < limit as u64)
}

/// CSV rows. A ragged row is an error naming its line: a shifted row would silently
/// mislabel every column after it. Empty fields are nulls.
fn csv_rows(
    read: &TextRead<'_>,
    text: impl Read,
    delimiter: u8,
    ready: &mut Ready,
    send: &dyn Fn(Result<RecordBatch>) -> bool,
) -> Result<(SchemaRef, u64, Vec<String>)> {
    let asset = read.asset;
    let csv_error = |e: csv::Error| {
        Error::invalid(
            asset,
            "CSV",
            format!("{e}; check the delimiter and quoting of that line"),
        )
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .delimiter(delimiter)
        .from_reader(text);
    let names: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(str::to_string)
        .collect();
    if names.is_empty() || names.iter().all(String::is_empty) {
        return Err(Error::invalid(asset, "CSV", "the file has no header row"));
    }
    let columns = read
        .columns
        .map_or_else(|| names.clone(), <[String]>::to_vec);
    let indexes = resolve_columns(asset, &names, &columns)?;
    ready.ok();
    let schema = utf8_schema(&columns);
    let mut rows = StringRows::new(schema.clone());
    let (mut seen, mut returned) = (0u64, 0u64);
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        seen += 1;
        if !under_limit(read, returned) {
            continue;
        }
        for (i, &j) in indexes.iter().enumerate() {
            rows.push(i, record.get(j).filter(|v| !v.is_empty()));
        }
        rows.end_row();
        returned += 1;
        if rows.len() >= read.batch_rows && !send(rows.finish("lake", asset)) {
            return Ok((schema, seen, Vec::new()));
        }
    }
    if rows.len() > 0 {
        send(rows.finish("lake", asset));
    }
    Ok((schema, seen, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes a few at a time, to cut characters and lines anywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.1).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn decode_all(bytes: &[u8], step: usize) -> std::result::Result<String, Error> {
        let failure = Failure::default();
        let mut r = Utf8Reader::new(Trickle(bytes, step), "t.csv", failure.clone());
        let mut out = String::new();
        match r.read_to_string(&mut out) {
            Ok(_) => Ok(out),
            Err(_) => Err(failure.take().expect("a failure is recorded")),
        }
    }

    /// Reads `bytes` as a sample does: every column, at most `limit` rows.
    fn sample(
        asset: &str,
        format: FileFormat,
        bytes: &[u8],
        limit: usize,
    ) -> Result<(TextSummary, Vec<Vec<Option<String>>>)> {
        let read = TextRead {
            asset,
            format,
            compression: Compression::None,
            columns: None,
            limit: Some(limit),
            batch_rows: 2,
            complete: true,
        };
        let batches = std::cell::RefCell::new(Vec::new());
        let send = |b: Result<RecordBatch>| {
            batches.borrow_mut().push(b.unwrap());
            true
        };
        let summary = read_text(
            &read,
            bytes,
            &Failure::default(),
            &mut Ready::unwatched(),
            &send,
        )?;
        let batches = batches.into_inner();
        let columns = (0..summary.schema.fields().len())
            .map(|i| {
                batches
                    .iter()
                    .flat_map(|b| {
                        arrow_array::cast::AsArray::as_string::<i32>(b.column(i))
                            .iter()
                            .map(|v| v.map(str::to_string))
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
            .collect();
        Ok((summary, columns))
    }

    #[test]
    fn a_csv_sample_reads_every_column_as_text_and_counts_past_its_limit() {
        let (s, cols) = sample(
            "t.csv",
            FileFormat::Csv,
            b"id,phone\n1,\"138 0013 8000\"\n2,\n3,x\n",
            2,
        )
        .unwrap();
        assert_eq!(s.rows_seen, 3);
        assert_eq!(cols[0], [Some("1".to_string()), Some("2".to_string())]);
        assert_eq!(cols[1], [Some("138 0013 8000".to_string()), None]);
        assert_eq!(s.encoding, "UTF-8");
    }

    #[test]
    fn a_ragged_csv_is_an_error_naming_the_asset_and_the_line() {
        let err = sample("bad.csv", FileFormat::Csv, b"a,b,c\n1,2,3\n4,5\n", 10)
            .err()
            .unwrap();
        let msg = err.to_string();
        assert!(
            msg.contains("bad.csv") && msg.contains("CSV") && msg.contains("line"),
            "{msg}"
        );
    }

    #[test]
    fn json_lines_flatten_top_level_keys_and_skip_bad_lines_with_a_warning() {
        let text = b"{\"a\":\"x\",\"n\":{\"k\":1}}\nnot json\n{\"b\":2}\n";
        let (s, cols) = sample("e.jsonl", FileFormat::JsonLines, text, 10).unwrap();
        assert_eq!(s.schema.fields().len(), 3);
        assert_eq!(cols[1], [Some("{\"k\":1}".to_string()), None]);
        assert_eq!(cols[2], [None, Some("2".to_string())]);
        assert_eq!(s.rows_seen, 2);
        assert!(s.warnings[0].contains("lines 2"), "{:?}", s.warnings);
        assert!(sample("e.jsonl", FileFormat::JsonLines, b"[1,2]\n", 10).is_err());
    }

    #[test]
    fn gbk_is_read_as_gb18030_and_other_bytes_are_a_clear_error() {
        let (gbk, _, _) = encoding_rs::GBK.encode("客户姓名,金额\n张三,10\n");
        let (s, cols) = sample("x.csv", FileFormat::Csv, &gbk, 10).unwrap();
        assert_eq!(s.encoding, "GB18030");
        assert_eq!(s.schema.field(0).name(), "客户姓名");
        assert_eq!(cols[0], [Some("张三".to_string())]);
        let err = sample("bad.csv", FileFormat::Csv, b"a,b\n\xff\xff,1\n", 10)
            .err()
            .unwrap();
        let msg = err.to_string();
        assert!(
            msg.contains("bad.csv") && msg.contains("re-export the file as UTF-8"),
            "{msg}"
        );
    }

    #[test]
    fn utf8_and_gb18030_decode_whatever_the_read_sizes() {
        let text = "姓名,手机\n张三,13800138000\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        for step in [1, 2, 3, 7, 4096] {
            assert_eq!(decode_all(text.as_bytes(), step).unwrap(), text, "{step}");
            let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
            assert_eq!(decode_all(&with_bom, step).unwrap(), text, "{step}");
            assert_eq!(decode_all(&gbk, step).unwrap(), text, "{step}");
        }
    }

    #[test]
    fn ascii_then_gbk_past_the_window_is_gb18030() {
        let mut bytes = "id,name\n"
            .repeat(TEXT_WINDOW_BYTES as usize / 8 + 10)
            .into_bytes();
        let (gbk, _, _) = encoding_rs::GB18030.encode("1,张三\n");
        bytes.extend_from_slice(&gbk);
        let out = decode_all(&bytes, 64 << 10).unwrap();
        assert!(out.ends_with("1,张三\n"));
    }

    #[test]
    fn utf8_then_garbage_past_the_window_names_the_offset() {
        let mut bytes = "名,x\n"
            .repeat(TEXT_WINDOW_BYTES as usize / 6 + 10)
            .into_bytes();
        let at = bytes.len();
        bytes.extend_from_slice(b"\xFF\xFE,x\n");
        let err = decode_all(&bytes, 64 << 10).unwrap_err().to_string();
        assert!(err.contains(&format!("offset {at}")), "{err}");
        assert!(err.contains("t.csv"), "{err}");
    }
}
