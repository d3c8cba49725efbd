//! The operations of the embedded documents by name: one enum per API version ([`V1`],
//! [`V8_1`]), generated from the documents by `build.rs` (see there why it is built from
//! vbazure-spec and not vbazure-codegen). The handlers and the drifts match on them, so no
//! operation is named by a hand-written text: renaming or removing one in a document fails the
//! build where it is handled.

use vbazure_spec::ApiVersion;

include!(concat!(env!("OUT_DIR"), "/operation_ids.rs"));

/// A documented operation of one version, by its `operationId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum OperationId {
    /// An operation of `openapi.yaml`.
    V1(V1),
    /// An operation of `openapi-v8.1.yaml`.
    V8_1(V8_1),
}

impl OperationId {
    /// The operation of `version`'s embedded document with this `operationId`; `None` for one
    /// it does not have (a document given with `spec_text` may add some: they have no handler
    /// and are answered with their examples).
    pub(crate) fn of(version: ApiVersion, id: &str) -> Option<Self> {
        match version {
            ApiVersion::V1 => V1::from_id(id).map(Self::V1),
            ApiVersion::V8_1 => V8_1::from_id(id).map(Self::V8_1),
        }
    }

    /// The version whose document it is of.
    pub(crate) fn version(self) -> ApiVersion {
        match self {
            Self::V1(_) => ApiVersion::V1,
            Self::V8_1(_) => ApiVersion::V8_1,
        }
    }
}

#[cfg(test)]
mod tests {
    use vbazure_spec::Document;

    use super::*;

    /// The `operationId`s of an embedded document, in document order.
    fn ids(name: &str, text: &str) -> Vec<String> {
        let doc = Document::parse(name, text).ok().unwrap();
        doc.operations()
            .iter()
            .filter_map(|o| o.operation_id.clone())
            .collect()
    }

    #[test]
    fn the_names_are_exactly_the_documents_operations() {
        let generated = [
            V1::ALL.map(V1::id).to_vec(),
            V8_1::ALL.map(V8_1::id).to_vec(),
        ];
        let documents = [
            (ApiVersion::V1, "openapi.yaml", crate::SPEC),
            (ApiVersion::V8_1, "openapi-v8.1.yaml", crate::SPEC_V8_1),
        ];
        for ((version, name, text), generated) in documents.into_iter().zip(generated) {
            let documented = ids(name, text);
            assert_eq!(generated, documented, "{name}");
            for id in &documented {
                let named = OperationId::of(version, id);
                let back = named.map(|named| match named {
                    OperationId::V1(operation) => operation.id(),
                    OperationId::V8_1(operation) => operation.id(),
                });
                assert_eq!(back, Some(id.as_str()), "{name}");
                assert_eq!(named.map(OperationId::version), Some(version), "{id}");
            }
        }
    }

    #[test]
    fn an_operation_a_version_does_not_document_has_no_name() {
        assert_eq!(OperationId::of(ApiVersion::V8_1, "deleteBackups"), None);
        assert_eq!(OperationId::of(ApiVersion::V1, "revokeToken"), None);
        assert_eq!(OperationId::of(ApiVersion::V1, "deleteSnapshots"), None);
        assert_eq!(OperationId::of(ApiVersion::V1, "DeleteBackups"), None);
        assert_eq!(
            OperationId::of(ApiVersion::V8_1, "createToken"),
            Some(OperationId::V8_1(V8_1::CreateToken))
        );
    }
}
