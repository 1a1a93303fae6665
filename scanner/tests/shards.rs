//! Scale-out: N shard processes and a merge give the report one process gives — the same
//! assets, findings, persons (linked across shards) and catalogue items — and a merge with a
//! shard missing says so and never calls a threshold not crossed. Real binary, sample data
//! plus the persons worked example (whose persons link across files).

mod common;
#[cfg(feature = "cloud")]
#[path = "../../connectors/tests/common/s3_server.rs"]
mod s3_server;

use common::{id_number, write_holdings};
use std::path::Path;
use std::process::Output;

use serde_json::Value;

fn mulu(dir: &Path, args: &[&str]) -> Output {
    mulu_with(dir, args, &[])
}

/// `mulu` in `dir` with the run's key, its own state, and `env` set.
fn mulu_with<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S], env: &[(&str, &str)]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args(args)
        .current_dir(dir)
        .env("MULU_STATE", dir.join("state.db"))
        .env("MULU_HASH_KEY_FILE", dir.join("key.hex"))
        .env_remove("MULU_CONFIG")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// The report of `config`'s sources from one process, and through `mulu plan --out run`,
/// `shards` shard processes and `mulu merge`; both without times.
fn single_and_sharded(
    d: &Path,
    config: &str,
    run: &str,
    shards: usize,
    env: &[(&str, &str)],
) -> (Value, Value) {
    let single = d.join("single.json");
    let merged = d.join("merged.json");
    let (single_path, merged_path) = (single.to_str().unwrap(), merged.to_str().unwrap());
    let scan = [
        "scan",
        "--quiet",
        "--no-state",
        "--config",
        config,
        "--json",
        single_path,
    ];
    ok(&mulu_with(d, &scan, env), "single scan");
    ok(
        &mulu_with(d, &["plan", "--config", config, "--out", run], env),
        "plan",
    );
    let of = shards.to_string();
    for i in 0..shards {
        let i = i.to_string();
        let shard = [
            "scan", "--plan", run, "--config", config, "--shard", &i, "--of", &of, "--quiet",
        ];
        ok(&mulu_with(d, &shard, env), "shard");
    }
    let merge = [
        "merge",
        run,
        "--config",
        config,
        "--no-state",
        "--json",
        merged_path,
    ];
    ok(&mulu_with(d, &merge, env), "merge");
    (comparable(read(&single)), comparable(read(&merged)))
}

fn ok(out: &Output, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The report without what differs between any two runs: times.
fn comparable(mut report: Value) -> Value {
    let object = report.as_object_mut().unwrap();
    object.remove("started_at");
    object.remove("finished_at");
    report
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("holdings")).unwrap();
    write_holdings(&dir.path().join("holdings"));
    std::os::unix::fs::symlink(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../sample-data")
            .canonicalize()
            .unwrap(),
        dir.path().join("sample-data"),
    )
    .unwrap();
    std::fs::write(dir.path().join("key.hex"), "ab".repeat(32)).unwrap();
    dir
}

