//! The local state: an embedded SQLite database holding every scan's report (and, later,
//! filing baselines).
//!
//! A scan is recorded as `running` when it starts and becomes `complete` in one transaction
//! when its report is stored, so a scan killed midway is never taken as the latest. WAL mode
//! and a busy timeout let several `mulu` processes share one state file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use catalog_export::catalog::Catalog;
use model::ScanReport;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
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
    // 2: catalogues, filing baselines, change detections, schedule runs.
    "ALTER TABLE scans ADD COLUMN catalog TEXT;
    CREATE TABLE baselines (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        scan_id     INTEGER NOT NULL REFERENCES scans (id),
        filed_at    TEXT NOT NULL,
        accepted_at TEXT NOT NULL,
        catalog     TEXT NOT NULL
    );
    CREATE TABLE detections (
        baseline_id       INTEGER NOT NULL REFERENCES baselines (id),
        item_id           TEXT NOT NULL,
        reason            TEXT NOT NULL,
        first_detected_at TEXT NOT NULL,
        PRIMARY KEY (baseline_id, item_id, reason)
    );
    CREATE TABLE schedule_runs (
        job         TEXT PRIMARY KEY,
        last_run_at TEXT NOT NULL,
        scan_id     INTEGER,
        outcome     TEXT NOT NULL
    );",
    // 3: 目录编号, one number per item slug, never reused.
    "CREATE TABLE item_numbers (
        item_id       TEXT PRIMARY KEY,
        number        INTEGER NOT NULL UNIQUE,
        first_seen_at TEXT NOT NULL
    );",
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
    /// The catalogue built when the scan finished, with that scan's configuration.
    pub catalog: Option<Catalog>,
}

