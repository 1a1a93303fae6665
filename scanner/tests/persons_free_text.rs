//! Persons counted from identifiers inside free text: a chat log whose phones and ID numbers
//! appear only in its message text, beside a customer table, on real PostgreSQL and MariaDB
//! through the `mulu` binary. The exact count must equal a perfect linker's, who knows which
//! person every message is about. Synthetic data with valid check digits, made here.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{mulu, service};
use serde_json::Value;
use sqlx::Executor;

fn id_number(n: u32) -> String {
    let body = format!(
        "310104{}{:02}{:02}{:03}",
        1950 + n % 50,
        1 + n % 12,
        1 + n % 28,
        n % 1000
    );
    let check = classifiers::validate::mod11_2_check_char(body.as_bytes()).unwrap();
    format!("{body}{}", check as char)
}

fn phone(n: u32) -> String {
    format!("137{:08}", n * 7 + 3)
}

/// The holdings, and the persons a perfect linker finds in them.
struct Holdings {
    customers: Vec<(String, String)>,
    /// `(session, role, content)`.
    messages: Vec<(u32, &'static str, String)>,
    truth: BTreeSet<u32>,
    /// Persons named in message text.
    in_text: BTreeSet<u32>,
}

/// Customers 0..300 (ID + phone). Chat users 200..500 write their phone and ID together
/// (n % 3 == 0), only their phone, written `+86 137-…` (n % 3 == 1), or only their ID
/// (n % 3 == 2; from 300 on they give both in a later message). Users 200..250 also order
/// for a friend (person 2000 + k): two phones in one message, the friend's and their own.
/// Assistant replies, order numbers, masked phones and a mistyped ID name no one.
fn holdings() -> Holdings {
    let mut h = Holdings {
        customers: (0..300).map(|n| (id_number(n), phone(n))).collect(),
        messages: Vec::new(),
        truth: (0..300).collect(),
        in_text: BTreeSet::new(),
    };
    for n in 200..500 {
        let (id, p) = (id_number(n), phone(n));
        let text = match n % 3 {
            0 => format!("你好，我的手机号是{p}，身份证{id}，帮我查一下订单到哪了"),
            1 => format!("请尽快回电 +86 {}-{}-{}，谢谢", &p[..3], &p[3..7], &p[7..]),
            _ => format!("身份证号码：{id}，请帮我核实实名信息"),
        };
        h.messages.push((n, "user", text));
        h.messages.push((
            n,
            "assistant",
            format!(
                "好的，已为您记录，工单号 2024{n:06}0001，手机尾号 ****{}",
                &p[7..]
            ),
        ));
        if n % 3 == 2 && n >= 300 {
            h.messages
                .push((n, "user", format!("补充一下，手机{p}，证件号{id}")));
        }
        h.truth.insert(n);
        h.in_text.insert(n);
    }
    for k in 0..50 {
        let (n, friend) = (200 + k, 2000 + k);
        h.messages.push((
            n,
            "user",
            format!(
                "帮朋友下单，朋友电话{}，我的电话{}，送到公司前台",
                phone(friend),
                phone(n)
            ),
        ));
        h.truth.insert(friend);
        h.in_text.insert(friend);
    }
    let mut typo = id_number(42).into_bytes();
    typo[17] = if typo[17] == b'1' { b'2' } else { b'1' };
    h.messages.push((
        42,
        "user",
        format!(
            "我的身份证是{}，不对，打错了",
            String::from_utf8(typo).unwrap()
        ),
    ));
    h
}

/// Scans `url` limited to `include` and checks the persons against the perfect linker.
fn scan_and_check(dir: &Path, url: &str, include: &str, h: &Holdings) {
    let config = dir.join("mulu.toml");
    std::fs::write(
        &config,
        format!("[[sources]]\nname = \"db\"\nurl = \"{url}\"\ninclude = [\"{include}\"]\n"),
    )
    .unwrap();
    let json = dir.join("report.json");
    let out = mulu(
        dir,
        &[
            "scan",
            "--quiet",
            "--no-state",
            "--config",
            config.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let persons = &report["persons"];
    assert_eq!(persons["method"], "exact", "{persons}");
    assert_eq!(
        persons["distinct"],
        h.truth.len() as u64,
        "a perfect linker finds {} persons: {persons}",
        h.truth.len()
    );
    let only: BTreeSet<u32> = h.truth.iter().copied().filter(|n| *n >= 300).collect();
    assert_eq!(
        persons["free_text"],
        serde_json::json!({"persons": h.in_text.len(), "only": only.len()}),
        "{persons}"
    );
    let asset = |suffix: &str| {
        report["assets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no asset {suffix}: {report}"))
            .clone()
    };
    assert_eq!(asset(".customers")["persons"], 300);
    let chat = asset(".chat_log");
    assert_eq!(chat["persons"], h.in_text.len() as u64, "{chat}");
    // A table smaller than the sample is read whole from its first rows, and says so.
    assert_eq!(chat["sampling"]["method"], "first_rows", "{chat}");
    // The message column is prose holding PI, not an identifier column.
    let content = chat["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "content")
        .unwrap();
    assert!(
        content["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["by"].as_array().unwrap().contains(&"free_text".into())),
        "{content}"
    );
    // No raw identifier reaches the report.
    let text = report.to_string();
    for n in [0u32, 201, 299, 350, 499, 2010] {
        assert!(!text.contains(&phone(n)), "raw phone {n} in the report");
        assert!(!text.contains(&id_number(n)), "raw ID {n} in the report");
    }
}

#[cfg_attr(mulu_no_postgres, ignore = "needs MULU_TEST_POSTGRES_URL")]
#[test]
fn postgres_chat_log_persons_equal_a_perfect_linker() {
    let Some(url) = service("MULU_TEST_POSTGRES_URL") else {
        return;
    };
    let h = holdings();
    let schema = format!("mulu_ftp_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pool = rt.block_on(async {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        for sql in [
            format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
            format!("CREATE SCHEMA {schema}"),
            format!(
                "CREATE TABLE {schema}.customers (id serial PRIMARY KEY, sfzh text, mobile text)"
            ),
            format!(
                "CREATE TABLE {schema}.chat_log (id serial PRIMARY KEY, session_id int, \
                 role text, content text, created_at timestamp DEFAULT now())"
            ),
        ] {
            pool.execute(sql.as_str()).await.unwrap();
        }
        for (id, p) in &h.customers {
            sqlx::query(&format!(
                "INSERT INTO {schema}.customers (sfzh, mobile) VALUES ($1, $2)"
            ))
            .bind(id)
            .bind(p)
            .execute(&pool)
            .await
            .unwrap();
        }
        for (session, role, content) in &h.messages {
            sqlx::query(&format!(
                "INSERT INTO {schema}.chat_log (session_id, role, content) VALUES ($1, $2, $3)"
            ))
            .bind(*session as i32)
            .bind(*role)
            .bind(content)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool
    });
    let dir = tempfile::tempdir().unwrap();
    scan_and_check(dir.path(), &url, &format!("{schema}.*"), &h);
    rt.block_on(async {
        pool.execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
            .await
            .unwrap();
    });
}

#[cfg_attr(mulu_no_mysql, ignore = "needs MULU_TEST_MYSQL_URL")]
#[test]
fn mariadb_chat_log_persons_equal_a_perfect_linker() {
    let Some(url) = service("MULU_TEST_MYSQL_URL") else {
        return;
    };
    let h = holdings();
    let db = format!("mulu_ftp_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pool = rt.block_on(async {
        let pool = sqlx::MySqlPool::connect(&url).await.unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db} CHARACTER SET utf8mb4"),
            format!(
                "CREATE TABLE {db}.customers (id int AUTO_INCREMENT PRIMARY KEY, \
                 sfzh varchar(18), mobile varchar(11))"
            ),
            format!(
                "CREATE TABLE {db}.chat_log (id bigint AUTO_INCREMENT PRIMARY KEY, \
                 session_id int, role varchar(16), content text, \
                 created_at datetime DEFAULT CURRENT_TIMESTAMP)"
            ),
        ] {
            pool.execute(sql.as_str()).await.unwrap();
        }
        for (id, p) in &h.customers {
            sqlx::query(&format!(
                "INSERT INTO {db}.customers (sfzh, mobile) VALUES (?, ?)"
            ))
            .bind(id)
            .bind(p)
            .execute(&pool)
            .await
            .unwrap();
        }
        for (session, role, content) in &h.messages {
            sqlx::query(&format!(
                "INSERT INTO {db}.chat_log (session_id, role, content) VALUES (?, ?, ?)"
            ))
            .bind(*session)
            .bind(*role)
            .bind(content)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool
    });
    let dir = tempfile::tempdir().unwrap();
    let mut u = url::Url::parse(&url).unwrap();
    u.set_path(&format!("/{db}"));
    scan_and_check(dir.path(), u.as_str(), &format!("{db}.*"), &h);
    rt.block_on(async {
        pool.execute(format!("DROP DATABASE {db}").as_str())
            .await
            .unwrap();
    });
}
