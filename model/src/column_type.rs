//! Column types: a source's declared type, read once into the family that classifiers reason
//! about.

use std::fmt;

use arrow_schema::DataType;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What kind of values a declared type can hold, as far as classification cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeFamily {
    /// No declared type (a free-form file column, an untyped SQLite column).
    Unknown,
    /// Character data: `Utf8`, `varchar`, `text`, `json`, `clob`.
    Text,
    /// Integers, floats and decimals.
    Numeric,
    /// Dates, times and timestamps.
    Time,
    /// Bytes: `Binary`, `blob`, `bytea`.
    Binary,
    /// Spatial types: `geometry`, `point`.
    Geometry,
    /// Anything else (`boolean`, `uuid`, lists, structs).
    Other,
}

/// A column's type as its source declares it, with its [`TypeFamily`].
///
/// Built once, where the type is known: [`ColumnType::from_arrow`] for Arrow schemas,
/// [`ColumnType::parse`] for a declared name (a SQL type, or Arrow's notation in a stored
/// report). Serialises as the declared name.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ColumnType {
    declared: String,
    family: TypeFamily,
}

impl ColumnType {
    /// No declared type.
    pub fn unknown() -> Self {
        ColumnType {
            declared: String::new(),
            family: TypeFamily::Unknown,
        }
    }

    /// The type of an Arrow field, shown in Arrow's notation (`Utf8`, `Int64`).
    pub fn from_arrow(data_type: &DataType) -> Self {
        ColumnType {
            declared: data_type.to_string(),
            family: arrow_family(data_type),
        }
    }

    /// A declared type name in SQL (`varchar(20)`, `double precision`, `Nullable(DateTime64(3))`)
    /// or Arrow notation (`Timestamp(Millisecond, None)`).
    pub fn parse(declared: &str) -> Self {
        ColumnType {
            declared: declared.trim().to_owned(),
            family: name_family(declared),
        }
    }

    /// The declared name, `""` when unknown.
    pub fn declared(&self) -> &str {
        &self.declared
    }

    /// The family the declared type belongs to.
    pub fn family(&self) -> TypeFamily {
        self.family
    }

    /// Whether a declared type is known.
    pub fn is_known(&self) -> bool {
        self.family != TypeFamily::Unknown
    }
}

impl Default for ColumnType {
    fn default() -> Self {
        ColumnType::unknown()
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.declared)
    }
}

impl fmt::Debug for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({:?})", self.declared, self.family)
    }
}

impl From<&str> for ColumnType {
    fn from(declared: &str) -> Self {
        ColumnType::parse(declared)
    }
}

impl From<&DataType> for ColumnType {
    fn from(data_type: &DataType) -> Self {
        ColumnType::from_arrow(data_type)
    }
}

impl Serialize for ColumnType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.declared)
    }
}

impl<'de> Deserialize<'de> for ColumnType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let declared = String::deserialize(deserializer)?;
        Ok(ColumnType::parse(&declared))
    }
}

fn arrow_family(data_type: &DataType) -> TypeFamily {
    use DataType as T;
    match data_type {
        T::Null => TypeFamily::Unknown,
        T::Utf8 | T::LargeUtf8 | T::Utf8View => TypeFamily::Text,
        T::Int8
        | T::Int16
        | T::Int32
        | T::Int64
        | T::UInt8
        | T::UInt16
        | T::UInt32
        | T::UInt64
        | T::Float16
        | T::Float32
        | T::Float64
        | T::Decimal32(..)
        | T::Decimal64(..)
        | T::Decimal128(..)
        | T::Decimal256(..) => TypeFamily::Numeric,
        T::Date32 | T::Date64 | T::Timestamp(..) | T::Time32(_) | T::Time64(_) => TypeFamily::Time,
        T::Binary | T::LargeBinary | T::BinaryView | T::FixedSizeBinary(_) => TypeFamily::Binary,
        T::Dictionary(_, values) => arrow_family(values),
        _ => TypeFamily::Other,
    }
}

