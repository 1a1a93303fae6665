//! Labelled evaluation of the built-in classifiers.
//!
//! The set lives in `sample-data/eval/` (`columns.tsv`: one line per
//! column with its type hint and expected categories; `values.tsv`: the
//! values, `\N` for NULL). It is produced by the deterministic generator
//! below; the test fails if the checked-in files differ from what the
//! generator makes. To regenerate after changing the generator:
//!
//! ```sh
//! MULU_EVAL_WRITE=1 cargo test -p classifiers --test eval
//! ```
//!
//! Every value is synthetic: identifiers come from a fixed-seed PRNG and
//! carry correct check digits where the real ones do; e-mail addresses use
//! the reserved `example.*` domains.
//!
//! Metrics, printed per category:
//! * column level: the verdict of a whole-column scan against the labels;
//! * value level (value-detectable categories, not free text): each value
//!   scanned alone under its column's name and type.
//!
//! The test fails when a value-detectable category falls below precision
//! 0.99 or recall 0.98 at either level.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use classifiers::validate::{luhn_valid, mod11_2_check_char, uscc_check_char, vin_check_char};
use classifiers::{ClassifierSet, ColumnType};

#[path = "eval_data/accuracy.rs"]
mod accuracy;

/// Non-null values per column.
const VALUES_PER_COLUMN: usize = 200;
/// Categories judged on names rather than values: reported, never failed.
const NAME_DRIVEN: &[&str] = &["pi.biometric", "pi.health"];
const MIN_PRECISION: f64 = 0.99;
const MIN_RECALL: f64 = 0.98;

// ---------------------------------------------------------------- generator

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const AREAS: &[&str] = &[
    "110105", "310104", "440305", "510107", "330106", "320102", "420106", "610113", "370202",
    "500103", "650102", "450103",
];

fn birth(rng: &mut Rng) -> (u64, u64, u64) {
    (1950 + rng.below(60), 1 + rng.below(12), 1 + rng.below(28))
}

fn with_mod11(body: &str) -> String {
    let c = mod11_2_check_char(body.as_bytes()).unwrap() as char;
    format!("{body}{c}")
}

fn resident_id(rng: &mut Rng) -> String {
    let (y, m, d) = birth(rng);
    let roll = rng.below(100);
    let area = if roll < 5 {
        rng.pick(&["810000", "820000", "830000"]).to_owned()
    } else {
        rng.pick(AREAS).to_owned()
    };
    if roll >= 95 {
        // Old 15-digit form.
        return format!("{area}{:02}{m:02}{d:02}{}", y % 100, rng.digits(3));
    }
    if (90..95).contains(&roll) {
        // 2023 foreign permanent-resident ID.
        let prov = rng.pick(&["11", "31", "44", "32"]);
        let nat = rng.pick(&["156", "840", "392", "410", "250"]);
        return with_mod11(&format!("9{prov}{nat}{y}{m:02}{d:02}{}", rng.digits(3)));
    }
    let id = with_mod11(&format!("{area}{y}{m:02}{d:02}{}", rng.digits(3)));
    if rng.chance(10) {
        id.to_lowercase()
    } else {
        id
    }
}

fn mobile_digits(rng: &mut Rng) -> String {
    let seg = rng.pick(&[
        "130", "131", "135", "138", "139", "147", "150", "152", "158", "166", "177", "180", "186",
        "189", "191", "199",
    ]);
    format!("{seg}{}", rng.digits(8))
}

fn mobile(rng: &mut Rng) -> String {
    let d = mobile_digits(rng);
    match rng.below(10) {
        0 => format!("+86 {}-{}-{}", &d[..3], &d[3..7], &d[7..]),
        1 => format!("{} {} {}", &d[..3], &d[3..7], &d[7..]),
        2 => format!("0086{d}"),
        _ => d,
    }
}

fn with_luhn(body: &str) -> String {
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|s| luhn_valid(s))
        .unwrap()
}

fn bank_card(rng: &mut Rng) -> String {
    let iin = rng.pick(&[
        "622202", "622848", "621700", "622588", "456351", "524047", "625965",
    ]);
    let len = if rng.chance(50) { 19 } else { 16 };
    let card = with_luhn(&format!("{iin}{}", rng.digits(len - 7)));
    if rng.chance(20) {
        card.as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        card
    }
}

