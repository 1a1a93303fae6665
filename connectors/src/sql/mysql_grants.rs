//! What a MySQL or MariaDB user cannot see: the catalog (`information_schema`) silently leaves
//! out tables and columns the user has no privilege on, so a scan by a user with narrow grants
//! would look complete while it is not. These queries read the user's own grants (the
//! `*_PRIVILEGES` views show them to every user) to say where the view is narrowed.

use sqlx::{MySql, Pool, Row};

use super::errors::ErrorContext;
use crate::Result;

/// The current account as the `GRANTEE` column spells it: `'user'@'host'`.
const GRANTEE: &str = "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', \
                       SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";

/// Whether the user holds SELECT on every table of `database` (server-wide, or on the
/// database, wildcard grants included), or on the whole server when `database` is `None`.
pub(super) async fn reads_everything(
    pool: &Pool<MySql>,
    errors: &ErrorContext,
    database: Option<&str>,
) -> Result<bool> {
    let sql = format!(
        "SELECT EXISTS(SELECT 1 FROM information_schema.USER_PRIVILEGES \
                       WHERE GRANTEE = {GRANTEE} AND PRIVILEGE_TYPE = 'SELECT') \
             OR EXISTS(SELECT 1 FROM information_schema.SCHEMA_PRIVILEGES \
                       WHERE GRANTEE = {GRANTEE} AND PRIVILEGE_TYPE = 'SELECT' \
                         AND ? LIKE TABLE_SCHEMA)"
    );
    // With no database named, only a server-wide grant covers everything; a database name
    // no grant pattern matches keeps the second test false.
    let row = sqlx::query(&sql)
        .bind(database.unwrap_or("\u{0}"))
        .fetch_one(pool)
        .await
        .map_err(|e| errors.map(None, e))?;
    let everything: i64 = row.try_get(0).map_err(|e| errors.map(None, e))?;
    Ok(everything != 0)
}

/// How many columns of the table the user may read through column grants alone, when it has
/// no SELECT on the whole table (server, database or table grant); `None` when it has one or
/// no column grant at all.
pub(super) async fn column_grants_only(
    pool: &Pool<MySql>,
    errors: &ErrorContext,
    asset: &str,
    database: &str,
    table: &str,
) -> Result<Option<u64>> {
    let sql = format!(
        "SELECT EXISTS(SELECT 1 FROM information_schema.USER_PRIVILEGES \
                       WHERE GRANTEE = {GRANTEE} AND PRIVILEGE_TYPE = 'SELECT') \
             OR EXISTS(SELECT 1 FROM information_schema.SCHEMA_PRIVILEGES \
                       WHERE GRANTEE = {GRANTEE} AND PRIVILEGE_TYPE = 'SELECT' \
                         AND ? LIKE TABLE_SCHEMA) \
             OR EXISTS(SELECT 1 FROM information_schema.TABLE_PRIVILEGES \
                       WHERE GRANTEE = {GRANTEE} AND PRIVILEGE_TYPE = 'SELECT' \
                         AND TABLE_SCHEMA = ? AND TABLE_NAME = ?), \
                (SELECT COUNT(*) FROM information_schema.COLUMN_PRIVILEGES \
                 WHERE GRANTEE = {GRANTEE} AND PRIVILEGE_TYPE = 'SELECT' \
                   AND TABLE_SCHEMA = ? AND TABLE_NAME = ?)"
    );
    let row = sqlx::query(&sql)
        .bind(database)
        .bind(database)
        .bind(table)
        .bind(database)
        .bind(table)
        .fetch_one(pool)
        .await
        .map_err(|e| errors.map(Some(asset), e))?;
    let whole: i64 = row.try_get(0).map_err(|e| errors.map(Some(asset), e))?;
    let columns: i64 = row.try_get(1).map_err(|e| errors.map(Some(asset), e))?;
    Ok((whole == 0 && columns > 0).then_some(columns as u64))
}

/// The cause recorded for a table read through column grants only.
pub(super) fn column_grant_cause(granted: u64) -> String {
    format!(
        "readable through column grants only ({granted} columns granted): columns without a \
         grant are invisible to the scanning user and were not read; grant SELECT on the \
         whole table to scan it completely"
    )
}

/// The cause recorded for a source whose listing may miss tables.
pub(super) fn listing_gap_cause(database: Option<&str>) -> String {
    match database {
        Some(db) => format!(
            "the scanning user has no SELECT on database `{db}` as a whole, so tables it has no \
             grant on are invisible to it and were not scanned; grant SELECT ON `{db}`.* to \
             make the scan complete"
        ),
        None => "the scanning user has no server-wide SELECT, so databases and tables it has \
                 no grant on are invisible to it and were not scanned; grant SELECT ON *.*, or \
                 name the database in the URL"
            .to_string(),
    }
}