/// An accepted filing: the catalogue as filed.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// Baseline id.
    pub id: i64,
    /// The scan whose catalogue was filed.
    pub scan_id: i64,
    /// The filing date (YYYY-MM-DD).
    pub filed_at: String,
    /// The catalogue as filed.
    pub catalog: Catalog,
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
        // Switching a new file to WAL needs a moment of exclusive access; when another mulu
        // process is opening the same state at that instant, SQLite answers "locked" at once
        // instead of waiting, so retry for a while.
        let mut attempt = 0;
        let state = loop {
            let opened = async {
                let pool = SqlitePoolOptions::new()
                    .max_connections(2)
                    .connect_with(options.clone())
                    .await?;
                let state = Self {
                    pool,
                    path: path.to_path_buf(),
                };
                state.migrate().await?;
                anyhow::Ok(state)
            }
            .await;
            match opened {
                Ok(state) => break state,
                Err(e) if attempt < 50 && format!("{e:#}").contains("locked") => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    return Err(
                        e.context(format!("cannot open the state database {}", path.display()))
                    )
                }
            }
        };
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
    pub async fn begin_scan(&self, started_at: model::Timestamp) -> anyhow::Result<i64> {
        let id = sqlx::query("INSERT INTO scans (started_at, status) VALUES (?, 'running')")
            .bind(rfc3339(started_at))
            .execute(&self.pool)
            .await?
            .last_insert_rowid();
        Ok(id)
    }

    /// Stores the finished scan's report (and its catalogue) and marks it complete, atomically.
    pub async fn complete_scan(
        &self,
        id: i64,
        report: &ScanReport,
        catalog: Option<&Catalog>,
    ) -> anyhow::Result<()> {
        let json = serde_json::to_string(report)?;
        let catalog = catalog.map(serde_json::to_string).transpose()?;
        sqlx::query(
            "UPDATE scans SET status = 'complete', finished_at = ?, partial = ?, report = ?, catalog = ? \
             WHERE id = ?",
        )
        .bind(rfc3339(report.finished_at))
        .bind(report.is_partial())
        .bind(json)
        .bind(catalog)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces the stored catalogue of scan `id`: the organisation's configuration changed
    /// since the scan, and the catalogue rebuilt with it is the one to file. Baselines keep
    /// their own copy, so what was filed before is unchanged.
    pub async fn replace_catalog(&self, id: i64, catalog: &Catalog) -> anyhow::Result<()> {
        sqlx::query("UPDATE scans SET catalog = ? WHERE id = ? AND status = 'complete'")
            .bind(serde_json::to_string(catalog)?)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The latest complete scan, if any.
    pub async fn latest_scan(&self) -> anyhow::Result<Option<StoredScan>> {
        let row = sqlx::query("SELECT id, report, catalog FROM scans WHERE status = 'complete' ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| decode_scan(&r)).transpose()
    }

    /// The latest `limit` complete scans, newest first.
    pub async fn recent_scans(&self, limit: usize) -> anyhow::Result<Vec<StoredScan>> {
        let rows = sqlx::query(
            "SELECT id, report, catalog FROM scans WHERE status = 'complete' \
             ORDER BY id DESC LIMIT ?",
        )
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decode_scan).collect()
    }

    /// A complete scan by id.
    pub async fn scan(&self, id: i64) -> anyhow::Result<Option<StoredScan>> {
        let row = sqlx::query(
            "SELECT id, report, catalog FROM scans WHERE status = 'complete' AND id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| decode_scan(&r)).transpose()
    }

    /// The complete scan before `id`, if any.
    pub async fn previous_scan(&self, id: i64) -> anyhow::Result<Option<StoredScan>> {
        let row = sqlx::query(
            "SELECT id, report, catalog FROM scans WHERE status = 'complete' AND id < ? ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| decode_scan(&r)).transpose()
    }

    /// The stored catalogues of the complete scans up to and including `up_to`, oldest
    /// first, at most the `limit` latest; scans stored without a catalogue are left out.
    pub async fn catalog_history(
        &self,
        up_to: i64,
        limit: usize,
    ) -> anyhow::Result<Vec<(i64, Catalog)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, catalog FROM scans WHERE status = 'complete' AND catalog IS NOT NULL \
             AND id <= ? ORDER BY id DESC LIMIT ?",
        )
        .bind(up_to)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .into_iter()
            .map(|(id, json)| {
                let catalog = serde_json::from_str(&json)
                    .with_context(|| format!("scan {id} has an unreadable catalogue"))?;
                anyhow::Ok((id, catalog))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        out.reverse();
        Ok(out)
    }

    /// Records that the catalogue of scan `scan` was filed on `filed_at`.
    pub async fn accept_baseline(&self, scan: &StoredScan, filed_at: &str) -> anyhow::Result<i64> {
        let catalog = scan
            .catalog
            .as_ref()
            .with_context(|| format!("scan {} has no stored catalogue", scan.id))?;
        let id = sqlx::query(
            "INSERT INTO baselines (scan_id, filed_at, accepted_at, catalog) VALUES (?, ?, ?, ?)",
        )
        .bind(scan.id)
        .bind(filed_at)
        .bind(rfc3339(model::now()))
        .bind(serde_json::to_string(catalog)?)
        .execute(&self.pool)
        .await?
        .last_insert_rowid();
        Ok(id)
    }

    /// Every baseline, newest first.
    pub async fn baselines(&self) -> anyhow::Result<Vec<Baseline>> {
        let rows =
            sqlx::query("SELECT id, scan_id, filed_at, catalog FROM baselines ORDER BY id DESC")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(decode_baseline).collect()
    }

    /// The current baseline: the latest accepted filing.
    pub async fn current_baseline(&self) -> anyhow::Result<Option<Baseline>> {
        Ok(self.baselines().await?.into_iter().next())
    }

    /// The date a change was first detected against a baseline: recorded on first sight as
    /// `detected_now`, and kept from then on, so the due date does not move.
    pub async fn first_detected(
        &self,
        baseline_id: i64,
        item_id: &str,
        reason: &str,
        detected_now: &str,
    ) -> anyhow::Result<String> {
        sqlx::query(
            "INSERT OR IGNORE INTO detections (baseline_id, item_id, reason, first_detected_at) VALUES (?, ?, ?, ?)",
        )
        .bind(baseline_id)
        .bind(item_id)
        .bind(reason)
        .bind(detected_now)
        .execute(&self.pool)
        .await?;
        Ok(sqlx::query_scalar(
            "SELECT first_detected_at FROM detections WHERE baseline_id = ? AND item_id = ? AND reason = ?",
        )
        .bind(baseline_id)
        .bind(item_id)
        .bind(reason)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Every item number handed out so far (slug → number).
    pub async fn item_numbers(&self) -> anyhow::Result<BTreeMap<String, u32>> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT item_id, number FROM item_numbers")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(id, n)| (id, n as u32)).collect())
    }

    /// The numbers of `slugs`, handing out the next free ones to slugs never seen, in one
    /// write transaction so two mulu processes never give one number twice.
    pub async fn number_items(&self, slugs: &[&str]) -> anyhow::Result<BTreeMap<String, u32>> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        let result = async {
            let rows: Vec<(String, i64)> =
                sqlx::query_as("SELECT item_id, number FROM item_numbers")
                    .fetch_all(&mut *conn)
                    .await?;
            let mut known: BTreeMap<String, u32> =
                rows.into_iter().map(|(id, n)| (id, n as u32)).collect();
            let new = catalog_export::catalog::assign_numbers(&known, slugs.iter().copied());
            for (slug, number) in &new {
                sqlx::query(
                    "INSERT INTO item_numbers (item_id, number, first_seen_at) VALUES (?, ?, ?)",
                )
                .bind(slug)
                .bind(i64::from(*number))
                .bind(rfc3339(model::now()))
                .execute(&mut *conn)
                .await?;
            }
            known.extend(new);
            anyhow::Ok(known)
        }
        .await;
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        sqlx::query(end).execute(&mut *conn).await?;
        result
    }

    /// When a scheduled job last ran.
    pub async fn last_run(&self, job: &str) -> anyhow::Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT last_run_at FROM schedule_runs WHERE job = ?")
                .bind(job)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Records a scheduled job's run.
    pub async fn record_run(
        &self,
        job: &str,
        at: &str,
        scan_id: Option<i64>,
        outcome: &str,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO schedule_runs (job, last_run_at, scan_id, outcome) VALUES (?, ?, ?, ?) \
             ON CONFLICT (job) DO UPDATE SET last_run_at = excluded.last_run_at, \
             scan_id = excluded.scan_id, outcome = excluded.outcome",
        )
        .bind(job)
        .bind(at)
        .bind(scan_id)
        .bind(outcome)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Number of scans that never completed (killed or crashed).
    pub async fn incomplete_scans(&self) -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM scans WHERE status = 'running'")
                .fetch_one(&self.pool)
                .await?,
        )
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
    let report = serde_json::from_str(&json)
        .with_context(|| format!("scan {id} has an unreadable report"))?;
    let catalog: Option<String> = row.try_get("catalog")?;
    let catalog = catalog
        .map(|c| serde_json::from_str(&c))
        .transpose()
        .with_context(|| format!("scan {id} has an unreadable catalogue"))?;
    Ok(StoredScan {
        id,
        report,
        catalog,
    })
}

fn decode_baseline(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<Baseline> {
    let id: i64 = row.try_get("id")?;
    let catalog: String = row.try_get("catalog")?;
    Ok(Baseline {
        id,
        scan_id: row.try_get("scan_id")?,
        filed_at: row.try_get("filed_at")?,
        catalog: serde_json::from_str(&catalog)
            .with_context(|| format!("baseline {id} is unreadable"))?,
    })
}

/// How the state's text columns hold a time.
fn rfc3339(t: model::Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(started: &str) -> ScanReport {
        ScanReport {
            schema: model::SCAN_REPORT_SCHEMA.into(),
            started_at: started.parse().unwrap(),
            finished_at: started.parse().unwrap(),
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
        let first = state
            .begin_scan("2026-11-01T00:00:00Z".parse().unwrap())
            .await
            .unwrap();
        state
            .complete_scan(first, &report("2026-11-01T00:00:00Z"), None)
            .await
            .unwrap();
        let _killed = state
            .begin_scan("2026-11-02T00:00:00Z".parse().unwrap())
            .await
            .unwrap();
        let latest = state.latest_scan().await.unwrap().unwrap();
        assert_eq!(
            (latest.id, latest.report.started_at.to_rfc3339()),
            (first, "2026-11-01T00:00:00+00:00".to_string())
        );
        assert_eq!(state.incomplete_scans().await.unwrap(), 1);
        // Reopening (another process) keeps the schema and the data.
        drop(state);
        let again = State::open(&path).await.unwrap();
        assert_eq!(again.latest_scan().await.unwrap().unwrap().id, first);
    }

    #[test]
    fn concurrent_processes_can_open_a_new_state_together() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.db");
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let rt = tokio::runtime::Runtime::new().unwrap();
                    rt.block_on(async {
                        let state = State::open(&path).await.unwrap();
                        let id = state
                            .begin_scan("2026-11-01T00:00:00Z".parse().unwrap())
                            .await
                            .unwrap();
                        state
                            .complete_scan(id, &report("2026-11-01T00:00:00Z"), None)
                            .await
                            .unwrap();
                    })
                })
            })
            .collect();
        for h in handles {
            h.join().expect("no open failed");
        }
        let rt = tokio::runtime::Runtime::new().unwrap();
        let state = rt.block_on(State::open(&path)).unwrap();
        assert_eq!(rt.block_on(state.latest_scan()).unwrap().unwrap().id, 6);
    }

    #[tokio::test]
    async fn item_numbers_are_handed_out_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let state = State::open(&dir.path().join("s.db")).await.unwrap();
        let first = state.number_items(&["b", "a"]).await.unwrap();
        assert_eq!(first, [("a".into(), 2), ("b".into(), 1)].into());
        // `b` is gone, `c` is new: nobody is renumbered and `c` takes the next number.
        let later = state.number_items(&["a", "c"]).await.unwrap();
        assert_eq!(later["a"], 2);
        assert_eq!(later["c"], 3);
        let reopened = State::open(&dir.path().join("s.db")).await.unwrap();
        assert_eq!(reopened.item_numbers().await.unwrap().len(), 3);
    }

    #[tokio::test]
    async fn the_first_detection_date_sticks() {
        let dir = tempfile::tempdir().unwrap();
        let state = State::open(&dir.path().join("s.db")).await.unwrap();
        let id = state
            .begin_scan("2026-11-01T00:00:00Z".parse().unwrap())
            .await
            .unwrap();
        let catalog = catalog_export::catalog::build(&catalog_export::catalog::CatalogInput {
            report: &report("2026-11-01T00:00:00Z"),
            organization: &Default::default(),
            config: &Default::default(),
            rules: &catalog_export::rules::RuleSet::default_rules(),
        })
        .unwrap();
        state
            .complete_scan(id, &report("2026-11-01T00:00:00Z"), Some(&catalog))
            .await
            .unwrap();
        let scan = state.latest_scan().await.unwrap().unwrap();
        let b = state.accept_baseline(&scan, "2026-07-31").await.unwrap();
        assert_eq!(
            state.current_baseline().await.unwrap().unwrap().filed_at,
            "2026-07-31"
        );
        let first = state
            .first_detected(b, "item", "record_count", "2026-11-02")
            .await
            .unwrap();
        let later = state
            .first_detected(b, "item", "record_count", "2026-12-01")
            .await
            .unwrap();
        assert_eq!(
            (first.as_str(), later.as_str()),
            ("2026-11-02", "2026-11-02")
        );
        state
            .record_run("nightly", "2026-11-02T02:00:00Z", Some(id), "ok")
            .await
            .unwrap();
        state
            .record_run("nightly", "2026-11-03T02:00:00Z", None, "ok")
            .await
            .unwrap();
        assert_eq!(
            state.last_run("nightly").await.unwrap().as_deref(),
            Some("2026-11-03T02:00:00Z")
        );
    }
}