fn email(rng: &mut Rng) -> String {
    let user = rng.pick(&[
        "zhang.san",
        "li_si",
        "wang5",
        "chen.jing",
        "liu.yang",
        "sun-hao",
    ]);
    let dom = rng.pick(&[
        "example.com",
        "example.cn",
        "mail.example.org",
        "example.net",
    ]);
    format!("{user}{}@{dom}", rng.below(1000))
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
    "超", "秀英", "晓明", "建国",
];

fn name(rng: &mut Rng) -> String {
    let s = rng.pick(SURNAMES);
    let g = rng.pick(GIVEN);
    if rng.chance(40) && g.chars().count() == 1 {
        format!("{s}{g}{}", rng.pick(GIVEN).chars().next().unwrap())
    } else {
        format!("{s}{g}")
    }
}

fn address(rng: &mut Rng) -> String {
    let city = rng.pick(&[
        "上海市浦东新区",
        "北京市朝阳区",
        "浙江省杭州市西湖区",
        "广东省深圳市南山区",
        "四川省成都市武侯区",
        "江苏省南京市鼓楼区",
        "湖北省武汉市洪山区",
        "",
    ]);
    let road = rng.pick(&[
        "张江路",
        "建国路",
        "文三路",
        "科技南路",
        "人民南路",
        "中山北路",
        "珞喻路",
        "长安街",
    ]);
    let no = 1 + rng.below(300);
    match rng.below(3) {
        0 => format!("{city}{road}{no}号"),
        1 => format!(
            "{city}{road}{no}号{}栋{}单元{}室",
            1 + rng.below(20),
            1 + rng.below(6),
            101 + rng.below(2000)
        ),
        _ => format!(
            "{city}{road}{no}弄{}号{}室",
            1 + rng.below(50),
            101 + rng.below(900)
        ),
    }
}

fn ip(rng: &mut Rng) -> String {
    if rng.chance(15) {
        format!(
            "2001:db8:{:x}::{:x}",
            rng.below(65536),
            1 + rng.below(65535)
        )
    } else {
        let first = rng.pick(&["10", "36", "58", "101", "112", "183", "192", "203", "222"]);
        format!(
            "{first}.{}.{}.{}",
            rng.below(256),
            rng.below(256),
            1 + rng.below(254)
        )
    }
}

fn imei(rng: &mut Rng) -> String {
    let rbi = rng.pick(&["35", "86", "01", "99"]);
    with_luhn(&format!("{rbi}{}", rng.digits(12)))
}

fn mac(rng: &mut Rng, sep: &str) -> String {
    let h = rng.hex(12).to_uppercase();
    let h = if h.starts_with("0000") {
        format!("AC{}", &h[2..])
    } else {
        h
    };
    (0..6)
        .map(|i| h[i * 2..i * 2 + 2].to_owned())
        .collect::<Vec<_>>()
        .join(sep)
}

fn device_mix(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=5 => imei(rng),
        6 | 7 => mac(rng, ":"),
        8 => mac(rng, "-"),
        _ => format!("A{}", rng.hex(13).to_uppercase()),
    }
}

fn passport(rng: &mut Rng, current_only: bool) -> String {
    let letters = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    let current = format!(
        "E{}{}",
        char::from(letters[rng.below(letters.len() as u64) as usize]),
        rng.digits(7)
    );
    if current_only || rng.chance(60) {
        return current;
    }
    match rng.below(5) {
        0 => format!("E{}", rng.digits(8)),
        1 => format!("G{}", rng.digits(8)),
        2 => format!("{}{}", rng.pick(&["PE", "SE", "DE"]), rng.digits(7)),
        3 => format!("K{}", rng.digits(8)),
        _ => format!("MA{}", rng.digits(7)),
    }
}

fn permit(rng: &mut Rng, hinted: bool) -> String {
    let hm = rng.pick(&["H", "M"]);
    match rng.below(5) {
        0..=2 => format!("{hm}{}{:02}", rng.digits(8), rng.below(5)),
        // The eight-digit Taiwan permit only means something under a name.
        3 if hinted => rng.digits(8),
        _ => format!("{hm}{}", rng.digits(8)),
    }
}

