//! Tests that need a live PostgreSQL or MySQL are marked `ignored` when its URL is not set
//! at build time, so `cargo test` reports them as not run instead of as passed.
//! `MULU_REQUIRE_SERVICES=1` (CI) keeps them on: a missing service is then a failure.

fn main() {
    println!("cargo:rustc-check-cfg=cfg(mulu_no_postgres, mulu_no_mysql)");
    // One script serves connectors and scanner (`build = "../connectors/build.rs"`).
    println!("cargo:rerun-if-changed=../connectors/build.rs");
    println!("cargo:rerun-if-env-changed=MULU_REQUIRE_SERVICES");
    let required = std::env::var("MULU_REQUIRE_SERVICES").is_ok_and(|v| v == "1");
    for (var, cfg) in [
        ("MULU_TEST_POSTGRES_URL", "mulu_no_postgres"),
        ("MULU_TEST_MYSQL_URL", "mulu_no_mysql"),
    ] {
        println!("cargo:rerun-if-env-changed={var}");
        let set = std::env::var(var).is_ok_and(|v| !v.is_empty());
        if !set && !required {
            println!("cargo:rustc-cfg={cfg}");
        }
    }
}
