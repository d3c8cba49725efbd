//! The second stage: the removals a cut-off run may have sent, looked for on the appliance
//! before anything is sent again.

use vbazure::{Appliance, Session, Timestamp};

use super::lookup::{look_for_session, Lookup, LOOKUP_MARGIN};
use super::plan::Unit;
use super::tally::Tally;
use super::{Context, Target};
use crate::exit::Exit;
use crate::journal::{self, Event, Journal};
use crate::Failure;

/// The removals an earlier run may have sent, looked for on the appliance: one found is
/// recorded and given back to follow; none found is sent again (added to `to_send`); one that
/// cannot be ruled out is counted unknown and never sent again.
#[allow(clippy::too_many_arguments)]
pub(super) async fn recover(
    appliance: &Appliance,
    cx: &Context,
    target: Target,
    uncertain: Vec<(Vec<(String, String)>, Timestamp)>,
    earlier: &journal::Read,
    journal: Option<&Journal>,
    tally: &mut Tally,
    to_send: &mut Vec<(String, String)>,
) -> Result<Vec<(Unit, Session)>, Failure> {
    let printer = &cx.printer;
    let record = |event: Event| -> Result<(), Failure> {
        match journal {
            Some(journal) => journal.record(&event),
            None => Ok(()),
        }
    };
    let mut found: Vec<(Unit, Session)> = Vec::new();
    for (members, at) in uncertain {
        let ids: Vec<String> = members.iter().map(|(_, id)| id.clone()).collect();
        let label = match members.as_slice() {
            [(label, _)] => label.clone(),
            _ => format!("{} {} of one request", members.len(), target.nouns()),
        };
        match look_for_session(appliance, cx.version, target, &ids, &at, &earlier.sessions).await? {
            Lookup::Found(session) => {
                record(Event::Accepted {
                    at: journal::now(),
                    vms: ids.clone(),
                    session: session.id.clone(),
                    found: true,
                })?;
                printer.text(&format!(
                    "{label}  session {}  found on the appliance: the deletion an earlier run \
                     sent (not sent again)",
                    session.id
                ));
                found.push((
                    Unit {
                        label,
                        ids,
                        batch: members.len() > 1,
                    },
                    session,
                ));
            }
            Lookup::None => to_send.extend(members),
            Lookup::Unknown(why) => {
                tally.unknown += ids.len();
                tally.worst(Exit::Api);
                let since = Timestamp::from(at.as_datetime() - LOOKUP_MARGIN);
                eprintln!(
                    "error: {label}: unknown: a deletion may have been sent at {at} by an earlier \
                     run, and {why}; not sent again (never twice). Check with `vbazure sessions \
                     list --all --type {} --since {since}` and the sessions' logs (`vbazure \
                     sessions log SESSION_ID`); if the {}'s {} are still there, delete them with \
                     a command without this journal",
                    target.session_type(),
                    target.noun(),
                    target.what()
                );
            }
        }
    }
    Ok(found)
}
