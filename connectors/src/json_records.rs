//! The records of a JSON file and the rows they make. The shape is decided by content rather
//! than by name: one object per line (JSON lines), an array of objects, one object that holds
//! such an array (an API dump such as `{"code": 0, "data": {"list": [...]}}`), or objects one
//! after another.
//!
//! Both readers go one record at a time with a per-record size cap, so memory stays bounded
//! however large the file; a window cut inside a record (a sample of a big file) ends the
//! records instead of failing.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::batch::{resolve_columns, utf8_schema, StringRows};
use crate::text::{under_limit, Ready, TextRead};
use crate::{Error, Result};

/// A record (or a JSON line) longer than this is an error rather than a memory hazard.
pub(crate) const MAX_RECORD_BYTES: usize = 64 << 20;

/// How deep inside a single top-level object an array of records is looked for.
const RECORDS_DEPTH: usize = 3;

/// One item of a JSON file.
pub(crate) enum Record {
    /// An object: one row.
    Object(Map<String, Value>),
    /// Something that is not an object (a number in a JSON lines file, a bad line), at line or
    /// element `at`; `error` when it did not parse.
    Skipped { at: u64, error: Option<String> },
}

/// Why reading stopped: what went wrong, in words for the data officer.
pub(crate) type RecordError = String;

/// What [`read_capped_line`] found.
pub(crate) enum CappedLine {
    /// The input has ended.
    End,
    /// A line, in the buffer (with its newline, if it had one).
    Line,
    /// A line longer than [`MAX_RECORD_BYTES`]: an error rather than a memory hazard.
    TooLong,
}

/// Reads the next line into `line` (cleared first), never holding more than
/// [`MAX_RECORD_BYTES`] and its newline.
pub(crate) fn read_capped_line(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
) -> io::Result<CappedLine> {
    line.clear();
    let n = reader
        .by_ref()
        .take(MAX_RECORD_BYTES as u64 + 1)
        .read_until(b'\n', line)?;
    Ok(if n == 0 {
        CappedLine::End
    } else if line.len() > MAX_RECORD_BYTES && line.last() != Some(&b'\n') {
        CappedLine::TooLong
    } else {
        CappedLine::Line
    })
}

/// A reader of JSON records, one at a time.
pub(crate) trait Records {
    /// The next record; `Ok(None)` at the end.
    fn next_record(&mut self) -> Result<Option<Record>, ReadFailure>;
}

/// The records of a JSON lines file: each non-empty line one JSON value.
pub(crate) struct JsonLines<R: Read> {
    reader: BufReader<R>,
    line: Vec<u8>,
    line_no: u64,
}

impl<R: Read> JsonLines<R> {
    pub(crate) fn new(reader: BufReader<R>) -> Self {
        Self {
            reader,
            line: Vec::new(),
            line_no: 0,
        }
    }
}

impl<R: Read> Records for JsonLines<R> {
    fn next_record(&mut self) -> Result<Option<Record>, ReadFailure> {
        loop {
            let next = read_capped_line(&mut self.reader, &mut self.line);
            match next.map_err(ReadFailure::Io)? {
                CappedLine::End => return Ok(None),
                CappedLine::Line => self.line_no += 1,
                CappedLine::TooLong => {
                    return Err(ReadFailure::Invalid(format!(
                        "line {} is longer than {} MiB; is the file really one JSON object per \
                         line?",
                        self.line_no + 1,
                        MAX_RECORD_BYTES >> 20
                    )));
                }
            }
            let text = String::from_utf8_lossy(&self.line);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            return Ok(Some(match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => Record::Object(map),
                Ok(_) => Record::Skipped {
                    at: self.line_no,
                    error: None,
                },
                Err(e) => Record::Skipped {
                    at: self.line_no,
                    error: Some(format!("line {}: {e}", self.line_no)),
                },
            }));
        }
    }
}

/// Why a reader stopped early.
#[derive(Debug)]
pub(crate) enum ReadFailure {
    /// A lower layer failed (its own error is recorded there).
    Io(io::Error),
    /// The content is not JSON records.
    Invalid(RecordError),
}

/// Where a [`JsonDocument`] is.
enum State {
    /// Before the first value.
    Start,
    /// Inside the top-level array, after `elements` of them.
    InArray,
    /// Records found inside one object, handed out in order.
    Queued(VecDeque<Value>),
    /// Top-level values one after another (objects separated by whitespace or newlines).
    Stream,
    /// Nothing more.
    Done,
}

