//! `vbazure sessions ...`.

use futures_util::StreamExt;
use vbazure::Appliance;

use crate::args::Sessions;
use crate::delete::wait_options;
use crate::exit::Exit;
use crate::output::{log_lines, session_line, session_table, Printer};
use crate::progress::Progress;
use crate::{error_line, Failure};

pub(crate) async fn run(
    appliance: &Appliance,
    command: &Sessions,
    printer: Printer,
) -> Result<Exit, Failure> {
    let api = |context: &str, e: vbazure::Error| {
        Failure::new(Exit::of_error(&e), error_line(context, &e))
    };
    match command {
        Sessions::List { offset, limit, all } => {
            // A session the client cannot read is reported on stderr, naming it, and the
            // others are still listed; the run then ends with the API exit code.
            let mut unreadable = 0;
            let mut report = |e: &vbazure::Error| {
                unreadable += 1;
                eprintln!("error: {}", error_line("sessions", e));
            };
            let sessions = if *all {
                let mut sessions = Vec::new();
                let mut stream = std::pin::pin!(appliance.job_sessions(*limit));
                while let Some(item) = stream.next().await {
                    match item {
                        Ok(session) => sessions.push(session),
                        Err(e)
                            if matches!(e.kind(), vbazure::ErrorKind::UndecodableItem { .. }) =>
                        {
                            report(&e)
                        }
                        Err(e) => return Err(api("sessions", e)),
                    }
                }
                sessions
            } else {
                let page = appliance
                    .job_sessions_page(*offset, *limit)
                    .await
                    .map_err(|e| api("sessions", e))?;
                let shown_count = page.sessions.len() as u64;
                let mut sessions = Vec::new();
                for item in page.sessions {
                    match item {
                        Ok(session) => sessions.push(session),
                        Err(bad) => report(&undecodable(bad)),
                    }
                }
                if !printer.json() {
                    let first = page.offset.saturating_add(1);
                    let last = page.offset.saturating_add(shown_count);
                    let shown = if shown_count == 0 {
                        "none".to_string()
                    } else {
                        format!("{first}-{last}")
                    };
                    for line in session_table(&sessions) {
                        printer.text(&line);
                    }
                    let total = page
                        .total_count
                        .map_or_else(|| "?".to_string(), |n| n.to_string());
                    printer.text(&format!("sessions {shown} of {total}"));
                    return Ok(if unreadable > 0 { Exit::Api } else { Exit::Ok });
                }
                sessions
            };
            if printer.json() {
                sessions.iter().for_each(|s| printer.object(s));
            } else {
                for line in session_table(&sessions) {
                    printer.text(&line);
                }
                printer.text(&format!("{} session(s)", sessions.len()));
            }
            Ok(if unreadable > 0 { Exit::Api } else { Exit::Ok })
        }
        Sessions::Show { session_id } => {
            let session = appliance
                .job_session(session_id)
                .await
                .map_err(|e| api(&format!("session {session_id}"), e))?;
            printer.text(&session_line(&session));
            printer.object(&session);
            Ok(Exit::Ok)
        }
        Sessions::Log { session_id } => {
            let log = appliance
                .job_session_log(session_id)
                .await
                .map_err(|e| api(&format!("session {session_id}"), e))?;
            for line in log_lines(&log) {
                printer.text(&line);
            }
            printer.object(&log);
            Ok(Exit::Ok)
        }
        Sessions::Wait {
            session_id,
            waiting,
        } => {
            let progress = Progress::new(!printer.json());
            let line = progress.line(format!("session {session_id}"));
            let result = appliance
                .wait(session_id, &wait_options(waiting), |s| {
                    line.update(format!("session {}  {}", s.id, s.status))
                })
                .await;
            drop(line);
            let session = result.map_err(|e| api(&format!("session {session_id}"), e))?;
            printer.text(&session_line(&session));
            printer.object(&session);
            Ok(Exit::of_finished(&session))
        }
        Sessions::Stop { session_id } => {
            appliance
                .stop_job_session(session_id)
                .await
                .map_err(|e| api(&format!("session {session_id}"), e))?;
            printer.text(&format!(
                "session {session_id}: stop requested; it ends as Canceled"
            ));
            Ok(Exit::Ok)
        }
    }
}

/// A session of a page the client could not read, as the error the stream would give.
fn undecodable(item: vbazure::UndecodableItem) -> vbazure::Error {
    vbazure::Error::undecodable_item(vbazure::operations::v1::LIST_JOB_SESSIONS, item)
}
