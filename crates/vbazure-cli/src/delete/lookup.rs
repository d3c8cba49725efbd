//! A removal that may have been sent but whose answer was not recorded: its session, looked
//! for on the appliance (by the session type of that removal) before anything is sent again.

use std::collections::HashSet;

use futures_util::StreamExt;
use vbazure::{ApiVersion, Appliance, ErrorKind, Session, SessionFilter, Timestamp};

use super::resolve::LISTING_PAGE;
use super::Target;
use crate::exit::Exit;
use crate::Failure;

/// How far before an unanswered deletion's `sending` line its session is looked for (the
/// appliance's clock may differ from this machine's).
pub(crate) const LOOKUP_MARGIN: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// On v1, at most this many sessions are read looking for a deletion; more: unknown.
pub(super) const V1_SCAN_LIMIT: usize = 10_000;

/// The longest wait [`settle`] accepts: a later `answerBy` means a clock or a journal is wrong.
const LONGEST_SETTLE: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// Waits until `settled_by`: the time by which an earlier run's unanswered deletion requests
/// were answered or given up on (the `answerBy` of their `sending` lines). Until then a
/// request of a run that was just killed may still be on its way to the appliance, and a
/// lookup would not find its session yet and send the deletion again.
pub(crate) async fn settle(settled_by: &Timestamp) -> Result<(), Failure> {
    let left = settled_by.as_datetime() - chrono::Utc::now();
    if left <= chrono::TimeDelta::zero() {
        return Ok(());
    }
    if left > LONGEST_SETTLE {
        return Err(Failure::new(
            Exit::Usage,
            format!(
                "the journal says an earlier run's deletion may be answered until {settled_by}, \
                 more than a day from now: is this machine's clock right? Nothing was sent"
            ),
        ));
    }
    eprintln!(
        "vbazure: an earlier run sent deletions whose answers it did not record, and they may \
         still be on their way: waiting {}s (until {settled_by}, the request timeout of that \
         run) before looking for them on the appliance",
        (left.num_milliseconds() + 999) / 1000
    );
    tokio::time::sleep(left.to_std().unwrap_or_default()).await;
    Ok(())
}

/// What the appliance says of a deletion that may have been sent.
pub(super) enum Lookup {
    /// Its session.
    Found(Session),
    /// No deletion session for it: it did not reach the appliance.
    None,
    /// Cannot tell (why).
    Unknown(String),
}

/// Looks on the appliance for the session of a removal of `ids` sent at `at` whose answer
/// was not recorded. v8.1: sessions filtered by `ResourceId` (each id until one is found: a
/// session found for one id of a batch covers the batch), `Types=` the session type of the
/// removal ([`Target::session_type`]: `BackupDeletion` for VMs' backups) and `FromUtc`. v1
/// (VMs' backups only) cannot filter and its sessions do not say which VM they concern: any
/// deletion session since then that the journal does not account for makes it unknown.
pub(super) async fn look_for_session(
    appliance: &Appliance,
    version: ApiVersion,
    target: Target,
    ids: &[String],
    at: &Timestamp,
    known: &HashSet<String>,
) -> Result<Lookup, Failure> {
    let from = Timestamp::from(at.as_datetime() - LOOKUP_MARGIN);
    let context = "looking for the deletion an earlier run may have sent";
    if version == ApiVersion::V8_1 {
        for id in ids {
            let filter = SessionFilter {
                types: vec![target.session_type()],
                from: Some(from),
                resource_id: Some(id.clone()),
                ..SessionFilter::default()
            };
            let page = appliance
                .job_sessions_page(0, 50)
                .filter(&filter)
                .send()
                .await
                .map_err(|e| Failure::api(context, &e))?;
            for item in page.sessions {
                match item {
                    // Newest first: the first is the latest removal of this item.
                    Ok(session) if !known.contains(&session.id) => {
                        return Ok(Lookup::Found(session))
                    }
                    Ok(_) => {}
                    Err(item) => {
                        return Ok(Lookup::Unknown(format!(
                            "the appliance lists a session vbazure cannot read ({})",
                            item.id().unwrap_or_else(|| "no id".to_string())
                        )))
                    }
                }
            }
        }
        return Ok(Lookup::None);
    }
    let sessions = appliance.job_sessions(LISTING_PAGE).stream();
    futures_util::pin_mut!(sessions);
    let mut read = 0;
    while let Some(item) = sessions.next().await {
        read += 1;
        if read > V1_SCAN_LIMIT {
            return Ok(Lookup::Unknown(format!(
                "the appliance holds more than {V1_SCAN_LIMIT} sessions to look through"
            )));
        }
        match item {
            Ok(session) => {
                let deletion = session
                    .session_type
                    .as_ref()
                    .is_none_or(|t| *t == vbazure::SessionType::BackupDeletion || !t.is_known());
                let since = session
                    .execution_start_time
                    .as_ref()
                    .is_none_or(|t| t.as_datetime() >= from.as_datetime());
                if deletion && since && !known.contains(&session.id) {
                    return Ok(Lookup::Unknown(format!(
                        "the appliance (API v1) has deletion session {} since then, and v1 \
                         sessions do not say which VM they concern",
                        session.id
                    )));
                }
            }
            Err(e) => match e.kind() {
                ErrorKind::UndecodableItem { .. } => {
                    return Ok(Lookup::Unknown(
                        "the appliance lists a session vbazure cannot read".to_string(),
                    ))
                }
                _ => return Err(Failure::api(context, &e)),
            },
        }
    }
    Ok(Lookup::None)
}

/// Whether a failed deletion may have reached the appliance and started a session: no answer
/// came, or an answer that is not a refusal (5xx, or a success the client could not read).
pub(crate) fn may_have_started(error: &vbazure::Error) -> bool {
    match error.kind() {
        // No connection (or no TLS session) was made, or nothing was sent.
        ErrorKind::Connect { .. }
        | ErrorKind::Tls { .. }
        | ErrorKind::InvalidRequest { .. }
        | ErrorKind::NotInVersion { .. }
        | ErrorKind::NotOffered { .. } => false,
        // Refused: a 404 without problem details (no such path) as much as a missing VM.
        ErrorKind::Unauthorized(_)
        | ErrorKind::Forbidden(_)
        | ErrorKind::NotFound(_)
        | ErrorKind::NoSuchPath { .. }
        | ErrorKind::Conflict(_)
        | ErrorKind::Throttled { .. } => false,
        ErrorKind::Api(response) => !(400..500).contains(&response.status),
        _ => true,
    }
}
