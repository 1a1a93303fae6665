use crate::builtin::mask_middle;
use crate::validate::luhn_valid_bytes;
use crate::{ids, CategoryInfo, Classifier, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Device identifier (设备标识符): IMEI, MEID, MAC address and app device IDs.

## What it detects

* **IMEI** (3GPP TS 23.003): 15 digits, an eight-digit type allocation
  code, a six-digit serial and a Luhn check digit.
* **MEID**: 14 hexadecimal digits whose first two form a globally
  administered region code `A0`–`FF` (upper or lower case).
* **MAC address**: six two-digit hex groups separated by `:` or `-`, or
  three four-digit groups separated by `.`; all-zero and broadcast
  addresses are rejected. Twelve hex digits without separators count only
  in a column whose name says MAC or device.
* **App device IDs** (Android ID: 16 hex digits; IDFA, IDFV, OAID:
  UUID-shaped) count only when the column name says so (`idfa`, `oaid`,
  `android_id`, `device_id` …): a UUID on its own is as likely to be an
  order or event id.

IMEI belongs to the exclusive group after the resident ID, the credit code,
the mobile number and the VIN, and before the bank card: a 15-digit value
that passes both the old resident-ID rules and Luhn goes to whichever of
the two the rest of the column supports. Inside free text, MAC addresses
with separators and IMEIs whose type allocation code starts with a common
reporting-body prefix (`01`, `35`, `86`, `99`) are found.

## Why it matters

GB/T 43697 Appendix B lists unchangeable hardware identifiers (IMEI, MEID,
MAC, serial numbers) and changeable ones (Android ID, IDFA, OAID) under
个人设备信息. A phone's IMEI or a car's T-box IMEI follows one person or
vehicle for years and joins telemetry to an owner.

## Examples

* `490154203237518`, `A0000012345678`, `00:1A:2B:3C:4D:5E`,
  `00-1a-2b-3c-4d-5e`, `001a.2b3c.4d5e`
* With a device column name: `001A2B3C4D5E`, `9774d56d682e549c`,
  `6D92078A-8246-4BA4-AE5B-76104861E7DC`.
* Rejected: `490154203237519` (fails Luhn), `00:00:00:00:00:00`,
  `ff:ff:ff:ff:ff:ff`, a UUID in a column named `order_id`.
* Evidence is masked as `490154*****7518`.

## Known false positives

* Any Luhn-valid 15-digit number (about one in ten), for example some
  serial or waybill numbers; a column needs a majority.
* Hex strings of 12 characters in a `mac` column that hold something else.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct DeviceId;

fn all_hex(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_hexdigit)
}

/// Strips MAC separators; `None` unless the value is a separated MAC.
fn separated_mac(v: &[u8]) -> Option<[u8; 12]> {
    let mut out = [0u8; 12];
    match v.len() {
        17 => {
            let sep = v[2];
            if sep != b':' && sep != b'-' {
                return None;
            }
            for g in 0..6 {
                let p = g * 3;
                if g < 5 && v[p + 2] != sep {
                    return None;
                }
                out[g * 2] = v[p];
                out[g * 2 + 1] = v[p + 1];
            }
        }
        14 => {
            for g in 0..3 {
                let p = g * 5;
                if g < 2 && v[p + 4] != b'.' {
                    return None;
                }
                out[g * 4..g * 4 + 4].copy_from_slice(&v[p..p + 4]);
            }
        }
        _ => return None,
    }
    all_hex(&out).then_some(out)
}

fn mac_ok(hex: &[u8; 12]) -> bool {
    !hex.iter().all(|&b| b == b'0') && !hex.iter().all(|b| b.eq_ignore_ascii_case(&b'f'))
}

fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

impl DeviceId {
    /// Weight of a value without column context.
    fn plain(v: &[u8]) -> Option<f64> {
        match v.len() {
            // The Luhn check tests the digits.
            15 => luhn_valid_bytes(v).then_some(1.0),
            14 if all_hex(v) && v[0].is_ascii_alphabetic() => Some(1.0),
            14 | 17 => separated_mac(v).filter(mac_ok).map(|_| 1.0),
            _ => None,
        }
    }
}

