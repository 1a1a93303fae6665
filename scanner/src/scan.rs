//! The scan pipeline: open → list → sample (tokio) → classify (rayon) → report.

use std::collections::BTreeMap;
use std::sync::Arc;

use classifiers::ClassifierSet;
use connectors::{AssetInfo, ReadRequest, Sample, SharedConnector};
use futures::StreamExt;
use model::{
    AssetReport, CategoryMeta, ScanReport, SourceReport, Status, Unscanned, SCAN_REPORT_SCHEMA,
};
use tokio::sync::Semaphore;
use tokio_util::task::AbortOnDropHandle;

use crate::classify::classify_sample_profiled;
use crate::config::SourceEntry;
use crate::redact::Redactor;
use crate::sink::ScanSink;

/// How a scan reads its sources.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Rows read per asset.
    pub sample_rows: usize,
    /// Assets sampled at once, across all sources.
    pub concurrency: usize,
    /// Assets sampled at once within one source, so no single database gets all the load.
    pub per_source_concurrency: usize,
    /// Wall-clock limits per asset, whatever the source's own timeouts do.
    pub limits: AssetLimits,
    /// What the scan is doing now, for a progress display.
    pub activity: Arc<crate::activity::Activity>,
    /// Only these assets: a shard's work units.
    pub only: Option<crate::plan::UnitFilter>,
}

/// How long one asset may take. Statement timeouts bound each query, but not a stream of
/// quick fetches from a view that never ends, nor a local SQLite file (which has no statement
/// timeout): these bound the whole read.
#[derive(Debug, Clone, Copy)]
pub struct AssetLimits {
    /// Reading the sample.
    pub sample: std::time::Duration,
    /// The full pass that counts persons.
    pub full_pass: std::time::Duration,
}

impl Default for AssetLimits {
    fn default() -> Self {
        Self {
            sample: std::time::Duration::from_secs(600),
            full_pass: std::time::Duration::from_secs(6 * 3600),
        }
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            sample_rows: 1000,
            concurrency: 8,
            per_source_concurrency: 4,
            limits: AssetLimits::default(),
            activity: Arc::default(),
            only: None,
        }
    }
}

/// One listed asset, waiting to be sampled.
pub(crate) struct Job {
    pub(crate) connector: SharedConnector,
    limiter: Arc<Semaphore>,
    pub(crate) asset: AssetInfo,
    /// Which of the scan's sources the asset came from.
    pub(crate) source_index: usize,
}

/// What a scan classifies with and whether it counts persons.
pub struct ScanContext {
    /// The classifier set.
    pub classifiers: Arc<ClassifierSet>,
    /// The persons tally, unless counting is off.
    pub persons: Option<crate::persons::Tally>,
    /// Person-count thresholds to judge.
    pub thresholds: Vec<persons::ThresholdRule>,
    /// Sensitive areas whose coordinates make data important (vehicle rules Art. 3(1)).
    pub geofences: Arc<Vec<catalog_export::catalog::Geofence>>,
}

impl ScanContext {
    /// Built-in classifiers, no person count.
    pub fn builtin() -> Self {
        Self {
            classifiers: Arc::new(ClassifierSet::builtin()),
            persons: None,
            thresholds: persons::ThresholdRule::defaults(),
            geofences: Arc::default(),
        }
    }
}

