//! Shared by the scanner's integration tests: running the real `mulu` binary, the guard for
//! tests that need the machine's PostgreSQL or MariaDB, and synthetic identifiers.
#![allow(dead_code)]

#[path = "../../../connectors/tests/common/copy_dir.rs"]
mod copy_dir;

use std::path::Path;
use std::process::{Command, Output};

#[allow(unused_imports)] // not every test binary copies a fixture
pub use copy_dir::copy_dir;

/// Runs `mulu` with its state in `dir` and no config from the environment.
pub fn mulu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(args)
        .env("MULU_STATE", dir.join("state.db"))
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap()
}

/// Runs `statements` in order on the database at `url` (PostgreSQL or MySQL/MariaDB, by its
/// scheme): a test's fixture set-up or clean-up. Panics on the first that fails.
pub fn run_sql(url: &str, statements: &[String]) {
    use sqlx::Executor;
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        if url.starts_with("postgres") {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            for sql in statements {
                pool.execute(sql.as_str()).await.unwrap();
            }
        } else {
            let pool = sqlx::MySqlPool::connect(url).await.unwrap();
            for sql in statements {
                pool.execute(sql.as_str()).await.unwrap();
            }
        }
    });
}

/// The service URL in `var`, or `None` (after a notice) when the test should skip; a failure
/// instead under `MULU_REQUIRE_SERVICES=1`, as on CI.
pub fn service(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("MULU_REQUIRE_SERVICES").as_deref() == Ok("1") => {
            panic!("{var} is not set (MULU_REQUIRE_SERVICES=1, so this is a failure)")
        }
        _ => {
            eprintln!("skipped: set {var} to run against the real server");
            None
        }
    }
}

/// A synthetic resident ID number (Beijing prefix) with a valid check character, different
/// for every n below 1000.
pub fn id_number(n: u32) -> String {
    let body = format!(
        "110105{}{:02}{:02}{:03}",
        1960 + n % 40,
        1 + n % 12,
        1 + n % 28,
        n % 1000
    );
    let check = classifiers::validate::mod11_2_check_char(body.as_bytes()).unwrap();
    format!("{body}{}", check as char)
}

/// The persons worked example of the README in `data`: customers 0..1000 (ID + phone),
/// orders of persons 500..1500 (phone only), vehicle owners 800..1200 (ID + plate) — 1700
/// persons, whose links cross files.
pub fn write_holdings(data: &Path) {
    let phone = |n: u32| format!("139{n:08}");
    let mut customers = String::from("sfzh,shouji\n");
    for n in 0..1000 {
        customers.push_str(&format!("{},{}\n", id_number(n), phone(n)));
    }
    let mut orders = String::from("order_no,mobile\n");
    for n in 500..1500 {
        orders.push_str(&format!("2025{n:014},{}\n", phone(n)));
    }
    let mut owners = String::from("id_number,plate\n");
    for n in 800..1200 {
        owners.push_str(&format!("{},沪A{n:05}\n", id_number(n)));
    }
    std::fs::write(data.join("customers.csv"), customers).unwrap();
    std::fs::write(data.join("orders.csv"), orders).unwrap();
    std::fs::write(data.join("owners.csv"), owners).unwrap();
}
