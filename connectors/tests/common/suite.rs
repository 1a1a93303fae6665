//! The conformance suite: what every connector must do, checked against the same fixture.
//!
//! Each check takes `&dyn Connector` and the [`Expected`] fixture, so a new backend joins by
//! writing the fixture into its kind of source and calling [`run_all`].

use arrow_array::{Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use connectors::{
    AssetInfo, AssetKind, Connector, ConnectorExt, Error, Projection, ReadMode, ReadRequest,
};
use futures::TryStreamExt;

use super::fixture::Expected;

/// Runs every check that needs no credentials of its own.
pub async fn run_all(conn: &dyn Connector, expected: &Expected) {
    lists_fixture_table(conn, expected).await;
    schema_has_fixture_columns(conn, expected).await;
    sample_respects_limit(conn, expected).await;
    sample_reads_values_as_text(conn, expected).await;
    scan_columns_returns_only_requested_columns_and_all_rows(conn, expected).await;
    scan_columns_with_unknown_column_is_not_found(conn, expected).await;
    missing_asset_is_not_found(conn, expected).await;
    projected_reads_return_the_columns_asked_for(conn, expected).await;
    a_full_pass_of_every_column_stops_at_its_limit(conn, expected).await;
}

async fn fixture_asset(conn: &dyn Connector, expected: &Expected) -> AssetInfo {
    conn.list_assets()
        .await
        .unwrap_or_else(|e| panic!("{}: list_assets failed: {e}", conn.display_url()))
        .into_iter()
        .find(|a| a.name == expected.asset)
        .unwrap_or_else(|| panic!("{}: {} is not listed", conn.display_url(), expected.asset))
}

pub async fn lists_fixture_table(conn: &dyn Connector, expected: &Expected) {
    let asset = fixture_asset(conn, expected).await;
    assert!(matches!(asset.kind, AssetKind::Table | AssetKind::File));
    let names: Vec<String> = conn
        .list_assets()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        names.len(),
        sorted.len(),
        "asset names are unique: {names:?}"
    );
}

pub async fn schema_has_fixture_columns(conn: &dyn Connector, expected: &Expected) {
    let asset = fixture_asset(conn, expected).await;
    let sample = conn.sample(&asset, 100).await.unwrap();
    let names: Vec<String> = sample
        .schema
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names, expected.columns(), "{}", conn.display_url());
    for batch in &sample.batches {
        assert_eq!(batch.num_columns(), names.len());
    }
}

pub async fn sample_respects_limit(conn: &dyn Connector, expected: &Expected) {
    let asset = fixture_asset(conn, expected).await;
    for limit in [0, 1, 2, expected.rows(), 1000] {
        let sample = conn.sample(&asset, limit).await.unwrap();
        assert_eq!(
            sample.num_rows(),
            limit.min(expected.rows()),
            "{} sample({limit})",
            conn.display_url()
        );
    }
}

/// Every column as strings, whatever the batch type.
fn strings(batch: &RecordBatch, column: usize) -> Vec<Option<String>> {
    let col = arrow_cast::cast(batch.column(column), &DataType::Utf8).unwrap();
    let col = col.as_any().downcast_ref::<StringArray>().unwrap();
    (0..col.len())
        .map(|i| (!col.is_null(i)).then(|| col.value(i).to_string()))
        .collect()
}

pub async fn sample_reads_values_as_text(conn: &dyn Connector, expected: &Expected) {
    let asset = fixture_asset(conn, expected).await;
    let sample = conn.sample(&asset, 100).await.unwrap();
    let phone = sample.schema.index_of("phone").unwrap();
    let mut phones: Vec<String> = sample
        .batches
        .iter()
        .flat_map(|b| strings(b, phone))
        .flatten()
        .collect();
    phones.sort();
    assert_eq!(phones, expected.phones(), "{}", conn.display_url());
    // The json column reaches the classifiers as text that still holds the nested value.
    let profile = sample.schema.index_of("profile").unwrap();
    let all: String = sample
        .batches
        .iter()
        .flat_map(|b| strings(b, profile))
        .flatten()
        .collect();
    assert!(all.contains("LSVAU2180N2183294"), "{all}");
}

pub async fn scan_columns_returns_only_requested_columns_and_all_rows(
    conn: &dyn Connector,
    expected: &Expected,
) {
    let asset = fixture_asset(conn, expected).await;
    let columns = vec!["phone".to_string(), "name".to_string()];
    let batches: Vec<RecordBatch> = conn
        .scan_columns(&asset, &columns, 2)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    assert_eq!(
        rows,
        expected.rows(),
        "{}: a full pass reads every row",
        conn.display_url()
    );
    assert!(
        batches.len() >= 3,
        "batches of at most 2 rows: {}",
        batches.len()
    );
    for batch in &batches {
        assert!(batch.num_rows() <= 2);
        let schema = batch.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["phone", "name"], "{}", conn.display_url());
    }
    let mut phones: Vec<String> = batches
        .iter()
        .flat_map(|b| strings(b, 0))
        .flatten()
        .collect();
    phones.sort();
    assert_eq!(phones, expected.phones());
}

pub async fn scan_columns_with_unknown_column_is_not_found(
    conn: &dyn Connector,
    expected: &Expected,
) {
    let asset = fixture_asset(conn, expected).await;
    let err = conn
        .scan_columns(&asset, &["no_such_column".to_string()], 10)
        .await
        .err()
        .expect("an unknown column is an error");
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("no_such_column"), "{err}");
}

