//! The re-filing alert a `[[schedule]]` job posts: the diff JSON for a program, or a text
//! message a DingTalk, WeCom (企业微信) or Feishu (飞书) group robot shows as it is.
//!
//! Chat robots accept only their own body shape and answer a wrong one with HTTP 200 and an
//! error code in the body, so the body is chosen by the robot (from the URL's host unless
//! `webhook_format` says otherwise), and that answer is checked.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::refiling::DiffReport;

/// Who receives the webhook, and so the shape of its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    /// The diff report (`mulu.diff/v1`) as JSON, for a program.
    Json,
    /// A DingTalk group robot (`oapi.dingtalk.com/robot/send`).
    Dingtalk,
    /// A WeCom group robot (`qyapi.weixin.qq.com/cgi-bin/webhook/send`).
    Wecom,
    /// A Feishu or Lark group robot (`open.feishu.cn/open-apis/bot/v2/hook/…`).
    Feishu,
}

impl WebhookFormat {
    /// The robot a URL points at, by its host; [`Json`](Self::Json) for any other host.
    pub fn for_url(url: &str) -> Self {
        let host = url
            .split_once("://")
            .map_or("", |(_, rest)| {
                rest.split(['/', '?', ':']).next().unwrap_or("")
            })
            .to_ascii_lowercase();
        match host.as_str() {
            "oapi.dingtalk.com" => Self::Dingtalk,
            "qyapi.weixin.qq.com" => Self::Wecom,
            "open.feishu.cn" | "open.larksuite.com" => Self::Feishu,
            _ => Self::Json,
        }
    }
}

/// One alert to send.
pub struct Alert<'a> {
    /// The job that found the change.
    pub job: &'a str,
    /// The diff against the filed baseline.
    pub diff: &'a DiffReport,
}

impl Alert<'_> {
    /// The message a person reads in the chat group: what changed and when the re-filing is
    /// due. It holds item names and figures, never a data value.
    pub fn text(&self) -> String {
        let diff = self.diff;
        let earliest = diff
            .triggers
            .iter()
            .map(|t| t.due_by.as_str())
            .min()
            .unwrap_or("");
        let mut text = format!(
            "【mulu】重要数据目录需变更备案\n任务 {}，扫描 #{}；{} 项变化，最早须于 {earliest} 前备案。",
            self.job,
            diff.current_scan,
            diff.triggers.len()
        );
        for t in &diff.triggers {
            text.push_str(&format!(
                "\n- {} {}：{}（{}），{} 前",
                t.trigger.item_id,
                t.trigger.data_name,
                t.trigger.reason.label(),
                t.trigger.detail,
                t.due_by
            ));
        }
        text
    }

    /// The request body for `format`; a Feishu body carries the signature when `secret` is
    /// set.
    fn body(&self, format: WebhookFormat, secret: Option<&str>, now_secs: u64) -> Value {
        let text = self.text();
        match format {
            WebhookFormat::Json => serde_json::to_value(self.diff).expect("the diff serialises"),
            WebhookFormat::Dingtalk | WebhookFormat::Wecom => {
                json!({"msgtype": "text", "text": {"content": text}})
            }
            WebhookFormat::Feishu => {
                let mut body = json!({"msg_type": "text", "content": {"text": text}});
                if let Some(secret) = secret {
                    // Feishu: HMAC-SHA256 keyed by "timestamp\nsecret" over nothing.
                    let sign = base64_hmac(format!("{now_secs}\n{secret}").as_bytes(), b"");
                    body["timestamp"] = json!(now_secs.to_string());
                    body["sign"] = json!(sign);
                }
                body
            }
        }
    }
}

/// HMAC-SHA256 of `message` under `key`, in standard base64.
fn base64_hmac(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The URL to post to: a DingTalk robot with a signing secret takes the timestamp (ms) and
/// the signature of "timestamp\nsecret" in the query.
fn signed_url(url: &str, format: WebhookFormat, secret: Option<&str>, now_ms: u128) -> String {
    match (format, secret) {
        (WebhookFormat::Dingtalk, Some(secret)) => {
            let sign = base64_hmac(secret.as_bytes(), format!("{now_ms}\n{secret}").as_bytes());
            let encoded: String = url::form_urlencoded::byte_serialize(sign.as_bytes()).collect();
            let joiner = if url.contains('?') { '&' } else { '?' };
            format!("{url}{joiner}timestamp={now_ms}&sign={encoded}")
        }
        _ => url.to_string(),
    }
}

/// Why a delivery failed, in words that never quote the URL's token or the secret.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// No answer, or an HTTP error status.
    #[error("{0}")]
    Http(String),
    /// The robot answered 200 with an error code in the body (a keyword or signature check).
    #[error("the robot refused the message: {0}")]
    Refused(String),
}

