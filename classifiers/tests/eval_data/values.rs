//! Value generators of the evaluation set: a fixed-seed PRNG and one
//! function per kind of value, each making synthetic values with correct
//! check digits where the real ones have them.

use classifiers::validate::{luhn_valid, mod11_2_check_char, uscc_check_char, vin_check_char};

pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(crate) fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len() as u64) as usize]
    }
    pub(crate) fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    pub(crate) fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub(crate) const AREAS: &[&str] = &[
    "110105", "310104", "440305", "510107", "330106", "320102", "420106", "610113", "370202",
    "500103", "650102", "450103",
];

pub(crate) fn birth(rng: &mut Rng) -> (u64, u64, u64) {
    (1950 + rng.below(60), 1 + rng.below(12), 1 + rng.below(28))
}

pub(crate) fn with_mod11(body: &str) -> String {
    let c = mod11_2_check_char(body.as_bytes()).unwrap() as char;
    format!("{body}{c}")
}

pub(crate) fn resident_id(rng: &mut Rng) -> String {
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

pub(crate) fn mobile_digits(rng: &mut Rng) -> String {
    let seg = rng.pick(&[
        "130", "131", "135", "138", "139", "147", "150", "152", "158", "166", "177", "180", "186",
        "189", "191", "199",
    ]);
    format!("{seg}{}", rng.digits(8))
}

pub(crate) fn mobile(rng: &mut Rng) -> String {
    let d = mobile_digits(rng);
    match rng.below(10) {
        0 => format!("+86 {}-{}-{}", &d[..3], &d[3..7], &d[7..]),
        1 => format!("{} {} {}", &d[..3], &d[3..7], &d[7..]),
        2 => format!("0086{d}"),
        _ => d,
    }
}

pub(crate) fn with_luhn(body: &str) -> String {
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|s| luhn_valid(s))
        .unwrap()
}

pub(crate) fn bank_card(rng: &mut Rng) -> String {
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

pub(crate) fn email(rng: &mut Rng) -> String {
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

pub(crate) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳", "司马",
];
pub(crate) const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
    "超", "秀英", "晓明", "建国",
];

pub(crate) fn name(rng: &mut Rng) -> String {
    let s = rng.pick(SURNAMES);
    let g = rng.pick(GIVEN);
    if rng.chance(40) && g.chars().count() == 1 {
        format!("{s}{g}{}", rng.pick(GIVEN).chars().next().unwrap())
    } else {
        format!("{s}{g}")
    }
}

pub(crate) fn address(rng: &mut Rng) -> String {
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

pub(crate) fn ip(rng: &mut Rng) -> String {
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

pub(crate) fn imei(rng: &mut Rng) -> String {
    let rbi = rng.pick(&["35", "86", "01", "99"]);
    with_luhn(&format!("{rbi}{}", rng.digits(12)))
}

pub(crate) fn mac(rng: &mut Rng, sep: &str) -> String {
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

pub(crate) fn device_mix(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=5 => imei(rng),
        6 | 7 => mac(rng, ":"),
        8 => mac(rng, "-"),
        _ => format!("A{}", rng.hex(13).to_uppercase()),
    }
}

pub(crate) fn passport(rng: &mut Rng, current_only: bool) -> String {
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

pub(crate) fn permit(rng: &mut Rng, hinted: bool) -> String {
    let hm = rng.pick(&["H", "M"]);
    match rng.below(5) {
        0..=2 => format!("{hm}{}{:02}", rng.digits(8), rng.below(5)),
        // The eight-digit Taiwan permit only means something under a name.
        3 if hinted => rng.digits(8),
        _ => format!("{hm}{}", rng.digits(8)),
    }
}

pub(crate) fn vin(rng: &mut Rng, valid: bool) -> String {
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

pub(crate) fn plate(rng: &mut Rng) -> String {
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

pub(crate) fn uscc(rng: &mut Rng) -> String {
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

pub(crate) fn birth_date(rng: &mut Rng) -> String {
    let (y, m, d) = birth(rng);
    match rng.below(4) {
        0 => format!("{y}{m:02}{d:02}"),
        1 => format!("{y}年{m}月{d}日"),
        2 => format!("{y}/{m}/{d}"),
        _ => format!("{y}-{m:02}-{d:02}"),
    }
}

pub(crate) fn coordinate_number(rng: &mut Rng, lat: bool, decimals: usize) -> String {
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

pub(crate) fn free_text(rng: &mut Rng) -> String {
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

pub(crate) fn free_text_clean(rng: &mut Rng) -> String {
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

pub(crate) fn order_no_passing_id_check(rng: &mut Rng) -> String {
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
pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) data_type: &'static str,
    pub(crate) labels: Vec<&'static str>,
    pub(crate) note: &'static str,
    pub(crate) values: Vec<Option<String>>,
}

pub(crate) fn column(
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
