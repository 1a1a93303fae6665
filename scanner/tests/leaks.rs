//! The scanner is never a leak: for each way a value or a secret used to get out, the real
//! `mulu` binary is run and every output is searched for it — stdout, stderr (with
//! `MULU_LOG=debug`), the `--json` report, the state database and its WAL, and the catalogue
//! exported as xlsx (cell by cell), CSV and JSON. All data is synthetic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Reader, Xlsx};

/// A synthetic resident ID with a correct check character.
fn id_number(n: u32) -> String {
    let body = format!(
        "110105{}{:02}{:02}{:03}",
        1970 + n % 30,
        1 + n % 12,
        1 + n % 28,
        n % 1000
    );
    let check = classifiers::validate::mod11_2_check_char(body.as_bytes()).unwrap();
    format!("{body}{}", check as char)
}

/// One test's working folder: data, state, reports and exports all under it.
struct Run {
    dir: tempfile::TempDir,
    /// Everything mulu printed, by command.
    printed: Vec<(String, Vec<u8>)>,
}

impl Run {
    fn new() -> Self {
        Run {
            dir: tempfile::tempdir().unwrap(),
            printed: Vec::new(),
        }
    }

    fn out(&self) -> PathBuf {
        let out = self.dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        out
    }

    /// Runs mulu with the state in `out/`, debug logs on, and keeps what it printed.
    fn mulu(&mut self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
            .args(args)
            .env("MULU_STATE", self.out().join("state.db"))
            .env("MULU_LOG", "debug")
            .env_remove("MULU_CONFIG")
            .output()
            .unwrap();
        let what = args.join(" ");
        self.printed
            .push((format!("stdout of {what}"), out.stdout.clone()));
        self.printed
            .push((format!("stderr of {what}"), out.stderr.clone()));
        out
    }

