//! Data sources for mulu.
//!
//! A [`Connector`] lists the data assets of one source (tables of a database, files and
//! datasets of a folder or bucket) and answers a [`ReadRequest`] for an asset (a bounded
//! sample, or a full pass over a few columns) with Arrow [`RecordBatch`]es. Connectors never
//! write to a source and never read more than a request needs; the scanner decides what to
//! do with the rows.
//!
//! SQL databases (SQLite, PostgreSQL, MySQL/MariaDB) are read by one generic SQL connector,
//! with one dialect per database saying what differs (quoting, types, catalogs, sampling,
//! session setup, error codes). They are read-only by construction: every session is put in
//! read-only mode as it connects, every query runs under a statement timeout, and each source
//! holds at most a few connections ([`SourceOptions`]). No connector logs or
//! prints values it reads, and passwords never appear in URLs shown to users or in errors.
//!
//! Files are read by one [`LakeConnector`] whatever holds them: a local folder, or a bucket
//! on S3 or an S3-compatible store (MinIO, OSS, COS, OBS), Google Cloud Storage or Azure,
//! all through `object_store`. Credentials for buckets come from [`SourceOptions`] or the
//! clouds' standard environment variables; secrets appear in no message.
//!
//! Connectors do not know about classification: `connectors` does not depend on
//! `classifiers`. Every backend maps its own failures into [`Error`], whose messages name the
//! asset and the cause so a data officer can act on them.

#![warn(missing_docs)]

mod avro;
mod batch;
mod cloud;
mod compression;
mod csv_guard;
mod delimited;
mod documents;
mod error;
mod filter;
mod json_records;
mod key_range;
mod lake;
mod options;
mod parquet_reader;
mod read;
mod redact;
mod source;
mod sql;
mod text;
mod unscanned;

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use async_trait::async_trait;

pub use error::{Error, Result};
pub use filter::FilteredConnector;
pub use key_range::KeyRange;
pub use lake::LakeConnector;
pub use options::SourceOptions;
pub use read::{ConnectorExt, Projection, Read, ReadMode, ReadRequest};
pub use redact::{redact_credentials, redact_url};
pub use source::{check_source, open_source, open_source_with, open_store, OpenedSource};

/// The Arrow metadata key under which a sample's schema carries the table's COMMENT and
/// each field its column's (SQL sources that have them: PostgreSQL, MySQL/MariaDB).
pub const COMMENT_KEY: &str = "comment";

/// What sort of thing an asset is: the report's own type, so listing and report agree.
pub use model::{AssetKind, MediaSummary, SkipReason, Unscanned};

/// File formats the lake connector reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Apache Parquet.
    Parquet,
    /// Comma-separated values with a header row (UTF-8 or GB18030/GBK), plain or compressed
    /// (`.csv.gz`, `.csv.zst`).
    Csv,
    /// Tab-separated values with a header row (`.tsv`), read like CSV.
    Tsv,
    /// A `.txt` or `.log` file: a delimited table when its first lines agree on a delimiter
    /// (tab, `|`, `;`, `,`), else prose, one row per line in a `text` column.
    Text,
    /// One JSON object per line, plain or compressed (`.jsonl.gz`, `.jsonl.zst`).
    JsonLines,
    /// A `.json` file: an array of objects, one object (or one holding an array of objects),
    /// or objects one after another — told apart by content.
    Json,
    /// A workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`); each sheet is an asset.
    Spreadsheet,
    /// A document (`.pdf`, `.docx`, `.pptx`, `.html`): its text, one row per line in a
    /// `text` column, as prose.
    Document,
    /// An Avro object container file (`.avro`): its records, read like JSON objects.
    Avro,
}

/// What a source's listing found ([`Connector::list`]).
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The assets to read.
    pub assets: Vec<AssetInfo>,
    /// What the source holds and the scan will not read, counted by reason and kind.
    pub unscanned: Vec<Unscanned>,
    /// Why the listing may miss assets that exist, when it may: the source is then only
    /// partly covered.
    pub gap: Option<String>,
}

/// One data asset as listed by its connector, before any rows are read.
#[derive(Debug, Clone)]
pub struct AssetInfo {
    /// Table name, or path relative to the source root.
    pub name: String,
    /// Table, file or dataset.
    pub kind: AssetKind,
    /// Row count, when the listing knows it cheaply.
    pub row_count: Option<u64>,
    /// Stored size in bytes, when known.
    pub bytes: Option<u64>,
    /// Partition columns of a hive-partitioned dataset (`dt=…/`), in path order.
    pub partition_columns: Vec<String>,
    /// Found while listing, but not readable (a symlink loop, a folder without permission):
    /// why. Such an entry is listed so the scan can report it as failed instead of silently
    /// covering less.
    pub unreadable: Option<String>,
    /// The table-format snapshot the asset was listed at (`delta version 7`), when it is one.
    pub snapshot: Option<String>,
    /// In a sharded run, the part of the asset whose rows this process's full pass reads
    /// (`None`: every row).
    pub share: Option<PassShare>,
}

