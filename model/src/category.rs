//! Category ids: the names every crate uses for what a column or table holds.

use std::borrow::{Borrow, Cow};
use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable category id such as `pi.cn_resident_id` or `vehicle.trajectory`.
///
/// Built-in ids are `const` ([`ids`]), so a typo is a compile error instead of a category that
/// silently never matches; ids from company classifier files are owned strings.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CategoryId(Cow<'static, str>);

impl CategoryId {
    /// An id known at compile time.
    pub const fn from_static(id: &'static str) -> Self {
        CategoryId(Cow::Borrowed(id))
    }

    /// An id read at run time (a custom classifier, a rules file, a report).
    pub fn new(id: impl Into<String>) -> Self {
        CategoryId(Cow::Owned(id.into()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the first dot (`pi`, `vehicle`, `geo`, `org`), which says which
    /// regulation the category falls under.
    pub fn domain(&self) -> &str {
        self.0.split_once('.').map_or(&self.0, |(d, _)| d)
    }

    /// Whether the id falls under the vehicle-data rules (`vehicle.*`).
    pub fn is_vehicle(&self) -> bool {
        self.domain() == "vehicle"
    }
}

impl fmt::Display for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Borrow<str> for CategoryId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for CategoryId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for CategoryId {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for CategoryId {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl From<&str> for CategoryId {
    fn from(id: &str) -> Self {
        CategoryId::new(id)
    }
}

impl From<String> for CategoryId {
    fn from(id: String) -> Self {
        CategoryId::new(id)
    }
}

/// The built-in category ids. Every crate names a built-in category through these.
pub mod ids {
    use super::CategoryId;

    macro_rules! ids {
        ($($(#[$doc:meta])* $name:ident = $id:literal;)*) => {
            $($(#[$doc])* pub const $name: CategoryId = CategoryId::from_static($id);)*
            /// Every built-in id, column-level and table-level.
            pub const ALL: &[CategoryId] = &[$($name),*];
        };
    }

    ids! {
        /// 居民身份证号 (GB 11643), including 9-prefixed foreign permanent-resident IDs.
        CN_RESIDENT_ID = "pi.cn_resident_id";
        /// 手机号码.
        MOBILE_PHONE = "pi.mobile_phone";
        /// 护照号.
        PASSPORT = "pi.passport";
        /// 港澳/台湾通行证号.
        TRAVEL_PERMIT = "pi.travel_permit";
        /// 电子邮箱.
        EMAIL = "pi.email";
        /// 姓名.
        NAME = "pi.name";
        /// 银行卡号.
        BANK_CARD = "pi.bank_card";
        /// 地址.
        ADDRESS = "pi.address";
        /// 出生日期.
        BIRTH_DATE = "pi.birth_date";
        /// 性别.
        GENDER = "pi.gender";
        /// 民族.
        ETHNICITY = "pi.ethnicity";
        /// 健康生理信息.
        HEALTH = "pi.health";
        /// 生物识别信息.
        BIOMETRIC = "pi.biometric";
        /// 设备标识.
        DEVICE_ID = "pi.device_id";
        /// IP 地址.
        IP_ADDRESS = "pi.ip_address";
        /// 统一社会信用代码 (an organisation, not a person).
        USCC = "org.uscc";
        /// 经纬度坐标.
        COORDINATE = "geo.coordinate";
        /// 车辆识别代号 (VIN).
        VIN = "vehicle.vin";
        /// 车牌号.
        LICENSE_PLATE = "vehicle.license_plate";
        /// 车辆轨迹 (table-level).
        TRAJECTORY = "vehicle.trajectory";
        /// 车流量 (table-level).
        TRAFFIC_FLOW = "vehicle.traffic_flow";
        /// 车外影像 (table-level).
        EXTERIOR_MEDIA = "vehicle.exterior_media";
        /// 座舱影像 (table-level).
        CABIN_MEDIA = "vehicle.cabin_media";
        /// 充电运营 (table-level).
        CHARGING_OPS = "vehicle.charging_ops";
        /// 用户输入数据: chat and prompt logs of a model service (table-level).
        AI_CHAT_LOG = "ai.chat_log";
        /// 训练数据: instruction-tuning sets (table-level).
        AI_INSTRUCTION_DATA = "ai.instruction_data";
        /// 训练数据: preference (chosen/rejected) sets (table-level).
        AI_PREFERENCE_DATA = "ai.preference_data";
        /// 训练数据: pre-training text shards (table-level).
        AI_PRETRAINING_CORPUS = "ai.pretraining_corpus";
        /// 测试数据: model evaluation sets and results (table-level).
        AI_EVALUATION_DATA = "ai.evaluation_data";
        /// 向量数据: embedding tables (table-level).
        AI_EMBEDDING = "ai.embedding";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_and_owned_ids_are_equal_and_serialise_as_text() {
        assert_eq!(ids::VIN, CategoryId::new("vehicle.vin"));
        assert_eq!(serde_json::to_string(&ids::VIN).unwrap(), "\"vehicle.vin\"");
        let back: CategoryId = serde_json::from_str("\"acme.work_permit\"").unwrap();
        assert_eq!(back, "acme.work_permit");
        assert_eq!(back.domain(), "acme");
        assert!(ids::TRAJECTORY.is_vehicle() && !ids::NAME.is_vehicle());
    }

    #[test]
    fn built_in_ids_are_unique() {
        let mut all: Vec<&str> = ids::ALL.iter().map(CategoryId::as_str).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), ids::ALL.len());
    }
}
