//! Enumerations that accept values they do not know, for the server's growing lists.

use std::fmt;

/// A value an open enumeration does not know, kept exactly as the server sent it.
///
/// Only parsing creates one, so a known value can never hide in it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnrecognizedValue(pub(crate) String);

impl UnrecognizedValue {
    /// The value as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnrecognizedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Defines an open string enumeration: one variant per documented value, plus
/// `Unrecognized(UnrecognizedValue)` for any other string, which is written back unchanged.
/// It gets `as_str`, `KNOWN`, `Display`, infallible `FromStr`, `From<&str>` and serde.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the client does not know, as the server sent it.
            Unrecognized($crate::UnrecognizedValue),
        }

        impl $name {
            /// Every documented value, in the order of the spec.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The value as the server writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Unrecognized(value) => value.as_str(),
                }
            }

            /// Whether this is one of the documented values.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unrecognized(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            /// Never fails: a value that is not documented becomes `Unrecognized`.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(match text {
                    $( $text => $name::$variant, )+
                    other => $name::Unrecognized($crate::UnrecognizedValue(other.to_string())),
                })
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text.parse() {
                    Ok(value) => value,
                    Err(never) => match never {},
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok($name::from(text.as_ref()))
            }
        }
    };
}

pub(crate) use open_enum;