/// Scans `sources`, hands each finished asset and then the report (stamped with `started_at`)
/// to `sinks`, and returns the report. Source and asset problems never fail the scan: they
/// are recorded in the report.
///
/// # Errors
/// Only a sink's (the state or the JSON file cannot be written).
pub async fn scan(
    started_at: model::Timestamp,
    sources: &[SourceEntry],
    options: &ScanOptions,
    context: ScanContext,
    sinks: &mut [Box<dyn ScanSink + '_>],
) -> anyhow::Result<ScanReport> {
    let ScanContext {
        classifiers,
        persons: tally,
        thresholds,
        geofences,
    } = context;
    let redactor = Redactor::new(classifiers.clone());
    let Listed {
        reports: mut source_reports,
        mut jobs,
        connectors,
    } = open_and_list(sources, options, &redactor).await;
    if let Some(only) = &options.only {
        jobs.retain_mut(
            |job| match only.share(job.connector.display_url(), &job.asset.name) {
                Some(share) => {
                    job.asset.share = share;
                    true
                }
                None => false,
            },
        );
    }
    for sink in sinks.iter_mut() {
        sink.planned(jobs.len());
    }
    let (sample_rows, limits) = (options.sample_rows, options.limits);
    let tally = tally.map(Arc::new);
    let mut assets: Vec<AssetReport> = Vec::with_capacity(jobs.len());
    {
        let mut done = futures::stream::iter(jobs)
            .map(|job| {
                let classifiers = classifiers.clone();
                let tally = tally.clone();
                let geofences = geofences.clone();
                let redactor = &redactor;
                let activity = &*options.activity;
                async move {
                    let context = AssetContext {
                        classifiers,
                        geofences,
                        tally: tally.as_deref(),
                        redactor,
                        limits,
                        activity,
                    };
                    scan_asset(job, sample_rows, context).await
                }
            })
            .buffer_unordered(options.concurrency.max(1));
        while let Some(asset) = done.next().await {
            // Sinks see what the report will say; the person count still needs the asset's
            // names as its connector gave them, until `finish` below.
            let mut masked = asset.clone();
            redactor.asset(&mut masked);
            for sink in sinks.iter_mut() {
                sink.asset(&masked);
            }
            assets.push(asset);
        }
    }

    close_all(&connectors).await;

    assets.sort_by(|a, b| (&a.source, &a.name).cmp(&(&b.source, &b.name)));
    source_reports.sort_by(|a, b| a.url.cmp(&b.url));
    let categories = category_meta(&classifiers, &assets);
    let persons = tally
        .map(|t| {
            Arc::try_unwrap(t).unwrap_or_else(|_| unreachable!("every asset task has finished"))
        })
        .map(|t| t.finish(&thresholds, &mut assets));
    let mut report = ScanReport {
        schema: SCAN_REPORT_SCHEMA.to_string(),
        started_at,
        finished_at: model::now(),
        sources: source_reports,
        assets,
        categories,
        persons,
    };
    redactor.report(&mut report);
    // Every sink gets the report even when an earlier one failed; the first failure is
    // the scan's.
    let mut first_error = None;
    for sink in sinks.iter_mut() {
        if let Err(e) = sink.finish(&report).await {
            first_error.get_or_insert(e);
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

/// What [`open_and_list`] found.
pub(crate) struct Listed {
    /// One per source: listed, listed in part, or failed with its cause.
    pub(crate) reports: Vec<SourceReport>,
    /// The assets to scan.
    pub(crate) jobs: Vec<Job>,
    /// Every connector opened, to [`connectors::Connector::close`] once the reads are done.
    pub(crate) connectors: Vec<SharedConnector>,
}

/// Closes every connector, once their reads are done (see [`connectors::Connector::close`]).
pub(crate) async fn close_all(connectors: &[SharedConnector]) {
    futures::future::join_all(connectors.iter().map(|c| c.close())).await;
}

/// Opens every source and lists its assets.
pub(crate) async fn open_and_list(
    sources: &[SourceEntry],
    options: &ScanOptions,
    redactor: &Redactor,
) -> Listed {
    let mut source_reports = Vec::new();
    let mut jobs = Vec::new();

    let opened = futures::stream::iter(sources.iter().cloned().enumerate())
        .map(|(index, source)| async move {
            let opened = connectors::open_source_with(&source.url, &source.options()).await;
            (index, connectors::redact_url(&source.url), opened)
        })
        .buffered(options.concurrency)
        .collect::<Vec<_>>()
        .await;
    let mut opened_connectors: Vec<(usize, SharedConnector)> = Vec::new();
    for (index, url, result) in opened {
        match result {
            Ok(source) => {
                opened_connectors.extend(source.connectors.into_iter().map(|c| (index, c)))
            }
            Err(e) => {
                let error = redactor.error(e);
                tracing::warn!(source = %shown(redactor, &url), error = %shown(redactor, &error), "source could not be opened");
                source_reports.push(SourceReport {
                    url,
                    status: Status::Error,
                    error: Some(error),
                    unscanned: Vec::new(),
                });
            }
        }
    }

    let connectors = opened_connectors.iter().map(|(_, c)| c.clone()).collect();
    let listed = futures::stream::iter(opened_connectors)
        .map(|(index, c)| async move {
            let result = c.list().await;
            (index, c, result)
        })
        .buffered(options.concurrency)
        .collect::<Vec<_>>()
        .await;
    for (source_index, connector, result) in listed {
        let url = connector.display_url().to_string();
        match result {
            Ok(listing) => {
                let limiter = Arc::new(Semaphore::new(options.per_source_concurrency.max(1)));
                jobs.extend(listing.assets.into_iter().map(|asset| Job {
                    connector: connector.clone(),
                    limiter: limiter.clone(),
                    asset,
                    source_index,
                }));
                let gap = listing.gap.map(|why| redactor.message(&why));
                if let Some(why) = &gap {
                    tracing::warn!(source = %shown(redactor, &url), cause = %shown(redactor, why), "source listed in part");
                }
                let unscanned = listing
                    .unscanned
                    .into_iter()
                    .map(|u| Unscanned {
                        // Kinds come from names, which may hold an identifier.
                        kind: redactor.name(&u.kind),
                        ..u
                    })
                    .collect();
                source_reports.push(SourceReport {
                    url,
                    status: if gap.is_some() {
                        Status::Partial
                    } else {
                        Status::Ok
                    },
                    error: gap,
                    unscanned,
                });
            }
            Err(e) => {
                let error = redactor.error(e);
                tracing::warn!(source = %shown(redactor, &url), error = %shown(redactor, &error), "assets could not be listed");
                source_reports.push(SourceReport {
                    url,
                    status: Status::Error,
                    error: Some(error),
                    unscanned: Vec::new(),
                });
            }
        }
    }

    Listed {
        reports: source_reports,
        jobs,
        connectors,
    }
}

/// Names and flags of every category found, so the report explains itself.
pub(crate) fn category_meta(
    set: &ClassifierSet,
    assets: &[AssetReport],
) -> BTreeMap<model::CategoryId, CategoryMeta> {
    let mut meta = BTreeMap::new();
    for id in assets.iter().flat_map(AssetReport::category_ids) {
        if meta.contains_key(id) {
            continue;
        }
        let info = set.get(id.as_str()).map(|c| c.info()).or_else(|| {
            classifiers::table_categories()
                .iter()
                .find(|t| t.id == id.as_str())
                .map(|t| t.category_info())
        });
        if let Some(info) = info {
            meta.insert(
                id.clone(),
                CategoryMeta {
                    name_zh: info.name_zh.to_string(),
                    name_en: info.name_en.to_string(),
                    is_pi: info.is_pi,
                    is_sensitive: info.is_sensitive,
                    pi_class: info.gbt43697_class.to_string(),
                    vehicle_item: info.vehicle_item.map(|item| item.into_owned()),
                },
            );
        }
    }
    meta
}

/// A name or message as logged: redacted, and escaped for the terminal.
fn shown(redactor: &Redactor, text: &str) -> String {
    crate::terminal::escape(&redactor.name(text)).into_owned()
}

/// What every asset task shares.
struct AssetContext<'a> {
    classifiers: Arc<ClassifierSet>,
    geofences: Arc<Vec<catalog_export::catalog::Geofence>>,
    tally: Option<&'a crate::persons::Tally>,
    redactor: &'a Redactor,
    limits: AssetLimits,
    activity: &'a crate::activity::Activity,
}

async fn scan_asset(job: Job, sample_rows: usize, context: AssetContext<'_>) -> AssetReport {
    let AssetContext {
        classifiers,
        geofences,
        tally,
        redactor,
        limits,
        activity,
    } = context;
    let Job {
        connector,
        limiter,
        asset,
        ..
    } = job;
    let mut report = AssetReport {
        source: connector.display_url().to_string(),
        name: asset.name.clone(),
        kind: asset.kind,
        row_count: asset.row_count,
        bytes: asset.bytes,
        sampled_rows: 0,
        sampling: None,
        status: Status::Ok,
        error: None,
        warnings: Vec::new(),
        snapshot: asset.snapshot.clone(),
        partition_columns: asset.partition_columns.clone(),
        columns: Vec::new(),
        categories: Vec::new(),
        persons: None,
        geofence_hits: Vec::new(),
        media: None,
    };
    let in_flight = activity.begin(
        redactor.name(&format!("{} {}", report.source, report.name)),
        crate::activity::Stage::Sampling,
    );
    let sample = if let Some(why) = &asset.unreadable {
        // Listed, but the listing could not enter it: nothing to sample.
        Err(redactor.message(why))
    } else {
        let _permit = limiter
            .acquire()
            .await
            .expect("the semaphore is never closed");
        // Read on a task of its own: the assets' tasks share one thread, and decoding a
        // database's rows is CPU work the runtime's other threads can take.
        let read = AbortOnDropHandle::new(tokio::spawn({
            let (connector, asset) = (connector.clone(), asset.clone());
            async move {
                let request = ReadRequest::sample(sample_rows);
                connector.read(&asset, &request).await?.into_sample().await
            }
        }));
        match tokio::time::timeout(limits.sample, read).await {
            Ok(Ok(Ok(sample))) => Ok(sample),
            Ok(Ok(Err(e))) => Err(redactor.error(e)),
            Ok(Err(_)) => Err(redactor.name(&format!(
                "reading the sample of '{}' failed unexpectedly (a bug in mulu: please report it)",
                asset.name
            ))),
            Err(_) => Err(redactor.name(&format!(
                "reading the sample of '{}' took longer than {} s and was stopped; \
                 check the table or view, or raise [scan] sample_timeout_secs",
                asset.name,
                limits.sample.as_secs()
            ))),
        }
    };
    let sample = match sample {
        Ok(sample) => sample,
        Err(error) => {
            tracing::warn!(
                source = %shown(redactor, &report.source),
                asset = %shown(redactor, &report.name),
                error = %shown(redactor, &error),
                "asset could not be read"
            );
            report.status = Status::Error;
            report.error = Some(error);
            return report;
        }
    };
    report.sampled_rows = sample.num_rows() as u64;
    report.row_count = sample.row_count.or(report.row_count);
    let Sample {
        schema,
        batches,
        warnings,
        incomplete,
        sampling,
        media,
        ..
    } = sample;
    report.sampling = sampling.map(|s| model::Sampling {
        detail: redactor.name(&s.detail),
        ..s
    });
    report.warnings = warnings.iter().map(|w| redactor.message(w)).collect();
    report.media = media;
    if let Some(why) = incomplete {
        // Classified and counted with what could be read; the rest is named, not lost.
        report.status = Status::Partial;
        report.error = Some(redactor.message(&why));
    }
    let classified = crate::cpu::on_rayon(move || {
        let classified = classify_sample_profiled(&classifiers, &schema, &batches);
        let hits = crate::classify::geofence_hits(&batches, &classified.columns, &geofences);
        (classified, hits)
    })
    .await;
    match classified {
        Some((classified, hits)) => {
            report.geofence_hits = hits;
            report.categories = classified.table_categories(&report.name);
            report.columns = classified.columns;
            if let Some(tally) = tally {
                let _permit = limiter
                    .acquire()
                    .await
                    .expect("the semaphore is never closed");
                in_flight.enter(crate::activity::Stage::CountingPersons);
                let pass = crate::persons::PassContext {
                    limit: limits.full_pass,
                    redactor,
                    activity,
                };
                tally
                    .count_asset(&connector, &asset, &mut report, &pass)
                    .await;
            }
        }
        None => {
            report.status = Status::Error;
            report.error = Some(
                "internal error: classification panicked; please report this as a mulu bug".into(),
            );
        }
    }
    report
}