/// The records of a `.json` file: see the module documentation for the shapes.
pub(crate) struct JsonDocument<R: Read> {
    reader: BufReader<R>,
    state: State,
    /// Whether the bytes are the whole file: a cut inside a record is then an error rather
    /// than the end of a sample window.
    complete: bool,
    /// Records (array elements or stream values) handed out, for messages.
    index: u64,
    /// Where the records came from when they were inside one object (`data.list`).
    pub(crate) records_path: Option<String>,
}

impl<R: Read> JsonDocument<R> {
    pub(crate) fn new(reader: BufReader<R>, complete: bool) -> Self {
        Self {
            reader,
            state: State::Start,
            complete,
            index: 0,
            records_path: None,
        }
    }
}

impl<R: Read> Records for JsonDocument<R> {
    fn next_record(&mut self) -> Result<Option<Record>, ReadFailure> {
        loop {
            match &mut self.state {
                State::Done => return Ok(None),
                State::Queued(queue) => {
                    let Some(value) = queue.pop_front() else {
                        self.state = State::Done;
                        continue;
                    };
                    self.index += 1;
                    return Ok(Some(self.record(value)));
                }
                State::Start => match self.peek()? {
                    None => {
                        self.state = State::Done;
                        return Err(ReadFailure::Invalid("the file is empty".into()));
                    }
                    Some(b'[') => {
                        self.reader.consume(1);
                        self.state = State::InArray;
                    }
                    Some(b'{') => {
                        let Some(value) = self.value()? else {
                            return Ok(None);
                        };
                        self.state = State::Stream;
                        let mut value = value;
                        if let Some((path, records)) = find_records(&mut value, RECORDS_DEPTH) {
                            self.records_path = Some(path);
                            self.state = State::Queued(records.into());
                            continue;
                        }
                        self.index += 1;
                        return Ok(Some(self.record(value)));
                    }
                    Some(byte) => {
                        self.state = State::Done;
                        return Err(ReadFailure::Invalid(format!(
                            "the file starts with {:?}, not with an object or an array of \
                             objects",
                            char::from(byte)
                        )));
                    }
                },
                State::InArray => match self.peek()? {
                    Some(b',') => self.reader.consume(1),
                    Some(b']') => {
                        self.reader.consume(1);
                        self.state = State::Done;
                    }
                    None if self.complete => {
                        return Err(ReadFailure::Invalid(format!(
                            "the array ends after {} elements without its closing `]`; the \
                             file is truncated",
                            self.index
                        )));
                    }
                    None => return Ok(None),
                    Some(b'{') => {
                        let Some(value) = self.value()? else {
                            return Ok(None);
                        };
                        self.index += 1;
                        return Ok(Some(self.record(value)));
                    }
                    Some(_) => {
                        // Scalars and nested arrays cannot be skipped reliably one by one.
                        self.state = State::Done;
                        return Err(ReadFailure::Invalid(format!(
                            "element {} of the top-level array is not an object; mulu reads \
                             arrays of objects (one record each)",
                            self.index + 1
                        )));
                    }
                },
                State::Stream => match self.peek()? {
                    None => return Ok(None),
                    Some(b'{') => {
                        let Some(value) = self.value()? else {
                            return Ok(None);
                        };
                        self.index += 1;
                        return Ok(Some(self.record(value)));
                    }
                    Some(byte) => {
                        self.state = State::Done;
                        return Err(ReadFailure::Invalid(format!(
                            "after {} object(s) comes {:?}, not another object",
                            self.index,
                            char::from(byte)
                        )));
                    }
                },
            }
        }
    }
}

impl<R: Read> JsonDocument<R> {
    fn record(&self, value: Value) -> Record {
        match value {
            Value::Object(map) => Record::Object(map),
            _ => Record::Skipped {
                at: self.index,
                error: None,
            },
        }
    }

    /// The next byte that is not whitespace, left unread; `None` at the end.
    fn peek(&mut self) -> Result<Option<u8>, ReadFailure> {
        loop {
            let buf = self.reader.fill_buf().map_err(ReadFailure::Io)?;
            let Some(first) = buf.first().copied() else {
                return Ok(None);
            };
            let blank = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if blank == 0 {
                return Ok(Some(first));
            }
            self.reader.consume(blank);
        }
    }

