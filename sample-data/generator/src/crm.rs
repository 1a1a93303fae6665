//! `crm.db`: a small SQLite CRM with customers, orders, cards and a table
//! of deliberately misleading columns.

use std::path::Path;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use crate::fake::{self, MobileStyle};
use crate::rng::Rng;
use crate::Result;

const CUSTOMERS: usize = 400;
const ORDERS: usize = 1200;
const CARDS: usize = 300;
const MISLEADING: usize = 200;

const CITIES: &[&str] = &[
    "上海市",
    "杭州",
    "北京",
    "深圳市",
    "成都",
    "广州市",
    "南京",
    "苏州",
    "西安",
    "重庆市",
    "天津市",
    "宁波",
    "长沙市",
];

const MERCHANT_INDUSTRIES: &[&str] = &[
    "电子商务",
    "网络科技",
    "贸易",
    "食品",
    "服饰",
    "供应链管理",
    "家居用品",
    "数码科技",
];

/// PI-free operational remarks.
const REMARKS: &[&str] = &[
    "客户要求周末送货",
    "请在工作日上午配送",
    "发票抬头已确认无误",
    "包装需要加固处理",
    "已回访，客户表示满意",
    "退货原因：尺码不合适",
    "收货地址待补充完整",
    "优先安排顺丰发货",
    "赠品随订单一起寄出",
    "客户对价格有异议",
    "需要开具增值税专用发票",
    "外包装轻微破损已补偿",
    "多个订单合并发货",
    "预约下周二上门安装",
    "放门卫处代收即可",
    "请勿来电，改发短信通知",
    "配送前一小时通知",
    "已过质保期，按付费维修处理",
    "客户取消了部分商品",
    "会员积分已补发",
];

/// Writes `crm.db` from scratch.
pub async fn write(path: &Path) -> Result<()> {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let p = path.with_file_name(format!(
            "{}{suffix}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("crm.db")
        ));
        if p.exists() {
            std::fs::remove_file(&p)?;
        }
    }

    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Delete)
        .connect()
        .await?;

    for ddl in [
        "CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            xm TEXT NOT NULL,
            sfzh TEXT,
            shouji TEXT NOT NULL,
            email TEXT NOT NULL,
            city TEXT NOT NULL,
            created_at TEXT NOT NULL
        )",
        "CREATE TABLE orders (
            order_no TEXT PRIMARY KEY,
            customer_phone TEXT NOT NULL,
            sku TEXT NOT NULL,
            amount REAL NOT NULL,
            created_ms INTEGER NOT NULL,
            merchant TEXT NOT NULL
        )",
        "CREATE TABLE payment_cards (
            holder TEXT NOT NULL,
            card_no TEXT NOT NULL,
            bank_name TEXT NOT NULL,
            opened_on TEXT NOT NULL
        )",
        "CREATE TABLE misleading (
            phone TEXT NOT NULL,
            c3 TEXT NOT NULL,
            remark TEXT NOT NULL,
            code11 TEXT NOT NULL
        )",
    ] {
        sqlx::query(ddl).execute(&mut conn).await?;
    }

    let phones = customers(&mut conn).await?;
    orders(&mut conn, &phones).await?;
    payment_cards(&mut conn).await?;
    misleading(&mut conn).await?;

    sqlx::query("VACUUM").execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

