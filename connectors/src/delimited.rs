//! `.txt` and `.log` files: a delimited export (tab, `|`, `,`, `;` — what Chinese systems
//! write when they say "txt") is read as a table; anything else is prose, one row per line in
//! a single `text` column, which the free-text classifiers read.

use std::io::{self, BufRead};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;

use crate::batch::{resolve_columns, utf8_schema, StringRows};
use crate::json_records::{read_capped_line, CappedLine, MAX_RECORD_BYTES};
use crate::text::{under_limit, Ready, TextRead};
use crate::{Error, Result};

/// The column a prose file is read into.
pub(crate) const TEXT_COLUMN: &str = "text";

/// Delimiters tried, most specific first.
const DELIMITERS: [u8; 4] = [b'\t', b'|', b';', b','];

/// How many lines the sniffer looks at.
const SNIFF_LINES: usize = 5;

/// The delimiter of a delimited file, judged from its first lines without consuming them:
/// one that occurs in the first line and the same number of times in each following line of
/// those looked at (at least one). `None` for prose.
pub(crate) fn sniff(reader: &mut impl BufRead) -> io::Result<Option<u8>> {
    let buf = reader.fill_buf()?;
    // Whole lines only: the buffer may end inside one.
    let end = buf.iter().rposition(|&b| b == b'\n').unwrap_or(buf.len());
    let lines: Vec<&[u8]> = buf[..end]
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(SNIFF_LINES)
        .collect();
    if lines.len() < 2 {
        return Ok(None);
    }
    let count = |line: &[u8], d: u8| line.iter().filter(|&&b| b == d).count();
    Ok(DELIMITERS.into_iter().find(|&d| {
        let first = count(lines[0], d);
        first > 0 && lines[1..].iter().all(|l| count(l, d) == first)
    }))
}

/// Prose: each non-empty line one row of the `text` column.
pub(crate) fn line_rows(
    read: &TextRead<'_>,
    mut reader: impl BufRead,
    ready: &mut Ready,
    send: &dyn Fn(Result<RecordBatch>) -> bool,
) -> Result<(SchemaRef, u64, Vec<String>)> {
    let asset = read.asset;
    let columns = read
        .columns
        .map_or_else(|| vec![TEXT_COLUMN.to_string()], <[String]>::to_vec);
    resolve_columns(asset, &[TEXT_COLUMN.to_string()], &columns)?;
    let schema = utf8_schema(&columns);
    let mut rows = StringRows::new(schema.clone());
    let (mut seen, mut returned) = (0u64, 0u64);
    let mut line = Vec::new();
    loop {
        let next = read_capped_line(&mut reader, &mut line);
        match next.map_err(|e| Error::invalid(asset, "text", e))? {
            CappedLine::End => break,
            CappedLine::Line => ready.ok(),
            CappedLine::TooLong => {
                return Err(Error::invalid(
                    asset,
                    "text",
                    format!(
                        "line {} is longer than {} MiB",
                        seen + 1,
                        MAX_RECORD_BYTES >> 20
                    ),
                ));
            }
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        seen += 1;
        if !under_limit(read, returned) {
            continue;
        }
        returned += 1;
        for i in 0..columns.len() {
            rows.push(i, Some(text));
        }
        rows.end_row();
        if rows.len() >= read.batch_rows && !send(rows.finish("lake", asset)) {
            return Ok((schema, seen, Vec::new()));
        }
    }
    if rows.len() > 0 || returned == 0 {
        send(rows.finish("lake", asset));
    }
    Ok((schema, seen, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(text: &str) -> Option<u8> {
        sniff(&mut io::BufReader::new(text.as_bytes())).unwrap()
    }

    #[test]
    fn delimited_exports_are_told_from_prose() {
        assert_eq!(
            sniffed("姓名\t手机\n甲\t13800138000\n乙\t13912345678\n"),
            Some(b'\t')
        );
        assert_eq!(sniffed("id|name|mobile\n1|甲|138\n2|乙|139\n"), Some(b'|'));
        assert_eq!(sniffed("a,b\n1,2\n"), Some(b','));
        // Prose with a comma in some lines is not a table.
        assert_eq!(
            sniffed("客户来电，要求改地址。\n已处理\n回访：满意，无其他问题，结单\n"),
            None
        );
        assert_eq!(sniffed("one line only, with a comma\n"), None);
    }
}
