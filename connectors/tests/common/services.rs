//! Live PostgreSQL and MySQL/MariaDB for the integration tests.
//!
//! Tests read `MULU_TEST_POSTGRES_URL` / `MULU_TEST_MYSQL_URL`. Without them a test prints a
//! notice and passes as skipped, unless `MULU_REQUIRE_SERVICES=1` (as on CI), which turns a
//! missing variable or an unreachable server into a failure. Every test works in its own
//! uniquely named schema (PostgreSQL) or database (MySQL) and drops it afterwards.

use std::sync::atomic::{AtomicU32, Ordering};

#[cfg(any(feature = "postgres", feature = "mysql"))]
use sqlx::Executor;
#[cfg(feature = "mysql")]
use sqlx::MySqlPool;
#[cfg(feature = "postgres")]
use sqlx::PgPool;

#[cfg(any(feature = "postgres", feature = "mysql"))]
use super::fixture;

pub const POSTGRES_VAR: &str = "MULU_TEST_POSTGRES_URL";
pub const MYSQL_VAR: &str = "MULU_TEST_MYSQL_URL";

/// Whether missing services fail tests instead of skipping them.
pub fn services_required() -> bool {
    std::env::var("MULU_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

/// The one guard: returns the value, or `None` after a notice (or panics when services are
/// required). `what` says what was missing or failed.
pub fn guard<T>(test: &str, value: Result<T, String>) -> Option<T> {
    match value {
        Ok(v) => Some(v),
        Err(why) if services_required() => {
            panic!("{test}: {why} (MULU_REQUIRE_SERVICES=1, so this is a failure)")
        }
        Err(why) => {
            eprintln!("skipping {test}: {why}");
            None
        }
    }
}

fn env_url(var: &str) -> Result<String, String> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("{var} is not set"))
}

/// A name no other test (or earlier run) uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos % 100_000
    )
}

/// A URL with its user, password or path changed.
pub fn with_credentials(url: &str, user: &str, password: Option<&str>) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_username(user).unwrap();
    u.set_password(password).unwrap();
    u.to_string()
}

pub fn with_path(url: &str, path: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_path(path);
    u.to_string()
}

#[cfg(feature = "postgres")]
/// A scratch schema in the PostgreSQL test database, holding the fixture `customers` table.
pub struct PgScratch {
    pub admin: PgPool,
    /// The URL the connector should use (the test database, admin user).
    pub url: String,
    pub schema: String,
    /// Roles created by the test, dropped on cleanup.
    pub roles: Vec<String>,
}

#[cfg(feature = "postgres")]
impl PgScratch {
    /// `None` when the test should be skipped.
    pub async fn create(test: &str) -> Option<Self> {
        let url = guard(test, env_url(POSTGRES_VAR))?;
        let admin = guard(
            test,
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(2)
                .acquire_timeout(std::time::Duration::from_secs(10))
                .connect(&url)
                .await
                .map_err(|e| format!("PostgreSQL at {POSTGRES_VAR} is unreachable: {e}")),
        )?;
        let schema = unique_name("mulu_t");
        admin
            .execute(format!("CREATE SCHEMA {schema}").as_str())
            .await
            .unwrap();
        let table = format!("{schema}.customers");
        admin
            .execute(fixture::postgres_ddl(&table).as_str())
            .await
            .unwrap();
        admin
            .execute(format!("INSERT INTO {table} VALUES {}", fixture::insert_values()).as_str())
            .await
            .unwrap();
        Some(Self {
            admin,
            url,
            schema,
            roles: Vec::new(),
        })
    }

    pub fn asset(&self, table: &str) -> String {
        format!("{}.{table}", self.schema)
    }

