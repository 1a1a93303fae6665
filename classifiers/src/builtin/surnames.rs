//! Chinese surnames by frequency, for [`super::person_name`].
//!
//! The single-character lists follow the published national frequency
//! rankings of household-registration names (the annual name reports of the
//! Ministry of Public Security's household administration research centre,
//! and the population-genetics surname studies they build on): the first
//! hundred cover about 85 % of registered residents, the next few hundred
//! most of the rest. The rare tier holds surnames of the traditional
//! 《百家姓》 and regional ones that still occur but are far less frequent;
//! characters that open everyday words far more often than names (水, 山,
//! 东, 红, 能, 双 …) are left out of it on purpose. Written for mulu from
//! those public facts; the order inside a tier is approximate.

/// The hundred most frequent single-character surnames, most frequent
/// first.
pub(crate) const TOP_100: &str = concat!(
    "王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林郑梁谢唐宋许冯邓韩曹曾彭肖蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任",
    "姚卢钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白毛江闫薛尹付段雷黎史龙钱贺陶顾龚郝邵万严洪赖武傅莫孔",
);

/// Frequent single-character surnames after the first hundred, roughly by
/// frequency.
pub(crate) const FREQUENT: &str = concat!(
    "阎覃向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童",
    "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦",
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明",
    "佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠",
    "豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊母裘亓修邰赫杭况",
    "那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由钮",
    "贲蓬顿訾蒯逄凤郦缑充雒邴暴糜弓",
);

/// Real but rare single-character surnames (traditional and regional).
pub(crate) const RARE: &str =
    "萧酆贝荀羿汲隗宓郗钭韶蓟鄂咸莘贡璩濮寿郏习宦庾暨弘殳蔚夔厍毋乜竺桓滑经昌庹綦";

/// Compound (two-character) surnames.
pub(crate) const COMPOUND: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "宇文", "司徒",
    "司空", "夏侯", "公孙", "轩辕", "端木", "西门", "南宫", "独孤", "澹台", "公冶", "太史", "申屠",
    "呼延", "万俟", "钟离", "闻人", "赫连", "拓跋", "百里", "东郭", "第五", "淳于", "单于", "濮阳",
    "左丘", "谷梁", "宗政", "羊舌", "微生", "梁丘", "公良", "乐正", "漆雕", "壤驷", "公西", "巫马",
    "司寇", "仲孙", "鲜于", "闾丘", "子车", "亓官", "颛孙", "哥舒",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn tiers_are_disjoint_and_sized() {
        let top: Vec<char> = TOP_100.chars().collect();
        assert_eq!(top.len(), 100);
        assert_eq!(&top[..5], &['王', '李', '张', '刘', '陈']);
        let mut seen = HashSet::new();
        for c in TOP_100.chars().chain(FREQUENT.chars()).chain(RARE.chars()) {
            assert!(seen.insert(c), "{c} listed twice");
        }
        assert!(seen.len() >= 440, "{}", seen.len());
        // Top-hundred surnames that an earlier hand list lacked.
        for c in ['洪', '赖'] {
            assert!(top.contains(&c));
        }
        for s in COMPOUND {
            assert_eq!(s.chars().count(), 2, "{s}");
        }
    }
}
