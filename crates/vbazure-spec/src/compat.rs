//! Which values a receiver accepts from a sender, by type, format and nullability: the rules
//! `conform` (a consumer's document against its provider's) and `diff` (an old version against
//! a new one) share, so that both judge a change the same way.

use serde_json::Value;

/// Formats the generated client decodes into a type of their own (a timestamp, a UUID, a sized
/// number): a value outside the format fails to decode, or a server refuses it. Other formats
/// (`password`, `email`, `uri`, ...) are strings to the client and hints to the server.
const DECODED: [&str; 17] = [
    "date-time",
    "date",
    "uuid",
    "time-span",
    "ip",
    "ipv4",
    "ipv6",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float",
    "double",
];

/// Whether a value of the sender's format always fits the receiver's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FormatFit {
    /// It fits: the same format, a wider one, or one the receiver does not decode.
    Fits,
    /// The receiver decodes a format and the sender names none: it may or may not fit.
    Unknown,
    /// The receiver decodes a format the sender's values do not have.
    Misfit,
}

/// Integer and number formats by width: a sender's narrower value fits a wider receiver.
fn width(format: &str) -> Option<(&'static str, u8)> {
    Some(match format {
        "int8" => ("int", 8),
        "int16" => ("int", 16),
        "int32" => ("int", 32),
        "int64" => ("int", 64),
        "uint8" => ("uint", 8),
        "uint16" => ("uint", 16),
        "uint32" => ("uint", 32),
        "uint64" => ("uint", 64),
        "float" => ("float", 32),
        "double" => ("float", 64),
        _ => return None,
    })
}

/// Whether values the sender describes with `sender` fit a receiver that reads `receiver`.
pub(crate) fn format_fit(receiver: Option<&str>, sender: Option<&str>) -> FormatFit {
    let Some(receiver) = receiver.filter(|f| DECODED.contains(f)) else {
        return FormatFit::Fits;
    };
    let Some(sender) = sender else {
        return FormatFit::Unknown;
    };
    if sender == receiver {
        return FormatFit::Fits;
    }
    match (width(sender), width(receiver)) {
        (Some((family, narrow)), Some((same, wide))) if family == same && narrow <= wide => {
            FormatFit::Fits
        }
        // An unsigned value fits a signed integer twice as wide.
        (Some(("uint", narrow)), Some(("int", wide))) if narrow < wide => FormatFit::Fits,
        _ => FormatFit::Misfit,
    }
}

/// Whether a schema allows null: `nullable: true`, or a `type` list with `"null"` (OpenAPI 3.1).
pub(crate) fn nullable_of(value: &Value) -> bool {
    value.get("nullable") == Some(&Value::Bool(true))
        || value
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|t| t.iter().any(|v| v == "null"))
}

/// Whether a receiver of JSON type `receiver` accepts a value of type `sender` (an integer is
/// a number; nothing else converts).
pub(crate) fn type_accepts(receiver: &str, sender: &str) -> bool {
    receiver == sender || (receiver == "number" && sender == "integer")
}

/// The Rust type the generator gives a value of this type and format, as far as a format
/// decides it: whether a format change changes code that uses the generated types.
pub(crate) fn rust_type(ty: Option<&str>, format: Option<&str>) -> &'static str {
    match (ty, format) {
        (Some("string"), Some("date-time")) => "DateTime",
        (Some("string"), Some("date")) => "NaiveDate",
        (Some("string"), Some("uuid")) => "Uuid",
        (Some("string"), Some("ip")) => "IpAddr",
        (Some("string"), Some("ipv4")) => "Ipv4Addr",
        (Some("string"), Some("ipv6")) => "Ipv6Addr",
        (Some("string"), _) => "String",
        (Some("integer"), Some("int8")) => "i8",
        (Some("integer"), Some("int16")) => "i16",
        (Some("integer"), Some("int32")) => "i32",
        (Some("integer"), Some("uint8")) => "u8",
        (Some("integer"), Some("uint16")) => "u16",
        (Some("integer"), Some("uint32")) => "u32",
        (Some("integer"), Some("uint64")) => "u64",
        (Some("integer"), _) => "i64",
        (Some("number"), Some("float")) => "f32",
        (Some("number"), _) => "f64",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_fit_when_the_same_wider_or_not_decoded() {
        use FormatFit::*;
        assert_eq!(format_fit(Some("int64"), Some("int32")), Fits);
        assert_eq!(format_fit(Some("int32"), Some("int64")), Misfit);
        assert_eq!(format_fit(Some("int64"), Some("uint32")), Fits);
        assert_eq!(format_fit(Some("double"), Some("float")), Fits);
        assert_eq!(format_fit(Some("uuid"), Some("date-time")), Misfit);
        assert_eq!(format_fit(Some("uuid"), None), Unknown);
        assert_eq!(format_fit(None, Some("uuid")), Fits);
        assert_eq!(format_fit(Some("password"), None), Fits);
        assert!(type_accepts("number", "integer") && !type_accepts("integer", "number"));
        assert_eq!(rust_type(Some("string"), Some("password")), "String");
        assert_ne!(
            rust_type(Some("integer"), Some("int32")),
            rust_type(Some("integer"), None)
        );
    }
}
