//! Sampling rows without reading the dictionaries they do not need.
//!
//! A high-cardinality column chunk starts with a dictionary page (arrow-rs, Spark and pyarrow
//! all cap it near 1 MB) and, once that is full, its writer falls back to PLAIN pages for the
//! rest of the chunk. Rows in that plain tail decode without the dictionary, and the parquet
//! reader (since 60) defers a skipped dictionary until a dictionary-encoded page needs it. It
//! still asks for the dictionary's bytes, though, so a sample of such rows tells its file
//! reader which requests to answer with placeholder bytes instead of reading storage. On a
//! table of 20 such columns that saves ~20 MB per sampled row group, most of what a sample
//! of realistic files would otherwise read.
//!
//! Which pages are dictionary-encoded comes from the footer's page encoding statistics:
//! writers emit the dictionary-encoded pages first and never return to the dictionary after
//! falling back. A file without those statistics, or without an offset index, is read whole.

use std::ops::Range;

use parquet::basic::{Encoding, PageType};
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData};

/// The byte ranges of row group `group`'s dictionary pages that reading its rows from `start`
/// on never decodes: for each column with a dictionary page, when every data page from the
/// one holding row `start` is plain-encoded. `start` must be past the group's first row, so
/// the reader skips (defers) each dictionary instead of reading it eagerly.
pub(super) fn unneeded_dictionaries(
    meta: &ParquetMetaData,
    group: usize,
    start: u64,
) -> Vec<Range<u64>> {
    if start == 0 {
        return Vec::new();
    }
    let index = meta.page_index_for_row_group(group);
    let Some(row_group) = meta.row_groups().get(group) else {
        return Vec::new();
    };
    row_group
        .columns()
        .iter()
        .enumerate()
        .filter_map(|(c, chunk)| {
            let pages = index.page_locations(c)?;
            let first = pages.first()?;
            let (chunk_start, _) = chunk.byte_range();
            let first_page = u64::try_from(first.offset).ok()?;
            if first_page <= chunk_start {
                return None; // no dictionary page
            }
            let dictionary_pages = dictionary_encoded_pages(chunk)?;
            // The page holding row `start`: the last one starting at or before it.
            let holding = pages
                .iter()
                .rposition(|p| u64::try_from(p.first_row_index).is_ok_and(|r| r <= start))?;
            (holding >= dictionary_pages).then_some(chunk_start..first_page)
        })
        .collect()
}

/// How many data pages of a column chunk are dictionary-encoded, from its page encoding
/// statistics; `None` when the writer left them out.
fn dictionary_encoded_pages(chunk: &ColumnChunkMetaData) -> Option<usize> {
    let stats = chunk.page_encoding_stats()?;
    Some(
        stats
            .iter()
            .filter(|s| matches!(s.page_type, PageType::DATA_PAGE | PageType::DATA_PAGE_V2))
            .filter(|s| {
                matches!(
                    s.encoding,
                    Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY
                )
            })
            .map(|s| usize::try_from(s.count).unwrap_or(0))
            .sum(),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use bytes::Bytes;
    use parquet::arrow::ArrowWriter;
    use parquet::file::metadata::{PageIndexPolicy, ParquetMetaDataOptions, ParquetMetaDataReader};
    use parquet::file::properties::WriterProperties;

    use super::*;

    /// One row group of 4,000 rows in pages of 500: `id` distinct (its 2 KiB dictionary fills
    /// after a few pages), `kind` of three values (a dictionary throughout).
    fn metadata() -> ParquetMetaData {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("kind", DataType::Utf8, false),
        ]));
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values(
                (0..4000).map(|i| format!("person-{i:06}")),
            )),
            Arc::new(StringArray::from_iter_values(
                (0..4000).map(|i| ["a", "b", "c"][i % 3]),
            )),
        ];
        let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
        let props = WriterProperties::builder()
            .set_data_page_row_count_limit(500)
            .set_write_batch_size(500)
            .set_dictionary_page_size_limit(2048)
            .build();
        let mut out = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut out, schema, Some(props)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        ParquetMetaDataReader::new()
            .with_offset_index_policy(PageIndexPolicy::Required)
            .with_metadata_options(Some(
                ParquetMetaDataOptions::new().with_encoding_stats_as_mask(false),
            ))
            .parse_and_finish(&Bytes::from(out))
            .unwrap()
    }

    #[test]
    fn only_a_column_whose_rows_are_plain_there_leaves_its_dictionary_unread() {
        let meta = metadata();
        let id = meta.row_group(0).column(0);
        let fell_back_at = dictionary_encoded_pages(id).unwrap();
        let pages = meta
            .page_index_for_row_group(0)
            .page_locations(0)
            .unwrap()
            .clone();
        assert!(
            fell_back_at >= 1 && fell_back_at < pages.len(),
            "the id column falls back to plain after {fell_back_at} of {} pages",
            pages.len()
        );
        let plain_from = pages[fell_back_at].first_row_index as u64;
        let dictionary = id.byte_range().0..pages[0].offset as u64;
        // The tail: only id's dictionary is unneeded; kind's pages all use its dictionary.
        assert_eq!(
            unneeded_dictionaries(&meta, 0, 3500),
            std::slice::from_ref(&dictionary)
        );
        assert_eq!(unneeded_dictionaries(&meta, 0, plain_from), [dictionary]);
        // A row in a dictionary-encoded page, or the first row (read eagerly), needs it.
        assert!(unneeded_dictionaries(&meta, 0, plain_from - 1).is_empty());
        assert!(unneeded_dictionaries(&meta, 0, 0).is_empty());
    }
}