    /// One object from the current position, capped at [`MAX_RECORD_BYTES`]. `Ok(None)` when
    /// the bytes end inside it and they are a window, not the whole file.
    fn value(&mut self) -> Result<Option<Value>, ReadFailure> {
        let mut limited = (&mut self.reader).take(MAX_RECORD_BYTES as u64 + 1);
        let mut de = serde_json::Deserializer::from_reader(&mut limited);
        match Value::deserialize(&mut de) {
            Ok(value) => Ok(Some(value)),
            Err(_) if limited.limit() == 0 => Err(ReadFailure::Invalid(format!(
                "record {} is longer than {} MiB",
                self.index + 1,
                MAX_RECORD_BYTES >> 20
            ))),
            Err(e) if e.is_io() => Err(ReadFailure::Io(e.into())),
            Err(e) if e.is_eof() && !self.complete => {
                self.state = State::Done;
                Ok(None)
            }
            Err(e) => {
                self.state = State::Done;
                Err(ReadFailure::Invalid(format!(
                    "record {}: {e}",
                    self.index + 1
                )))
            }
        }
    }
}

/// The first array of objects inside `value` (breadth first, at most `depth` levels down),
/// taken out, with its path: the records of an API dump.
fn find_records(value: &mut Value, depth: usize) -> Option<(String, Vec<Value>)> {
    let mut level: Vec<(String, &mut Value)> = vec![(String::new(), value)];
    for _ in 0..depth {
        let mut next = Vec::new();
        for (path, value) in level {
            let Value::Object(map) = value else {
                continue;
            };
            for (key, child) in map.iter_mut() {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if let Value::Array(items) = child {
                    if !items.is_empty() && items.iter().all(Value::is_object) {
                        return Some((child_path, std::mem::take(items)));
                    }
                } else if child.is_object() {
                    next.push((child_path, child));
                }
            }
        }
        level = next;
    }
    None
}

/// What a JSON reader calls its records in messages.
pub(crate) struct JsonShape {
    /// `JSON lines` or `JSON`.
    pub(crate) format: &'static str,
    /// `line` or `record`.
    pub(crate) unit: &'static str,
}

/// JSON rows: top-level keys are columns, nested values compact JSON text. Records that are
/// not JSON objects are skipped with a warning, unless none is one.
///
/// With named columns rows stream as they are read. For every column, the returned rows are
/// kept until the end (the limit bounds them), since a later object may bring a new key;
/// columns are the keys in order of first appearance.
pub(crate) fn json_rows(
    read: &TextRead<'_>,
    records: &mut dyn Records,
    shape: &JsonShape,
    ready: &mut Ready,
    send: &dyn Fn(Result<RecordBatch>) -> bool,
) -> Result<(SchemaRef, u64, Vec<String>)> {
    let asset = read.asset;
    let mut names: Vec<String> = read.columns.map(<[String]>::to_vec).unwrap_or_default();
    let schema = utf8_schema(&names);
    let mut rows = StringRows::new(schema.clone());
    let mut kept: Vec<serde_json::Map<String, serde_json::Value>> = Vec::new();
    let (mut objects, mut returned, mut items) = (0u64, 0u64, 0u64);
    let (mut skipped, mut first_error) = (Vec::new(), None);
    // Keys seen in any object, to report a requested column that never occurs.
    let mut seen = vec![false; names.len()];
    loop {
        let record = match records.next_record() {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(ReadFailure::Io(e)) => return Err(Error::invalid(asset, shape.format, e)),
            Err(ReadFailure::Invalid(why)) => return Err(Error::invalid(asset, shape.format, why)),
        };
        // A record came through: the file opens and decodes.
        ready.ok();
        items += 1;
        let map = match record {
            Record::Object(map) => map,
            Record::Skipped { at, error } => {
                if let Some(e) = error {
                    first_error.get_or_insert(e);
                }
                skipped.push(at);
                continue;
            }
        };
        objects += 1;
        if !under_limit(read, returned) {
            continue;
        }
        returned += 1;
        if read.columns.is_none() {
            for key in map.keys() {
                if !names.contains(key) {
                    names.push(key.clone());
                }
            }
            kept.push(map);
            continue;
        }
        for (i, name) in names.iter().enumerate() {
            let value = map.get(name);
            seen[i] |= value.is_some();
            rows.push(i, json_text(value).as_deref());
        }
        rows.end_row();
        if rows.len() >= read.batch_rows && !send(rows.finish("lake", asset)) {
            return Ok((schema, objects, Vec::new()));
        }
    }
    if objects == 0 && (items > 0 || read.columns.is_none()) {
        let why = first_error.unwrap_or_else(|| format!("no {} holds a JSON object", shape.unit));
        return Err(Error::invalid(asset, shape.format, why));
    }
    let mut warnings = Vec::new();
    if !skipped.is_empty() {
        let shown: Vec<String> = skipped.iter().take(5).map(u64::to_string).collect();
        warnings.push(format!(
            "{} {}(s) were not JSON objects and were skipped ({}s {}{})",
            skipped.len(),
            shape.unit,
            shape.unit,
            shown.join(", "),
            if skipped.len() > 5 { ", …" } else { "" }
        ));
    }
    if read.columns.is_none() {
        let schema = utf8_schema(&names);
        let mut rows = StringRows::new(schema.clone());
        for map in &kept {
            for (i, name) in names.iter().enumerate() {
                rows.push(i, json_text(map.get(name)).as_deref());
            }
            rows.end_row();
        }
        send(rows.finish("lake", asset));
        return Ok((schema, objects, warnings));
    }
    if rows.len() > 0 && !send(rows.finish("lake", asset)) {
        return Ok((schema, objects, warnings));
    }
    if let Some(i) = seen.iter().position(|s| !s) {
        // The same NotFound error as for a CSV header without the column.
        return resolve_columns(asset, &[], &names[i..=i]).map(|_| (schema, objects, warnings));
    }
    Ok((schema, objects, warnings))
}

