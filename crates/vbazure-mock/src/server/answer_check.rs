//! The check of every answer against the document of its operation before it is sent: what a
//! drift changed on purpose is recorded and sent; anything else wrong becomes a 500.

use crate::drift::{Drift, Drifted};
use crate::reply::Reply;
use crate::routes::{response_body, Routed};
use crate::shared::Shared;

/// Checks the answer against the document of its operation (for answers without one, the
/// newest document served); an answer that breaks it is recorded and replaced by a 500, so
/// that a test cannot pass on a body the real API would never send. The departures `drifted`
/// made on purpose are recorded too, but the answer is sent as it is, for clients to see:
/// only a violation no drift accounts for (or a drift that departed from nothing) makes it a
/// 500.
pub(super) fn checked(
    shared: &Shared,
    routed: Option<&Routed>,
    drifted: &Drifted,
    reply: Reply,
) -> Reply {
    let Some(body) = &reply.body else {
        return reply;
    };
    let doc = match routed {
        Some(routed) => shared.docs.get(&routed.version),
        None => shared.newest_doc(),
    };
    let Some(doc) = doc else {
        return reply;
    };
    let operation = routed.map(|r| &r.operation);
    let essence = reply.content_type.split(';').next().unwrap_or_default();
    // A drifted status is checked apart; the body is held to the status the handler gave.
    let documented_status = drifted.documented_status.unwrap_or(reply.status);
    let documented = operation
        .and_then(|operation| response_body(operation, documented_status, essence))
        .and_then(|media| media.schema.clone());
    // Errors the mock raises itself (security, validation) may be ones an operation does not
    // list; the API still answers them with problem details.
    let problem_schema = "/components/schemas/ProblemDetails";
    let schema = documented.or_else(|| {
        (reply.content_type == crate::reply::PROBLEM && doc.get(problem_schema).is_some())
            .then(|| problem_schema.to_string())
    });
    let (name, version) = match routed {
        Some(r) => (r.operation.name.as_str(), format!(" (v{})", r.version)),
        None => ("(no operation)", String::new()),
    };
    let mut found = Found::default();
    if drifted.made(Drift::UndocumentedStatus, "") {
        found.status_drift(operation, reply.status);
    }
    match &schema {
        Some(schema) => found.body(doc, schema, body, drifted),
        None => found.unexpected.push(format!(
            "the spec documents no {} body of type {} here",
            documented_status, reply.content_type
        )),
    }
    found.unaccounted(drifted);
    let Found {
        planned,
        unexpected,
        ..
    } = found;
    if !planned.is_empty() {
        let mut kinds: Vec<&str> = planned.iter().map(|(d, _)| d.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let shown: Vec<&str> = planned.iter().map(|(_, v)| v.as_str()).collect();
        shared.record_violation(
            format!(
                "{name} {}{version}: --drift {}: {}",
                reply.status,
                kinds.join(", "),
                shown.join("; ")
            ),
            true,
        );
    }
    if unexpected.is_empty() {
        return reply;
    }
    shared.record_violation(
        format!(
            "{name} {}{version}: {}",
            reply.status,
            unexpected.join("; ")
        ),
        false,
    );
    Reply::problem(
        500,
        "The mock produced an answer that breaks the spec; see its violations.",
    )
}

/// What the check found in one answer.
#[derive(Default)]
struct Found<'a> {
    /// The departures a drift asked for, with the violation each made.
    planned: Vec<(Drift, String)>,
    /// What else is wrong.
    unexpected: Vec<String>,
    /// The pointers of the departures a violation accounts for (`""`: the status).
    seen: Vec<&'a str>,
}

impl<'a> Found<'a> {
    /// `--drift undocumented-status`: the status must be one the operation does not list.
    fn status_drift(&mut self, operation: Option<&vbazure_spec::Operation>, status: u16) {
        let listed = operation.is_some_and(|o| {
            o.responses
                .iter()
                .any(|r| r.status == status.to_string() || r.covers(status))
        });
        if listed {
            self.unexpected.push(format!(
                "--drift {} answered {status}, which the spec documents",
                Drift::UndocumentedStatus
            ));
        } else {
            self.planned.push((
                Drift::UndocumentedStatus,
                format!("the spec documents no {status} answer here"),
            ));
        }
        self.seen.push("");
    }

    /// The body against `schema`: each violation is a drift's, or unexpected.
    fn body(
        &mut self,
        doc: &vbazure_spec::Document,
        schema: &str,
        body: &serde_json::Value,
        drifted: &'a Drifted,
    ) {
        // Undeclared fields are allowed by OpenAPI and not otherwise checked: asked for only
        // to see the one a drift added.
        let options = vbazure_spec::ValidateOptions {
            undeclared: drifted
                .departures
                .iter()
                .any(|d| d.drift == Drift::UndocumentedField),
        };
        for violation in vbazure_spec::validate_with(doc, schema, body, &options) {
            let at = violation.instance.as_str();
            let by = if violation.keyword == "undeclared" {
                if !drifted.made(Drift::UndocumentedField, at) {
                    continue;
                }
                Some(Drift::UndocumentedField)
            } else {
                drifted.at(at)
            };
            match by {
                Some(drift) => {
                    if let Some(d) = drifted
                        .departures
                        .iter()
                        .find(|d| d.drift == drift && d.pointer == at)
                    {
                        self.seen.push(&d.pointer);
                    }
                    self.planned.push((drift, violation.to_string()));
                }
                None => self.unexpected.push(violation.to_string()),
            }
        }
    }

    /// A drift whose change the spec allows is a mock out of step with its document.
    fn unaccounted(&mut self, drifted: &Drifted) {
        for departure in &drifted.departures {
            if !self.seen.contains(&departure.pointer.as_str()) {
                self.unexpected.push(format!(
                    "--drift {} changed {} without departing from the spec",
                    departure.drift,
                    if departure.pointer.is_empty() {
                        "the status"
                    } else {
                        &departure.pointer
                    }
                ));
            }
        }
    }
}
