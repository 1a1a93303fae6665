//! `mulu plan`, `mulu scan --plan … --shard I --of N` and `mulu merge`: one scan split over
//! many processes or machines (Kubernetes Indexed Jobs, AWS Batch or Cloud Run arrays).

use std::path::{Path, PathBuf};

use scanner::plan::{Plan, PlannedSource};
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
    #[arg(long, value_name = "RUN")]
    pub(crate) out: PathBuf,
    /// The run's hash key (required: shards and the merge must key identifiers alike).
    #[arg(long, env = "MULU_HASH_KEY_FILE", value_name = "FILE")]
    pub(crate) hash_key_file: Option<PathBuf>,
}

#[derive(clap::Args)]
pub(crate) struct MergeArgs {
    /// The run folder given to `mulu plan --out`.
    #[arg(value_name = "RUN")]
    pub(crate) run: PathBuf,
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

/// A hash key is required: without one each process would key identifiers differently.
fn persistent_key(context: &scanner::ScanContext) -> Result<(), Failure> {
    match &context.persons {
        Some(tally) if tally.keyer().is_ephemeral() => Err(usage(anyhow::anyhow!(
            "a sharded scan needs a hash key file shared by every shard and the merge \
             (--hash-key-file, MULU_HASH_KEY_FILE or [persons] key_file)"
        ))),
        _ => Ok(()),
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
    let (context, _) = scanner::run::scan_context(
        &config,
        &scanner::run::ContextOverrides {
            key_file: args.hash_key_file.clone(),
            ..Default::default()
        },
    )
    .map_err(usage)?;
    persistent_key(&context)?;
    let keyer = context
        .persons
        .as_ref()
        .map(|t| t.keyer().clone())
        .ok_or_else(|| {
            usage(anyhow::anyhow!(
                "a plan needs persons counting on (exact or sketch)"
            ))
        })?;
    let redactor = scanner::redact::Redactor::new(context.classifiers.clone());
    let options = crate::scan::options_from(&config, None, None);
    let rt = runtime()?;
    let plan = rt
        .block_on(Plan::build(&sources, &options, &redactor, &keyer))
        .map_err(usage)?;
    let path = plan.save(&args.out).map_err(fatal)?;
    let failed = plan
        .source_reports
        .iter()
        .filter(|s| s.status != model::Status::Ok)
        .count();
    eprintln!(
        "wrote {}: {} units from {} sources{}",
        path.display(),
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
    let plan = Plan::load(&args.run).map_err(usage)?;
    let (context, _) = scanner::run::scan_context(
        &config,
        &scanner::run::ContextOverrides {
            key_file: args.hash_key_file.clone(),
            ..Default::default()
        },
    )
    .map_err(usage)?;
    persistent_key(&context)?;
    let rt = runtime()?;
    let (report, coverage) = rt.block_on(async {
        let (report, coverage) = scanner::merge::merge(&args.run, &plan, context)
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
pub(crate) fn run_shard(args: &crate::scan::ScanArgs, run: &Path) -> Result<u8, Failure> {
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
    let plan = Plan::load(run).map_err(usage)?;
    let (mut context, _) = scanner::run::scan_context(
        &config,
        &scanner::run::ContextOverrides {
            classifier_files: args.classifier_files.clone(),
            persons_mode: args.persons.clone(),
            key_file: args.hash_key_file.clone(),
        },
    )
    .map_err(usage)?;
    persistent_key(&context)?;
    let keyer = context
        .persons
        .as_ref()
        .map(|t| t.keyer().clone())
        .ok_or_else(|| {
            usage(anyhow::anyhow!(
                "a shard needs persons counting on (exact or sketch)"
            ))
        })?;
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
    let filter = scanner::plan::UnitFilter::new(&plan, shard, of, keyer.clone());
    let units = filter.len();
    options.only = Some(filter);
    let sources = plan.resolve_sources(&config).map_err(usage)?;
    let rt = runtime()?;
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
    };
    scanner::merge::write_shard(run, &done, &report, &recording.take()).map_err(fatal)?;
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