    pub async fn exec(&self, sql: &str) {
        self.admin
            .execute(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// A login role; trust authentication on the test server accepts it without a password.
    pub async fn create_role(&mut self) -> String {
        let role = unique_name("mulu_r");
        self.exec(&format!("CREATE ROLE {role} LOGIN")).await;
        self.roles.push(role.clone());
        role
    }

    fn cleanup_sql(&self) -> Vec<String> {
        let mut sql = vec![format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema)];
        for role in &self.roles {
            sql.push(format!("DROP OWNED BY {role}"));
            sql.push(format!("DROP ROLE IF EXISTS {role}"));
        }
        sql
    }

    pub async fn finish(mut self) {
        for sql in self.cleanup_sql() {
            self.exec(&sql).await;
        }
        self.admin.close().await;
        self.schema.clear();
    }
}

#[cfg(feature = "postgres")]
impl Drop for PgScratch {
    /// A test that panicked before `drop().await` still leaves nothing behind.
    fn drop(&mut self) {
        if self.schema.is_empty() {
            return;
        }
        let (url, sql) = (self.url.clone(), self.cleanup_sql());
        cleanup_in_background(move || async move {
            let pool = PgPool::connect(&url).await.ok()?;
            for s in sql {
                let _ = pool.execute(s.as_str()).await;
            }
            Some(())
        });
    }
}

#[cfg(feature = "mysql")]
/// A scratch database on the MySQL/MariaDB server, holding the fixture `customers` table.
pub struct MySqlScratch {
    pub admin: MySqlPool,
    /// The server URL as given (its own database).
    pub server_url: String,
    /// The URL the connector should use (the scratch database, admin user).
    pub url: String,
    pub database: String,
    pub users: Vec<String>,
}

#[cfg(feature = "mysql")]
impl MySqlScratch {
    pub async fn create(test: &str) -> Option<Self> {
        let server_url = guard(test, env_url(MYSQL_VAR))?;
        let admin = guard(
            test,
            sqlx::mysql::MySqlPoolOptions::new()
                .max_connections(2)
                .acquire_timeout(std::time::Duration::from_secs(10))
                .connect(&server_url)
                .await
                .map_err(|e| format!("MySQL at {MYSQL_VAR} is unreachable: {e}")),
        )?;
        let database = unique_name("mulu_t");
        admin
            .execute(format!("CREATE DATABASE {database} CHARACTER SET utf8mb4").as_str())
            .await
            .unwrap();
        let table = format!("{database}.customers");
        admin
            .execute(fixture::mysql_ddl(&table).as_str())
            .await
            .unwrap();
        admin
            .execute(format!("INSERT INTO {table} VALUES {}", fixture::insert_values()).as_str())
            .await
            .unwrap();
        let url = with_path(&server_url, &format!("/{database}"));
        Some(Self {
            admin,
            server_url,
            url,
            database,
            users: Vec::new(),
        })
    }

    pub fn asset(&self, table: &str) -> String {
        format!("{}.{table}", self.database)
    }

    pub async fn exec(&self, sql: &str) {
        self.admin
            .execute(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// A user with the given password and no privileges yet.
    pub async fn create_user(&mut self, password: &str) -> String {
        let user = unique_name("mulu_u");
        self.exec(&format!(
            "CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'"
        ))
        .await;
        self.users.push(user.clone());
        user
    }

    fn cleanup_sql(&self) -> Vec<String> {
        let mut sql = vec![format!("DROP DATABASE IF EXISTS {}", self.database)];
        for user in &self.users {
            sql.push(format!("DROP USER IF EXISTS '{user}'@'%'"));
        }
        sql
    }

    pub async fn finish(mut self) {
        for sql in self.cleanup_sql() {
            self.exec(&sql).await;
        }
        self.admin.close().await;
        self.database.clear();
    }
}

#[cfg(feature = "mysql")]
impl Drop for MySqlScratch {
    /// A test that panicked before `drop().await` still leaves nothing behind.
    fn drop(&mut self) {
        if self.database.is_empty() {
            return;
        }
        let (url, sql) = (self.server_url.clone(), self.cleanup_sql());
        cleanup_in_background(move || async move {
            let pool = MySqlPool::connect(&url).await.ok()?;
            for s in sql {
                let _ = pool.execute(s.as_str()).await;
            }
            Some(())
        });
    }
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
/// Runs async cleanup from `Drop`, on a thread with its own runtime (the test's runtime may be
/// unwinding), and waits for it.
fn cleanup_in_background<F, Fut>(f: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Option<()>>,
{
    let _ = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| rt.block_on(f()))
    })
    .join();
}
