//! `mulu classifiers list|explain|test`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use scanner::config::Config;

use crate::{load_config, usage, Failure};

#[derive(clap::Args, Clone)]
pub(crate) struct ClassifierFiles {
    /// Extra declarative classifiers (TOML); may be repeated.
    #[arg(long = "classifiers", value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    /// Configuration file whose `classifiers = [...]` are loaded too.
    #[arg(long, env = "MULU_CONFIG", value_name = "mulu.toml")]
    pub(crate) config: Option<PathBuf>,
}

#[derive(Subcommand)]
pub(crate) enum ClassifiersCommand {
    /// Table of every classifier: id, names, PI/sensitive, source.
    List(ClassifierFiles),
    /// What a classifier detects, why it matters, examples and known false positives.
    Explain {
        /// Classifier id, e.g. pi.cn_resident_id.
        id: String,
        #[command(flatten)]
        files: ClassifierFiles,
    },
    /// Test values against a classifier; exit 1 when none matches.
    Test {
        /// Classifier id.
        id: String,
        /// Values to test.
        values: Vec<String>,
        /// Also test every line of this file (a column of values).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        #[command(flatten)]
        files: ClassifierFiles,
    },
}

/// The built-ins plus the config's and the command line's classifier files.
pub(crate) fn classifier_set(
    config: &Config,
    extra: &[PathBuf],
) -> Result<scanner::custom::LoadedSet, Failure> {
    scanner::custom::load_configured(config, extra).map_err(usage)
}

pub(crate) fn run_classifiers(cmd: ClassifiersCommand) -> Result<u8, Failure> {
    let files = match &cmd {
        ClassifiersCommand::List(f) => f,
        ClassifiersCommand::Explain { files, .. } | ClassifiersCommand::Test { files, .. } => files,
    };
    let config = load_config(files.config.as_deref())?;
    let loaded = classifier_set(&config, &files.files)?;
    let source_of = |id: &str| {
        loaded
            .custom
            .iter()
            .find(|(c, _)| c == id)
            .map_or_else(|| "built-in".to_string(), |(_, f)| f.display().to_string())
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    match cmd {
        ClassifiersCommand::List(_) => {
            let mut table = comfy_table::Table::new();
            table
                .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_header(vec!["id", "名称", "name", "PI", "sensitive", "source"]);
            for c in loaded.set.classifiers() {
                let info = c.info();
                table.add_row(vec![
                    info.id.to_string(),
                    info.name_zh.to_string(),
                    info.name_en.to_string(),
                    yes_no(info.is_pi).to_string(),
                    yes_no(info.is_sensitive).to_string(),
                    source_of(info.id.as_str()),
                ]);
            }
            for t in classifiers::table_categories() {
                table.add_row(vec![
                    t.id.to_string(),
                    t.name_zh.to_string(),
                    t.name_en.to_string(),
                    yes_no(t.is_pi).to_string(),
                    yes_no(t.is_sensitive).to_string(),
                    "built-in (table rule)".to_string(),
                ]);
            }
            println!("{table}");
            Ok(0)
        }
        ClassifiersCommand::Explain { id, .. } => {
            let (info, docs) = match loaded.set.get(&id) {
                Some(c) => (c.info(), c.docs()),
                None => match classifiers::table_categories()
                    .iter()
                    .find(|t| t.id == id.as_str())
                {
                    Some(t) => (t.category_info(), t.docs),
                    None => {
                        return Err(usage(anyhow::anyhow!(
                            "no classifier '{id}'; see `mulu classifiers list`"
                        )))
                    }
                },
            };
            println!("{} — {} ({})", info.id, info.name_zh, info.name_en);
            println!(
                "PI: {}; sensitive: {}; GB/T 43697 class: {}; vehicle rules: {}; source: {}\n",
                yes_no(info.is_pi),
                yes_no(info.is_sensitive),
                if info.gbt43697_class.is_empty() {
                    "-"
                } else {
                    &info.gbt43697_class
                },
                info.vehicle_item.as_deref().unwrap_or("-"),
                source_of(info.id.as_str())
            );
            println!("{}", docs.trim());
            Ok(0)
        }
        ClassifiersCommand::Test {
            id, values, file, ..
        } => {
            let Some(classifier) = loaded.set.get(&id) else {
                return Err(usage(anyhow::anyhow!(
                    "no value classifier '{id}'; see `mulu classifiers list`"
                )));
            };
            let mut all = values;
            if let Some(path) = file {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))
                    .map_err(usage)?;
                all.extend(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_string),
                );
            }
            if all.is_empty() {
                return Err(usage(anyhow::anyhow!("give VALUEs or --file")));
            }
            if classifier.value_pattern().is_none() {
                return Err(usage(anyhow::anyhow!(
                    "{id} is detected from column names and types, not values; see `mulu classifiers explain {id}`"
                )));
            }
            let mut matched = 0;
            for value in &all {
                // Only the masked form is printed: values may be real identifiers.
                let shown = classifier.mask(value.trim());
                match scanner::custom::test_value(classifier, value) {
                    Some(w) => {
                        matched += 1;
                        println!("match     {shown} (weight {w:.2})");
                    }
                    None => println!("no match  {shown}"),
                }
            }
            println!("{matched} of {} values match {id}", all.len());
            Ok(if matched == 0 { 1 } else { 0 })
        }
    }
}
