//! The operation a request's path and method lead to, and the answers for those that lead
//! to none: 405 for a documented path with another method, 404 for any other path (naming
//! the closest documented path, or the API version this appliance does not serve).

use std::collections::BTreeMap;

use vbazure_spec::ApiVersion;

use crate::reply::Reply;
use crate::routes::{Found, Routed};
use crate::shared::Shared;

/// The operation `method` on `path` leads to, with the path's parameters; or the answer for
/// a request that leads to none (to be checked like any other).
pub(super) fn route<'s>(
    shared: &'s Shared,
    method: &str,
    path: &str,
) -> Result<(&'s Routed, BTreeMap<String, String>), Reply> {
    match shared.routes.find(path, method) {
        Found::Operation(routed, params) => Ok((routed, params)),
        Found::MethodNotAllowed(allowed) => {
            let detail = format!(
                "{path} does not take {method}; it takes {}.",
                allowed.join(", ")
            );
            Err(Reply::problem(405, detail).with_header("allow", allowed.join(", ")))
        }
        Found::NoPath(closest) => {
            let unserved = ApiVersion::ALL.into_iter().find(|v| {
                !shared.docs.contains_key(v)
                    && path
                        .strip_prefix(v.path_prefix())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            });
            let hint = match (unserved, closest) {
                (Some(version), _) => format!(
                    " This appliance does not serve API v{version}; it serves {}.",
                    served_list(&shared.versions())
                ),
                (None, Some(c)) => format!(" The closest documented path is {c}."),
                (None, None) => String::new(),
            };
            Err(Reply::not_found(
                format!("No operation at {path}.{hint}"),
                path,
            ))
        }
    }
}

fn served_list(versions: &[ApiVersion]) -> String {
    versions
        .iter()
        .map(|v| format!("v{v}"))
        .collect::<Vec<_>>()
        .join(" and ")
}
