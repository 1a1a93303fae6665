//! PostgreSQL samples through `COPY (SELECT …) TO STDOUT`: the rows arrive as text lines in
//! one round trip (a prepared SELECT takes two), and each value is copied once, from the line
//! into its column, instead of through a decoded row. The columns a sample selects are all
//! cast to text, so the values are the same either way.

use futures::TryStreamExt;
use sqlx::postgres::PgConnection;

use crate::batch::StringRows;

/// Runs `select` (a SELECT of text columns) as a `COPY … TO STDOUT` and appends its rows.
pub(super) async fn copy_text_rows(
    conn: &mut PgConnection,
    select: &str,
    out: &mut StringRows,
) -> Result<(), sqlx::Error> {
    let statement = format!("COPY ({select}) TO STDOUT");
    let mut lines = conn.copy_out_raw(&statement).await?;
    let mut field = Vec::new();
    let mut pending = Vec::new();
    while let Some(chunk) = lines.try_next().await? {
        // The server sends one row per message; a row split over messages is joined first.
        if pending.is_empty() && chunk.ends_with(b"\n") {
            push_line(&chunk, out, &mut field)?;
        } else {
            pending.extend_from_slice(&chunk);
            while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=end).collect();
                push_line(&line, out, &mut field)?;
            }
        }
    }
    if !pending.is_empty() {
        push_line(&pending, out, &mut field)?;
    }
    Ok(())
}

/// Appends one line of COPY's text format: fields split by tabs, `\N` for NULL, and
/// backslash escapes for the bytes the format reserves.
///
/// One pass finds the tabs and the backslashes together: a tab in the data is always written
/// escaped, so every tab byte ends a field, and only a field with a backslash needs decoding.
fn push_line(line: &[u8], out: &mut StringRows, field: &mut Vec<u8>) -> Result<(), sqlx::Error> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    // Checked once per line: tabs are ASCII, so a valid line splits into valid fields.
    let line = utf8(line)?;
    let bytes = line.as_bytes();
    let (mut column, mut start, mut escaped) = (0, 0, false);
    let ends = memchr::memchr2_iter(b'\t', b'\\', bytes).chain(std::iter::once(bytes.len()));
    for at in ends {
        if at < bytes.len() && bytes[at] == b'\\' {
            escaped = true;
            continue;
        }
        if column == out.width() {
            return Err(malformed("more fields than columns"));
        }
        let raw = &line[start..at];
        if !escaped {
            out.push(column, Some(raw));
        } else if raw == "\\N" {
            out.push(column, None);
        } else {
            unescape(raw.as_bytes(), field);
            out.push(column, Some(utf8(field)?));
        }
        (column, start, escaped) = (column + 1, at + 1, false);
    }
    if column != out.width() {
        return Err(malformed("fewer fields than columns"));
    }
    out.end_row();
    Ok(())
}

/// `bytes` as text; the fast validator first, the standard one for the error's details.
fn utf8(bytes: &[u8]) -> Result<&str, sqlx::Error> {
    simdutf8::basic::from_utf8(bytes)
        .or_else(|_| std::str::from_utf8(bytes).map_err(|e| sqlx::Error::Decode(Box::new(e))))
}

fn malformed(what: &str) -> sqlx::Error {
    sqlx::Error::Protocol(format!("COPY text row with {what}"))
}

/// Decodes COPY's backslash escapes (`\b \f \n \r \t \v \\`, octal `\ddd`, hex `\xhh`; any
/// other escaped byte stands for itself) from `raw` into `out`.
fn unescape(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        i += 1;
        if b != b'\\' || i == raw.len() {
            out.push(b);
            continue;
        }
        let e = raw[i];
        i += 1;
        match e {
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(value as u8);
            }
            b'x' if raw.get(i).is_some_and(u8::is_ascii_hexdigit) => {
                let mut value = 0u8;
                for _ in 0..2 {
                    match raw.get(i).and_then(|d| char::from(*d).to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + d as u8;
                            i += 1;
                        }
                        None => break,
                    }
                }
                out.push(value);
            }
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use arrow_array::{Array, StringArray};

    use super::*;
    use crate::batch::utf8_schema;

    fn rows(lines: &[&[u8]], width: usize) -> Result<Vec<Vec<Option<String>>>, sqlx::Error> {
        let names: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
        let mut out = StringRows::new(utf8_schema(&names));
        let mut field = Vec::new();
        for line in lines {
            push_line(line, &mut out, &mut field)?;
        }
        let batch = out.finish("postgres", "t").unwrap();
        Ok((0..batch.num_rows())
            .map(|r| {
                (0..width)
                    .map(|c| {
                        let col = batch
                            .column(c)
                            .as_any()
                            .downcast_ref::<StringArray>()
                            .unwrap();
                        col.is_valid(r).then(|| col.value(r).to_string())
                    })
                    .collect()
            })
            .collect())
    }

    #[test]
    fn fields_nulls_and_escapes_decode_as_the_server_wrote_them() {
        let got = rows(
            &[
                "110101199003070012\t\\N\t张三\n".as_bytes(),
                b"a\\tb\\nc\\\\d\t\\101\\x42\t\n",
            ],
            3,
        )
        .unwrap();
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            got,
            [
                vec![s("110101199003070012"), None, s("张三")],
                vec![s("a\tb\nc\\d"), s("AB"), s("")],
            ]
        );
    }

    #[test]
    fn a_row_of_the_wrong_width_is_an_error_not_a_shifted_row() {
        assert!(rows(&[b"a\tb\n"], 3).is_err());
        assert!(rows(&[b"a\tb\tc\td\n"], 3).is_err());
        assert!(rows(&[b"\xff\tb\tc\n"], 3).is_err());
    }
}