impl Classifier for DeviceId {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(
            ids::DEVICE_ID,
            "设备标识符",
            "Device identifier (IMEI, MEID, MAC)",
        )
        .personal("个人设备信息")
        .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(concat!(
            "[0-9]{15}|[0-9A-Fa-f]{12}|[0-9A-Fa-f]{14}|[0-9A-Fa-f]{16}",
            "|[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}(?:\\.[0-9A-Fa-f]{4}){2}",
            "|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
        ))
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        Self::plain(value.as_bytes())
    }

    fn confirm_hinted(&self, value: &str) -> Option<f64> {
        let v = value.as_bytes();
        if let Some(w) = Self::plain(v) {
            return Some(w);
        }
        match v.len() {
            12 if all_hex(v) => {
                let mut hex = [0u8; 12];
                hex.copy_from_slice(v);
                mac_ok(&hex).then_some(1.0)
            }
            16 if all_hex(v) && !v.iter().all(|&b| b == b'0') => Some(1.0),
            36 if is_uuid(v) && !v.iter().all(|&b| b == b'0' || b == b'-') => Some(1.0),
            _ => None,
        }
    }

    fn confirm_free_text(&self, token: &str) -> Option<f64> {
        let v = token.as_bytes();
        match v.len() {
            15 if matches!(&v[..2], b"01" | b"35" | b"86" | b"99") => Self::plain(v),
            14 | 17 => separated_mac(v).filter(mac_ok).map(|_| 1.0),
            _ => None,
        }
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "imei|imei_no|meid|imsi|mac|mac_addr|mac_address|wifi_mac|bt_mac|bluetooth_mac",
            "|device_id|deviceid|device_no|dev_id|device_sn|device_serial|udid|idfa|idfv|oaid",
            "|android_id|tbox_id|tbox_imei|sbh|sbbh|sbbm|shebeihao",
            "|设备号|设备标识|设备编号|设备_id|串号|物理地址|mac_地址",
        ))
    }

    fn mask(&self, value: &str) -> String {
        mask_middle(value, 6, 4)
    }

    fn docs(&self) -> &'static str {
        doc_text!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn accepts_without_hint() {
        for v in [
            "490154203237518",
            "356938035643809",
            "A0000012345678",
            "a10000009296d4",
            "00:1A:2B:3C:4D:5E",
            "00-1a-2b-3c-4d-5e",
            "001a.2b3c.4d5e",
        ] {
            assert_eq!(DeviceId.confirm(v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn hint_only_forms() {
        for v in [
            "001A2B3C4D5E",
            "9774d56d682e549c",
            "6D92078A-8246-4BA4-AE5B-76104861E7DC",
        ] {
            assert_eq!(DeviceId.confirm(v), None, "{v}");
            assert_eq!(DeviceId.confirm_hinted(v), Some(1.0), "{v}");
        }
    }

    #[test]
    fn rejects() {
        for v in [
            "490154203237519",
            "00:00:00:00:00:00",
            "ff:ff:ff:ff:ff:ff",
            "00:1A:2B-3C:4D:5E",
            "00000000000000",
            "12345678901234",
            "13800138000",
            "00000000-0000-0000-0000-000000000000",
        ] {
            assert_eq!(DeviceId.confirm_hinted(v), None, "{v}");
        }
    }

    #[test]
    fn free_text_is_stricter() {
        assert_eq!(DeviceId.confirm_free_text("356938035643809"), Some(1.0));
        assert_eq!(DeviceId.confirm_free_text("490154203237518"), None);
        assert_eq!(DeviceId.confirm_free_text("00:1A:2B:3C:4D:5E"), Some(1.0));
        assert_eq!(DeviceId.confirm_free_text("001A2B3C4D5E"), None);
    }

    #[test]
    fn prefilter_covers_confirmed() {
        let re = Regex::new(&format!("^(?:{})$", DeviceId.value_pattern().unwrap())).unwrap();
        for v in [
            "490154203237518",
            "A0000012345678",
            "00:1A:2B:3C:4D:5E",
            "00-1a-2b-3c-4d-5e",
            "001a.2b3c.4d5e",
            "001A2B3C4D5E",
            "9774d56d682e549c",
            "6D92078A-8246-4BA4-AE5B-76104861E7DC",
        ] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(DeviceId.mask("490154203237518"), "490154*****7518");
    }
}
