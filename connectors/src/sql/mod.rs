//! SQL databases: one generic [`SqlConnector`] and one [`dialect::SqlDialect`] per database.
//!
//! - `asset_name`: quote-aware `schema.table` names that cannot collide;
//! - `connector`: the connector every SQL database shares (pool, sampling, full passes);
//! - `describe_ahead`: table descriptions fetched many at a time, ahead of their reads;
//! - `dialect`: the trait a database implements, and the table description it returns;
//! - `driver`: the few sqlx calls the generic code makes, per sqlx driver;
//! - `errors`: sqlx failures worded for a data officer, passwords scrubbed;
//! - `keyset`: paging a full pass through a primary key;
//! - `server_url`: a server URL and its password source;
//! - `spread`: a sample spread over an integer primary key's range;
//! - `top_up`: more values for columns whose sampled rows are (nearly) all NULL;
//! - `pg_copy`: PostgreSQL samples read through `COPY … TO STDOUT`;
//! - `pg_server`: a PostgreSQL URL without a database, expanded to the server's databases;
//! - `sqlite`, `postgres`, `mysql`: the dialects.

#[cfg(any(feature = "postgres", feature = "mysql"))]
mod asset_name;
mod connector;
mod describe_ahead;
// With SQLite alone, the server parts (cursors, key paging, privilege and timeout errors)
// are compiled but unused.
#[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
mod dialect;
mod driver;
#[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
mod errors;
mod keyset;
#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "mysql")]
mod mysql_grants;
#[cfg(feature = "postgres")]
mod pg_copy;
#[cfg(feature = "postgres")]
pub(crate) mod pg_server;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(any(feature = "postgres", feature = "mysql"))]
mod server_url;
#[cfg_attr(not(feature = "mysql"), allow(dead_code))]
mod spread;
mod sqlite;
mod top_up;

pub(crate) use connector::SqlConnector;
#[cfg(feature = "mysql")]
pub(crate) use mysql::MySqlDialect;
#[cfg(feature = "postgres")]
pub(crate) use postgres::PostgresDialect;
pub(crate) use sqlite::SqliteDialect;
