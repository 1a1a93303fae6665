//! A `[[schedule]]` job: which sources to scan and when. Read by the config, run by the
//! scheduler.

use std::str::FromStr;

use anyhow::Context;
use chrono::{DateTime, Local, Utc};
use croner::Cron;
use serde::Deserialize;

/// `[[schedule]]` in `mulu.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// A unique name; run history is kept per name.
    pub name: String,
    /// Five-field cron expression in local time, e.g. `0 2 * * *` (02:00 daily).
    pub cron: String,
    /// `[[sources]]` names (or URLs and paths) for this job; default: every `[[sources]]`.
    #[serde(default)]
    pub sources: Vec<String>,
    /// An http(s):// URL that is POSTed an alert when a re-filing becomes due.
    pub webhook: Option<String>,
    /// The alert's body: `json` (the diff), or a chat robot's text message (`dingtalk`,
    /// `wecom`, `feishu`); by default chosen from the webhook's host.
    pub webhook_format: Option<crate::webhook::WebhookFormat>,
    /// The environment variable holding a DingTalk or Feishu robot's signing secret (加签).
    pub webhook_secret_env: Option<String>,
    /// An HTML report (`mulu report`) rewritten after each run; relative to the config file.
    pub report: Option<std::path::PathBuf>,
}

impl Job {
    pub(crate) fn parsed_cron(&self) -> anyhow::Result<Cron> {
        Cron::from_str(&self.cron).with_context(|| {
            format!(
                "[[schedule]] '{}': bad cron expression '{}'",
                self.name, self.cron
            )
        })
    }

    /// Whether the job is due at `now`: never run, or a scheduled time has passed since the
    /// last run.
    pub fn is_due(
        &self,
        last_run: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let Some(last) = last_run else {
            return Ok(true);
        };
        let next = self
            .parsed_cron()?
            .find_next_occurrence(&last.with_timezone(&Local), false)
            .with_context(|| format!("[[schedule]] '{}': no next run time", self.name))?;
        Ok(next.with_timezone(&Utc) <= now)
    }

    /// The next scheduled time after `now`.
    pub fn next_run(&self, now: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
        Ok(self
            .parsed_cron()?
            .find_next_occurrence(&now.with_timezone(&Local), false)
            .with_context(|| format!("[[schedule]] '{}': no next run time", self.name))?
            .with_timezone(&Utc))
    }
}
