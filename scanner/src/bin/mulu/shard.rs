//! `mulu plan`, `mulu scan --plan … --shard I --of N` and `mulu merge`: one scan split over
//! many processes or machines (Kubernetes Indexed Jobs, AWS Batch or Cloud Run arrays).

use std::path::{Path, PathBuf};

use scanner::plan::{Plan, PlannedSource};
use scanner::run_folder::RunFolder;
use scanner::sink::{ScanSink, StateSink};
use scanner::state::State;

use crate::{fatal, load_config, runtime, usage, Failure};

#[derive(clap::Args)]
pub(crate) struct PlanArgs {
    /// Sources given as URLs or paths (without passwords; name such sources in the config).
    #[arg(value_name = "SOURCE")]
    pub(crate) sources: Vec<String>,
    /// Configuration file; its [[sources]] are planned by name.
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    pub(crate) config: Option<PathBuf>,
    /// The run folder the plan is written to (`RUN/plan.json`); shards write `RUN/shards/I/`.
    /// A path, `file://DIR`, or a bucket prefix (`s3://…`, `gs://…`, `az://…`; options in
    /// the config's `[run]`).
    #[arg(long, value_name = "RUN")]
    pub(crate) out: String,
    /// The run's hash key (required: shards and the merge must key identifiers alike).
    #[arg(long, env = "MULU_HASH_KEY_FILE", value_name = "FILE")]
    pub(crate) hash_key_file: Option<PathBuf>,
    /// Cut a database table of more rows than this into primary-key ranges, one unit each
    /// (default: the config's `[run] unit_rows`, else 10,000,000).
    #[arg(long, value_name = "ROWS")]
    pub(crate) unit_rows: Option<u64>,
    /// Deal a dataset of more bytes than this into groups of its files, one unit each
    /// (default: the config's `[run] unit_bytes`, else 1 GiB).
    #[arg(long, value_name = "BYTES")]
    pub(crate) unit_bytes: Option<u64>,
}

#[derive(clap::Args)]
pub(crate) struct MergeArgs {
    /// The run folder given to `mulu plan --out`.
    #[arg(value_name = "RUN")]
    pub(crate) run: String,
    /// Configuration file (classifiers, catalogue rules, persons settings).
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    pub(crate) config: Option<PathBuf>,
    /// The run's hash key, as given to the shards.
    #[arg(long, env = "MULU_HASH_KEY_FILE", value_name = "FILE")]
    pub(crate) hash_key_file: Option<PathBuf>,
    /// Also write the merged report as JSON.
    #[arg(long, value_name = "REPORT.json")]
    pub(crate) json: Option<PathBuf>,
    /// Do not record the merged scan in the state database.
    #[arg(long)]
    pub(crate) no_state: bool,
}

/// The shard index: `--shard`, else the array index a batch system sets.
pub(crate) fn shard_index(given: Option<usize>) -> Result<usize, Failure> {
    if let Some(i) = given {
        return Ok(i);
    }
    for var in [
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
        "CLOUD_RUN_TASK_INDEX",
    ] {
        if let Ok(value) = std::env::var(var) {
            return value
                .trim()
                .parse()
                .map_err(|_| usage(anyhow::anyhow!("{var}='{value}' is not a shard index")));
        }
    }
    Err(usage(anyhow::anyhow!(
        "--plan needs --shard I (or JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, CLOUD_RUN_TASK_INDEX)"
    )))
}

/// The scan context of a plan, shard or merge, and the run's keyer. A persistent hash key
/// is required: without one each process would key identifiers differently.
fn run_context(
    config: &scanner::config::Config,
    overrides: &scanner::run::ContextOverrides,
) -> Result<(scanner::ScanContext, persons::PersonKeyer), Failure> {
    let (context, _) = scanner::run::scan_context(config, overrides).map_err(usage)?;
    let keyer = match &context.persons {
        None => {
            return Err(usage(anyhow::anyhow!(
                "a sharded scan needs persons counting on (exact or sketch)"
            )))
        }
        Some(tally) if tally.keyer().is_ephemeral() => {
            return Err(usage(anyhow::anyhow!(
                "a sharded scan needs a hash key file shared by every shard and the merge \
                 (--hash-key-file, MULU_HASH_KEY_FILE or [persons] key_file)"
            )))
        }
        Some(tally) => tally.keyer().clone(),
    };
    Ok((context, keyer))
}