/// Posts the alert to `url` in `format`, signed with `secret` where the robot supports it.
///
/// # Errors
/// No connection, an HTTP error, or a robot's error code.
pub fn deliver(
    alert: &Alert<'_>,
    url: &str,
    format: WebhookFormat,
    secret: Option<&str>,
) -> Result<(), DeliveryError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let body = alert.body(format, secret, now.as_secs());
    let target = signed_url(url, format, secret, now.as_millis());
    let agent = agent();
    let mut response = agent
        .post(&target)
        .header("content-type", "application/json; charset=utf-8")
        .send(body.to_string())
        .map_err(|e| DeliveryError::Http(without_query(&e.to_string(), &target)))?;
    if format == WebhookFormat::Json {
        return Ok(());
    }
    let answer: Value = response
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_string()
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    robot_verdict(&answer)
}

/// `text` with the query of `url` (a robot's token, a signature) cut out wherever it appears,
/// and any password masked.
fn without_query(text: &str, url: &str) -> String {
    let text = match url.split_once('?') {
        Some((_, query)) if !query.is_empty() => text.replace(query, "…"),
        _ => text.to_string(),
    };
    connectors::redact_credentials(&text).into_owned()
}

/// DingTalk and WeCom answer `errcode`, Feishu `code` (older bots `StatusCode`); 0 is success.
fn robot_verdict(answer: &Value) -> Result<(), DeliveryError> {
    let code = ["errcode", "code", "StatusCode"]
        .iter()
        .find_map(|k| answer.get(k).and_then(Value::as_i64));
    match code {
        None | Some(0) => Ok(()),
        Some(code) => {
            let message = ["errmsg", "msg", "StatusMessage"]
                .iter()
                .find_map(|k| answer.get(k).and_then(Value::as_str))
                .unwrap_or("");
            Err(DeliveryError::Refused(format!("code {code} {message}")))
        }
    }
}

/// An HTTP agent with a 10 s limit; https through rustls with the system's CA store when
/// the build has TLS (the default).
fn agent() -> ureq::Agent {
    let config = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(10)));
    #[cfg(feature = "webhook-tls")]
    let config = config.tls_config(
        ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .root_certs(ureq::tls::RootCerts::PlatformVerifier)
            .unversioned_rustls_crypto_provider(std::sync::Arc::new(
                rustls::crypto::aws_lc_rs::default_provider(),
            ))
            .build(),
    );
    config.build().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_are_known_by_their_host() {
        for (url, format) in [
            (
                "https://oapi.dingtalk.com/robot/send?access_token=t",
                WebhookFormat::Dingtalk,
            ),
            (
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
                WebhookFormat::Wecom,
            ),
            (
                "https://open.feishu.cn/open-apis/bot/v2/hook/x",
                WebhookFormat::Feishu,
            ),
            (
                "https://open.larksuite.com/open-apis/bot/v2/hook/x",
                WebhookFormat::Feishu,
            ),
            ("http://127.0.0.1:8080/mulu", WebhookFormat::Json),
        ] {
            assert_eq!(WebhookFormat::for_url(url), format, "{url}");
        }
    }

    #[test]
    fn signatures_follow_each_robots_rule() {
        // Recomputed by hand: HMAC-SHA256 keyed by the secret over "timestamp\nsecret".
        let url = signed_url(
            "https://oapi.dingtalk.com/robot/send?access_token=t",
            WebhookFormat::Dingtalk,
            Some("SECtest"),
            1_700_000_000_000,
        );
        let expected = base64_hmac(b"SECtest", b"1700000000000\nSECtest");
        let encoded: String = url::form_urlencoded::byte_serialize(expected.as_bytes()).collect();
        assert!(
            url.ends_with(&format!("&timestamp=1700000000000&sign={encoded}")),
            "{url}"
        );
        assert_eq!(
            signed_url("https://x/hook", WebhookFormat::Wecom, Some("s"), 1),
            "https://x/hook"
        );
        // An HMAC-SHA256 is 32 bytes: 44 base64 characters.
        assert_eq!(expected.len(), 44);
    }

    #[test]
    fn errors_never_quote_the_robots_token() {
        let url = "https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1&sign=x";
        let shown = without_query(&format!("io: {url}: connection refused"), url);
        assert!(!shown.contains("abc123"), "{shown}");
        assert!(shown.contains("connection refused"), "{shown}");
    }

    #[test]
    fn a_robot_error_code_is_a_refusal_and_zero_is_success() {
        assert!(robot_verdict(&json!({"errcode": 0, "errmsg": "ok"})).is_ok());
        assert!(robot_verdict(&json!({"code": 0, "msg": "success"})).is_ok());
        let err = robot_verdict(&json!({"errcode": 310000, "errmsg": "keywords not in content"}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("310000") && err.contains("keywords"), "{err}");
        assert!(robot_verdict(&json!({"code": 19021, "msg": "sign match fail"})).is_err());
    }
}
