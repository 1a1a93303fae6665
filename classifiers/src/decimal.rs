//! Decimal numbers as `f64`, exactly as `str::parse` reads them, with a
//! fast path for the plain ones (`121.473701`, `-12`, `1700000000000`).
//!
//! `str::parse::<f64>` is general (exponents, `inf`, long mantissas) and
//! costs about 250 instructions; coordinates and column profiles parse a
//! number or two per value. A plain decimal of at most 15 digits is an
//! integer below 2^53 scaled by a power of ten up to 10^22, both exact in
//! an `f64`, so one correctly rounded division gives the correctly rounded
//! value that `str::parse` gives (Clinger's fast path).

/// Digits a plain decimal may have for the fast path (10^15 < 2^53).
const MAX_DIGITS: usize = 15;

/// Powers of ten exact in an `f64`, up to 10^22.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `s.parse::<f64>().ok()`.
pub(crate) fn parse_f64(s: &str) -> Option<f64> {
    match plain_decimal(s) {
        Some((v, _)) => Some(v),
        None => s.parse().ok(),
    }
}

/// `s` if it is a plain decimal, `-?[0-9]+(\.[0-9]+)?`: its value (as
/// `str::parse` reads it) and its number of fraction digits.
pub(crate) fn plain_decimal(s: &str) -> Option<(f64, usize)> {
    let (negative, body) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        bytes => (false, bytes),
    };
    // Wraps past 19 digits, but is used only up to MAX_DIGITS. The
    // integer digits, then the fraction's after a dot: two loops with one
    // test a byte, no state of where the dot is.
    let mut mantissa = 0u64;
    let mut push = |b: u8| {
        let d = b.wrapping_sub(b'0');
        if d < 10 {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
        }
        d < 10
    };
    let int = body.iter().position(|&b| !push(b)).unwrap_or(body.len());
    let (dot, decimals) = match body.get(int..) {
        Some([]) if int > 0 => (false, 0),
        Some([b'.', frac @ ..]) if int > 0 && !frac.is_empty() && frac.iter().all(|&b| push(b)) => {
            (true, frac.len())
        }
        _ => return None,
    };
    let digits = body.len() - usize::from(dot);
    let v = if digits <= MAX_DIGITS {
        let v = mantissa as f64 / POW10[decimals];
        if negative {
            -v
        } else {
            v
        }
    } else {
        s.parse().ok()?
    };
    Some((v, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `str::parse` gives, bit for bit, on decimals of every length
    /// and split; plain decimals recognised as the grammar says.
    #[test]
    fn agrees_with_str_parse() {
        let mut state = 3u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 11
        };
        let mut values: Vec<String> = [
            "0",
            "-0",
            "-0.0",
            "0.1",
            "0.3",
            "121.473701",
            "31.230416",
            "1700000000000",
            "999999999999999",
            "9999999999999999",
            "0.000000000000001",
            "1.",
            ".5",
            "+1",
            "1e5",
            "inf",
            "NaN",
            "1.2.3",
            "--1",
            "-",
            "",
            "12a",
            "１２",
            "4.35",
            "2.675",
        ]
        .map(String::from)
        .to_vec();
        for _ in 0..200_000 {
            let digits = 1 + next() % 17;
            let n = next() % 10u64.pow(digits as u32);
            let s = format!("{n:0width$}", width = digits as usize);
            let dot = next() as usize % (s.len() + 1);
            let sign = if next() % 4 == 0 { "-" } else { "" };
            values.push(if dot == 0 || dot == s.len() {
                format!("{sign}{s}")
            } else {
                format!("{sign}{}.{}", &s[..dot], &s[dot..])
            });
        }
        let grammar = regex::Regex::new(r"^-?[0-9]+(\.[0-9]+)?$").unwrap();
        let mut plain = 0;
        for v in &values {
            let want = v.parse::<f64>().ok();
            assert_eq!(
                parse_f64(v).map(f64::to_bits),
                want.map(f64::to_bits),
                "{v}"
            );
            let fraction = v.split_once('.').map_or(0, |(_, f)| f.len());
            let want = grammar
                .is_match(v)
                .then(|| (want.unwrap().to_bits(), fraction));
            let got = plain_decimal(v).map(|(x, d)| (x.to_bits(), d));
            assert_eq!(got, want, "{v}");
            plain += usize::from(got.is_some());
        }
        assert!(plain > values.len() / 2, "{plain} of {}", values.len());
    }
}
