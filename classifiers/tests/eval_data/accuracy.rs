//! Evaluation columns for the accuracy classes of issue 17: weak identifiers
//! found on column evidence, pinyin-initial names, telematics storage forms,
//! name vocabulary, names and addresses in prose, estate addresses, the
//! UnionPay 81 range, IPv6 loopback and GB/T 3304 ethnicity codes. Synthetic values from the same
//! generator helpers; a separate seed keeps the older columns unchanged.

use super::values::*;

/// Columns judged only as whole columns: their values are weak one by one
/// and count through the column's shared shape.
pub(crate) const COLUMN_EVIDENCE: &str = "column evidence:";

const GIVEN2: &[&str] = &[
    "文杰", "小琴", "志强", "丽娟", "海燕", "俊", "静", "斌", "婷",
];
/// Surnames across the frequency list: top, frequent and rare tiers.
const WIDE_SURNAMES: &[&str] = &[
    "洪", "赖", "邓", "覃", "佘", "揭", "晏", "萧", "庹", "訾", "阚", "郜", "上官",
];

fn wide_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(WIDE_SURNAMES), rng.pick(GIVEN2))
}

fn letter(rng: &mut Rng) -> char {
    char::from(b"ABCDEFGHJKLMNPQRSTUVWXYZ"[rng.below(24) as usize])
}

fn estate_address(rng: &mut Rng) -> String {
    let city = rng.pick(&[
        "北京市昌平区",
        "北京市朝阳区",
        "天津市西青区",
        "成都市郫都区",
        "",
    ]);
    match rng.below(3) {
        0 => format!(
            "{city}{}{}家园{}区{}侧",
            rng.pick(&["回龙观", "望京", "天通苑", "大悦城"]),
            rng.pick(&["龙泽", "西园", "华清", "和谐"]),
            rng.pick(&["一", "二", "三", "四", "五"]),
            rng.pick(&["东", "南", "西", "北"])
        ),
        1 => format!(
            "{}{}中心{}座",
            rng.pick(&[
                "深圳市南山区",
                "上海市徐汇区",
                "杭州市滨江区",
                "广州市天河区"
            ]),
            rng.pick(&["科技园创新", "漕河泾商务", "星光国际", "金融城环球"]),
            letter(rng)
        ),
        _ => format!(
            "{city}{}家园{}期{}号楼",
            rng.pick(&["幸福", "阳光", "翠湖", "锦绣"]),
            1 + rng.below(4),
            1 + rng.below(30)
        ),
    }
}

fn service_note(rng: &mut Rng) -> String {
    let n = name(rng);
    match rng.below(8) {
        0 | 1 => format!(
            "客户{n}来电，要求修改收货地址为{}，联系电话{}",
            address(rng),
            mobile_digits(rng)
        ),
        2 => format!("车主{n}反映车辆异响，已预约到店检查"),
        3 => format!("{{\"姓名\":\"{n}\",\"手机\":\"{}\"}}", mobile_digits(rng)),
        4 => format!("收货人：{n}，地址：{}", address(rng)),
        5 => format!("用户{n}投诉配送延迟，要求送到{}", estate_address(rng)),
        6 => "客户王先生来电咨询保养价格，已回复。".to_owned(),
        _ => "客户要求周末送货，不要提前打电话。".to_owned(),
    }
}

fn notice(rng: &mut Rng) -> String {
    rng.pick(&[
        "客户满意度调查已完成，感谢支持。",
        "用户协议已更新，请查收。",
        "会员等级调整为黄金会员。",
        "收货地址为空，请补充。",
        "配送至门店自提点，请凭码取件。",
        "客户李女士来电咨询，已转售后。",
        "联系人：待定，后续补充。",
    ])
    .to_owned()
}

fn c_permit(rng: &mut Rng) -> String {
    format!("C{}{}", letter(rng), rng.digits(7))
}