/// The one parser for declared type names: the base name decides when it is a known SQL or
/// Arrow type; otherwise words inside the name do (`Dictionary(Int32, Utf8)` is text).
fn name_family(declared: &str) -> TypeFamily {
    let mut t = declared.trim().to_ascii_lowercase();
    if t.is_empty() {
        return TypeFamily::Unknown;
    }
    for wrapper in ["nullable(", "lowcardinality(", "unsigned "] {
        while let Some(rest) = t.strip_prefix(wrapper) {
            t = rest.to_owned();
        }
    }
    let base: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match base.as_str() {
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "int2" | "int4"
        | "int8" | "int16" | "int32" | "int64" | "int128" | "uint8" | "uint16" | "uint32"
        | "uint64" | "float" | "float2" | "float4" | "float8" | "float16" | "float32"
        | "float64" | "double" | "real" | "decimal" | "decimal32" | "decimal64" | "decimal128"
        | "decimal256" | "numeric" | "number" | "dec" | "long" | "short" | "serial"
        | "bigserial" | "money" => TypeFamily::Numeric,
        "date" | "date32" | "date64" | "datetime" | "datetime2" | "datetime64"
        | "datetimeoffset" | "smalldatetime" | "timestamp" | "timestamptz" | "timestamp_ntz"
        | "timestamp_ltz" | "timestamp_tz" | "time" | "time32" | "time64" | "timetz" => {
            TypeFamily::Time
        }
        "blob" | "tinyblob" | "mediumblob" | "longblob" | "bytea" | "binary" | "varbinary"
        | "largebinary" | "fixedsizebinary" | "binaryview" | "image" | "raw" | "bytes" => {
            TypeFamily::Binary
        }
        "geometry" | "geography" | "point" | "multipoint" | "linestring" | "polygon"
        | "st_geometry" | "sdo_geometry" => TypeFamily::Geometry,
        "utf8" | "largeutf8" | "utf8view" | "char" | "varchar" | "nchar" | "nvarchar"
        | "varchar2" | "nvarchar2" | "character" | "text" | "tinytext" | "mediumtext"
        | "longtext" | "string" | "json" | "jsonb" | "clob" | "nclob" | "citext" => {
            TypeFamily::Text
        }
        "boolean" | "bool" | "bit" | "uuid" | "enum" | "set" | "interval" | "null" => {
            TypeFamily::Other
        }
        _ => contained_family(&t),
    }
}

/// For wrapped and unknown names: the first family whose word appears inside.
fn contained_family(t: &str) -> TypeFamily {
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["binary", "blob", "bytea", "bytes"]) {
        TypeFamily::Binary
    } else if has(&["utf8", "char", "text", "string", "json", "clob"]) {
        TypeFamily::Text
    } else if has(&[
        "int", "float", "double", "decimal", "numeric", "real", "number",
    ]) {
        TypeFamily::Numeric
    } else {
        TypeFamily::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_schema::TimeUnit;

    #[test]
    fn arrow_types_and_their_printed_names_agree() {
        for dt in [
            DataType::Utf8,
            DataType::Int64,
            DataType::Float64,
            DataType::Binary,
            DataType::Date32,
            DataType::Timestamp(TimeUnit::Millisecond, None),
            DataType::Decimal128(10, 2),
            DataType::FixedSizeBinary(16),
            DataType::Boolean,
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        ] {
            let typed = ColumnType::from_arrow(&dt);
            let parsed = ColumnType::parse(&dt.to_string());
            assert_eq!(typed.family(), parsed.family(), "{dt}");
        }
    }

    #[test]
    fn sql_names() {
        let f = |s: &str| ColumnType::parse(s).family();
        assert_eq!(f("varchar(20)"), TypeFamily::Text);
        assert_eq!(f("character varying"), TypeFamily::Text);
        assert_eq!(f("double precision"), TypeFamily::Numeric);
        assert_eq!(f("Nullable(DateTime64(3))"), TypeFamily::Time);
        assert_eq!(f("unsigned bigint"), TypeFamily::Numeric);
        assert_eq!(f("longblob"), TypeFamily::Binary);
        assert_eq!(f("point"), TypeFamily::Geometry);
        assert_eq!(f("interval"), TypeFamily::Other);
        assert_eq!(f(""), TypeFamily::Unknown);
    }

    #[test]
    fn serialises_as_the_declared_name() {
        let t = ColumnType::from_arrow(&DataType::Int64);
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"Int64\"");
        let back: ColumnType = serde_json::from_str("\"Int64\"").unwrap();
        assert_eq!(back, t);
    }
}
