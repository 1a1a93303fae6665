use std::collections::HashSet;
use std::sync::LazyLock;

use crate::builtin::mask_middle;
use crate::{ids, CategoryInfo, Classifier, VEHICLE_ART3_ITEM_5};

macro_rules! doc_text {
    () => {
        r#"Chinese personal name (姓名).

## What it detects

* Names of two to four Han characters that start with a common surname: an
  embedded list of about 400 frequent single-character surnames (the top
  100 alone cover roughly 85 % of registered residents) and about 50
  compound surnames such as 欧阳, 司马, 上官, 诸葛. A single surname is
  followed by one to three characters, a compound surname by one or two.
* Transliterated minority names written with a middle dot, such as
  `阿依古丽·买买提` (two or three parts of Han characters), with weight 0.7
  because there is no surname to check.

Values that are names of ethnic groups (蒙古, 哈萨克 …) or that end like a
place or organisation (市, 省, 县, 区, 路, 街, 公司,
集团, 银行, 店, 局, 厂, 医院 …), well-known place names (北京, 成都, 武汉 …),
common words that begin with a surname character (周一, 金额 …), and values
that contain function words (的, 了, 是 …) or characters of medical terms
(血, 病, 症, 炎 … as in 高血压) are rejected.
Four-character names with a single-character surname count 0.7.

Because many ordinary words also begin with a surname character (高速,
黄金, 周一), a column needs 70 % of its values to confirm, or 40 % when the
column name looks like a person's name (姓名, xm, full_name, customer_name,
持卡人 …); names such as `company_name`, `product_name` or `city_name` are
not hints.

## Why it matters

A name is the most basic piece of personal information and, combined with
any other identifier in the same table, makes the rows identifiable. Name
columns also drive the count of distinct persons for volume thresholds.

## Examples

* `张三`, `王小明`, `欧阳娜娜`, `司马懿`, `阿依古丽·买买提`
* Rejected: `上海`, `杭州市`, `北京星辰科技有限公司`, `人民路`, `中国银行`.
* Evidence is masked as `张**` (only the first character is kept).

## Known false positives

* Two- or three-character words that start with a surname character
  (`高速`, `金额`, `马上`), especially in short label columns.
* Names of historical figures or fictional characters in content tables.
* Tibetan and other names without a surname are missed unless written with
  a middle dot.
"#
    };
}

#[doc = doc_text!()]
#[derive(Debug, Clone, Copy, Default)]
pub struct PersonName;

/// Frequent single-character surnames, roughly in order of frequency.
const SINGLE_SURNAMES: &str = concat!(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈",
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔",
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕",
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚",
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池",
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴",
    "盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊母裘亓修邰赫杭况那宿",
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由晏钮",
    "贲蓬顿訾蒯逄凤郦褚缑充雒鲜邴暴糜弓卢",
);

/// Compound (two-character) surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "宇文", "司徒",
    "司空", "夏侯", "公孙", "轩辕", "端木", "西门", "南宫", "独孤", "澹台", "公冶", "太史", "申屠",
    "呼延", "万俟", "钟离", "闻人", "赫连", "拓跋", "百里", "东郭", "第五", "淳于", "单于", "濮阳",
    "左丘", "谷梁", "宗政", "羊舌", "微生", "梁丘", "公良", "乐正", "漆雕", "壤驷", "公西", "巫马",
    "司寇", "仲孙", "鲜于", "闾丘", "子车", "亓官", "颛孙", "哥舒",
];

/// Endings that mark places and organisations rather than people.
const BAD_SUFFIXES: &[&str] = &[
    "公司",
    "集团",
    "银行",
    "分行",
    "支行",
    "中心",
    "学校",
    "大学",
    "学院",
    "医院",
    "酒店",
    "宾馆",
    "餐厅",
    "超市",
    "商场",
    "广场",
    "大厦",
    "小区",
    "花园",
    "有限",
    "股份",
    "协会",
    "政府",
    "委员会",
    "市",
    "省",
    "县",
    "区",
    "镇",
    "乡",
    "村",
    "路",
    "街",
    "巷",
    "号",
    "楼",
    "室",
    "厂",
    "局",
    "店",
    "院",
    "所",
    "部",
    "处",
    "厅",
    "社",
    "站",
    "馆",
    "州",
    "队",
    "组",
    "科技",
    "网络",
    "贸易",
    // Ethnic groups (汉族, 白族 …).
    "族",
];

