//! SQL databases: one generic [`SqlConnector`] and one [`SqlDialect`] per database.
//!
//! - `connector`: the connector every SQL database shares (pool, sampling, full passes);
//! - `dialect`: the trait a database implements, and the table description it returns;
//! - `driver`: the few sqlx calls the generic code makes, per sqlx driver;
//! - `errors`: sqlx failures worded for a data officer, passwords scrubbed;
//! - `keyset`: paging a full pass through a primary key;
//! - `server_url`: a server URL and its password source;
//! - `sqlite`, `postgres`, `mysql`: the dialects.

mod connector;
mod dialect;
mod driver;
mod errors;
mod keyset;
mod mysql;
mod postgres;
mod server_url;
mod sqlite;

pub(crate) use connector::SqlConnector;
pub(crate) use mysql::MySqlDialect;
pub(crate) use postgres::PostgresDialect;
pub(crate) use sqlite::SqliteDialect;