pub async fn missing_asset_is_not_found(conn: &dyn Connector, expected: &Expected) {
    let mut asset = fixture_asset(conn, expected).await;
    asset.name = expected.asset.replace("customers", "no_such_table");
    let err = conn
        .sample(&asset, 10)
        .await
        .expect_err("sampling a missing asset fails");
    assert!(
        matches!(err, Error::NotFound { .. }),
        "{}: {err:?}",
        conn.display_url()
    );
    assert!(err.to_string().contains("no_such_table"), "{err}");
    let err = conn
        .scan_columns(&asset, &["phone".to_string()], 10)
        .await
        .err()
        .expect("scanning a missing asset fails");
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

/// For servers: a SOURCE with credentials the server refuses fails with [`Error::Auth`], and
/// the message never contains the password that was tried.
pub async fn bad_credentials_are_auth_errors(spec: &str, password: &str) {
    let err = match connectors::open_source(spec).await {
        Err(e) => e,
        Ok(opened) => opened.connectors[0]
            .list_assets()
            .await
            .expect_err("bad credentials fail"),
    };
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("authentication failed for user"), "{msg}");
    assert!(msg.contains("password_env"), "{msg}");
    assert!(!msg.contains(password), "the password leaked: {msg}");
    assert!(
        !format!("{err:?}").contains(password),
        "the password leaked: {err:?}"
    );
}

/// A sample of named columns has just those columns, in the order asked, with their rows.
pub async fn projected_reads_return_the_columns_asked_for(
    conn: &dyn Connector,
    expected: &Expected,
) {
    let asset = fixture_asset(conn, expected).await;
    let request = ReadRequest {
        projection: Projection::Columns(vec!["phone".into(), "id".into()]),
        ..ReadRequest::sample(100)
    };
    let sample = conn
        .read(&asset, &request)
        .await
        .unwrap()
        .into_sample()
        .await
        .unwrap();
    let names: Vec<&str> = sample
        .schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(names, ["phone", "id"], "{}", conn.display_url());
    let mut phones: Vec<String> = sample
        .batches
        .iter()
        .flat_map(|b| strings(b, 0))
        .flatten()
        .collect();
    phones.sort();
    assert_eq!(phones, expected.phones(), "{}", conn.display_url());
}

/// A full pass over every column (no projection) with a row limit returns that many rows of
/// every column, in batches no bigger than asked.
pub async fn a_full_pass_of_every_column_stops_at_its_limit(
    conn: &dyn Connector,
    expected: &Expected,
) {
    let asset = fixture_asset(conn, expected).await;
    let request = ReadRequest {
        projection: Projection::All,
        limit: Some(3),
        mode: ReadMode::FullPass,
        batch_rows: 2,
    };
    let read = conn.read(&asset, &request).await.unwrap();
    assert_eq!(read.schema.fields().len(), expected.columns().len());
    let batches: Vec<RecordBatch> = read.batches.try_collect().await.unwrap();
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    assert_eq!(rows, 3, "{}", conn.display_url());
    for batch in &batches {
        assert!(batch.num_rows() <= 2);
        assert_eq!(batch.num_columns(), expected.columns().len());
    }
}

// ---------------------------------------------------------------- servers
//
// The checks below need a server-side setup (a role without privileges, a slow view, a view
// that writes), which each backend's test writes in its own SQL; what is checked is the same.

/// Sampling `denied` (listed or not, but not readable by the connecting user) is
/// [`Error::PermissionDenied`] naming the asset and saying what to grant, while `readable`, in
/// the same source, still samples: one asset's error never stops the others.
pub async fn permission_denied_names_the_asset(
    conn: &dyn Connector,
    denied: &AssetInfo,
    readable: &AssetInfo,
) {
    let err = conn.sample(denied, 10).await.err().unwrap_or_else(|| {
        panic!(
            "{}: {} was readable without a grant",
            conn.display_url(),
            denied.name
        )
    });
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("permission denied") && msg.contains("grant SELECT"),
        "{msg}"
    );
    assert!(msg.contains(&denied.name), "{msg}");
    let sample = conn.sample(readable, 10).await.unwrap();
    assert!(sample.num_rows() > 0, "{}", conn.display_url());
}

/// Sampling `slow` (a view that takes seconds) on a source opened with a 300 ms statement
/// timeout is cancelled by the server, well before the view would finish, and reported as
/// [`Error::Timeout`] with the timeout's value and what to change.
pub async fn statement_timeout_is_reported_with_its_value(conn: &dyn Connector, slow: &AssetInfo) {
    let started = std::time::Instant::now();
    let err = conn.sample(slow, 10).await.err().unwrap_or_else(|| {
        panic!(
            "{}: {} finished despite the timeout",
            conn.display_url(),
            slow.name
        )
    });
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "the server cancelled it"
    );
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("statement timeout of 0.3 s") && msg.contains("raise statement_timeout"),
        "{msg}"
    );
}

/// Sampling `trap` (a view whose read would write) fails because the session is read-only.
/// The caller then checks that nothing was written.
pub async fn sessions_refuse_writes(conn: &dyn Connector, trap: &AssetInfo) {
    let err = conn.sample(trap, 10).await.err().unwrap_or_else(|| {
        panic!(
            "{}: reading {} wrote to the database",
            conn.display_url(),
            trap.name
        )
    });
    let msg = err.to_string().to_ascii_lowercase().replace('-', " ");
    assert!(msg.contains("read only"), "{err}");
}