fn vin(rng: &mut Rng, valid: bool) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    let wmi = rng.pick(&["LSV", "LFV", "LGB", "LVS", "LDC", "LHG", "WVW", "1HG"]);
    let mut v: Vec<u8> = wmi.bytes().collect();
    while v.len() < 17 {
        v.push(ALPHA[rng.below(ALPHA.len() as u64) as usize]);
    }
    v[8] = b'0';
    let good = vin_check_char(&v).unwrap();
    v[8] = if valid {
        good
    } else {
        *b"0123456789X".iter().find(|&&c| c != good).unwrap()
    };
    let s = String::from_utf8(v).unwrap();
    if valid && rng.chance(10) {
        s.to_lowercase()
    } else {
        s
    }
}

fn plate(rng: &mut Rng) -> String {
    let p = rng.pick(&["京", "沪", "粤", "浙", "苏", "川", "鄂"]);
    let letter = char::from(b"ABCDEFGHJK"[rng.below(10) as usize]);
    let body = match rng.below(3) {
        0 => format!(
            "D{}{}",
            char::from(b"ABCDEF"[rng.below(6) as usize]),
            rng.digits(4)
        ),
        1 => format!(
            "{}{}",
            rng.digits(4),
            char::from(b"ABCDEFGHJK"[rng.below(10) as usize])
        ),
        _ => rng.digits(5),
    };
    if rng.chance(10) {
        format!("{p}{letter}·{body}")
    } else {
        format!("{p}{letter}{body}")
    }
}

fn uscc(rng: &mut Rng) -> String {
    const ALPHA: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let head = rng.pick(&["91", "92", "93", "12", "52", "51"]);
    let div = rng.pick(&["310115", "440300", "110108", "330106", "510107"]);
    let org: String = (0..9)
        .map(|i| {
            if i < 2 && rng.chance(50) {
                char::from(b"MA"[i])
            } else {
                char::from(ALPHA[rng.below(ALPHA.len() as u64) as usize])
            }
        })
        .collect();
    let body = format!("{head}{div}{org}");
    let c = uscc_check_char(body.as_bytes()).unwrap() as char;
    format!("{body}{c}")
}

fn birth_date(rng: &mut Rng) -> String {
    let (y, m, d) = birth(rng);
    match rng.below(4) {
        0 => format!("{y}{m:02}{d:02}"),
        1 => format!("{y}年{m}月{d}日"),
        2 => format!("{y}/{m}/{d}"),
        _ => format!("{y}-{m:02}-{d:02}"),
    }
}

fn coordinate_number(rng: &mut Rng, lat: bool, decimals: usize) -> String {
    let base = if lat {
        22.0 + rng.below(18) as f64
    } else {
        103.0 + rng.below(19) as f64
    };
    let frac = rng.below(10u64.pow(decimals as u32));
    // Trailing zeros disappear as they would in a Float64 display.
    let s = format!("{}.{frac:0width$}", base as u64, width = decimals);
    let s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
    s
}

fn free_text(rng: &mut Rng) -> String {
    let roll = rng.below(100);
    let id = resident_id(rng);
    let id18 = if id.len() == 18 {
        id
    } else {
        with_mod11(&format!("310104{}", "19900101001"))
    };
    match roll {
        0..=19 => format!("请联系{}谢谢", mobile_digits(rng)),
        20..=34 => format!("客户{}来电，回拨 {}，周末送货", name(rng), mobile(rng)),
        35..=44 => format!("发票请发到 {}，抬头个人", email(rng)),
        45..=52 => format!("{{\"sfzh\":\"{id18}\",\"status\":\"verified\"}}"),
        53..=57 => format!(
            "{{\"contact\":\"{}\",\"mail\":\"{}\"}}",
            mobile_digits(rng),
            email(rng)
        ),
        58..=70 => format!("订单{}{}已发货，请注意查收", 2024, rng.digits(14)),
        71..=80 => "客户要求周末送货，不要提前打电话。".to_owned(),
        81..=90 => format!("退款 {}.{:02} 元已原路返回", rng.below(900), rng.below(100)),
        _ => format!("流水号{}处理完成", rng.digits(20)),
    }
}

fn free_text_clean(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => "客户要求周末送货，不要提前打电话。".to_owned(),
        1 => format!("订单{}{}已发货，请注意查收", 2024, rng.digits(14)),
        2 => format!("退款 {}.{:02} 元已原路返回", rng.below(900), rng.below(100)),
        3 => format!(
            "批次 {} 的质检报告：合格，抽检 {} 件。",
            rng.digits(8),
            rng.below(50)
        ),
        _ => format!(
            "{{\"event\":\"view\",\"ms\":{},\"sku\":\"SKU-2024-{:06}\"}}",
            1_700_000_000_000u64 + rng.below(10_000_000_000),
            rng.below(999_999)
        ),
    }
}

