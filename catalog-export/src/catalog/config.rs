//! The organisation's `[organization]` and `[catalog]` configuration, and the person-supplied
//! fields it fills.

use serde::{Deserialize, Serialize};

/// Sector names that switch on the vehicle extension.
pub(super) const VEHICLE_SECTORS: &[&str] = &["车联网", "智能网联汽车", "汽车"];

/// `[organization]` in `mulu.toml`: the filing entity (备案主体).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// 单位名称.
    pub name: Option<String>,
    /// 统一社会信用代码 (checked with GB 32100).
    pub uscc: Option<String>,
    /// 所属领域: 电信/互联网, 工业, 车联网/智能网联汽车 …
    #[serde(default)]
    pub sectors: Vec<String>,
    /// 备案机关, e.g. 上海市通信管理局.
    pub filing_authority: Option<String>,
    /// 网络数据安全负责人 (NDSR Art. 30).
    pub security_officer: Option<Person>,
    /// 网络数据安全管理机构.
    pub security_body: Option<String>,
    /// 联系人.
    pub contact: Option<Person>,
}

/// A named person with contact details.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// 姓名.
    pub name: Option<String>,
    /// 职务.
    pub title: Option<String>,
    /// 电话.
    pub phone: Option<String>,
    /// 邮箱.
    pub email: Option<String>,
}

impl Organization {
    /// Whether the vehicle extension applies.
    pub fn is_vehicle(&self) -> bool {
        self.sectors
            .iter()
            .any(|s| VEHICLE_SECTORS.iter().any(|v| s.contains(v)))
    }
}

/// `[catalog]` in `mulu.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogConfig {
    /// Replaces the shipped item and rule set.
    pub rules_file: Option<std::path::PathBuf>,
    /// The organisation's own importance rules, added to the rule set.
    #[serde(default)]
    pub rules: Vec<crate::rules::RuleDef>,
    /// Person-supplied fields, matched to items; later rules override earlier ones field by
    /// field.
    #[serde(default)]
    pub fields: Vec<FieldRule>,
    /// Important sensitive areas (军事管理区, 国防科工单位, 县级以上党政机关) for Art. 3(1).
    #[serde(default)]
    pub geofences: Vec<Geofence>,
}

/// A sensitive area as a longitude/latitude box, in the datum of the scanned coordinates.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Geofence {
    /// A name people recognise (never printed with coordinates of persons).
    pub name: String,
    /// `[min_lng, min_lat, max_lng, max_lat]`.
    pub bbox: [f64; 4],
}

impl Geofence {
    /// Whether a point lies inside (edges included).
    pub fn contains(&self, lng: f64, lat: f64) -> bool {
        let [x0, y0, x1, y1] = self.bbox;
        (x0..=x1).contains(&lng) && (y0..=y1).contains(&lat)
    }
}

/// Which items a [`FieldRule`] fills. Every given pattern must match; patterns are globs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMatch {
    /// Item id, e.g. `vehicle-*`.
    pub item: Option<String>,
    /// A category id the item holds, e.g. `pi.*`.
    pub category: Option<String>,
    /// A carrier's source URL.
    pub source: Option<String>,
    /// A carrier's asset name.
    pub asset: Option<String>,
}

/// The fields only people know (§7.2 of the format), for the items a rule matches.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFields {
    /// 数据来源: 自行收集 / 业务产生 / 第三方提供 / 公开收集 and upstream systems.
    pub data_source: Option<String>,
    /// 处理目的.
    pub purposes: Option<String>,
    /// 处理方式: 收集、存储、使用、加工、传输、提供、公开、删除.
    pub processing: Option<String>,
    /// 使用范围.
    pub usage_scope: Option<String>,
    /// 责任主体 (department and person).
    pub owner: Option<String>,
    /// 对外共享/提供.
    pub external_sharing: Option<String>,
    /// 跨境传输.
    pub cross_border: Option<String>,
    /// 安全保护措施.
    pub protections: Option<String>,
    /// 存储地点.
    pub storage_location: Option<String>,
    /// 存储期限.
    pub retention: Option<String>,
}

/// Reads one person-supplied field.
pub type PersonFieldGetter = fn(&PersonFields) -> &Option<String>;

/// One person-supplied field: its label in the filing, its key in `[[catalog.fields]]`, and
/// its accessor.
pub struct PersonField {
    /// The filing's column label, e.g. `处理目的`.
    pub label: &'static str,
    /// The `[[catalog.fields]]` key that fills it, e.g. `purposes`.
    pub key: &'static str,
    /// Reads the field.
    pub get: PersonFieldGetter,
}

const fn field(label: &'static str, key: &'static str, get: PersonFieldGetter) -> PersonField {
    PersonField { label, key, get }
}

/// The fields of [`PersonFields`], in filing order.
pub const PERSON_FIELDS: &[PersonField] = &[
    field("数据来源", "data_source", |f| &f.data_source),
    field("存储地点", "storage_location", |f| &f.storage_location),
    field("存储期限", "retention", |f| &f.retention),
    field("处理目的", "purposes", |f| &f.purposes),
    field("处理方式", "processing", |f| &f.processing),
    field("使用范围", "usage_scope", |f| &f.usage_scope),
    field("责任主体", "owner", |f| &f.owner),
    field("对外共享/提供", "external_sharing", |f| {
        &f.external_sharing
    }),
    field("跨境传输", "cross_border", |f| &f.cross_border),
    field("安全保护措施", "protections", |f| &f.protections),
];

impl PersonFields {
    /// Fills every field `other` has, keeping the rest.
    pub(super) fn overlay(&mut self, other: &PersonFields) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f.clone(); } )* };
        }
        take!(
            data_source,
            purposes,
            processing,
            usage_scope,
            owner,
            external_sharing,
            cross_border,
            protections,
            storage_location,
            retention
        );
    }
}

/// `[[catalog.fields]]`: fills person-supplied fields of matching items.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// Which items.
    #[serde(rename = "match", default)]
    pub matches: FieldMatch,
    /// The values.
    #[serde(flatten)]
    pub fields: PersonFields,
}
