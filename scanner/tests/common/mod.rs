//! Shared by the scanner's integration tests: running the real `mulu` binary, and the guard
//! for tests that need the machine's PostgreSQL or MariaDB.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `mulu` with its state in `dir` and no config from the environment.
pub fn mulu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(args)
        .env("MULU_STATE", dir.join("state.db"))
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap()
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