/// Only the hash key file: a plan and a merge take no classifier or persons overrides.
fn key_only(key_file: &Option<PathBuf>) -> scanner::run::ContextOverrides {
    scanner::run::ContextOverrides {
        key_file: key_file.clone(),
        ..Default::default()
    }
}

pub(crate) fn run_plan(args: &PlanArgs) -> Result<u8, Failure> {
    let config = load_config(args.config.as_deref())?;
    let mut sources = Vec::new();
    for url in &args.sources {
        if connectors::redact_url(url) != *url {
            return Err(usage(anyhow::anyhow!(
                "{} carries a password, which a plan never holds; list it in the config as a \
                 [[sources]] entry with password_env or password_file",
                connectors::redact_url(url)
            )));
        }
        sources.push((
            PlannedSource::Url(url.clone()),
            scanner::config::SourceEntry::from_url(url),
        ));
    }
    for (i, entry) in config.sources.iter().enumerate() {
        let name = entry.name.clone().ok_or_else(|| {
            usage(anyhow::anyhow!(
                "[[sources]] #{} has no name; a plan refers to sources by name",
                i + 1
            ))
        })?;
        sources.push((PlannedSource::Named(name), entry.clone()));
    }
    if sources.is_empty() {
        return Err(usage(anyhow::anyhow!(
            "no SOURCE given and no [[sources]] in --config"
        )));
    }
    let (context, keyer) = run_context(&config, &key_only(&args.hash_key_file))?;
    let redactor = scanner::redact::Redactor::new(context.classifiers.clone());
    let options = crate::scan::options_from(&config, None, None);
    let run = RunFolder::open(&args.out, &config.run).map_err(usage)?;
    let rt = runtime()?;
    let plan = rt
        .block_on(Plan::build(
            &sources,
            &options,
            &redactor,
            &keyer,
            config.run.unit_size(args.unit_rows, args.unit_bytes),
        ))
        .map_err(usage)?;
    rt.block_on(plan.save(&run)).map_err(fatal)?;
    let failed = plan
        .source_reports
        .iter()
        .filter(|s| s.status != model::Status::Ok)
        .count();
    eprintln!(
        "wrote plan.json in {}: {} units from {} sources{}",
        run.display,
        plan.units.len(),
        plan.source_reports.len(),
        if failed > 0 {
            format!(" ({failed} could not be listed in full; the merged report names them)")
        } else {
            String::new()
        }
    );
    Ok(0)
}

pub(crate) fn run_merge(args: &MergeArgs, state_path: &Path) -> Result<u8, Failure> {
    let config = load_config(args.config.as_deref())?;
    let run = RunFolder::open(&args.run, &config.run).map_err(usage)?;
    let rt = runtime()?;
    let plan = rt.block_on(Plan::load(&run)).map_err(usage)?;
    let (context, _) = run_context(&config, &key_only(&args.hash_key_file))?;
    let (report, coverage) = rt.block_on(async {
        let (report, coverage) = scanner::merge::merge(&run, &plan, context)
            .await
            .map_err(usage)?;
        if !args.no_state {
            let state = State::open(state_path).await.map_err(fatal)?;
            let mut sink = StateSink::start(&state, report.started_at, &config)
                .await
                .map_err(fatal)?;
            sink.finish(&report).await.map_err(fatal)?;
        }
        Ok::<_, Failure>((report, coverage))
    })?;
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report).expect("a report serialises");
        std::fs::write(path, text)
            .map_err(|e| fatal(anyhow::anyhow!("cannot write {}: {e}", path.display())))?;
    }
    eprintln!(
        "merged {} of {} shards: {} of {} units; {} assets",
        coverage.merged.len(),
        coverage.shards,
        coverage.units.1,
        coverage.units.0,
        report.assets.len()
    );
    Ok(if report.is_partial() { 3 } else { 0 })
}

