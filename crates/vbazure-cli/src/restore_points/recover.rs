//! The deletions a cut-off run may have sent (a `sending` line and no answer), looked for on
//! the appliance before anything is sent again.
//!
//! Once their answers would have come (`answerBy`), each point is read: gone (404) means the
//! deletion went through, and it is recorded and not sent again. A point still there may yet
//! be deleted by a session the cut-off run started: the deletion sessions started since then
//! (the kind's types, `FromUtc` five minutes before the first `sending`) that the journal
//! does not name and that still run are waited for, and the points read again. Only a point
//! still there after that is sent again; one that cannot be told (a session still running
//! when `--timeout` ends the wait) is not sent again and makes the run exit 1.

use vbazure::v8_1::types::SessionTypeFilter;
use vbazure::{Appliance, ErrorKind, SessionFilter, Timestamp, WaitOptions, Workload};

use super::point::Point;
use super::tally::Tally;
use crate::delete::lookup::{settle, LOOKUP_MARGIN};
use crate::exit::Exit;
use crate::journal::{self, Event, Journal};
use crate::output::Printer;
use crate::Failure;

/// The session types a restore point's deletion may run as (the vendor does not document
/// which: these are the workload's removal sessions, see docs/v8.1-removals.md).
fn deletion_types(workload: Workload) -> Vec<SessionTypeFilter> {
    match workload {
        Workload::Vm => vec![
            SessionTypeFilter::BackupDeletion,
            SessionTypeFilter::SnapshotDeletion,
            SessionTypeFilter::ManualSnapshotDeletion,
        ],
        Workload::Sql => vec![SessionTypeFilter::SqlBackupDeletion],
        Workload::FileShare => vec![
            SessionTypeFilter::FileShareSnapshotDeletion,
            SessionTypeFilter::FileShareManualSnapshotDeletion,
        ],
        Workload::CosmosDb => vec![SessionTypeFilter::CosmosDbBackupDeletion],
    }
}

/// What [`recover`] needs.
pub(crate) struct Recovery<'a> {
    pub appliance: &'a Appliance,
    pub workload: Workload,
    pub earlier: &'a journal::Read,
    pub journal: Option<&'a Journal>,
    pub waiting: WaitOptions,
    pub printer: &'a Printer,
}

/// The points of `uncertain` (each with the time its deletion was being sent) to send again;
/// those found gone are recorded and counted.
pub(crate) async fn recover(
    cx: &Recovery<'_>,
    uncertain: Vec<(Point, Timestamp)>,
    settled_by: Option<Timestamp>,
    tally: &mut Tally,
) -> Result<Vec<Point>, Failure> {
    if uncertain.is_empty() {
        return Ok(Vec::new());
    }
    if let Some(settled_by) = settled_by {
        settle(&settled_by).await?;
    }
    let from = uncertain
        .iter()
        .map(|(_, at)| at.as_datetime())
        .min()
        .map(|at| Timestamp::from(at - LOOKUP_MARGIN));
    let mut still = still_there(cx, uncertain.into_iter().map(|(p, _)| p).collect(), tally).await?;
    if still.is_empty() {
        return Ok(still);
    }
    let filter = SessionFilter {
        types: deletion_types(cx.workload),
        from,
        ..SessionFilter::default()
    };
    let context = "looking for the deletions an earlier run may have sent";
    let page = cx
        .appliance
        .job_sessions_page(0, 1000)
        .filter(&filter)
        .send()
        .await
        .map_err(|e| Failure::api(context, &e))?;
    let mut unfinished = Vec::new();
    for session in page.sessions.into_iter().flatten() {
        if !session.is_finished() && !cx.earlier.sessions.contains(&session.id) {
            unfinished.push(session);
        }
    }
    if unfinished.is_empty() {
        return Ok(still);
    }
    eprintln!(
        "vbazure: {} restore point(s) an earlier run may have sent deletions for are still \
         there; waiting for the {} deletion session(s) since then that the journal does not \
         name",
        still.len(),
        unfinished.len()
    );
    for session in unfinished {
        let id = session.id.clone();
        match cx
            .appliance
            .wait_session(session, &cx.waiting, |_| {})
            .await
        {
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::StillRunning { .. }) => {
                tally.worst(Exit::Api);
                for point in &still {
                    eprintln!(
                        "error: {}: unknown: a deletion may have been sent by an earlier run, and \
                         session {id} still runs (--timeout); not sent again (never twice). Run \
                         the same command again later",
                        point.id
                    );
                }
                tally.failed += still.len();
                return Ok(Vec::new());
            }
            Err(e) => return Err(Failure::api(context, &e)),
        }
    }
    still = still_there(cx, still, tally).await?;
    Ok(still)
}

/// Of `points`, those the appliance still has; the others are recorded gone.
async fn still_there(
    cx: &Recovery<'_>,
    points: Vec<Point>,
    tally: &mut Tally,
) -> Result<Vec<Point>, Failure> {
    let mut still = Vec::new();
    for point in points {
        match cx
            .appliance
            .restore_point(cx.workload, &point.id)
            .send()
            .await
        {
            Ok(_) => still.push(point),
            Err(e) if matches!(e.kind(), ErrorKind::NotFound(_)) => {
                if let Some(journal) = cx.journal {
                    journal.record(&Event::NothingToDelete {
                        at: journal::now(),
                        vms: vec![point.id.clone()],
                    })?;
                }
                tally.gone += 1;
                cx.printer.text(&format!(
                    "{}  {}  gone: the deletion an earlier run sent went through (not sent again)",
                    point.id,
                    point.item_label()
                ));
            }
            Err(e) => {
                return Err(Failure::api(
                    &format!("reading restore point {}", point.id),
                    &e,
                ))
            }
        }
    }
    Ok(still)
}
