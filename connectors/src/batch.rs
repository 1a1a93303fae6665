//! Small helpers shared by the database connectors: string batches and background streams.

use std::future::Future;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use futures::stream::BoxStream;
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::{Error, Result};

/// A schema of nullable Utf8 columns with the given names.
pub(crate) fn utf8_schema<S: AsRef<str>>(names: &[S]) -> SchemaRef {
    Arc::new(Schema::new(
        names
            .iter()
            .map(|n| Field::new(n.as_ref(), DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ))
}

/// Builds a batch of string columns row by row.
pub(crate) struct StringRows {
    schema: SchemaRef,
    columns: Vec<StringBuilder>,
    rows: usize,
}

impl StringRows {
    pub(crate) fn new(schema: SchemaRef) -> Self {
        let columns = schema
            .fields()
            .iter()
            .map(|_| StringBuilder::new())
            .collect();
        Self {
            schema,
            columns,
            rows: 0,
        }
    }

    /// Appends one value to column `i`; call once per column per row, then [`Self::end_row`].
    pub(crate) fn push(&mut self, i: usize, value: Option<&str>) {
        self.columns[i].append_option(value);
    }

    pub(crate) fn end_row(&mut self) {
        self.rows += 1;
    }

    pub(crate) fn len(&self) -> usize {
        self.rows
    }

    /// Number of columns per row.
    pub(crate) fn width(&self) -> usize {
        self.columns.len()
    }

    /// Takes the rows built so far as a batch and starts afresh.
    pub(crate) fn finish(&mut self, connector: &'static str, asset: &str) -> Result<RecordBatch> {
        let arrays: Vec<ArrayRef> = self
            .columns
            .iter_mut()
            .map(|c| Arc::new(c.finish()) as ArrayRef)
            .collect();
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), arrays)
            .map_err(|e| Error::backend(connector, asset, e))
    }
}

/// Where a background reader sends its batches.
pub(crate) type BatchSender = mpsc::Sender<Result<RecordBatch>>;

/// Runs `produce` on a task and streams what it sends.
///
/// The channel holds two batches, so a slow consumer slows the reader down instead of rows
/// piling up in memory. Dropping the stream closes the channel; the reader stops at its next
/// send. A reader that panics ends the stream with an error rather than silently early, since a
/// short full pass would undercount.
pub(crate) fn spawn_batches<F, Fut>(
    connector: &'static str,
    asset: String,
    produce: F,
) -> BoxStream<'static, Result<RecordBatch>>
where
    F: FnOnce(BatchSender) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(2);
    let task = tokio::spawn(produce(tx));
    futures::stream::unfold(
        (rx, Some(task), asset),
        move |(mut rx, task, asset)| async move {
            if let Some(item) = rx.recv().await {
                return Some((item, (rx, task, asset)));
            }
            let task = task?;
            match task.await {
                Ok(()) => None,
                Err(e) => Some((
                    Err(Error::backend(
                        connector,
                        &asset,
                        format!("the reader stopped unexpectedly: {e}"),
                    )),
                    (rx, None, asset),
                )),
            }
        },
    )
    .boxed()
}

/// Checks that every requested column exists, returning their positions in `available`.
pub(crate) fn resolve_columns(
    asset: &str,
    available: &[String],
    requested: &[String],
) -> Result<Vec<usize>> {
    if requested.is_empty() {
        return Err(Error::InvalidOption {
            option: "columns",
            detail: format!("no columns were requested from '{asset}'"),
        });
    }
    requested
        .iter()
        .map(|c| {
            available
                .iter()
                .position(|a| a == c)
                .ok_or_else(|| Error::NotFound {
                    asset: format!("{asset}.{c}"),
                    detail: format!("'{asset}' has no column '{c}'"),
                })
        })
        .collect()
}
