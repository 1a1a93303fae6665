//! Shared corpora for mulu's benchmarks: synthetic, deterministic, and mixed the way real
//! columns are (identifiers of every built-in category plus look-alike negatives).

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

/// `n` values: about 60% identifiers of the built-in categories, 40% hard negatives.
pub fn mixed_corpus(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| match rng.below(14) {
            0 => resident_id(&mut rng),
            1 => format!("1{}{}", 3 + rng.below(7), rng.digits(9)),
            2 => format!("user{}@example.com", rng.digits(5)),
            3 => luhn_complete(&format!("622202{}", rng.digits(9))),
            4 => vin(&mut rng),
            5 => format!("{}A{}", rng.pick(PROVINCES), rng.digits(5)),
            6 => format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN)),
            7 => format!("2025{}", rng.digits(14)),
            8 => format!("17{}", rng.digits(11)),
            9 => format!("SKU-2025-{}", rng.digits(6)),
            10 => format!("{}.{}", rng.below(100_000), rng.digits(2)),
            11 => rng.pick(COMPANIES).to_string(),
            12 => format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64()),
            _ => "客户要求周末送货，请提前电话联系".to_string(),
        })
        .collect()
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
