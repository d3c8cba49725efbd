//! Items of a list that decode one by one, so that one item the client cannot read does not
//! hide the others.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// One item of a list the document marks `x-vbazure-lenient-items` (the sessions of a page,
/// say): the decoded item, or, when it does not decode, its JSON and the reason.
///
/// ```
/// use vbazure::Lenient;
///
/// let items: Vec<Lenient<u32>> = serde_json::from_str(r#"[1, "two", 3]"#).unwrap();
/// assert_eq!(items[0].decoded(), Some(&1));
/// let bad = items[1].undecodable().unwrap();
/// assert_eq!(bad.value, "two");
/// assert!(bad.reason.contains("expected u32"), "{}", bad.reason);
/// assert_eq!(items[2].decoded(), Some(&3));
/// // Written back as it came.
/// assert_eq!(serde_json::to_string(&items).unwrap(), r#"[1,"two",3]"#);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Lenient<T> {
    /// The item, decoded.
    Decoded(T),
    /// An item that does not match the document.
    Undecodable(UndecodableItem),
}

/// An item that does not match its schema: what came, and why it could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct UndecodableItem {
    /// The item as the server sent it.
    pub value: Value,
    /// What did not match (serde's words, with the field).
    pub reason: String,
}

impl UndecodableItem {
    /// The item's `id`, when it has a string or numeric one, to name it in a report.
    pub fn id(&self) -> Option<String> {
        match self.value.get("id")? {
            Value::String(id) => Some(id.clone()),
            Value::Number(id) => Some(id.to_string()),
            _ => None,
        }
    }
}

impl<T> Lenient<T> {
    /// The decoded item, if it decoded.
    pub fn decoded(&self) -> Option<&T> {
        match self {
            Self::Decoded(item) => Some(item),
            Self::Undecodable(_) => None,
        }
    }

    /// What did not decode, if it did not.
    pub fn undecodable(&self) -> Option<&UndecodableItem> {
        match self {
            Self::Decoded(_) => None,
            Self::Undecodable(item) => Some(item),
        }
    }

    /// The decoded item, or what did not decode.
    pub fn into_result(self) -> Result<T, UndecodableItem> {
        match self {
            Self::Decoded(item) => Ok(item),
            Self::Undecodable(item) => Err(item),
        }
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(item: T) -> Self {
        Self::Decoded(item)
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Any JSON value is accepted here; only the item's own decoding can fail, and that
        // failure is kept, not raised.
        let value = Value::deserialize(deserializer)?;
        Ok(match T::deserialize(&value) {
            Ok(item) => Self::Decoded(item),
            Err(e) => Self::Undecodable(UndecodableItem {
                value,
                reason: e.to_string(),
            }),
        })
    }
}

impl<T: Serialize> Serialize for Lenient<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Decoded(item) => item.serialize(serializer),
            Self::Undecodable(item) => item.value.serialize(serializer),
        }
    }
}