#[test]
fn n_shards_and_a_merge_equal_one_process() {
    let dir = setup();
    let d = dir.path();
    let sources = ["sample-data", "holdings"];
    let single = d.join("single.json");
    let mut args = vec![
        "scan",
        "--quiet",
        "--no-state",
        "--json",
        single.to_str().unwrap(),
    ];
    args.extend(sources);
    ok(&mulu(d, &args), "single scan");
    let single = comparable(read(&single));
    assert!(single["persons"]["distinct"].as_u64().unwrap() >= 1700);
    assert!(single["assets"].as_array().unwrap().len() >= 8);

    for n in [1usize, 2, 3, 7] {
        let run = d.join(format!("run{n}"));
        // Units of 40 kB: the 90 kB vehicle_tracks dataset is dealt into three file groups.
        let mut args = vec![
            "plan",
            "--out",
            run.to_str().unwrap(),
            "--unit-bytes",
            "40000",
        ];
        args.extend(sources);
        ok(&mulu(d, &args), "plan");
        let plan = read(&run.join("plan.json"));
        let groups: Vec<&Value> = plan["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["asset"] == "lake/vehicle_tracks")
            .collect();
        assert_eq!(groups.len(), 3, "{plan}");
        assert!(groups
            .iter()
            .all(|u| u["part"]["of"] == 3 && u["part"]["range"].is_null()));
        let of = n.to_string();
        for i in 0..n {
            let shard = i.to_string();
            ok(
                &mulu(
                    d,
                    &[
                        "scan",
                        "--plan",
                        run.to_str().unwrap(),
                        "--shard",
                        &shard,
                        "--of",
                        &of,
                        "--quiet",
                    ],
                ),
                &format!("shard {i} of {n}"),
            );
        }
        let merged = d.join(format!("merged{n}.json"));
        ok(
            &mulu(
                d,
                &[
                    "merge",
                    run.to_str().unwrap(),
                    "--no-state",
                    "--json",
                    merged.to_str().unwrap(),
                ],
            ),
            "merge",
        );
        let merged = comparable(read(&merged));
        for key in ["sources", "assets", "categories", "persons"] {
            assert_eq!(merged[key], single[key], "{key} differs with {n} shards");
        }
        assert_eq!(merged, single, "{n} shards");
    }

    // Recorded like a scan: the catalogue of the merge is the single scan's.
    let export = |name: &str| {
        let path = d.join(name);
        ok(
            &mulu(
                d,
                &[
                    "catalog",
                    "export",
                    "--format",
                    "json",
                    "--out",
                    path.to_str().unwrap(),
                ],
            ),
            "export",
        );
        let catalog = read(&path);
        catalog["inventory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["item_id"].clone(),
                    i["record_count"].clone(),
                    i["pi_subjects"].clone(),
                    i["storage_bytes"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let mut args = vec!["scan", "--quiet"];
    args.extend(sources);
    ok(&mulu(d, &args), "single scan with state");
    let from_single = export("single-catalog.json");
    assert!(from_single.len() >= 4 && from_single.iter().all(|i| !i.1.is_null()));
    ok(
        &mulu(d, &["merge", d.join("run3").to_str().unwrap()]),
        "merge with state",
    );
    assert_eq!(export("merged-catalog.json"), from_single);
}

#[test]
fn a_missing_shard_is_named_and_no_threshold_is_called_not_crossed() {
    let dir = setup();
    let d = dir.path();
    let run = d.join("run");
    let raw = id_number(4242);
    std::fs::copy(
        d.join("holdings/owners.csv"),
        d.join(format!("holdings/客户_{raw}.csv")),
    )
    .unwrap();
    ok(
        &mulu(
            d,
            &[
                "plan",
                "--out",
                run.to_str().unwrap(),
                "holdings",
                "sample-data",
            ],
        ),
        "plan",
    );
    let plan = std::fs::read_to_string(run.join("plan.json")).unwrap();
    assert!(!plan.contains(&raw), "the plan names assets redacted");
    assert!(plan.contains("客户_"), "{plan}");
    ok(
        &mulu(
            d,
            &[
                "scan",
                "--plan",
                run.to_str().unwrap(),
                "--shard",
                "0",
                "--of",
                "3",
                "--quiet",
            ],
        ),
        "shard 0",
    );
    let merged = d.join("merged.json");
    let out = mulu(
        d,
        &[
            "merge",
            run.to_str().unwrap(),
            "--no-state",
            "--json",
            merged.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("merged 1 of 3 shards"));
    assert!(!std::fs::read_to_string(&merged).unwrap().contains(&raw));
    let report = read(&merged);
    let missing: Vec<&Value> = report["assets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "error")
        .collect();
    assert!(!missing.is_empty());
    assert!(missing
        .iter()
        .all(|a| a["error"].as_str().unwrap().contains("has not finished")));
    let persons = &report["persons"];
    assert!(persons["distinct"].is_null(), "{persons}");
    for verdict in persons["thresholds"].as_array().unwrap() {
        assert_ne!(verdict["status"], "not_crossed", "{verdict}");
    }
    // Without the run's key, a shard refuses to start.
    std::fs::write(d.join("key.hex"), "cd".repeat(32)).unwrap();
    let out = mulu(
        d,
        &[
            "scan",
            "--plan",
            run.to_str().unwrap(),
            "--shard",
            "1",
            "--of",
            "3",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not the plan's"));
}

/// The `args` of a Kubernetes manifest in deploy/k8s (written as a JSON array).
fn manifest_args(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../deploy/k8s")
            .join(file),
    )
    .unwrap();
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("args: "))
        .unwrap_or_else(|| panic!("{file} has no args"));
    serde_json::from_str(line).unwrap()
}

/// The shipped Kubernetes Jobs run as written: their arguments, with the mounted paths
/// pointed at a folder, plan, scan eight indexed shards (the index from
/// `JOB_COMPLETION_INDEX`, as an Indexed Job sets it) and merge.
#[test]
fn the_kubernetes_jobs_arguments_plan_shard_and_merge() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(
        d.join("mulu.toml"),
        "[[sources]]\nname = \"holdings\"\nurl = \"holdings\"\n\n[[sources]]\nname = \"sample\"\nurl = \"sample-data\"\n",
    )
    .unwrap();
    let localise = |args: Vec<String>| -> Vec<String> {
        args.into_iter()
            .map(|a| {
                a.replace("/etc/mulu/mulu.toml", d.join("mulu.toml").to_str().unwrap())
                    .replacen("/run", d.join("run").to_str().unwrap(), 1)
            })
            .collect()
    };
    let run = |args: &[String], index: Option<usize>| {
        let index = index.map(|i| i.to_string());
        let env: Vec<(&str, &str)> = index
            .iter()
            .map(|i| ("JOB_COMPLETION_INDEX", i.as_str()))
            .collect();
        mulu_with(d, args, &env)
    };
    ok(
        &run(&localise(manifest_args("plan-job.yaml")), None),
        "plan job",
    );
    let shard_args = localise(manifest_args("shards-job.yaml"));
    let of = shard_args[shard_args.iter().position(|a| a == "--of").unwrap() + 1].clone();
    assert_eq!(of, "8", "the Job's completions");
    for i in 0..8 {
        ok(&run(&shard_args, Some(i)), &format!("shard {i}"));
        assert!(d.join(format!("run/shards/{i}/done.json")).exists());
    }
    ok(
        &run(&localise(manifest_args("merge-job.yaml")), None),
        "merge job",
    );
    let report = read(&d.join("run/report.json"));
    assert_eq!(report["persons"]["method"], "exact");
    assert!(report["persons"]["distinct"].as_u64().unwrap() >= 1700);
    let scans = run(&["scans".into(), "list".into()], None);
    assert!(
        String::from_utf8_lossy(&scans.stdout).contains("1 "),
        "recorded in the state"
    );
}

/// The same with persons whose identifiers are in PostgreSQL and MariaDB tables, an S3 bucket,
/// files and the sample data: a customer's ID and phone in PostgreSQL, her phone in a MariaDB
/// order table, her ID in a CSV — one person, whichever of 1, 2, 3 or 7 shards read them.
#[cfg(feature = "cloud")]
#[cfg_attr(
    any(mulu_no_postgres, mulu_no_mysql),
    ignore = "needs MULU_TEST_POSTGRES_URL and MULU_TEST_MYSQL_URL"
)]
#[test]
fn shards_over_databases_link_persons_like_one_process() {
    let (Some(pg), Some(my)) = (
        common::service("MULU_TEST_POSTGRES_URL"),
        common::service("MULU_TEST_MYSQL_URL"),
    ) else {
        return;
    };
    let name = format!("mulu_shards_{}", std::process::id());
    let customers: Vec<String> = (0..300u32)
        .map(|n| format!("('{}', '139{n:08}')", id_number(n)))
        .collect();
    common::run_sql(
        &pg,
        &[
            format!("DROP SCHEMA IF EXISTS {name} CASCADE"),
            format!("CREATE SCHEMA {name}"),
            format!("CREATE TABLE {name}.customers (sfzh text, shouji text)"),
            format!(
                "INSERT INTO {name}.customers VALUES {}",
                customers.join(",")
            ),
            // Keyed by an integer: `[run] unit_rows` below cuts it into key ranges.
            format!("CREATE TABLE {name}.contacts (id bigint primary key, sfzh text)"),
            format!(
                "INSERT INTO {name}.contacts SELECT n, c.sfzh FROM \
                 (SELECT sfzh, row_number() OVER (ORDER BY sfzh) AS n FROM {name}.customers) c"
            ),
            format!("ANALYZE {name}.contacts"),
        ],
    );
    let orders: Vec<String> = (200..500u32)
        .map(|n| format!("({n}, '139{n:08}')"))
        .collect();
    common::run_sql(
        &my,
        &[
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
            format!("CREATE TABLE {name}.orders (id int primary key, mobile varchar(11))"),
            format!("INSERT INTO {name}.orders VALUES {}", orders.join(",")),
            format!("ANALYZE TABLE {name}.orders"),
        ],
    );
    // The server without the URL's database, so the listing covers the test's own database.
    let my_server = match my.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap()),
        None => my.clone(),
    };
    let dir = setup();
    let d = dir.path();
    // Owners again, in a bucket on a real S3 server: the same persons, read by another shard.
    let server = s3_server::S3Server::start(&d.join("s3"));
    std::fs::copy(
        d.join("holdings/owners.csv"),
        server.bucket("mulu-lake").join("owners-copy.csv"),
    )
    .unwrap();
    let config = d.join("mulu.toml");
    std::fs::write(
        &config,
        format!(
            "[run]\nunit_rows = 100\n\n\
             [[sources]]\nname = \"pg\"\nurl = \"{pg}\"\ninclude = [\"{name}.*\"]\n\n\
             [[sources]]\nname = \"my\"\nurl = \"{my_server}\"\ninclude = [\"{name}.*\"]\n\n\
             [[sources]]\nname = \"files\"\nurl = \"holdings\"\n\n\
             [[sources]]\nname = \"sample\"\nurl = \"sample-data\"\n\n\
             [[sources]]\nname = \"lake\"\nurl = \"s3://mulu-lake\"\nendpoint = \"{}\"\n\
             path_style = true\nallow_http = true\naccess_key_id = \"{}\"\n\
             secret_access_key_env = \"MULU_TEST_S3_SECRET\"\n",
            server.endpoint,
            s3_server::ACCESS_KEY
        ),
    )
    .unwrap();
    let secret = [("MULU_TEST_S3_SECRET", s3_server::SECRET_KEY)];
    let mut single = Value::Null;
    for n in [1, 2, 3, 7] {
        let run = d.join(format!("run{n}"));
        let (one, merged) = single_and_sharded(
            d,
            config.to_str().unwrap(),
            run.to_str().unwrap(),
            n,
            &secret,
        );
        assert_eq!(merged, one, "{n} shards");
        single = one;
    }
    // Both keyed tables were cut into key ranges, so their persons were counted by several
    // shards; the rest are one unit each.
    let plan = read(&d.join("run7/plan.json"));
    let parts = |table: &str| {
        plan["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["asset"].as_str().unwrap().ends_with(table))
            .map(|u| u["part"]["of"].as_u64().unwrap_or(1))
            .collect::<Vec<_>>()
    };
    assert_eq!(parts(".contacts"), [3, 3, 3], "{plan}");
    let orders = parts(".orders");
    assert!(
        orders.len() >= 2 && orders.iter().all(|&of| of as usize == orders.len()),
        "{plan}"
    );
    assert_eq!(parts(".customers"), [1], "no integer key: one unit");
    let contacts = single["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"].as_str().unwrap().ends_with(".contacts"))
        .unwrap();
    assert_eq!(contacts["row_count"], 300);
    // The database rows belong to persons of the files (same IDs and phones): they add
    // no one, as a linker across shards must find.
    let files_and_sample = {
        let json = d.join("without-databases.json");
        let scan = [
            "scan",
            "holdings",
            "sample-data",
            "--quiet",
            "--no-state",
            "--json",
        ];
        let mut args: Vec<&str> = scan.to_vec();
        args.push(json.to_str().unwrap());
        ok(&mulu(d, &args), "files only");
        read(&json)["persons"]["distinct"].clone()
    };
    assert_eq!(single["persons"]["distinct"], files_and_sample);
    common::run_sql(&pg, &[format!("DROP SCHEMA {name} CASCADE")]);
    common::run_sql(&my, &[format!("DROP DATABASE {name}")]);
}

/// The run folder can be a bucket prefix, so shards on different machines share no disk: a
/// plan, two shards and the merge through `s3://` on a real S3 server (`s3s-fs`), scanning a
/// bucket source too, give the single-process report.
#[cfg(feature = "cloud")]
#[test]
fn a_run_folder_in_a_bucket_serves_plan_shards_and_merge() {
    let dir = setup();
    let d = dir.path();
    let server = s3_server::S3Server::start(&d.join("s3"));
    let lake = server.bucket("mulu-lake");
    for file in ["customers.csv", "orders.csv"] {
        std::fs::copy(d.join("holdings").join(file), lake.join(file)).unwrap();
    }
    server.bucket("mulu-runs");
    let store = format!(
        "endpoint = \"{}\"\npath_style = true\nallow_http = true\n\
         access_key_id = \"{}\"\nsecret_access_key_env = \"MULU_TEST_S3_SECRET\"\n",
        server.endpoint,
        s3_server::ACCESS_KEY
    );
    let config = d.join("mulu.toml");
    std::fs::write(
        &config,
        format!(
            "[[sources]]\nname = \"lake\"\nurl = \"s3://mulu-lake\"\n{store}\n\
             [[sources]]\nname = \"owners\"\nurl = \"holdings/owners.csv\"\n\n[run]\n{store}"
        ),
    )
    .unwrap();
    let secret = [("MULU_TEST_S3_SECRET", s3_server::SECRET_KEY)];
    let (single, merged) = single_and_sharded(
        d,
        config.to_str().unwrap(),
        "s3://mulu-runs/nightly",
        2,
        &secret,
    );
    assert!(single["assets"].as_array().unwrap().len() >= 3, "{single}");
    assert_eq!(merged, single);
    let on_server = server
        .bucket("mulu-runs")
        .join("nightly/shards/1/done.json");
    assert!(on_server.exists(), "the marker is in the bucket");
}

/// A shard killed mid-way leaves no completion marker, so the merge names its units as not
/// scanned; re-run, it replaces whatever it had half written, and the merge is the single
/// process's again.
#[test]
fn a_killed_shard_rerun_gives_the_same_merge() {
    let dir = setup();
    let d = dir.path();
    let config = d.join("mulu.toml");
    std::fs::write(
        &config,
        "[[sources]]\nname = \"files\"\nurl = \"holdings\"\n\n[[sources]]\nname = \"sample\"\nurl = \"sample-data\"\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let run = d.join("run");
    let run = run.to_str().unwrap();
    let (single, first) = single_and_sharded(d, config, run, 2, &[]);
    assert_eq!(first, single);

    // Shard 1 again, killed at once: its old marker is gone before anything else is written.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mulu"))
        .args([
            "scan", "--plan", run, "--config", config, "--shard", "1", "--of", "2", "--quiet",
        ])
        .current_dir(d)
        .env("MULU_HASH_KEY_FILE", d.join("key.hex"))
        .env_remove("MULU_CONFIG")
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill();
    let _ = child.wait();
    let marker = d.join("run/shards/1/done.json");
    if !marker.exists() {
        // Killed before it finished (the usual case): half-written output, no marker.
        std::fs::write(d.join("run/shards/1/report.json"), b"{\"cut").unwrap();
        let merged = d.join("partial.json");
        let merged_path = merged.to_str().unwrap();
        let out = mulu(
            d,
            &[
                "merge",
                run,
                "--config",
                config,
                "--no-state",
                "--json",
                merged_path,
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(3),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("merged 1 of 2 shards"));
    }
    let shard = [
        "scan", "--plan", run, "--config", config, "--shard", "1", "--of", "2", "--quiet",
    ];
    ok(&mulu(d, &shard), "re-run");
    let merged = d.join("merged-again.json");
    let merge = [
        "merge",
        run,
        "--config",
        config,
        "--no-state",
        "--json",
        merged.to_str().unwrap(),
    ];
    ok(&mulu(d, &merge), "merge again");
    assert_eq!(comparable(read(&merged)), single);
}

/// Keys of two keyed hashes never match: a plan or shard marker of a version keyed with
/// another hash is refused, by the shard and by the merge, rather than summed.
#[test]
fn a_plan_or_shard_keyed_with_another_hash_is_refused() {
    let dir = setup();
    let d = dir.path();
    let run = d.join("run");
    let run_arg = run.to_str().unwrap();
    ok(&mulu(d, &["plan", "--out", run_arg, "holdings"]), "plan");
    let shard = [
        "scan", "--plan", run_arg, "--shard", "0", "--of", "1", "--quiet",
    ];
    ok(&mulu(d, &shard), "shard");
    let merge = ["merge", run_arg, "--no-state"];
    ok(&mulu(d, &merge), "merge");
    let refused = |out: Output, names: &str| {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(names), "{stderr}");
    };

    // A marker without `key_hash` was written by a version keyed with HMAC-SHA-256.
    let marker = run.join("shards/0/done.json");
    let mut done = read(&marker);
    assert_eq!(done["key_hash"], "siphash-2-4-128");
    done.as_object_mut().unwrap().remove("key_hash");
    std::fs::write(&marker, done.to_string()).unwrap();
    refused(
        mulu(d, &merge),
        "shard 0 keyed persons with hmac-sha256-128",
    );

    // So was a plan without it: neither a shard nor the merge goes on with it.
    let plan_file = run.join("plan.json");
    let mut plan = read(&plan_file);
    assert_eq!(plan["key_hash"], "siphash-2-4-128");
    plan.as_object_mut().unwrap().remove("key_hash");
    std::fs::write(&plan_file, plan.to_string()).unwrap();
    refused(mulu(d, &shard), "keyed with hmac-sha256-128");
    refused(mulu(d, &merge), "keyed with hmac-sha256-128");
}
