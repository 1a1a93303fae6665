//! Bounds on CSV records, checked on the text before the parser buffers it.
//!
//! The CSV parser holds a whole record in memory and cannot tell a long record from a broken
//! file. Two failures look alike to it: a file whose tail is one endless line (a NUL-filled
//! disk image, a binary blob named `.csv`), and a stray quote that opens a quoted field which
//! then swallows every later line — counting silently stops there. This reader follows the
//! quoting exactly as the parser does (`,` delimiter, `"` quotes, `""` escapes) and fails with
//! a named error when one record passes [`MAX_RECORD_BYTES`], or when the whole file ends inside
//! a quoted field.

use std::io::{self, Read};

use crate::text::Failure;
use crate::Error;

/// The longest CSV record accepted: far past any real row, far below a memory hazard.
pub(crate) const MAX_RECORD_BYTES: usize = 64 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StartOfField,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: an escaped quote if another follows, else the end.
    QuoteInQuoted,
}

/// Passes text through, watching record sizes and quoting.
pub(crate) struct CsvGuard<R> {
    inner: R,
    asset: String,
    /// Whether the text is the whole file, so that ending inside quotes means a broken file
    /// rather than a window cut in the middle of a record.
    complete: bool,
    failure: Failure,
    state: State,
    record_bytes: usize,
    line: u64,
    record_line: u64,
}

impl<R: Read> CsvGuard<R> {
    pub(crate) fn new(inner: R, asset: &str, complete: bool, failure: Failure) -> Self {
        Self {
            inner,
            asset: asset.to_string(),
            complete,
            failure,
            state: State::StartOfField,
            record_bytes: 0,
            line: 1,
            record_line: 1,
        }
    }

    fn fail(&self, detail: String) -> io::Error {
        self.failure
            .record(Error::invalid(&self.asset, "CSV", detail))
    }

    fn watch(&mut self, bytes: &[u8]) -> io::Result<()> {
        for &b in bytes {
            if b == b'\n' {
                self.line += 1;
            }
            self.state = match (self.state, b) {
                (State::StartOfField, b'"') => State::Quoted,
                (State::StartOfField | State::Unquoted | State::QuoteInQuoted, b',') => {
                    State::StartOfField
                }
                (State::StartOfField | State::Unquoted | State::QuoteInQuoted, b'\n') => {
                    self.record_bytes = 0;
                    self.record_line = self.line;
                    continue;
                }
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (State::Quoted, _) => State::Quoted,
                _ => State::Unquoted,
            };
            self.record_bytes += 1;
            if self.record_bytes > MAX_RECORD_BYTES {
                let why = if self.state == State::Quoted {
                    "a quoted field that is never closed (a stray quote?)"
                } else {
                    "no line break (a binary or corrupt tail?)"
                };
                return Err(self.fail(format!(
                    "the record starting at line {} runs past {} MiB with {why}; fix or remove \
                     that part of the file",
                    self.record_line,
                    MAX_RECORD_BYTES >> 20
                )));
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for CsvGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && self.complete && self.state == State::Quoted {
            return Err(self.fail(format!(
                "a quoted field opened in the record at line {} is never closed (a stray quote?), \
                 so the {} line(s) after it are not rows; fix the quoting of that line",
                self.record_line,
                self.line - self.record_line
            )));
        }
        self.watch(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8], complete: bool) -> (io::Result<usize>, Failure) {
        let failure = Failure::default();
        let mut guard = CsvGuard::new(text, "a.csv", complete, failure.clone());
        let mut out = Vec::new();
        (guard.read_to_end(&mut out), failure)
    }

    #[test]
    fn real_quoting_passes() {
        let text = b"id,note\n1,\"two\nlines, and \"\"quotes\"\"\"\n2,5'10\" tall\n3,x\n";
        assert!(read_all(text, true).0.is_ok());
    }

    #[test]
    fn a_stray_quote_in_a_whole_file_is_named_with_its_line() {
        let text = b"id,note\n1,ok\n2,\"unclosed\n3,lost\n4,lost\n";
        let (result, failure) = read_all(text, true);
        assert!(result.is_err());
        let message = failure.take().unwrap().to_string();
        assert!(
            message.contains("line 3")
                && message.contains("stray quote")
                && message.contains("a.csv"),
            "{message}"
        );
        // A sample window may end inside a long quoted record: not an error there.
        assert!(read_all(text, false).0.is_ok());
    }

    #[test]
    fn an_endless_line_stops_at_the_cap() {
        let mut text = b"id,note\n1,x\n".to_vec();
        text.extend(std::iter::repeat_n(0u8, MAX_RECORD_BYTES + 10));
        let (result, failure) = read_all(&text, true);
        assert!(result.is_err());
        let message = failure.take().unwrap().to_string();
        assert!(
            message.contains("line 3") && message.contains("no line break"),
            "{message}"
        );
    }
}
