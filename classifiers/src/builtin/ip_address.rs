use std::net::{Ipv4Addr, Ipv6Addr};

use crate::builtin::{mask_middle, push_stars};
use crate::{ids, CategoryInfo, Classifier};

macro_rules! doc_text {
    () => {
        r#"IP address (IP地址).

## What it detects

* IPv4 in dotted-decimal form, four octets 0–255 without leading zeros.
  Addresses that never name a host are rejected: `0.x.x.x` (this network),
  `224.0.0.0` and above (multicast, reserved, broadcast such as
  `255.255.255.255` and netmasks such as `255.255.255.0`).
* IPv6 in any standard text form (`2001:db8::1`, full eight groups,
  embedded IPv4), except the unspecified address `::` and multicast
  `ff00::/8`.

Private and loopback addresses are accepted, IPv4 and IPv6 alike
(`127.0.0.1`, `::1`): inside an organisation they still point at one device,
and a log that records `::1` for local logins records `127.0.0.1` in the
same place on an IPv4 host. Addresses inside free text (log lines, JSON
strings) are found as well.

## Why it matters

GB/T 43697 Appendix B lists the IP address among network identity
information (网络身份标识信息): it ties sessions, logins and orders to a
subscriber or device, and with a timestamp to a person. It is general PI.

## Examples

* `203.0.113.7`, `192.168.1.20`, `2001:db8::8a2e:370:7334`
* `::1`, `0:0:0:0:0:0:0:1` (loopback, as `127.0.0.1` is)
* Rejected: `0.0.0.0`, `255.255.255.0`, `256.1.1.1`, `01.2.3.4`, `::`,
  `12:30:45` (a time).
* Evidence is masked as `203.0.***.*`.

## Known false positives

* Four-part version numbers whose parts are all at most 255
  (`1.2.3.4`).
* Server and gateway addresses in configuration tables; they are not
  personal but are detected all the same.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct IpAddress;

fn v4_ok(a: Ipv4Addr) -> bool {
    let first = a.octets()[0];
    first != 0 && first < 224
}

/// `Ipv4Addr::from_str`, exactly (four parts of one to three digits, no
/// leading zero, at most 255, nothing else), in one pass without its
/// general parser: this runs for every dotted number.
fn parse_v4(s: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if s.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut v = 0u32;
        while let Some(&b) = s.get(i).filter(|b| b.is_ascii_digit()) {
            if i - start == 3 {
                return None;
            }
            v = v * 10 + u32::from(b - b'0');
            i += 1;
        }
        let digits = i - start;
        if digits == 0 || (digits > 1 && s[start] == b'0') {
            return None;
        }
        *octet = u8::try_from(v).ok()?;
    }
    (i == s.len()).then_some(Ipv4Addr::from(octets))
}

/// Loopback stays in, as it does for IPv4.
fn v6_ok(a: Ipv6Addr) -> bool {
    !a.is_unspecified() && !a.is_multicast()
}

impl Classifier for IpAddress {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::IP_ADDRESS, "IP地址", "IP address").personal("网络身份标识信息")
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        if value.contains(':') {
            let a: Ipv6Addr = value.parse().ok()?;
            v6_ok(a).then_some(1.0)
        } else {
            let a = parse_v4(value.as_bytes())?;
            v4_ok(a).then_some(1.0)
        }
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        self.confirm(token)
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "ip|ip_addr|ip_address|ipv4|ipv6|client_ip|remote_ip|remote_addr|src_ip|dst_ip",
            "|source_ip|login_ip|last_login_ip|user_ip|host_ip|ip_地址|登录_ip",
        ))
    }

    fn mask(&self, value: &str) -> String {
        let mut out = String::with_capacity(value.len());
        if value.contains(':') {
            // Keep the first two groups (the routing prefix).
            for (i, part) in value.split(':').enumerate() {
                if i > 0 {
                    out.push(':');
                }
                if i < 2 {
                    out.push_str(part);
                } else {
                    push_stars(&mut out, part.len());
                }
            }
            return out;
        }
        // Exactly four dotted parts: the first two stay.
        let mut parts = value.split('.');
        match [(); 5].map(|_| parts.next()) {
            [Some(a), Some(b), Some(c), Some(d), None] => {
                out.push_str(a);
                out.push('.');
                out.push_str(b);
                out.push('.');
                push_stars(&mut out, c.len());
                out.push('.');
                push_stars(&mut out, d.len());
                out
            }
            _ => mask_middle(value, 3, 0),
        }
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_parse_as_std() {
        let alphabet = b"0123456789.. a";
        let mut values: Vec<String> = [
            "1.2.3.4",
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "0.0.0.0",
            "1.2.3",
            "1.2.3.4.",
            ".1.2.3.4",
            "1..2.3",
            "1.2.3.4.5",
            "1234.1.1.1",
            "1.2.3.0004",
            "１.2.3.4",
            "",
            "1.2.3.4 ",
            "00.1.1.1",
            "100.200.250.255",
            "99.099.9.9",
        ]
        .map(String::from)
        .to_vec();
        let mut x = 11u64;
        for _ in 0..100_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (x >> 59) as usize;
            let mut y = x;
            let v: String = (0..len)
                .map(|_| {
                    y = y.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    char::from(alphabet[(y >> 60) as usize % alphabet.len()])
                })
                .collect();
            values.push(v);
            // Dotted groups of up to four digits, some with leading zeros.
            let groups: Vec<String> = (0..4)
                .map(|k| {
                    let n = (x >> (8 * k)) % 1300;
                    match (x >> (40 + k)) % 4 {
                        0 => format!("0{n}"),
                        _ => n.to_string(),
                    }
                })
                .collect();
            values.push(groups.join("."));
        }
        for v in &values {
            assert_eq!(parse_v4(v.as_bytes()), v.parse::<Ipv4Addr>().ok(), "{v:?}");
        }
    }
    use regex::Regex;

    #[test]
    fn accepts() {
        for v in [
            "203.0.113.7",
            "192.168.1.20",
            "10.0.0.1",
            "127.0.0.1",
            "223.255.255.254",
            "2001:db8::8a2e:370:7334",
            "2001:0db8:0000:0000:0000:ff00:0042:8329",
            "fe80::1",
            "::ffff:192.0.2.128",
            "::1",
            "0:0:0:0:0:0:0:1",
        ] {
            assert_eq!(IpAddress.confirm(v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn rejects() {
        for v in [
            "0.0.0.0",
            "255.255.255.255",
            "255.255.255.0",
            "224.0.0.1",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "::",
            "0:0:0:0:0:0:0:0",
            "ff02::1",
            "12:30:45",
            "aa:bb:cc:dd:ee:ff",
            "2001:db8::g",
        ] {
            assert_eq!(IpAddress.confirm(v), None, "{v}");
        }
    }

    #[test]
    fn prefilter_covers_confirmed() {
        let re = Regex::new(&format!("^(?:{})$", IpAddress.value_pattern().unwrap())).unwrap();
        for v in [
            "203.0.113.7",
            "2001:db8::1",
            "::ffff:192.0.2.128",
            "fe80::1",
        ] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(IpAddress.mask("203.0.113.7"), "203.0.***.*");
        assert_eq!(IpAddress.mask("2001:db8::1"), "2001:db8::*");
        // Four dotted parts, however short; else the middle is masked.
        for (value, masked) in [
            ("10.1.2", "10.***"),
            ("10.1.2.3.4", "10.*******"),
            ("...", "..."),
            ("1.2..", "1.2.."),
            ("", ""),
        ] {
            assert_eq!(IpAddress.mask(value), masked, "{value}");
        }
    }
}
