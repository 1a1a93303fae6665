//! The evaluation set's first columns: every category in realistic and
//! obfuscated columns, and hard negatives.

use super::values::*;
use super::VALUES_PER_COLUMN;

pub(crate) fn generate_base() -> Vec<Column> {
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