pub(crate) fn columns(n: usize) -> Vec<Column> {
    let r = &mut Rng(0x0069_7373_7565_3137);
    vec![
        // ---- weak identifiers, pinyin-initial names
        column(
            r,
            "c_pp_e8",
            "Utf8",
            &["pi.passport"],
            "column evidence: E+8-digit passports, no name",
            n,
            |r| format!("E{}", r.digits(8)),
        ),
        column(
            r,
            "c_pp_g8",
            "Utf8",
            &["pi.passport"],
            "column evidence: G+8-digit passports, no name",
            n,
            |r| format!("G{}", r.digits(8)),
        ),
        column(
            r,
            "c_cp",
            "Utf8",
            &["pi.travel_permit"],
            "column evidence: C+letter+7 permits, no name",
            n,
            c_permit,
        ),
        column(
            r,
            "hzhm",
            "Utf8",
            &["pi.passport"],
            "pinyin-initial name, E+8 and G+8",
            n,
            |r| format!("{}{}", r.pick(&["E", "G"]), r.digits(8)),
        ),
        column(
            r,
            "gatxz",
            "Utf8",
            &["pi.travel_permit"],
            "pinyin-initial name, C permits",
            n,
            |r| {
                if r.chance(50) {
                    c_permit(r)
                } else {
                    format!("C{}", r.digits(8))
                }
            },
        ),
        column(
            r,
            "jszh",
            "Utf8",
            &["pi.cn_resident_id"],
            "driving-licence numbers are citizen numbers",
            n,
            resident_id,
        ),
        column(
            r,
            "sku_code",
            "Utf8",
            &[],
            "E + running numbers (product codes)",
            n,
            {
                let mut next = 10_000_000u64;
                move |r| {
                    next += 1 + r.below(5);
                    format!("E{next}")
                }
            },
        ),
        column(
            r,
            "ticket_no",
            "Utf8",
            &[],
            "G + yymmdd + counter",
            n,
            |r| format!("G2405{:02}{:02}", 1 + r.below(28), r.below(100)),
        ),
        column(r, "batch", "Utf8", &[], "five K+8 codes repeated", n, |r| {
            r.pick(&[
                "K20481733",
                "K55120964",
                "K90311208",
                "K17730455",
                "K66402981",
            ])
            .to_owned()
        }),
        // ---- UnionPay 81 range, IPv6 loopback
        column(
            r,
            "c_card81",
            "Utf8",
            &["pi.bank_card"],
            "UnionPay 81-range cards",
            n,
            |r| {
                let len = [16, 17, 18, 19][r.below(4) as usize];
                with_luhn(&format!("81{}", r.digits(len - 3)))
            },
        ),
        column(
            r,
            "c_ip6",
            "Utf8",
            &["pi.ip_address"],
            "IPv6 with loopback",
            n,
            |r| {
                if r.chance(30) {
                    "::1".to_owned()
                } else {
                    format!("2001:db8:{:x}::{:x}", r.below(65536), 1 + r.below(65535))
                }
            },
        ),
        // ---- telematics storage forms
        column(
            r,
            "latitude",
            "Int32",
            &["geo.coordinate"],
            "JT/T 808 latitude, 1e-6 degrees",
            n,
            |r| (22_000_000 + r.below(18_000_000)).to_string(),
        ),
        column(
            r,
            "lng_e7",
            "Int64",
            &["geo.coordinate"],
            "longitude, 1e-7 degrees",
            n,
            |r| (1_030_000_000 + r.below(190_000_000)).to_string(),
        ),
        column(
            r,
            "wd",
            "Int32",
            &[],
            "temperatures (wd also abbreviates 纬度)",
            n,
            |r| (r.below(45)).to_string(),
        ),
        column(r, "gps_ms", "Int64", &[], "epoch milliseconds", n, |r| {
            (1_700_000_000_000u64 + r.below(100_000_000_000)).to_string()
        }),
        // ---- names: vocabulary and surnames across the frequency list
        column(
            r,
            "c_nm_wide",
            "Utf8",
            &["pi.name"],
            "surnames of all tiers",
            n,
            wide_name,
        ),
        column(r, "member_level", "Utf8", &[], "membership tiers", n, |r| {
            r.pick(&[
                "黄金会员",
                "白金会员",
                "钻石会员",
                "银卡会员",
                "金卡会员",
                "普通会员",
                "高级会员",
                "铂金会员",
            ])
            .to_owned()
        }),
        column(
            r,
            "c_slogan",
            "Utf8",
            &[],
            "four-character idioms",
            n,
            |r| {
                r.pick(&[
                    "马到成功",
                    "龙马精神",
                    "万事如意",
                    "安居乐业",
                    "金玉满堂",
                    "司空见惯",
                    "百里挑一",
                    "高枕无忧",
                    "和气生财",
                    "平安喜乐",
                ])
                .to_owned()
            },
        ),
        column(
            r,
            "c_prod",
            "Utf8",
            &[],
            "product and protocol names",
            n,
            |r| {
                r.pick(&[
                    "安全协议",
                    "蓝牙协议",
                    "宋体",
                    "楷体",
                    "华为云",
                    "车载终端",
                    "车主服务",
                    "万能险",
                    "余额宝",
                    "花呗",
                    "黄金周",
                    "龙卡",
                    "房贷",
                    "年卡",
                ])
                .to_owned()
            },
        ),
        // ---- prose and estate addresses
        column(
            r,
            "service_note",
            "Utf8",
            &["pi.name", "pi.address", "pi.mobile_phone"],
            "notes with names, addresses and phones in prose",
            n,
            service_note,
        ),
        column(
            r,
            "notice",
            "Utf8",
            &[],
            "notes with cue words but no name or address",
            n,
            notice,
        ),
        column(
            r,
            "c_estate",
            "Utf8",
            &["pi.address"],
            "estate and building addresses without road or 号",
            n,
            estate_address,
        ),
        column(
            r,
            "meeting_room",
            "Utf8",
            &[],
            "building wings and rooms",
            n,
            |r| {
                format!(
                    "{}中心{}座{}楼会议室",
                    r.pick(&["研发", "客服", "数据"]),
                    letter(r),
                    1 + r.below(20)
                )
            },
        ),
        // ---- GB/T 3304 ethnicity codes: only under an ethnicity name
        column(
            r,
            "mzdm",
            "Utf8",
            &["pi.ethnicity"],
            "GB/T 3304 two-digit codes",
            n,
            ethnicity_code,
        ),
        column(
            r,
            "ethnic_code",
            "Utf8",
            &["pi.ethnicity"],
            "GB/T 3304 codes, mostly 01",
            n,
            |r| {
                if r.chance(85) {
                    "01".to_owned()
                } else {
                    ethnicity_code(r)
                }
            },
        ),
        column(
            r,
            "class_no",
            "Utf8",
            &[],
            "two-digit class numbers (no ethnicity name)",
            n,
            |r| format!("{:02}", 1 + r.below(56)),
        ),
        column(
            r,
            "nation_code",
            "Utf8",
            &[],
            "GB/T 2659 numeric country codes under an ethnicity-like name",
            n,
            |r| {
                r.pick(&["156", "344", "446", "158", "840", "392"])
                    .to_owned()
            },
        ),
    ]
}

/// A GB/T 3304 code: 01–56, and now and then 97 (other) or 98 (foreign-born).
fn ethnicity_code(r: &mut Rng) -> String {
    match r.below(20) {
        0 => "97".to_owned(),
        1 => "98".to_owned(),
        _ => format!("{:02}", 1 + r.below(56)),
    }
}