/// Place names and everyday words that start with a surname character and
/// are easy to mistake for names.
const PLACES: &[&str] = &[
    "北京",
    "上海",
    "天津",
    "重庆",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "苏州",
    "成都",
    "武汉",
    "西安",
    "郑州",
    "长沙",
    "沈阳",
    "青岛",
    "宁波",
    "厦门",
    "福州",
    "济南",
    "合肥",
    "昆明",
    "南昌",
    "贵阳",
    "南宁",
    "太原",
    "石家庄",
    "哈尔滨",
    "长春",
    "大连",
    "无锡",
    "佛山",
    "东莞",
    "温州",
    "兰州",
    "海口",
    "三亚",
    "拉萨",
    "银川",
    "西宁",
    "乌鲁木齐",
    "呼和浩特",
    "香港",
    "澳门",
    "台湾",
    "台北",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "中国",
    "全国",
    "华东",
    "华南",
    "华北",
    "华中",
    "西南",
    "西北",
    "东北",
    "海外",
    "国内",
    "国外",
    // Everyday words that start with a surname character.
    "周一",
    "周二",
    "周三",
    "周四",
    "周五",
    "周六",
    "周日",
    "周末",
    "高速",
    "高级",
    "高中",
    "金额",
    "金融",
    "黄金",
    "马上",
    "方法",
    "方向",
    "方式",
    "王国",
    "石油",
    "安全",
    "平安",
    "明天",
    "明细",
    "文件",
    "文化",
    "国家",
    "国际",
    "海关",
    "时间",
    "成功",
    "成本",
    "江湖",
    "白色",
    "黄色",
    "蓝色",
    "万元",
    "余额",
    "利息",
    "利润",
    "费用",
    "项目",
    "管理",
    "车辆",
    "路线",
    "华为",
    "龙头",
    "史上",
];

/// Characters that practically never occur in a given name but are common
/// in words and phrases.
const FUNCTION_CHARS: &str = concat!(
    "的了是我你他她它们这那个么吗呢吧啊不没在和与及或等把被让给从对向以为就都也还又很最更元件次条份年月日时分秒",
    // Medical words that start with a surname character (高血压, 白血病).
    "血病症炎癌痛药疗诊压糖尿肿瘤疹伤菌毒",
);

struct Tables {
    single: HashSet<char>,
    compound: HashSet<&'static str>,
    places: HashSet<&'static str>,
    function: HashSet<char>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| Tables {
    single: SINGLE_SURNAMES.chars().collect(),
    compound: COMPOUND_SURNAMES.iter().copied().collect(),
    places: PLACES.iter().copied().collect(),
    function: FUNCTION_CHARS.chars().collect(),
});

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2EBEF}')
}

fn is_dot(c: char) -> bool {
    matches!(c, '·' | '•' | '・')
}

impl PersonName {
    fn confirm_plain(value: &str, t: &Tables) -> Option<f64> {
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        if !(2..=4).contains(&n) || !chars.iter().all(|&c| is_han(c)) {
            return None;
        }
        if t.places.contains(value)
            || BAD_SUFFIXES.iter().any(|s| value.ends_with(s))
            || crate::builtin::ethnicity::is_group_name(value)
        {
            return None;
        }
        if chars[1..].iter().any(|c| t.function.contains(c)) {
            return None;
        }
        let prefix2: String = chars[..2].iter().collect();
        if n >= 3 && t.compound.contains(prefix2.as_str()) {
            return Some(1.0);
        }
        if t.single.contains(&chars[0]) {
            return Some(if n == 4 { 0.7 } else { 1.0 });
        }
        None
    }

    fn confirm_dotted(value: &str, t: &Tables) -> Option<f64> {
        let parts: Vec<&str> = value.split(is_dot).collect();
        if !(2..=3).contains(&parts.len()) || value.chars().count() > 16 {
            return None;
        }
        for p in &parts {
            let n = p.chars().count();
            if !(1..=8).contains(&n) || !p.chars().all(is_han) {
                return None;
            }
            if t.places.contains(p) || BAD_SUFFIXES.iter().any(|s| p.ends_with(s)) {
                return None;
            }
        }
        Some(0.7)
    }
}

