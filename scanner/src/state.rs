//! The local state: an embedded SQLite database holding every scan's report (and, later,
//! filing baselines).
//!
//! A scan is recorded as `running` when it starts and becomes `complete` in one transaction
//! when its report is stored, so a scan killed midway is never taken as the latest. WAL mode
//! and a busy timeout let several `mulu` processes share one state file.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use catalog_export::ScanReport;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Row;

/// Schema migrations, applied in order; the index + 1 is the schema version. Never edit a
/// shipped migration: append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: scans.
    "CREATE TABLE scans (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        status      TEXT NOT NULL CHECK (status IN ('running', 'complete')),
        partial     INTEGER NOT NULL DEFAULT 0,
        report      TEXT
    );
    CREATE INDEX scans_by_status ON scans (status, id);",
];

/// The default state file: `<data dir>/mulu/state.db`.
pub fn default_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("mulu")
        .join("state.db")
}

/// A handle on the state database.
#[derive(Clone)]
pub struct State {
    pool: SqlitePool,
    path: PathBuf,
}

/// A stored scan.
#[derive(Debug, Clone)]
pub struct StoredScan {
    /// Scan id.
    pub id: i64,
    /// The report.
    pub report: ScanReport,
}

impl State {
    /// Opens (creating if needed) the state at `path` and brings its schema up to date.
    ///
    /// # Errors
    /// When the file cannot be created or is not a mulu state database.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the state folder {}", dir.display()))?;
        }
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the state database {}", path.display()))?;
        let state = Self {
            pool,
            path: path.to_path_buf(),
        };
        state.migrate().await?;
        Ok(state)
    }

    /// Where the state lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn migrate(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.acquire().await?;
        // Take the write lock before reading the version, so two processes starting at once
        // never apply the same migration twice.
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        let result = apply_migrations(&mut conn, &self.path).await;
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        sqlx::query(end).execute(&mut *conn).await?;
        result
    }

    /// Records that a scan started; returns its id.
    pub async fn begin_scan(&self, started_at: &str) -> anyhow::Result<i64> {
        let id = sqlx::query("INSERT INTO scans (started_at, status) VALUES (?, 'running')")
            .bind(started_at)
            .execute(&self.pool)
            .await?
            .last_insert_rowid();
        Ok(id)
    }

    /// Stores the finished scan's report and marks it complete, atomically.
    pub async fn complete_scan(&self, id: i64, report: &ScanReport) -> anyhow::Result<()> {
        let json = serde_json::to_string(report)?;
        sqlx::query(
            "UPDATE scans SET status = 'complete', finished_at = ?, partial = ?, report = ? WHERE id = ?",
        )
        .bind(&report.finished_at)
        .bind(report.is_partial())
        .bind(json)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The latest complete scan, if any.
    pub async fn latest_scan(&self) -> anyhow::Result<Option<StoredScan>> {
        let row = sqlx::query("SELECT id, report FROM scans WHERE status = 'complete' ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| decode_scan(&r)).transpose()
    }

    /// A complete scan by id.
    pub async fn scan(&self, id: i64) -> anyhow::Result<Option<StoredScan>> {
        let row = sqlx::query("SELECT id, report FROM scans WHERE status = 'complete' AND id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| decode_scan(&r)).transpose()
    }

    /// Number of scans that never completed (killed or crashed).
    pub async fn incomplete_scans(&self) -> anyhow::Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM scans WHERE status = 'running'")
            .fetch_one(&self.pool)
            .await?)
    }
}

async fn apply_migrations(conn: &mut sqlx::SqliteConnection, path: &Path) -> anyhow::Result<()> {
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        .execute(&mut *conn)
        .await?;
    let current: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_version")
        .fetch_one(&mut *conn)
        .await?;
    let current = current.unwrap_or(0) as usize;
    if current > MIGRATIONS.len() {
        anyhow::bail!(
            "the state database {} was written by a newer mulu (schema {current}); upgrade mulu",
            path.display()
        );
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        sqlx::raw_sql(sql)
            .execute(&mut *conn)
            .await
            .with_context(|| format!("state migration {} failed", i + 1))?;
        sqlx::query("INSERT INTO schema_version (version) VALUES (?)")
            .bind((i + 1) as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn decode_scan(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<StoredScan> {
    let id: i64 = row.try_get("id")?;
    let json: String = row.try_get("report")?;
    let report = serde_json::from_str(&json).with_context(|| format!("scan {id} has an unreadable report"))?;
    Ok(StoredScan { id, report })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(started: &str) -> ScanReport {
        ScanReport {
            schema: catalog_export::SCAN_REPORT_SCHEMA.into(),
            started_at: started.into(),
            finished_at: started.into(),
            sources: vec![],
            assets: vec![],
            categories: Default::default(),
            persons: None,
        }
    }

    #[tokio::test]
    async fn an_unfinished_scan_is_never_the_latest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let state = State::open(&path).await.unwrap();
        assert!(state.latest_scan().await.unwrap().is_none());
        let first = state.begin_scan("2026-11-01T00:00:00Z").await.unwrap();
        state.complete_scan(first, &report("2026-11-01T00:00:00Z")).await.unwrap();
        let _killed = state.begin_scan("2026-11-02T00:00:00Z").await.unwrap();
        let latest = state.latest_scan().await.unwrap().unwrap();
        assert_eq!((latest.id, latest.report.started_at.as_str()), (first, "2026-11-01T00:00:00Z"));
        assert_eq!(state.incomplete_scans().await.unwrap(), 1);
        // Reopening (another process) keeps the schema and the data.
        drop(state);
        let again = State::open(&path).await.unwrap();
        assert_eq!(again.latest_scan().await.unwrap().unwrap().id, first);
    }
}
