//! Shared corpora for mulu's benchmarks: synthetic, deterministic, and mixed the way real
//! columns are (identifiers of every built-in category plus look-alike negatives).

pub mod realistic_lake;

/// A small deterministic generator (splitmix64), so every run benches the same values.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const AREAS: &[&str] = &["110105", "310104", "440305", "330106", "510107", "420102"];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: &[&str] = &["伟", "芳", "娜", "秀英", "敏", "静", "强", "磊", "洋", "艳"];
const PROVINCES: &[&str] = &["京", "沪", "粤", "浙", "苏", "川"];
const COMPANIES: &[&str] = &[
    "杭州星河电子商务有限公司",
    "上海云帆物流有限公司",
    "北京智行科技有限公司",
];

fn resident_id(rng: &mut Rng) -> String {
    let year = 1950 + rng.below(55);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let body = format!(
        "{}{year}{month:02}{day:02}{}",
        rng.pick(AREAS),
        rng.digits(3)
    );
    let check = classifiers::validate::mod11_2_check_char(body.as_bytes()).expect("17 digits");
    format!("{body}{}", check as char)
}

fn luhn_complete(body: &str) -> String {
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|c| classifiers::validate::luhn_valid(c))
        .expect("one check digit always completes Luhn")
}

fn vin(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    let mut v: Vec<u8> = b"LSV".to_vec();
    v.extend((0..14).map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize]));
    v[8] = b'0'; // a placeholder the check computation ignores
    v[8] = classifiers::validate::vin_check_char(&v).expect("valid alphabet");
    String::from_utf8(v).expect("ASCII")
}

fn uscc(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut body: Vec<u8> = format!("91{}", rng.pick(AREAS)).into_bytes();
    body.extend((0..9).map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize]));
    let check = classifiers::validate::uscc_check_char(&body).expect("valid alphabet");
    body.push(check);
    String::from_utf8(body).expect("ASCII")
}

fn imei(rng: &mut Rng) -> String {
    luhn_complete(&format!("35{}", rng.digits(12)))
}

const ROADS: &[&str] = &["建国路", "张江路", "文三路", "人民路", "天府大道"];
const DISTRICTS: &[&str] = &[
    "上海市浦东新区",
    "北京市朝阳区",
    "浙江省杭州市西湖区",
    "四川省成都市武侯区",
];
const ETHNICITIES: &[&str] = &["汉族", "回族", "维吾尔族", "壮族", "满族"];

/// `n` values mixed the way a wide table's columns are: about 60% identifiers covering every
/// built-in value-checkable category (resident ID, mobile, email, bank card, VIN, plate, name,
/// address, USCC, passport, travel permit, IP, device ID, coordinates, dates, sex, ethnicity)
/// and 40% look-alike negatives (order numbers, 13-digit landline-like numbers, SKUs, amounts,
/// company names, hashes, prose).
pub fn mixed_corpus(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| match rng.below(30) {
            0 | 1 => resident_id(&mut rng),
            2 | 3 => format!("1{}{}", 3 + rng.below(7), rng.digits(9)),
            4 => format!("user{}@example.com", rng.digits(5)),
            5 => luhn_complete(&format!("622202{}", rng.digits(9))),
            6 => vin(&mut rng),
            7 => format!("{}A{}", rng.pick(PROVINCES), rng.digits(5)),
            8 | 9 => format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN)),
            10 => format!(
                "{}{}{}号",
                rng.pick(DISTRICTS),
                rng.pick(ROADS),
                1 + rng.below(300)
            ),
            11 => uscc(&mut rng),
            12 => format!(
                "E{}{}",
                char::from(b'A' + rng.below(8) as u8),
                rng.digits(7)
            ),
            13 => format!("H{}", rng.digits(10)),
            14 => format!(
                "{}.{}.{}.{}",
                11 + rng.below(200),
                rng.below(256),
                rng.below(256),
                1 + rng.below(254)
            ),
            15 => imei(&mut rng),
            16 => format!("121.{},31.{}", rng.digits(6), rng.digits(6)),
            17 => format!(
                "19{}-0{}-1{}",
                50 + rng.below(50),
                1 + rng.below(9),
                rng.below(10)
            ),
            18 => rng.pick(&["男", "女"]).to_string(),
            19 => rng.pick(ETHNICITIES).to_string(),
            20 | 21 => format!("2025{}", rng.digits(14)),
            22 => format!("17{}", rng.digits(11)),
            23 => format!("SKU-2025-{}", rng.digits(6)),
            24 | 25 => format!("{}.{}", rng.below(100_000), rng.digits(2)),
            26 => rng.pick(COMPANIES).to_string(),
            27 => format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64()),
            28 => format!(
                "订单{}已发货，预计{}日送达",
                rng.digits(8),
                1 + rng.below(7)
            ),
            _ => "客户要求周末送货，请提前电话联系".to_string(),
        })
        .collect()
}

/// A valid 18-digit resident ID that is a pure function of `person` (distinct persons below
/// 6 areas × 20,000 days × 1,000 sequence numbers get distinct IDs).
pub fn resident_id_of(person: u64) -> String {
    let area = AREAS[(person % AREAS.len() as u64) as usize];
    let rest = person / AREAS.len() as u64;
    let seq = rest % 1000;
    let day_index = (rest / 1000) % 20_000;
    // days since 1950-01-01 on a 12 × 28-day calendar: always a real date
    let year = 1950 + day_index / 336;
    let month = 1 + (day_index % 336) / 28;
    let day = 1 + day_index % 28;
    let body = format!("{area}{year}{month:02}{day:02}{seq:03}");
    let check = classifiers::validate::mod11_2_check_char(body.as_bytes()).expect("17 digits");
    format!("{body}{}", check as char)
}

/// A mobile number that is a pure function of `person` (distinct below 10⁹).
pub fn mobile_of(person: u64) -> String {
    let prefix = [135u64, 138, 139, 150, 186, 187, 189, 136, 158][(person % 9) as usize];
    format!("{prefix}{:08}", (person / 9) % 100_000_000)
}

/// One synthetic row of a person-bearing table.
pub fn row_values(rng: &mut Rng) -> [String; 6] {
    let person = rng.below(50_000_000);
    [
        resident_id_of(person),
        mobile_of(person),
        format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN)),
        format!("{}A{}", rng.pick(PROVINCES), rng.digits(5)),
        format!("{}.{}", rng.below(100_000), rng.digits(2)),
        format!("2025{}", rng.digits(14)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_deterministic_and_holds_valid_identifiers() {
        let a = mixed_corpus(2000, 7);
        assert_eq!(a, mixed_corpus(2000, 7));
        let set = classifiers::ClassifierSet::builtin();
        let mut scan = set.column("mixed");
        for v in &a {
            scan.push(Some(v));
        }
        // Every category is present but none dominates a mixed column.
        let ids = a
            .iter()
            .filter(|v| v.len() == 18 && classifiers::validate::mod11_2_valid(v))
            .count();
        assert!(ids > 100, "{ids}");
        assert!(
            scan.finish().is_empty(),
            "a mixed column has no single category"
        );
    }
}