/// Inserts the customers and returns their plain 11-digit mobiles.
async fn customers(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    let mut rng = Rng::for_stream("crm.customers");
    // Exactly 20 % of resident IDs are NULL, at shuffled positions.
    let mut null_id: Vec<bool> = (0..CUSTOMERS).map(|i| i < CUSTOMERS / 5).collect();
    rng.shuffle(&mut null_id);

    let mut phones = Vec::with_capacity(CUSTOMERS);
    let mut tx = conn.begin().await?;
    for (i, &null) in null_id.iter().enumerate() {
        let xm = fake::name(&mut rng);
        let sfzh = (!null).then(|| {
            let id = fake::resident_id(&mut rng);
            // About half of the IDs whose check is X use a lower-case x
            // (≈ 5 % of the non-null IDs overall).
            if id.ends_with('X') && rng.chance(0.5) {
                id.to_ascii_lowercase()
            } else {
                id
            }
        });
        let mobile = fake::mobile(&mut rng);
        let style = *rng.pick(&[
            MobileStyle::Plain,
            MobileStyle::Plain,
            MobileStyle::IntlDashed,
            MobileStyle::Spaced,
            MobileStyle::Intl00,
        ]);
        let shouji = fake::format_mobile(&mobile, style);
        phones.push(mobile);
        let email = fake::email(&mut rng);
        let city = *rng.pick(CITIES);
        let day = fake::random_day(&mut rng, (2023, 1, 1), (2025, 12, 31));
        let created_at = fake::fmt_datetime(day * 86_400 + rng.range(0, 86_399));
        sqlx::query(
            "INSERT INTO customers (id, xm, sfzh, shouji, email, city, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(i as i64 + 1)
        .bind(xm)
        .bind(sfzh)
        .bind(shouji)
        .bind(email)
        .bind(city)
        .bind(created_at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(phones)
}

async fn orders(conn: &mut SqliteConnection, customer_phones: &[String]) -> Result<()> {
    let mut rng = Rng::for_stream("crm.orders");
    let merchants: Vec<String> = (0..25)
        .map(|_| fake::company(&mut rng, MERCHANT_INDUSTRIES))
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut tx = conn.begin().await?;
    let mut inserted = 0;
    while inserted < ORDERS {
        let (order_no, day) = fake::order_number(&mut rng);
        if !seen.insert(order_no.clone()) {
            continue;
        }
        let phone = if rng.chance(0.75) {
            rng.pick(customer_phones).clone()
        } else {
            fake::mobile(&mut rng)
        };
        let sku = format!("SKU-2025-{:06}", rng.range(1, 999_999));
        let amount = rng.range(990, 299_900) as f64 / 100.0;
        // Beijing wall time on the order's day, stored as UTC epoch ms.
        let local_ms = (day * 86_400 + rng.range(0, 86_399)) * 1000 + rng.range(0, 999);
        let created_ms = local_ms - 8 * 3600 * 1000;
        let merchant = rng.pick(&merchants).clone();
        sqlx::query(
            "INSERT INTO orders (order_no, customer_phone, sku, amount, created_ms, merchant)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(order_no)
        .bind(phone)
        .bind(sku)
        .bind(amount)
        .bind(created_ms)
        .bind(merchant)
        .execute(&mut *tx)
        .await?;
        inserted += 1;
    }
    tx.commit().await?;
    Ok(())
}

async fn payment_cards(conn: &mut SqliteConnection) -> Result<()> {
    let mut rng = Rng::for_stream("crm.payment_cards");
    let mut tx = conn.begin().await?;
    for _ in 0..CARDS {
        let holder = fake::name(&mut rng);
        let &(bank, iin, len) = rng.pick(fake::BANKS);
        let card = fake::card_number(&mut rng, iin, len);
        let card_no = if rng.chance(0.25) {
            fake::group4(&card)
        } else {
            card
        };
        let opened_on = fake::fmt_date(fake::random_day(&mut rng, (2012, 1, 1), (2025, 6, 30)));
        sqlx::query(
            "INSERT INTO payment_cards (holder, card_no, bank_name, opened_on)
             VALUES (?, ?, ?, ?)",
        )
        .bind(holder)
        .bind(card_no)
        .bind(bank)
        .bind(opened_on)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn misleading(conn: &mut SqliteConnection) -> Result<()> {
    let mut rng = Rng::for_stream("crm.misleading");
    let mut tx = conn.begin().await?;
    for _ in 0..MISLEADING {
        let (phone, _) = fake::order_number(&mut rng);
        let c3 = fake::resident_id(&mut rng);
        let remark = *rng.pick(REMARKS);
        // 11 digits like a mobile, but 10/11/12 are not mobile segments.
        let code11 = format!("1{}{}", rng.range(0, 2), rng.digits(9));
        sqlx::query("INSERT INTO misleading (phone, c3, remark, code11) VALUES (?, ?, ?, ?)")
            .bind(phone)
            .bind(c3)
            .bind(remark)
            .bind(code11)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