/// `mulu scan --plan RUN --shard I --of N`: scans shard `I`'s units and writes its output.
pub(crate) fn run_shard(args: &crate::scan::ScanArgs, run: &str) -> Result<u8, Failure> {
    if !args.sources.is_empty() {
        return Err(usage(anyhow::anyhow!(
            "--plan takes its sources from the plan; give no SOURCE"
        )));
    }
    let of = args
        .of
        .ok_or_else(|| usage(anyhow::anyhow!("--plan needs --of N, the number of shards")))?
        as usize;
    let shard = shard_index(args.shard)?;
    if shard >= of {
        return Err(usage(anyhow::anyhow!(
            "shard {shard} does not exist in a run of {of} shards (0 to {})",
            of - 1
        )));
    }
    let config = load_config(args.config.as_deref())?;
    let run = RunFolder::open(run, &config.run).map_err(usage)?;
    let rt = runtime()?;
    let plan = rt.block_on(Plan::load(&run)).map_err(usage)?;
    let (mut context, keyer) = run_context(
        &config,
        &scanner::run::ContextOverrides {
            classifier_files: args.classifier_files.clone(),
            persons_mode: args.persons.clone(),
            key_file: args.hash_key_file.clone(),
        },
    )?;
    if plan.key_hash != persons::KEY_HASH {
        return Err(usage(anyhow::anyhow!(
            "the plan's persons are keyed with {} and this mulu keys with {}; make a new plan \
             with this version",
            plan.key_hash,
            persons::KEY_HASH
        )));
    }
    if keyer.key_id() != plan.key_id {
        return Err(usage(anyhow::anyhow!(
            "the hash key ({}) is not the plan's ({}); give every shard the run's key file",
            keyer.key_id(),
            plan.key_id
        )));
    }
    let recording = scanner::persons::Recording::default();
    context.persons = context.persons.map(|t| t.recording_into(recording.clone()));
    let mut options = crate::scan::options_from(&config, args.sample_rows, args.concurrency);
    let mine = plan.units_of(shard, of);
    let filter = scanner::plan::UnitFilter::new(&mine, keyer.clone());
    let units = filter.len();
    options.only = Some(filter);
    // Only the sources with units here, and one connection to each database: the plan gave
    // a database's units to at most its max_connections shards.
    let entries: std::collections::BTreeSet<usize> = mine.iter().map(|u| u.entry).collect();
    let sources: Vec<_> = plan
        .resolve_sources(&config)
        .map_err(usage)?
        .into_iter()
        .enumerate()
        .filter(|(i, _)| entries.contains(i))
        .map(|(_, mut entry)| {
            entry.options.max_connections = 1;
            entry
        })
        .collect();
    let mut sinks: Vec<Box<dyn ScanSink>> = vec![Box::new(scanner::sink::FailureSink)];
    let report = rt
        .block_on(scanner::scan(
            model::now(),
            &sources,
            &options,
            context,
            &mut sinks,
        ))
        .map_err(fatal)?;
    let done = scanner::merge::ShardDone {
        shard,
        of,
        units,
        key_id: plan.key_id.clone(),
        key_hash: plan.key_hash.clone(),
    };
    rt.block_on(scanner::merge::write_shard(
        &run,
        &done,
        &report,
        &recording.take(),
        &keyer,
    ))
    .map_err(fatal)?;
    let failed = report
        .assets
        .iter()
        .filter(|a| a.status != model::Status::Ok)
        .count();
    if !args.quiet || failed > 0 {
        eprintln!(
            "shard {shard} of {of}: {units} units planned, {} assets scanned, {failed} failed or              read in part (the merged report names them)",
            report.assets.len()
        );
    }
    // The shard's output is complete even when some of its assets failed: the merge reports
    // them, and a batch system must not retry a shard that a re-run cannot fix.
    Ok(0)
}