/// A JSON value as the classifiers see it: strings as they are, other values as compact
/// JSON, null and missing as NULL.
fn json_text(value: Option<&serde_json::Value>) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.as_str().into()),
        Some(other) => Some(other.to_string().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Object keys of every record, or the error.
    fn records(text: &str, complete: bool) -> Result<(Vec<String>, Option<String>), String> {
        let mut doc = JsonDocument::new(BufReader::with_capacity(7, text.as_bytes()), complete);
        let mut out = Vec::new();
        loop {
            match doc.next_record() {
                Ok(Some(Record::Object(map))) => out.push(
                    map.iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                Ok(Some(Record::Skipped { at, .. })) => out.push(format!("skipped {at}")),
                Ok(None) => return Ok((out, doc.records_path)),
                Err(ReadFailure::Invalid(why)) => return Err(why),
                Err(ReadFailure::Io(e)) => return Err(e.to_string()),
            }
        }
    }

    #[test]
    fn every_shape_gives_its_records() {
        let rows = |t: &str| records(t, true).unwrap().0;
        assert_eq!(rows(r#"[{"a":1},{"a":2}]"#), ["a=1", "a=2"]);
        assert_eq!(rows("[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n"), ["a=1", "a=2"]);
        assert_eq!(rows(r#"{"a":1,"b":[1,2]}"#), ["a=1,b=[1,2]"]);
        assert_eq!(rows("{\"a\":1}\n{\"a\":2}\n"), ["a=1", "a=2"]);
        assert_eq!(rows("{\"a\":1} {\"a\":2}"), ["a=1", "a=2"]);
        assert_eq!(rows("[]"), Vec::<String>::new());
        let (rows, path) = records(
            r#"{"code":0,"data":{"total":2,"list":[{"m":"x"},{"m":"y"}]}}"#,
            true,
        )
        .unwrap();
        assert_eq!(rows, ["m=\"x\"", "m=\"y\""]);
        assert_eq!(path.as_deref(), Some("data.list"));
    }

    #[test]
    fn a_cut_window_ends_the_records_and_a_cut_file_is_an_error() {
        let cut = r#"[{"a":1},{"a":2},{"a":"#;
        assert_eq!(records(cut, false).unwrap().0, ["a=1", "a=2"]);
        assert!(records(cut, true).unwrap_err().contains("record 3"));
        let unclosed = r#"[{"a":1},"#;
        assert!(records(unclosed, true)
            .unwrap_err()
            .contains("without its closing"));
        assert_eq!(records(unclosed, false).unwrap().0, ["a=1"]);
    }

    #[test]
    fn what_is_not_records_says_why() {
        assert!(records("[1,2]", true)
            .unwrap_err()
            .contains("not an object"));
        assert!(records("\"x\"", true)
            .unwrap_err()
            .contains("starts with '\"'"));
        assert!(records("  ", true).unwrap_err().contains("empty"));
        assert!(records("{\"a\":1} 5", true)
            .unwrap_err()
            .contains("not another object"));
        assert!(records("[{\"a\":1},{oops}]", true)
            .unwrap_err()
            .contains("record 2"));
    }
}