fn order_no_passing_id_check(rng: &mut Rng) -> String {
    // `2024` + MMDD with month 13–19 or day 32–39: the MOD 11-2 check passes,
    // the date does not.
    let body = format!(
        "2024{}{}{}",
        13 + rng.below(7),
        32 + rng.below(8),
        rng.digits(9)
    );
    with_mod11(&body)
}

/// One column of the evaluation set.
struct Column {
    name: String,
    data_type: &'static str,
    labels: Vec<&'static str>,
    note: &'static str,
    values: Vec<Option<String>>,
}

fn column(
    rng: &mut Rng,
    name: &str,
    data_type: &'static str,
    labels: &[&'static str],
    note: &'static str,
    n: usize,
    mut make: impl FnMut(&mut Rng) -> String,
) -> Column {
    let mut values = Vec::new();
    let mut non_null = 0;
    while non_null < n {
        if rng.chance(30) {
            values.push(None);
        } else {
            values.push(Some(make(rng)));
            non_null += 1;
        }
    }
    Column {
        name: name.to_owned(),
        data_type,
        labels: labels.to_vec(),
        note,
        values,
    }
}

fn generate() -> Vec<Column> {
    let mut all = generate_base();
    all.extend(accuracy::columns(VALUES_PER_COLUMN));
    all
}

fn generate_base() -> Vec<Column> {
    let mut r = Rng(0x6d75_6c75_2024);
    let n = VALUES_PER_COLUMN;
    let rng = &mut r;
    vec![
        // ---- positives, realistic and obfuscated names
        column(
            rng,
            "sfzh",
            "Utf8",
            &["pi.cn_resident_id"],
            "resident IDs: 18-digit, 81/82/83 permits, 9-prefixed foreign PR, 15-digit",
            n,
            resident_id,
        ),
        column(
            rng,
            "c3",
            "Utf8",
            &["pi.cn_resident_id"],
            "resident IDs under a meaningless name",
            n,
            resident_id,
        ),
        column(
            rng,
            "passport_no",
            "Utf8",
            &["pi.passport"],
            "all passport forms",
            n,
            |r| passport(r, false),
        ),
        column(
            rng,
            "col_7",
            "Utf8",
            &["pi.passport"],
            "current e-passport form only",
            n,
            |r| passport(r, true),
        ),
        column(
            rng,
            "txzhm",
            "Utf8",
            &["pi.travel_permit"],
            "H/M permits with and without renewal digits, Taiwan 8-digit",
            n,
            |r| permit(r, true),
        ),
        column(
            rng,
            "col_12",
            "Utf8",
            &["pi.travel_permit"],
            "H/M permits only",
            n,
            |r| permit(r, false),
        ),
        column(
            rng,
            "lxdh",
            "Utf8",
            &["pi.mobile_phone"],
            "mobiles in several formats",
            n,
            mobile,
        ),
        column(
            rng,
            "c5",
            "Utf8",
            &["pi.mobile_phone"],
            "mobiles under a meaningless name",
            n,
            mobile,
        ),
        column(
            rng,
            "email",
            "Utf8",
            &["pi.email"],
            "e-mail addresses",
            n,
            email,
        ),
        column(
            rng,
            "col_2",
            "Utf8",
            &["pi.email"],
            "e-mail addresses",
            n,
            email,
        ),
        column(
            rng,
            "jtdz",
            "Utf8",
            &["pi.address"],
            "street addresses",
            n,
            address,
        ),
        column(
            rng,
            "c9",
            "Utf8",
            &["pi.address"],
            "street addresses",
            n,
            address,
        ),
        column(
            rng,
            "yhkh",
            "Utf8",
            &["pi.bank_card"],
            "Luhn-valid cards, some grouped",
            n,
            bank_card,
        ),
        column(
            rng,
            "col_4",
            "Utf8",
            &["pi.bank_card"],
            "Luhn-valid cards",
            n,
            bank_card,
        ),
        column(
            rng,
            "login_ip",
            "Utf8",
            &["pi.ip_address"],
            "IPv4 and IPv6",
            n,
            ip,
        ),
        column(
            rng,
            "c11",
            "Utf8",
            &["pi.ip_address"],
            "IPv4 and IPv6",
            n,
            ip,
        ),
        column(rng, "imei", "Utf8", &["pi.device_id"], "IMEIs", n, imei),
        column(
            rng,
            "c13",
            "Utf8",
            &["pi.device_id"],
            "IMEI, MAC and MEID mix",
            n,
            device_mix,
        ),
        column(
            rng,
            "wifi_mac",
            "Utf8",
            &["pi.device_id"],
            "plain 12-hex MACs (need the name)",
            n,
            |r| mac(r, ""),
        ),
        column(
            rng,
            "csrq",
            "Utf8",
            &["pi.birth_date"],
            "birth dates in four formats",
            n,
            birth_date,
        ),
        column(
            rng,
            "birthday",
            "Date32",
            &["pi.birth_date"],
            "dates as a Date32 column displays them",
            n,
            |r| {
                let (y, m, d) = birth(r);
                format!("{y}-{m:02}-{d:02}")
            },
        ),
        column(
            rng,
            "c15",
            "Utf8",
            &[],
            "birth dates without a name: not detectable by design",
            n,
            birth_date,
        ),
        column(
            rng,
            "xb",
            "Utf8",
            &["pi.gender"],
            "男/女/M/F/1/2",
            n,
            |r| {
                r.pick(&["男", "女", "M", "F", "1", "2", "male", "female"])
                    .to_owned()
            },
        ),
        column(
            rng,
            "c16",
            "Utf8",
            &[],
            "sex codes without a name: not detectable by design",
            n,
            |r| r.pick(&["男", "女", "1", "2"]).to_owned(),
        ),
        column(
            rng,
            "minzu",
            "Utf8",
            &["pi.ethnicity"],
            "ethnic groups incl. short forms",
            n,
            |r| {
                r.pick(&[
                    "汉族",
                    "汉",
                    "回族",
                    "回",
                    "壮族",
                    "满族",
                    "维吾尔族",
                    "土家族",
                    "蒙古族",
                    "蒙古",
                    "藏族",
                    "彝族",
                    "苗族",
                ])
                .to_owned()
            },
        ),
        column(
            rng,
            "c17",
            "Utf8",
            &["pi.ethnicity"],
            "ethnic groups with the suffix",
            n,
            |r| {
                r.pick(&[
                    "汉族",
                    "回族",
                    "壮族",
                    "满族",
                    "维吾尔族",
                    "土家族",
                    "蒙古族",
                    "藏族",
                    "彝族",
                    "苗族",
                    "哈萨克族",
                    "朝鲜族",
                ])
                .to_owned()
            },
        ),
        column(
            rng,
            "face_feature",
            "Binary",
            &["pi.biometric"],
            "binary templates (no values reach the engine)",
            0,
            |_| String::new(),
        ),
        column(
            rng,
            "voiceprint",
            "Utf8",
            &["pi.biometric"],
            "Base64 voiceprint templates",
            n,
            |r| {
                let h = r.hex(96);
                format!("VlAx{}", h.to_uppercase().replace('0', "Q")) + &r.hex(40)
            },
        ),
        column(
            rng,
            "diagnosis",
            "Utf8",
            &["pi.health"],
            "diagnoses",
            n,
            |r| {
                r.pick(&[
                    "高血压",
                    "2型糖尿病",
                    "急性上呼吸道感染",
                    "无",
                    "腰椎间盘突出",
                    "过敏性鼻炎",
                ])
                .to_owned()
            },
        ),
        column(
            rng,
            "血型",
            "Utf8",
            &["pi.health"],
            "blood types",
            n,
            |r| r.pick(&["A型", "B型", "O型", "AB型", "A", "O"]).to_owned(),
        ),
        column(
            rng,
            "lng",
            "Float64",
            &["geo.coordinate"],
            "longitudes, 6 decimals",
            n,
            |r| coordinate_number(r, false, 6),
        ),
        column(
            rng,
            "lat",
            "Float64",
            &["geo.coordinate"],
            "latitudes, 4 decimals",
            n,
            |r| coordinate_number(r, true, 4),
        ),
        column(
            rng,
            "c21",
            "Utf8",
            &["geo.coordinate"],
            "\"lng,lat\" strings",
            n,
            |r| {
                format!(
                    "{},{}",
                    coordinate_number(r, false, 6),
                    coordinate_number(r, true, 6)
                )
            },
        ),
        column(
            rng,
            "geom",
            "Utf8",
            &["geo.coordinate"],
            "WKT points",
            n,
            |r| {
                format!(
                    "POINT({} {})",
                    coordinate_number(r, false, 5),
                    coordinate_number(r, true, 5)
                )
            },
        ),
        column(rng, "vin", "Utf8", &["vehicle.vin"], "VINs", n, |r| {
            vin(r, true)
        }),
        column(rng, "c22", "Utf8", &["vehicle.vin"], "VINs", n, |r| {
            vin(r, true)
        }),
        column(
            rng,
            "cph",
            "Utf8",
            &["vehicle.license_plate"],
            "ordinary and new-energy plates",
            n,
            plate,
        ),
        column(
            rng,
            "c23",
            "Utf8",
            &["vehicle.license_plate"],
            "plates",
            n,
            plate,
        ),
        column(
            rng,
            "tyshxydm",
            "Utf8",
            &["org.uscc"],
            "credit codes",
            n,
            uscc,
        ),
        column(rng, "c24", "Utf8", &["org.uscc"], "credit codes", n, uscc),
        column(rng, "xm", "Utf8", &["pi.name"], "names", n, name),
        column(rng, "c25", "Utf8", &["pi.name"], "names", n, name),
        column(
            rng,
            "remark",
            "Utf8",
            &[
                "pi.mobile_phone",
                "pi.email",
                "pi.cn_resident_id",
                "pi.name",
            ],
            "free text with embedded phones, e-mails, IDs and names",
            n,
            free_text,
        ),
        column(
            rng,
            "c30",
            "Utf8",
            &[
                "pi.mobile_phone",
                "pi.email",
                "pi.cn_resident_id",
                "pi.name",
            ],
            "free text under a meaningless name",
            n,
            free_text,
        ),
        // ---- hard negatives
        column(
            rng,
            "remark_clean",
            "Utf8",
            &[],
            "free text without PI (order numbers, amounts, JSON events)",
            n,
            free_text_clean,
        ),
        column(
            rng,
            "order_no",
            "Utf8",
            &[],
            "18-digit order numbers passing MOD 11-2 with impossible dates",
            n,
            order_no_passing_id_check,
        ),
        column(
            rng,
            "phone",
            "Utf8",
            &[],
            "misleading name: order numbers",
            n,
            order_no_passing_id_check,
        ),
        column(
            rng,
            "id_card",
            "Utf8",
            &[],
            "misleading name: SKUs",
            n,
            |r| format!("SKU-2024-{:06}", r.below(1_000_000)),
        ),
        column(
            rng,
            "created_ms",
            "Int64",
            &[],
            "13-digit epoch milliseconds",
            n,
            |r| (1_700_000_000_000u64 + r.below(100_000_000_000)).to_string(),
        ),
        column(
            rng,
            "code11",
            "Utf8",
            &[],
            "11-digit codes starting 10/11/12",
            n,
            |r| format!("1{}{}", r.below(3), r.digits(9)),
        ),
        column(
            rng,
            "part_code",
            "Utf8",
            &[],
            "17-character part codes with a wrong check digit",
            n,
            |r| vin(r, false),
        ),
        column(rng, "event_id", "Utf8", &[], "UUIDs", n, |r| {
            let h = r.hex(32);
            format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            )
        }),
        column(
            rng,
            "fingerprint",
            "Utf8",
            &[],
            "sha256 digests under a biometric-looking name",
            n,
            |r| r.hex(64),
        ),
        column(rng, "file_sha256", "Utf8", &[], "sha256 digests", n, |r| {
            r.hex(64)
        }),
        column(rng, "amount", "Float64", &[], "amounts", n, |r| {
            format!("{}.{:02}", r.below(100_000), r.below(100))
        }),
        column(
            rng,
            "price",
            "Float64",
            &[],
            "prices in the latitude range, 4 decimals",
            n,
            |r| coordinate_number(r, true, 4),
        ),
        column(
            rng,
            "city_lat",
            "Float64",
            &[],
            "coarse latitudes (2 decimals) are not precise location",
            n,
            |r| coordinate_number(r, true, 2),
        ),
        column(rng, "merchant", "Utf8", &[], "company names", n, |r| {
            format!(
                "{}{}{}",
                r.pick(&["北京", "上海", "深圳", "杭州", "成都"]),
                r.pick(&["星辰", "云帆", "前海", "西湖", "天府"]),
                r.pick(&[
                    "科技有限公司",
                    "网络科技有限公司",
                    "数据服务有限公司",
                    "贸易有限公司",
                    "软件集团"
                ])
            )
        }),
        column(rng, "city", "Utf8", &[], "city names", n, |r| {
            r.pick(&[
                "上海",
                "杭州市",
                "北京",
                "广州",
                "深圳市",
                "成都",
                "武汉",
                "苏州",
                "郑州",
                "南京市",
                "广东省深圳市",
            ])
            .to_owned()
        }),
        column(rng, "order_date", "Utf8", &[], "plain dates", n, birth_date),
        column(rng, "status", "Int64", &[], "status codes 1/2", n, |r| {
            (1 + r.below(2)).to_string()
        }),
        column(rng, "part_name", "Utf8", &[], "part names", n, |r| {
            r.pick(&[
                "前刹车片",
                "空气滤清器",
                "机油滤芯",
                "雨刮片",
                "火花塞",
                "正时皮带",
            ])
            .to_owned()
        }),
        column(
            rng,
            "version",
            "Utf8",
            &[],
            "three-part version strings",
            n,
            |r| format!("{}.{}.{}", r.below(10), r.below(30), r.below(300)),
        ),
    ]
}

