//! Avro object container files, read as generic values through `apache-avro`: Iceberg keeps
//! its manifest lists and manifests in them (only the fields a reader needs are looked up by
//! name, so the optional fields writers add cost nothing), and `.avro` data files are tables
//! whose records are read like JSON objects, one at a time.

use std::io::Read;

use apache_avro::types::Value;

use crate::json_records::{ReadFailure, Record, Records};

/// The records of an Avro object container file, one at a time.
///
/// # Errors
/// A header that is not Avro's (wrong magic, unknown codec).
pub(crate) fn records(
    bytes: &[u8],
) -> Result<impl Iterator<Item = Result<Value, String>> + '_, String> {
    let reader = apache_avro::Reader::new(bytes).map_err(|e| format!("not an Avro file: {e}"))?;
    Ok(reader.map(|record| record.map_err(|e| format!("a corrupt Avro record: {e}"))))
}

/// A record's field by name, a union's branch unwrapped; `None` when absent or null.
pub(crate) fn field<'a>(record: &'a Value, name: &str) -> Option<&'a Value> {
    let Value::Record(fields) = record else {
        return None;
    };
    let value = fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)?;
    match branch(value) {
        Value::Null => None,
        value => Some(value),
    }
}

fn branch(value: &Value) -> &Value {
    match value {
        Value::Union(_, inner) => branch(inner),
        value => value,
    }
}

/// An `int` or `long` field.
pub(crate) fn long(record: &Value, name: &str) -> Option<i64> {
    match field(record, name)? {
        Value::Long(n) => Some(*n),
        Value::Int(n) => Some(i64::from(*n)),
        _ => None,
    }
}

/// A `string` field.
pub(crate) fn text<'a>(record: &'a Value, name: &str) -> Option<&'a str> {
    match field(record, name)? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// The records of an `.avro` data file as JSON objects, for the JSON row builder.
pub(crate) struct AvroRecords<R: Read> {
    reader: apache_avro::Reader<'static, R>,
    /// Whether the bytes are the whole file; a sample's window ends inside a block.
    complete: bool,
    read: u64,
}

impl<R: Read> AvroRecords<R> {
    /// Reads the header (schema and codec).
    ///
    /// # Errors
    /// The bytes do not start with an Avro header.
    pub(crate) fn new(bytes: R, complete: bool) -> Result<Self, String> {
        let reader =
            apache_avro::Reader::new(bytes).map_err(|e| format!("not an Avro file: {e}"))?;
        Ok(Self {
            reader,
            complete,
            read: 0,
        })
    }
}

impl<R: Read> Records for AvroRecords<R> {
    fn next_record(&mut self) -> Result<Option<Record>, ReadFailure> {
        match self.reader.next() {
            None => Ok(None),
            // The window of a sample ends in the middle of a block: the records end there.
            Some(Err(_)) if !self.complete => Ok(None),
            Some(Err(e)) => Err(ReadFailure::Invalid(format!(
                "a corrupt Avro block after record {}: {e}",
                self.read
            ))),
            Some(Ok(value)) => {
                self.read += 1;
                let at = self.read;
                Ok(Some(match serde_json::Value::try_from(value) {
                    Ok(serde_json::Value::Object(map)) => Record::Object(map),
                    Ok(_) => Record::Skipped { at, error: None },
                    Err(e) => Record::Skipped {
                        at,
                        error: Some(format!("record {at}: {e}")),
                    },
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_through_unions() {
        let record = Value::Record(vec![
            ("a".into(), Value::Union(1, Box::new(Value::Long(7)))),
            ("b".into(), Value::Union(0, Box::new(Value::Null))),
            ("c".into(), Value::String("x".into())),
            ("d".into(), Value::Int(3)),
        ]);
        assert_eq!(long(&record, "a"), Some(7));
        assert_eq!(long(&record, "b"), None);
        assert_eq!(long(&record, "d"), Some(3));
        assert_eq!(text(&record, "c"), Some("x"));
        assert_eq!(text(&record, "missing"), None);
    }

    #[test]
    fn a_file_that_is_not_avro_is_an_error() {
        assert!(records(b"PAR1 not avro").is_err());
    }
}