impl Classifier for PersonName {
    fn info(&self) -> CategoryInfo {
        CategoryInfo::new(ids::NAME, "姓名", "Personal name")
            .personal("个人基本资料")
            .vehicle(VEHICLE_ART3_ITEM_5)
    }

    fn value_pattern(&self) -> Option<&str> {
        Some(r"\p{Han}{2,4}|\p{Han}{1,8}(?:[·•・]\p{Han}{1,8}){1,2}")
    }

    fn confirm(&self, value: &str) -> Option<f64> {
        let t = &*TABLES;
        if value.chars().any(is_dot) {
            Self::confirm_dotted(value, t)
        } else {
            Self::confirm_plain(value, t)
        }
    }

    fn column_hint(&self) -> Option<&str> {
        Some(concat!(
            "xm|xingming|khxm|lxr|lxrxm|ckr|ckrxm|sjr|shr|xm_cn",
            "|^name$|^name_(?:cn|zh|chs)$|^(?:cn|zh|chinese)_name$",
            "|(?:full|real|true|legal|person|personal|user|customer|cust|client|owner|holder|card_holder",
            "|cardholder|contact|contact_person|emergency_contact|patient|student|employee|emp|staff|member",
            "|driver|passenger|applicant|recipient|receiver|consignee|sender|guest|buyer|seller",
            "|first|last|given|family|middle)_name",
            "|fullname|realname|username_cn|card_holder|cardholder|account_holder|holder",
            "|姓名|联系人|持卡人|收件人|收货人|寄件人|户主|开户人",
        ))
    }

    fn min_ratio(&self) -> (f64, f64) {
        (0.7, 0.4)
    }

    fn mask(&self, value: &str) -> String {
        mask_middle(value, 1, 0)
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
    fn surname_tables() {
        let t = &*TABLES;
        assert!(t.single.len() >= 380, "{}", t.single.len());
        assert!(t.compound.len() >= 50);
        for s in ["王", "李", "张", "刘", "陈"] {
            assert!(t.single.contains(&s.chars().next().unwrap()));
        }
        for s in COMPOUND_SURNAMES {
            assert_eq!(s.chars().count(), 2, "{s}");
        }
    }

    #[test]
    fn accepts_names() {
        for v in [
            "张三",
            "王小明",
            "李娜",
            "欧阳娜娜",
            "司马懿",
            "诸葛亮",
            "上官婉儿",
            "陈一",
        ] {
            assert_eq!(PersonName.confirm(v), Some(1.0), "{v}");
        }
        assert_eq!(PersonName.confirm("张王丽华"), Some(0.7));
        assert_eq!(PersonName.confirm("阿依古丽·买买提"), Some(0.7));
        assert_eq!(PersonName.confirm("买买提•艾力"), Some(0.7));
    }

    #[test]
    fn rejects_non_names() {
        for v in [
            "上海",
            "杭州市",
            "北京",
            "成都",
            "武汉",
            "北京星辰科技有限公司",
            "人民路",
            "中国银行",
            "王府井店",
            "张家村",
            "李的",
            "周一",
            "张",
            "张三丰大侠",
            "Zhang San",
            "张3",
            "北京·朝阳区",
            "·张三",
            "张三·",
            "蒙古",
            "哈萨克",
            "白族",
            "高血压",
            "白血病",
        ] {
            assert_eq!(PersonName.confirm(v), None, "{v}");
        }
    }

    #[test]
    fn prefilter_covers_confirmed() {
        let re = Regex::new(&format!("^(?:{})$", PersonName.value_pattern().unwrap())).unwrap();
        for v in ["张三", "欧阳娜娜", "阿依古丽·买买提", "买买提•艾力"] {
            assert!(re.is_match(v), "{v}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(PersonName.mask("张三"), "张*");
        assert_eq!(PersonName.mask("王小明"), "王**");
        assert_eq!(PersonName.mask("欧阳娜娜"), "欧***");
    }
}
