//! `vbazure sessions ...`.

use futures_util::StreamExt;
use vbazure::{ApiVersion, Appliance, Session, SessionFilter};

use crate::args::{ListSessions, Sessions};
use crate::exit::Exit;
use crate::filters::ClientFilter;
use crate::output::{session_line, Printer};
use crate::progress::Progress;
use crate::{error_line, needs_v8_1, Failure};

/// The filter the flags of `sessions list` ask for.
fn filter(list: &ListSessions) -> SessionFilter {
    SessionFilter {
        statuses: list.statuses.clone(),
        types: list.types.clone(),
        from: list.since,
        to: list.until,
        policy_id: list.policy_id,
        resource_id: list.resource_id.clone(),
        text: list.filter.clone(),
    }
}

/// The flags the appliance's version must have. On v1 the appliance filters nothing: the
/// client applies what it can (over `--all`) and refuses the rest, before anything is sent.
pub(crate) fn check(command: &Sessions, version: ApiVersion) -> Result<(), Failure> {
    if version == ApiVersion::V8_1 {
        return Ok(());
    }
    match command {
        Sessions::List(list) => {
            let mut server_only = Vec::new();
            if list.policy_id.is_some() {
                server_only.push("--policy-id");
            }
            if list.resource_id.is_some() {
                server_only.push("--resource-id");
            }
            if list.filter.is_some() {
                server_only.push("--filter");
            }
            if !server_only.is_empty() {
                let mut failure = needs_v8_1(&server_only, version);
                failure.message.push_str(
                    "; API v1 sessions carry no policy, resource or text to filter by, so the \
                     client cannot apply it either",
                );
                return Err(failure);
            }
            let client_side = !list.statuses.is_empty()
                || !list.types.is_empty()
                || list.since.is_some()
                || list.until.is_some();
            if client_side && !list.all {
                return Err(Failure::new(
                    Exit::Usage,
                    "on API v1 the appliance cannot filter sessions: vbazure applies --status, \
                     --type, --since and --until itself, to every session, so add --all"
                        .to_string(),
                ));
            }
            Ok(())
        }
        Sessions::Log {
            resource_id: Some(_),
            ..
        } => Err(needs_v8_1(&["sessions log --resource-id"], version)),
        _ => Ok(()),
    }
}

pub(crate) async fn run(
    appliance: &Appliance,
    command: &Sessions,
    printer: &Printer,
    verbose: bool,
) -> Result<Exit, Failure> {
    let api = |context: &str, e: vbazure::Error| Failure::api(context, &e);
    match command {
        Sessions::List(list) => list_sessions(appliance, list, printer).await,
        Sessions::Show { session_id } => {
            let session = appliance
                .job_session(session_id)
                .await
                .map_err(|e| api(&format!("session {session_id}"), e))?;
            printer.one(&session, &session_line(&session))?;
            Ok(Exit::Ok)
        }
        Sessions::Log {
            session_id,
            resource_id,
        } => {
            let log = appliance
                .job_session_log(session_id)
                .resource(resource_id.as_deref())
                .send()
                .await
                .map_err(|e| api(&format!("session {session_id}"), e))?;
            printer.rows(&log.entries)?;
            printer.object(&log);
            Ok(Exit::Ok)
        }
        Sessions::Wait {
            session_id,
            waiting,
        } => {
            let progress = Progress::new(printer.for_people() && !verbose);
            let line = progress.line(format!("session {session_id}"));
            let result = appliance
                .wait(session_id, &waiting.options(), |s| {
                    line.update(format!("session {}  {}", s.id, s.status))
                })
                .await;
            drop(line);
            let session = result.map_err(|e| api(&format!("session {session_id}"), e))?;
            printer.one(&session, &session_line(&session))?;
            Ok(Exit::of_finished(&session))
        }
        Sessions::Stop { session_id } => {
            appliance
                .stop_job_session(session_id)
                .await
                .map_err(|e| api(&format!("session {session_id}"), e))?;
            printer.summary(&format!(
                "session {session_id}: stop requested; it ends as Canceled"
            ));
            Ok(Exit::Ok)
        }
    }
}

async fn list_sessions(
    appliance: &Appliance,
    list: &ListSessions,
    printer: &Printer,
) -> Result<Exit, Failure> {
    let api = |e: vbazure::Error| Failure::api("sessions", &e);
    let version = appliance.api_version().await.map_err(api)?;
    let filter = filter(list);
    // On v1 (checked: only --status, --type, --since, --until, with --all) the client
    // filters; on v8.1 the appliance does.
    let in_client = version == ApiVersion::V1 && !filter.is_empty();
    let server_filter = if in_client {
        SessionFilter::default()
    } else {
        filter.clone()
    };
    // A session the client cannot read is reported on stderr, naming it, and the others are
    // still listed; the run then ends with the API exit code.
    let mut unreadable = 0;
    let mut report = |e: &vbazure::Error| {
        unreadable += 1;
        eprintln!("error: {}", error_line("sessions", e));
    };
    let mut sessions: Vec<Session> = Vec::new();
    if list.all {
        let mut stream = std::pin::pin!(appliance
            .job_sessions(list.limit)
            .filter(&server_filter)
            .stream());
        while let Some(item) = stream.next().await {
            match item {
                Ok(session) => sessions.push(session),
                Err(e) if matches!(e.kind(), vbazure::ErrorKind::UndecodableItem { .. }) => {
                    report(&e)
                }
                Err(e) => return Err(api(e)),
            }
        }
        if in_client {
            let wanted = ClientFilter(&filter);
            sessions.retain(|s| wanted.matches(s));
        }
    } else {
        let page = appliance
            .job_sessions_page(list.offset, list.limit)
            .filter(&server_filter)
            .send()
            .await
            .map_err(api)?;
        let shown_count = page.sessions.len() as u64;
        for item in page.sessions {
            match item {
                Ok(session) => sessions.push(session),
                Err(bad) => report(&undecodable(version, bad)),
            }
        }
        if !printer.structured() {
            let first = page.offset.saturating_add(1);
            let last = page.offset.saturating_add(shown_count);
            let shown = if shown_count == 0 {
                "none".to_string()
            } else {
                format!("{first}-{last}")
            };
            printer.rows(&sessions)?;
            let total = page
                .total_count
                .map_or_else(|| "?".to_string(), |n| n.to_string());
            printer.summary(&format!("sessions {shown} of {total}"));
            return Ok(if unreadable > 0 { Exit::Api } else { Exit::Ok });
        }
    }
    printer.objects(&sessions);
    printer.rows(&sessions)?;
    if !printer.structured() {
        printer.summary(&format!("{} session(s)", sessions.len()));
    }
    Ok(if unreadable > 0 { Exit::Api } else { Exit::Ok })
}

/// A session of a page the client could not read, as the error the stream would give.
fn undecodable(version: ApiVersion, item: vbazure::UndecodableItem) -> vbazure::Error {
    let operation = match version {
        ApiVersion::V1 => vbazure::operations::v1::LIST_JOB_SESSIONS,
        ApiVersion::V8_1 => vbazure::operations::v8_1::LIST_JOB_SESSIONS,
    };
    vbazure::Error::undecodable_item(operation, item)
}
