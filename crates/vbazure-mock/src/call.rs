//! A request the server has checked against its operation, as the handlers receive it: the
//! operation, the path's parameters, and the query and body read as their schemas declare.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use vbazure_spec::ApiVersion;

use crate::operation_ids::OperationId;

/// A request, checked against its operation.
pub(crate) struct Call<'a> {
    /// The version whose document the operation comes from.
    pub version: ApiVersion,
    /// The operation's name in the embedded document of that version, if it has one there.
    pub id: Option<OperationId>,
    /// The request's path, as sent.
    pub path: &'a str,
    pub path_params: BTreeMap<String, String>,
    /// Declared query parameters, converted to their schema's type, by their documented
    /// names (a request may spell them in any casing, as the appliance binds them).
    pub query: Map<String, Value>,
    /// The body as JSON (a form becomes an object of strings), with the names as sent.
    pub body: Option<Value>,
    /// The access token the request was authorized with, if the operation needs one.
    pub bearer: Option<String>,
}

impl Call<'_> {
    /// The value of the path parameter `name` as sent; empty when the path has none of that
    /// name (the handlers ask only for their templates' parameters).
    pub(crate) fn path_param(&self, name: &str) -> &str {
        self.path_params
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
}
