//! What a parquet sample costs in bytes: with an offset index, the footer and, for each
//! sampled row group, only the pages holding the sampled rows and the dictionaries those
//! pages use; without one, whole column chunks, but the same rows either way.

use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use bytes::Bytes;
use connectors::{Connector, ConnectorExt, LakeConnector};
use futures::stream::BoxStream;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    ObjectStoreExt, PutMultipartOptions, PutOptions, PutPayload, PutResult, RenameOptions,
};
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::{PageIndexPolicy, ParquetMetaData, ParquetMetaDataReader};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;

const GROUPS: usize = 8;
const GROUP_ROWS: usize = 8_000;
const PAGE_ROWS: usize = 500;
const SAMPLE: usize = 1_000;
/// The footer is read with one 16 KiB guess from the end of the file.
const FOOTER_PREFETCH: u64 = 16 * 1024;

/// A store that counts the bytes read through it: single ranges as returned (a HEAD returns
/// none), batches of ranges as asked for.
#[derive(Debug)]
struct Counting {
    inner: InMemory,
    bytes: AtomicU64,
}

impl fmt::Display for Counting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Counting({})", self.inner)
    }
}

#[async_trait::async_trait]
impl ObjectStore for Counting {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> object_store::Result<PutResult> {
        self.inner.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> object_store::Result<Box<dyn MultipartUpload>> {
        self.inner.put_multipart_opts(location, opts).await
    }

    async fn get_opts(
        &self,
        location: &Path,
        options: GetOptions,
    ) -> object_store::Result<GetResult> {
        let head = options.head; // metadata only: no bytes
        let result = self.inner.get_opts(location, options).await?;
        if !head {
            let len = result.range.end - result.range.start;
            self.bytes.fetch_add(len, Ordering::Relaxed);
        }
        Ok(result)
    }

    async fn get_ranges(
        &self,
        location: &Path,
        ranges: &[Range<u64>],
    ) -> object_store::Result<Vec<Bytes>> {
        // The ranges the reader asks for; a remote store may merge those under 1 MB apart.
        let len: u64 = ranges.iter().map(|r| r.end - r.start).sum();
        self.bytes.fetch_add(len, Ordering::Relaxed);
        self.inner.get_ranges(location, ranges).await
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, object_store::Result<Path>>,
    ) -> BoxStream<'static, object_store::Result<Path>> {
        self.inner.delete_stream(locations)
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.inner.list(prefix)
    }

    fn list_with_offset(
        &self,
        prefix: Option<&Path>,
        offset: &Path,
    ) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.inner.list_with_offset(prefix, offset)
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> object_store::Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }

    async fn copy_opts(
        &self,
        from: &Path,
        to: &Path,
        options: CopyOptions,
    ) -> object_store::Result<()> {
        self.inner.copy_opts(from, to, options).await
    }

    async fn rename_opts(
        &self,
        from: &Path,
        to: &Path,
        options: RenameOptions,
    ) -> object_store::Result<()> {
        self.inner.rename_opts(from, to, options).await
    }
}

/// How the test file is written.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// No offset index: a reader cannot tell where pages start.
    NoIndex,
    /// High-cardinality strings plain throughout; the rest with dictionaries that never fill.
    Plain,
    /// Every column with a dictionary of at most 16 KiB: the high-cardinality ones fill it
    /// within a few pages and fall back to plain, as with a writer's default 1 MB cap on
    /// larger row groups.
    FallsBack,
}

