//! `vbazure sessions ...`.

use futures_util::TryStreamExt;
use vbazure::Appliance;

use crate::args::Sessions;
use crate::delete::wait_options;
use crate::exit::Exit;
use crate::output::{log_lines, session_line, session_table, Printer};
use crate::progress::Progress;
use crate::{error_line, Failure};

pub async fn run(
    appliance: &Appliance,
    command: &Sessions,
    printer: Printer,
) -> Result<Exit, Failure> {
    let api = |context: &str, e: vbazure::Error| {
        Failure::new(Exit::of_error(&e), error_line(context, &e))
    };
    match command {
        Sessions::List { offset, limit, all } => {
            let sessions = if *all {
                appliance
                    .job_sessions(*limit)
                    .try_collect::<Vec<_>>()
                    .await
                    .map_err(|e| api("sessions", e))?
            } else {
                let page = appliance
                    .job_sessions_page(*offset, *limit)
                    .await
                    .map_err(|e| api("sessions", e))?;
                if !printer.json() {
                    let first = page.offset.saturating_add(1);
                    let last = page.offset.saturating_add(page.results.len() as i32);
                    let shown = if page.results.is_empty() {
                        "none".to_string()
                    } else {
                        format!("{first}-{last}")
                    };
                    for line in session_table(&page.results) {
                        printer.text(&line);
                    }
                    printer.text(&format!("sessions {shown} of {}", page.total_count));
                    return Ok(Exit::Ok);
                }
                page.results
            };
            if printer.json() {
                sessions.iter().for_each(|s| printer.object(s));
            } else {
                for line in session_table(&sessions) {
                    printer.text(&line);
                }
                printer.text(&format!("{} session(s)", sessions.len()));
            }
            Ok(Exit::Ok)
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