// ---------------------------------------------------------------- files

fn eval_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data/eval")
}

fn render(columns: &[Column]) -> (String, String) {
    let mut cols = String::from(
        "# mulu classifier evaluation set: one line per column. labels = expected categories \
         (comma-separated, empty = none). Synthetic; generated by classifiers/tests/eval.rs.\n\
         column\tdata_type\tlabels\tnote\n",
    );
    let mut vals = String::from(
        "# mulu classifier evaluation values: column, value (\\N = NULL). Synthetic; \
         generated by classifiers/tests/eval.rs.\ncolumn\tvalue\n",
    );
    for c in columns {
        writeln!(
            cols,
            "{}\t{}\t{}\t{}",
            c.name,
            c.data_type,
            c.labels.join(","),
            c.note
        )
        .unwrap();
        for v in &c.values {
            let v = v.as_deref().unwrap_or("\\N");
            assert!(!v.contains(['\t', '\n']), "{}: {v}", c.name);
            writeln!(vals, "{}\t{v}", c.name).unwrap();
        }
    }
    (cols, vals)
}

/// A column as read back from the files.
struct Loaded {
    name: String,
    data_type: String,
    labels: BTreeSet<String>,
    note: String,
    values: Vec<Option<String>>,
}

fn load(cols: &str, vals: &str) -> Vec<Loaded> {
    let rows = |s: &str| -> Vec<Vec<String>> {
        s.lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .map(|l| l.split('\t').map(str::to_owned).collect())
            .collect()
    };
    let mut out: Vec<Loaded> = rows(cols)
        .into_iter()
        .map(|r| Loaded {
            name: r[0].clone(),
            data_type: r[1].clone(),
            labels: r[2]
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            note: r[3].clone(),
            values: Vec::new(),
        })
        .collect();
    for r in rows(vals) {
        let c = out
            .iter_mut()
            .find(|c| c.name == r[0])
            .expect("known column");
        c.values.push((r[1] != "\\N").then(|| r[1].clone()));
    }
    out
}