/// Eight row groups of 8,000 rows in pages of 500: a group number, a row number, a phone-like
/// number and a note (high cardinality), and a name (three values, a dictionary).
fn file(layout: Layout) -> Bytes {
    let rows = GROUPS * GROUP_ROWS;
    let schema = Arc::new(Schema::new(vec![
        Field::new("rg", DataType::Int32, false),
        Field::new("id", DataType::Int64, false),
        Field::new("phone", DataType::Utf8, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("note", DataType::Utf8, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from_iter_values(
            (0..rows).map(|i| (i / GROUP_ROWS) as i32),
        )),
        Arc::new(Int64Array::from_iter_values((0..rows).map(|i| i as i64))),
        Arc::new(StringArray::from_iter_values((0..rows).map(phone))),
        Arc::new(StringArray::from_iter_values(
            (0..rows).map(|i| ["Wang Wei", "Li Na", "Zhang Min"][i % 3]),
        )),
        Arc::new(StringArray::from_iter_values((0..rows).map(|i| {
            format!("order {} shipped to depot {}, call ahead", id(i), i % 97)
        }))),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let offset_index = layout != Layout::NoIndex;
    let stats = if offset_index {
        EnabledStatistics::Page
    } else {
        EnabledStatistics::Chunk
    };
    let mut props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(GROUP_ROWS))
        .set_data_page_row_count_limit(PAGE_ROWS)
        .set_write_batch_size(PAGE_ROWS)
        .set_statistics_enabled(stats)
        .set_offset_index_disabled(!offset_index);
    props = match layout {
        Layout::FallsBack => props.set_dictionary_page_size_limit(16 * 1024),
        _ => props
            .set_column_dictionary_enabled(ColumnPath::from("phone"), false)
            .set_column_dictionary_enabled(ColumnPath::from("note"), false),
    };
    let props = props.build();
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, schema, Some(props)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    Bytes::from(out)
}

fn metadata(data: &Bytes) -> ParquetMetaData {
    ParquetMetaDataReader::new()
        .with_offset_index_policy(PageIndexPolicy::Optional)
        .parse_and_finish(data)
        .unwrap()
}

fn phone(i: usize) -> String {
    format!("139{:08}", id(i) % 100_000_000)
}

fn id(i: usize) -> u64 {
    i as u64 * 2_654_435_761 % 1_000_000_007
}

/// The bytes before the first data page of each column chunk, by column: its dictionary.
fn dictionary_bytes(data: &Bytes) -> Vec<u64> {
    let meta = metadata(data);
    let index = meta.page_index().expect("the writer wrote an offset index");
    let mut by_column = vec![0; meta.row_group(0).num_columns()];
    for (g, group) in meta.row_groups().iter().enumerate() {
        for (c, chunk) in group.columns().iter().enumerate() {
            let first = &index.offset_index(g, c).unwrap().page_locations()[0];
            by_column[c] += first.offset as u64 - chunk.byte_range().0;
        }
    }
    by_column
}

/// The bytes of the data pages holding each row group's last `SAMPLE / GROUPS` rows, and
/// where the footer's tail (offset indexes and footer) starts.
fn last_pages_and_footer(data: &Bytes) -> (u64, u64) {
    let meta = metadata(data);
    let index = meta.page_index().expect("the writer wrote an offset index");
    let first_read = (GROUP_ROWS - SAMPLE / GROUPS) as i64;
    let mut pages_bytes = 0;
    let mut tail_start = data.len() as u64;
    for (g, group) in meta.row_groups().iter().enumerate() {
        for (c, chunk) in group.columns().iter().enumerate() {
            let pages = index.offset_index(g, c).unwrap().page_locations();
            assert!(
                pages.len() >= GROUP_ROWS / PAGE_ROWS,
                "{} pages",
                pages.len()
            );
            let holding = pages
                .iter()
                .rposition(|p| p.first_row_index <= first_read)
                .unwrap();
            pages_bytes += pages[holding..]
                .iter()
                .map(|p| p.compressed_page_size as u64)
                .sum::<u64>();
            tail_start = tail_start.min(chunk.offset_index_offset().unwrap() as u64);
        }
    }
    // The footer read: the offset indexes and the footer, or the 16 KiB guess when larger.
    (
        pages_bytes,
        (data.len() as u64 - tail_start).max(FOOTER_PREFETCH),
    )
}

/// Samples the file from a counting store: the sample and the bytes it fetched.
async fn sample(data: Bytes) -> (connectors::Sample, u64) {
    let store = Arc::new(Counting {
        inner: InMemory::new(),
        bytes: AtomicU64::new(0),
    });
    store
        .put(&Path::from("people.parquet"), data.into())
        .await
        .unwrap();
    let lake = LakeConnector::new(store.clone(), "memory:///".into());
    let assets = lake.list_assets().await.unwrap();
    assert_eq!(assets.len(), 1, "{assets:?}");
    let before = store.bytes.load(Ordering::Relaxed);
    let sample = lake.sample(&assets[0], SAMPLE).await.unwrap();
    (sample, store.bytes.load(Ordering::Relaxed) - before)
}

fn string_column(sample: &connectors::Sample, name: &str) -> Vec<String> {
    let at = sample.schema.index_of(name).unwrap();
    sample
        .batches
        .iter()
        .flat_map(|b| {
            let column = arrow_cast::cast(b.column(at), &DataType::Utf8).unwrap();
            let column = column
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .clone();
            (0..column.len()).map(move |i| column.value(i).to_string())
        })
        .collect()
}

fn int_column(sample: &connectors::Sample, name: &str) -> Vec<i64> {
    let at = sample.schema.index_of(name).unwrap();
    sample
        .batches
        .iter()
        .flat_map(|b| {
            let column = arrow_cast::cast(b.column(at), &DataType::Int64).unwrap();
            let column = column
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap()
                .clone();
            (0..column.len()).map(move |i| column.value(i))
        })
        .collect()
}

/// The rows every sample of this file must hold: the last 125 of each of the 8 row groups,
/// with their values.
fn assert_spread_rows(sample: &connectors::Sample) {
    assert_eq!(sample.num_rows(), SAMPLE);
    let per_group = SAMPLE / GROUPS;
    let rows: Vec<usize> = (0..GROUPS)
        .flat_map(|g| (GROUP_ROWS - per_group..GROUP_ROWS).map(move |r| g * GROUP_ROWS + r))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|&r| r as i64).collect();
    assert_eq!(int_column(sample, "id"), ids);
    let phones: Vec<String> = rows.iter().map(|&r| phone(r)).collect();
    assert_eq!(string_column(sample, "phone"), phones);
    let mut groups = int_column(sample, "rg");
    groups.dedup();
    assert_eq!(groups, (0..GROUPS as i64).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_sample_fetches_the_footer_and_only_the_pages_of_its_rows() {
    let data = file(Layout::Plain);
    // What the sampled rows need: in each row group, each column's pages holding its last 125
    // rows and the dictionaries of the columns that have one (never full here).
    let (pages, footer) = last_pages_and_footer(&data);
    let needed = pages + dictionary_bytes(&data).iter().sum::<u64>();
    let (sample, fetched) = sample(data.clone()).await;
    assert_spread_rows(&sample);
    assert!(
        fetched >= needed && fetched <= needed + footer,
        "fetched {fetched} bytes; the sampled pages take {needed} and the footer {footer}"
    );
    assert!(
        fetched * 5 < data.len() as u64,
        "fetched {fetched} of {} bytes",
        data.len()
    );
}

#[tokio::test]
async fn rows_past_a_full_dictionary_are_read_without_it() {
    let data = file(Layout::FallsBack);
    let dictionaries = dictionary_bytes(&data);
    // id, phone and note fill their 16 KiB dictionaries early in each group; rg and name
    // (one and three values) never do.
    let (pages, footer) = last_pages_and_footer(&data);
    let small = dictionaries[0] + dictionaries[3];
    let full = dictionaries[1] + dictionaries[2] + dictionaries[4];
    assert!(
        full > 8 * 3 * 8 * 1024,
        "the full dictionaries take {full} bytes"
    );
    let (sample, fetched) = sample(data.clone()).await;
    // The same rows and values as when every dictionary is read.
    assert_spread_rows(&sample);
    assert!(
        fetched >= pages + small && fetched <= pages + small + footer,
        "fetched {fetched} bytes; the sampled pages take {pages}, the small dictionaries \
         {small}, the footer {footer} (the full dictionaries, not read: {full})"
    );
}

#[tokio::test]
async fn without_an_offset_index_the_same_rows_come_from_whole_column_chunks() {
    let data = file(Layout::NoIndex);
    let meta = metadata(&data);
    assert!(meta.page_index().is_none_or(|p| !p.has_offset_indexes()));
    let (sample, fetched) = sample(data.clone()).await;
    assert_spread_rows(&sample);
    // Every column chunk of the 8 row groups, all of the file but its footer.
    assert!(fetched * 10 > data.len() as u64 * 9, "fetched {fetched}");
}