    /// `catalog export` in every format, into `out/`.
    fn export_all(&mut self) {
        for format in ["xlsx", "csv", "json"] {
            let path = self.out().join(format!("catalog.{format}"));
            let out = self.mulu(&[
                "catalog",
                "export",
                "--format",
                format,
                "--out",
                path.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", stderr(&out));
        }
    }

    /// Every output: what was printed, every file under `out/` (the state, its WAL, reports,
    /// exports), and the text of every xlsx cell (the file itself is compressed).
    fn outputs(&self) -> Vec<(String, Vec<u8>)> {
        let mut all = self.printed.clone();
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.out())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files {
            if path.extension().is_some_and(|e| e == "xlsx") {
                let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
                let mut text = String::new();
                for name in book.sheet_names() {
                    for cell in book.worksheet_range(&name).unwrap().used_cells() {
                        text.push_str(&cell.2.to_string());
                        text.push('\n');
                    }
                }
                all.push((path.display().to_string(), text.into_bytes()));
            } else {
                all.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
        all
    }

    /// Names of the files written under `out/`, to show the search covered them.
    fn files(&self) -> Vec<String> {
        std::fs::read_dir(self.out())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// Fails naming every output that holds any of `secrets`.
    fn assert_absent(&self, secrets: &[&str]) {
        let mut found = Vec::new();
        for (name, bytes) in self.outputs() {
            for secret in secrets {
                if contains(&bytes, secret.as_bytes()) {
                    found.push(format!("'{secret}' in {name}"));
                }
            }
        }
        assert!(found.is_empty(), "leaked: {found:#?}");
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Creates an SQLite database at `path` with `statements`.
fn sqlite(path: &Path, statements: &[String]) {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::ConnectOptions;
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut conn = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        for sql in statements {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    });
}

fn report(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn malformed_urls_with_a_password_are_a_usage_error_and_the_password_is_nowhere() {
    let password = "Hunter2Secret";
    for url in [
        format!("postgres://u:{password}@127.0.0.1:99999/db"),
        format!("postgres://u:{password}@[::1"),
        format!("mysql://u:{password}@127.0.0.1:5432:5433/db"),
    ] {
        let mut run = Run::new();
        let report_path = run.out().join("report.json");
        let json = report_path.to_str().unwrap().to_string();
        // From the command line.
        let cli = run.mulu(&["scan", &url, "--json", &json]);
        // From a config file (kept outside `out/`: it holds the password by design).
        let config = run.dir.path().join("mulu.toml");
        std::fs::write(
            &config,
            format!("[[sources]]\nname = \"crm\"\nurl = \"{url}\"\n"),
        )
        .unwrap();
        let from_config = run.mulu(&[
            "scan",
            "--config",
            config.to_str().unwrap(),
            "--json",
            &json,
        ]);
        // Nor from a config that does not even parse as TOML (its error quotes the line).
        std::fs::write(&config, format!("[[sources]]\nurl = \"{url}\" x\n")).unwrap();
        let bad_toml = run.mulu(&[
            "scan",
            "--config",
            config.to_str().unwrap(),
            "--json",
            &json,
        ]);
        run.assert_absent(&[password]);
        for out in [&cli, &from_config, &bad_toml] {
            assert_eq!(out.status.code(), Some(2), "{url}: {}", stderr(out));
        }
        assert!(stderr(&cli).contains("not a valid URL"), "{}", stderr(&cli));
        assert!(
            stderr(&from_config).contains("u:***@"),
            "{}",
            stderr(&from_config)
        );
    }
}

#[test]
fn identifiers_in_file_names_are_masked_everywhere_and_the_rest_of_the_name_kept() {
    let mut run = Run::new();
    let data = run.dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let (id, phone) = (id_number(7), "13912345678");
    let (id2, phone2) = (id_number(8), "13712345670");
    let mut rows = String::from("xm,shouji\n");
    for n in 0..50 {
        rows.push_str(&format!("张伟,139{:08}\n", 10_000_000 + n));
    }
    std::fs::write(data.join(format!("客户_{id}_{phone}.csv")), rows).unwrap();
    // A file that fails: its error names it.
    std::fs::write(
        data.join(format!("订单_{id2}_{phone2}.csv.gz")),
        b"not gzip at all",
    )
    .unwrap();
    // A database table named after a person: driver logs must not print it either.
    let id3 = id_number(9);
    sqlite(
        &data.join("crm.db"),
        &[
            format!("CREATE TABLE \"客户_{id3}\" (shouji TEXT)"),
            format!("INSERT INTO \"客户_{id3}\" VALUES ('13712340000'), ('13712340001')"),
        ],
    );
    let data = data.to_str().unwrap();
    let with_state = run.mulu(&["scan", data]);
    let report_path = run.out().join("report.json");
    let out = run.mulu(&[
        "scan",
        data,
        "--json",
        report_path.to_str().unwrap(),
        "--no-state",
    ]);
    run.export_all();
    // A report from an older mulu, its names unmasked: what is exported from it is masked.
    let masked_id = format!("110105********{}", &id[14..]);
    let old = run.dir.path().join("old-report.json");
    let unmasked = std::fs::read_to_string(&report_path)
        .unwrap()
        .replace(&masked_id, &id);
    assert!(unmasked.contains(&id));
    std::fs::write(&old, unmasked).unwrap();
    for format in ["xlsx", "json"] {
        let path = run.out().join(format!("from-old-report.{format}"));
        let out = run.mulu(&[
            "catalog",
            "export",
            "--report",
            old.to_str().unwrap(),
            "--format",
            format,
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(run.files().len() >= 7, "{:?}", run.files());
    run.assert_absent(&[&id, phone, &id2, phone2, &id3]);

    for out in [&with_state, &out] {
        assert_eq!(out.status.code(), Some(3), "{}", stderr(out));
    }
    let r = report(&report_path);
    let names: Vec<&str> = r["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    // The rest of each name is kept, so the file can be found.
    assert!(
        names.contains(&format!("客户_{masked_id}_139****5678.csv").as_str()),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("订单_110105")),
        "{names:?}"
    );
}

#[test]
fn control_characters_in_table_names_never_reach_the_terminal() {
    let mut run = Run::new();
    let data = run.dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let db = data.join("crm.db");
    let table = "t\u{1b}[31mred\u{1b}]0;pwned\u{7}";
    let quoted = format!("\"{table}\"");
    let mut statements = vec![format!("CREATE TABLE {quoted} (\"shouji\u{1b}[2J\" TEXT)")];
    statements.extend((0..30).map(|n| format!("INSERT INTO {quoted} VALUES ('137{n:08}')")));
    // A view that fails when read (integer overflow), so the name is printed as a failure too.
    statements.push(format!(
        "CREATE VIEW \"v\u{1b}[2J\" AS SELECT * FROM {quoted} \
         WHERE abs(-9223372036854775807 - 1) > 0"
    ));
    sqlite(&db, &statements);
    let out = run.mulu(&["scan", data.to_str().unwrap()]);
    for (name, printed) in &run.printed {
        for control in [0x1b_u8, 0x07] {
            assert!(
                !printed.contains(&control),
                "{name} holds byte {control:#x}: {}",
                String::from_utf8_lossy(printed)
            );
        }
    }
    // Escaped, not dropped: the DPO can still tell which table it is.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("t\\u{1b}[31mred"), "{stdout}");
    let failed = stderr(&out);
    assert!(failed.contains("v\\u{1b}[2J"), "{failed}");
}

/// A PostgreSQL view that fails on its data: the server's error quotes the resident ID.
#[cfg(feature = "postgres")]
#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[test]
fn a_postgres_error_quoting_an_id_leaks_nowhere() {
    use sqlx::Executor;
    let url = match std::env::var("MULU_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ if std::env::var("MULU_REQUIRE_SERVICES").is_ok_and(|v| v == "1") => {
            panic!("MULU_TEST_POSTGRES_URL is not set (MULU_REQUIRE_SERVICES=1)")
        }
        _ => {
            eprintln!("skipping: MULU_TEST_POSTGRES_URL is not set");
            return;
        }
    };
    let schema = format!(
        "leak_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let ids: Vec<String> = (0..20).map(id_number).collect();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pool = rt.block_on(async {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        let values: Vec<String> = ids.iter().map(|id| format!("('{id}')")).collect();
        pool.execute(
            format!(
                "CREATE SCHEMA {schema};
                 CREATE TABLE {schema}.t (sfzh text);
                 INSERT INTO {schema}.t VALUES {};
                 CREATE VIEW {schema}.v AS SELECT sfzh::int AS n FROM {schema}.t;",
                values.join(",")
            )
            .as_str(),
        )
        .await
        .unwrap();
        pool
    });
    let mut run = Run::new();
    let config = run.dir.path().join("mulu.toml");
    std::fs::write(
        &config,
        format!("[[sources]]\nurl = \"{url}\"\ninclude = [\"{schema}.*\"]\n"),
    )
    .unwrap();
    let report_path = run.out().join("report.json");
    let out = run.mulu(&[
        "scan",
        "--config",
        config.to_str().unwrap(),
        "--json",
        report_path.to_str().unwrap(),
    ]);
    let printed = stderr(&out);
    run.export_all();
    rt.block_on(async {
        pool.execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
            .await
            .unwrap();
    });
    assert_eq!(out.status.code(), Some(3), "{printed}");
    let r = report(&report_path);
    let view = r["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == format!("{schema}.v"))
        .expect("the view is in the report");
    let error = view["error"].as_str().unwrap();
    assert!(error.contains("out of range"), "{error}");
    assert!(printed.contains("out of range"), "{printed}");
    let secrets: Vec<&str> = ids.iter().map(String::as_str).collect();
    run.assert_absent(&secrets);
}

#[test]
fn a_reader_panic_prints_where_it_happened_not_what_it_said() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    // A parquet file the fuzz harness found to panic the parquet reader.
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../connectors/tests/data/fuzz-parquet-panic.parquet"
        ),
        data.join("bad.parquet"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(["scan", data.to_str().unwrap(), "--no-state", "--quiet"])
        .env("MULU_STATE", dir.path().join("state.db"))
        .env_remove("MULU_CONFIG")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(!err.contains("panicked at"), "{err}");
    assert!(err.contains("its message is withheld"), "{err}");
    assert!(err.contains("bad.parquet"), "{err}");
}