// ---------------------------------------------------------------- metrics

#[derive(Default)]
struct Counts {
    tp: u64,
    fp: u64,
    fn_: u64,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

#[test]
fn evaluation_set() {
    let generated = generate();
    let (cols, vals) = render(&generated);
    let dir = eval_dir();
    let (cpath, vpath) = (dir.join("columns.tsv"), dir.join("values.tsv"));
    if std::env::var_os("MULU_EVAL_WRITE").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&cpath, &cols).unwrap();
        std::fs::write(&vpath, &vals).unwrap();
    }
    let on_disk_c = std::fs::read_to_string(&cpath).expect("sample-data/eval/columns.tsv");
    let on_disk_v = std::fs::read_to_string(&vpath).expect("sample-data/eval/values.tsv");
    assert!(
        on_disk_c == cols && on_disk_v == vals,
        "sample-data/eval differs from the generator; rerun with MULU_EVAL_WRITE=1"
    );
    assert!(
        on_disk_c.len() + on_disk_v.len() <= 1 << 20,
        "evaluation set above 1 MB"
    );

    let set = ClassifierSet::builtin();
    let columns = load(&on_disk_c, &on_disk_v);
    let categories: Vec<String> = set.classifiers().map(|c| c.id().to_string()).collect();
    let mut col_counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut val_counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut errors = Vec::new();
    // A few value-level misses and false hits per category (synthetic
    // values, printed to help tuning).
    let mut examples: BTreeMap<String, Vec<String>> = BTreeMap::new();

    for c in &columns {
        // Column level.
        let mut scan = set.column_typed(&c.name, &ColumnType::parse(&c.data_type));
        for v in &c.values {
            scan.push(v.as_deref());
        }
        let found: BTreeSet<String> = scan
            .finish()
            .into_iter()
            .map(|f| f.category.to_string())
            .collect();
        for cat in &categories {
            let e = col_counts.entry(cat.clone()).or_default();
            match (c.labels.contains(cat), found.contains(cat)) {
                (true, true) => e.tp += 1,
                (false, true) => {
                    e.fp += 1;
                    errors.push(format!("column {}: unexpected {cat}", c.name));
                }
                (true, false) => {
                    e.fn_ += 1;
                    errors.push(format!("column {}: missed {cat}", c.name));
                }
                (false, false) => {}
            }
        }
        // Value level: each value alone, under the column's name and type.
        // Free-text columns are judged per row above, not here, and so are
        // columns whose values count only through the column's shape.
        if c.labels.len() > 1 || c.note.starts_with(accuracy::COLUMN_EVIDENCE) {
            continue;
        }
        for v in c.values.iter().flatten() {
            let mut one = set.column_typed(&c.name, &ColumnType::parse(&c.data_type));
            one.push(Some(v));
            let hit: BTreeSet<String> = one
                .finish()
                .into_iter()
                .map(|f| f.category.to_string())
                .collect();
            for cat in &categories {
                if NAME_DRIVEN.contains(&cat.as_str()) {
                    continue;
                }
                let e = val_counts.entry(cat.clone()).or_default();
                let ex = examples.entry(cat.clone()).or_default();
                match (c.labels.contains(cat), hit.contains(cat)) {
                    (true, true) => e.tp += 1,
                    (false, true) => {
                        e.fp += 1;
                        if ex.len() < 6 {
                            ex.push(format!("false hit in {}: {v}", c.name));
                        }
                    }
                    (true, false) => {
                        e.fn_ += 1;
                        if ex.len() < 6 {
                            ex.push(format!("miss in {}: {v}", c.name));
                        }
                    }
                    (false, false) => {}
                }
            }
        }
    }

    let mut table = String::from(
        "category               | col P  | col R  | cols (tp/fp/fn) | val P  | val R  | values (tp/fp/fn)\n",
    );
    let mut failures = Vec::new();
    for cat in &categories {
        let c = &col_counts[cat];
        let v = val_counts.get(cat);
        write!(
            table,
            "{cat:<22} | {:.3}  | {:.3}  | {:>3}/{:>2}/{:>2}       |",
            c.precision(),
            c.recall(),
            c.tp,
            c.fp,
            c.fn_
        )
        .unwrap();
        match v {
            Some(v) => writeln!(
                table,
                " {:.3}  | {:.3}  | {:>5}/{:>3}/{:>3}",
                v.precision(),
                v.recall(),
                v.tp,
                v.fp,
                v.fn_
            )
            .unwrap(),
            None => writeln!(table, " (name-driven: not value-checkable)").unwrap(),
        }
        if NAME_DRIVEN.contains(&cat.as_str()) {
            continue;
        }
        let v = v.unwrap();
        for (what, value, min) in [
            ("column precision", c.precision(), MIN_PRECISION),
            ("column recall", c.recall(), MIN_RECALL),
            ("value precision", v.precision(), MIN_PRECISION),
            ("value recall", v.recall(), MIN_RECALL),
        ] {
            if value < min {
                failures.push(format!("{cat}: {what} {value:.3} < {min}"));
            }
        }
    }
    println!("{table}");
    for e in &errors {
        println!("  {e}");
    }
    for (cat, ex) in &examples {
        for e in ex {
            println!("  {cat}: {e}");
        }
    }
    assert!(failures.is_empty(), "{failures:#?}\n{table}");
}
