//! `vbazure conformance`: the read-only calls of the flow against the appliance, every answer
//! checked against the document of the version in use. Nothing is deleted or stopped.

use std::collections::BTreeMap;

use futures_util::StreamExt;
use serde_json::json;
use vbazure::conformance::{FindingKind, OperationReport, Report};
use vbazure::{ApiVersion, Appliance, Conformance};

use crate::exit::Exit;
use crate::output::Printer;
use crate::{error_line, Failure};

/// How much the check reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reach {
    /// Pages of sessions read (50 sessions each).
    pub(crate) pages: u32,
    /// Sessions of those read one by one, with their logs.
    pub(crate) sessions: usize,
}

/// Runs the calls; `conformance` is the record the appliance was built with.
pub(crate) async fn run(
    appliance: &Appliance,
    conformance: &Conformance,
    reach: Reach,
    printer: &Printer,
) -> Result<Exit, Failure> {
    let api = |context: &str, e: vbazure::Error| {
        Failure::new(Exit::of_error(&e), error_line(context, &e))
    };
    // Without a version nothing can be checked.
    let version = appliance.api_version().await.map_err(|e| {
        // Detection logs in to confirm an anonymous 401/403: its refusal is the login's.
        let context = if e.operation() == vbazure::operations::v8_1::CREATE_TOKEN {
            "login"
        } else {
            "version detection"
        };
        api(context, e)
    })?;
    // From here on, a call that fails is reported and the report still printed: a failure is
    // often the very departure the check is looking for (an answer that does not decode).
    let mut failed: Vec<String> = Vec::new();
    let mut note = |context: &str, e: vbazure::Error| failed.push(error_line(context, &e));
    let logged_in = match appliance.login().await {
        Ok(()) => true,
        Err(e) => {
            note("login", e);
            false
        }
    };
    if logged_in {
        read(appliance, version, reach, &mut note).await;
    }
    report(conformance, version, &failed, printer);
    Ok(if conformance.has_breaking() {
        Exit::Breaking
    } else if !failed.is_empty() {
        Exit::Api
    } else {
        Exit::Ok
    })
}

/// The read-only calls; a call that fails is noted and the next one made.
async fn read(
    appliance: &Appliance,
    version: ApiVersion,
    reach: Reach,
    note: &mut impl FnMut(&str, vbazure::Error),
) {
    if version == ApiVersion::V8_1 {
        if let Err(e) = appliance.system_info().await {
            note("server information", e);
        }
    }
    let mut ids = Vec::new();
    for page in 0..reach.pages {
        match appliance.job_sessions_page(page * 50, 50).send().await {
            Ok(page) => {
                let last = page.sessions.len() < 50;
                ids.extend(page.sessions.into_iter().flatten().map(|s| s.id));
                if last {
                    break;
                }
            }
            Err(e) => {
                note("sessions", e);
                break;
            }
        }
    }
    for id in ids.iter().filter(|id| !id.is_empty()).take(reach.sessions) {
        if let Err(e) = appliance.job_session(id).await {
            note(&format!("session {id}"), e);
        }
        if let Err(e) = appliance.job_session_log(id).send().await {
            note(&format!("session {id}'s log"), e);
        }
    }
    if version == ApiVersion::V8_1 {
        let mut vms = std::pin::pin!(appliance.protected_vms(50).stream().take(50));
        let mut first = None;
        while let Some(vm) = vms.next().await {
            match vm {
                Ok(vm) => {
                    first = first.or(vm.id);
                }
                Err(e) => note("protected VMs", e),
            }
        }
        if let Some(id) = first {
            if let Err(e) = appliance.protected_vm(&id).await {
                note(&format!("protected VM {id}"), e);
            }
        }
    }
}

/// Per operation the answers checked and the findings by kind, then each finding.
fn report(conformance: &Conformance, version: ApiVersion, failed: &[String], printer: &Printer) {
    let findings = conformance.findings();
    let report = conformance.report();
    if printer.structured() {
        printer.object(&json!({
            "apiVersion": version.as_str(),
            "operations": report
                .iter()
                .map(|(operation, r)| (operation.clone(), report_json(r)))
                .collect::<BTreeMap<_, _>>(),
            "findings": findings.iter().map(Report::to_json).collect::<Vec<_>>(),
            "failedCalls": failed,
        }));
    } else {
        printer.text(&format!(
            "API v{version}: answers checked against its document"
        ));
        for (operation, r) in &report {
            printer.text(&format!(
                "  {operation:<32} {:>4} answer(s)  {} breaking  {} drift  {} fine",
                r.answers, r.breaking, r.drift, r.fine
            ));
        }
        for finding in &findings {
            printer.text(&finding.to_string());
        }
        for line in failed {
            printer.text(&format!("call failed: {line}"));
        }
        let count = |kind| findings.iter().filter(|f| f.kind == kind).count();
        printer.summary(&format!(
            "conformance: {} breaking, {} drift, {} fine finding(s); {} call(s) failed",
            count(FindingKind::Breaking),
            count(FindingKind::Drift),
            count(FindingKind::Fine),
            failed.len()
        ));
    }
}

fn report_json(report: &OperationReport) -> serde_json::Value {
    json!({
        "answers": report.answers,
        "breaking": report.breaking,
        "drift": report.drift,
        "fine": report.fine,
    })
}