/// The part of an asset a full pass reads when a sharded run cut the asset into units.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassShare {
    /// These ranges of a table's integer primary key (only for a connector whose
    /// [`key_bounds`](Connector::key_bounds) answered).
    KeyRanges(Vec<KeyRange>),
    /// These of the `of` groups of a dataset's files: file `i`, by path order, is in group
    /// `i % of`.
    FileGroups {
        /// The groups read.
        groups: Vec<usize>,
        /// How many groups the files were dealt into.
        of: usize,
    },
}

impl PassShare {
    /// Whether the `index`th of a dataset's files (in path order) is in the share.
    pub fn holds_file(&self, index: usize) -> bool {
        match self {
            PassShare::KeyRanges(_) => true,
            PassShare::FileGroups { groups, of } => groups.contains(&(index % (*of).max(1))),
        }
    }
}

impl AssetInfo {
    /// A database table or view as its catalog lists it.
    pub fn table(name: String, row_count: Option<u64>, bytes: Option<u64>) -> Self {
        AssetInfo {
            name,
            kind: AssetKind::Table,
            row_count,
            bytes,
            partition_columns: Vec::new(),
            unreadable: None,
            snapshot: None,
            share: None,
        }
    }
}

/// A bounded sample of one asset.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Column names and the source's own types, in source order.
    pub schema: SchemaRef,
    /// Sampled rows. Column `i` of every batch holds the values of `schema.field(i)`; a
    /// connector may convert values to strings for classification, so the batch types can
    /// differ from the declared types.
    pub batches: Vec<RecordBatch>,
    /// Row count, when reading the sample revealed it: exact from parquet footers or a whole
    /// CSV; estimated by size for a dataset with more files than are read for it (a warning
    /// then says so).
    pub row_count: Option<u64>,
    /// Non-fatal problems met while sampling (skipped lines, a guessed encoding).
    pub warnings: Vec<String>,
    /// Why the read misses data the asset holds (columns the user has no grant on), when it
    /// does: the asset is then only partly read, which a scan must not take for complete.
    pub incomplete: Option<String>,
    /// How the rows were chosen (first rows, random pages, key range steps, row groups
    /// spread), when the connector says; the scan reports it.
    pub sampling: Option<model::Sampling>,
    /// What a media collection holds (objects, bytes, content types, metadata found), when
    /// the asset is one.
    pub media: Option<model::MediaSummary>,
}

impl Sample {
    /// Number of sampled rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// A source of data assets.
///
/// # Contract
/// - `list_assets` returns every asset the connector can read, cheaply: from catalogs,
///   listings and statistics, never by reading the data.
/// - `read` answers one [`ReadRequest`]: a [`ReadMode::Sample`] reads at most the limit's
///   rows and as little else as the source allows; a [`ReadMode::FullPass`] streams every
///   row of the projected columns in batches of at most `batch_rows`, holding one batch in
///   memory. Neither writes to the source.
/// - Errors name the asset and the cause; one asset's error never stops the others.
/// - An asset that does not exist is [`Error::NotFound`], whether it was never there or
///   vanished after listing; so is a projected column the asset lacks. Errors met in the
///   middle of a full pass arrive as stream items.
///
/// [`ConnectorExt`] spells the two common requests as `sample` and `scan_columns`.
#[async_trait]
pub trait Connector: Send + Sync {
    /// The source's URL with any credentials redacted, safe to print.
    fn display_url(&self) -> &str;

    /// Short name of the backend (`sqlite`, `lake`, `postgres`, `mysql`) for messages.
    fn backend(&self) -> &'static str {
        "custom"
    }

    /// Lists the assets of the source.
    async fn list_assets(&self) -> Result<Vec<AssetInfo>>;

    /// Lists the assets with what the listing left out: files it does not read, counted by
    /// reason, and why it may have missed assets that exist (a database user whose grants
    /// hide tables from the catalogs). What a scan calls; the default has nothing to add to
    /// [`list_assets`](Self::list_assets).
    async fn list(&self) -> Result<Listing> {
        Ok(Listing {
            assets: self.list_assets().await?,
            ..Listing::default()
        })
    }

    /// The lowest and highest value of `asset`'s integer primary key, when it has one and
    /// its full pass can be cut into [`KeyRange`]s ([`PassShare::KeyRanges`]); `None`
    /// otherwise, as by default.
    ///
    /// # Errors
    /// The backend's own (permission, timeout).
    async fn key_bounds(&self, asset: &AssetInfo) -> Result<Option<(i64, i64)>> {
        let _ = asset;
        Ok(None)
    }

    /// Reads `asset` as `request` asks.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the asset or a projected column does not exist,
    /// [`Error::InvalidOption`] for a sample without a row limit, and the backend's own
    /// errors (permission, timeout, undecodable data).
    async fn read(&self, asset: &AssetInfo, request: &ReadRequest) -> Result<Read>;

    /// Ends the source's sessions: a database pool says goodbye to the server rather than
    /// have its connections cut when the process exits, which servers log as errors. Called
    /// once every read is done; reads after it fail.
    async fn close(&self) {}
}

/// A shareable connector.
pub type SharedConnector = Arc<dyn Connector>;
