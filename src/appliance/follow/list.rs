//! List rounds (API v8.1): the sessions due together, read with the filtered session list, a
//! page at a time, each page one request within the follower's bounds.

use std::collections::{HashMap, HashSet};

use tokio::time::Instant;

use super::poller::{found, Answer, Sends, Via};
use super::{Entry, FollowOptions, Followed, Shared};
use crate::appliance::{SessionFilter, SessionPage};
use crate::Error;

/// The page size asked for (`Limit`). The document gives `Limit` no maximum (`-1` asks for
/// every session at once, which on an appliance with years of history is a huge answer); its
/// default, 100, is the page the appliance serves when asked for none, so a size every
/// appliance is known to answer in its usual time, and small enough (a page of 1,000 sessions
/// decodes in about 0.8 ms, BENCHMARKS.md) that reading past the sessions wanted costs
/// little.
pub(super) const PAGE_LIMIT: u32 = 100;

/// How far before a due session's handing over the list's window starts (`FromUtc`): the
/// appliance's clock may differ from this machine's. The CLI's journal looks for sessions with
/// the same margin (`LOOKUP_MARGIN`).
pub(super) const MARGIN: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// Pages read beyond those the followed sessions could fill: the window also holds sessions
/// that ended and sessions nobody here follows.
const EXTRA_PAGES: u32 = 2;

/// The list rounds under way.
#[derive(Default)]
pub(super) struct Rounds {
    next_id: u64,
    under_way: HashMap<u64, Round>,
}

/// The due sessions of one list, and how far it has been read.
struct Round {
    filter: SessionFilter,
    /// The offset of the next page.
    offset: u64,
    /// Pages read so far, and the most that will be.
    pages: u32,
    max_pages: u32,
    /// The due sessions not seen yet, by list id.
    unseen: HashMap<String, Vec<u64>>,
    /// The ids the last page showed: a page of nothing else ends the round (an appliance that
    /// ignores `Offset`), and an item pushed onto the next page by newer sessions is not read
    /// twice. Only the last page: a round's memory is its due sessions and a page, however
    /// long the window.
    previous: HashSet<String>,
    /// Whether a page is out, or the next one waits to be sent.
    asked: bool,
}

impl Rounds {
    /// Starts a list for the due sessions `keys` (two or more, each listable): sends its first
    /// page.
    pub(super) fn start(
        &mut self,
        shared: &Shared,
        followed: &mut Followed,
        keys: &[u64],
        sends: &mut Sends,
        now: Instant,
    ) {
        let mut unseen: HashMap<String, Vec<u64>> = HashMap::new();
        let mut types = Vec::new();
        let mut every_type_known = true;
        let mut since = None;
        for key in keys {
            let Some(entry) = followed.entries.get_mut(key) else {
                continue;
            };
            let Some(id) = entry.list_id.clone() else {
                continue;
            };
            entry.polling = true;
            unseen.entry(id).or_default().push(*key);
            match entry.list_type {
                Some(kind) if !types.contains(&kind) => types.push(kind),
                Some(_) => {}
                // A session of a kind the filter cannot name: filtering by kind could hide it.
                None => every_type_known = false,
            }
            since = Some(since.map_or(entry.since, |s: crate::Timestamp| s.min(entry.since)));
        }
        types.sort();
        let due = u32::try_from(keys.len()).unwrap_or(u32::MAX);
        // At most a page for every two due sessions, so that each page saves requests, and as
        // many as the followed sessions could fill plus a few; whatever is left unseen then is
        // read by its own `GET`.
        let followed_pages = u32::try_from(followed.entries.len())
            .unwrap_or(u32::MAX)
            .div_ceil(PAGE_LIMIT)
            .saturating_add(EXTRA_PAGES);
        let round = Round {
            filter: SessionFilter {
                types: if every_type_known { types } else { Vec::new() },
                from: since.map(|s| crate::Timestamp::from(s.as_datetime() - MARGIN)),
                ..SessionFilter::default()
            },
            offset: 0,
            pages: 0,
            max_pages: due.div_ceil(2).min(followed_pages).max(1),
            unseen,
            previous: HashSet::new(),
            asked: false,
        };
        let id = self.next_id;
        self.next_id += 1;
        self.under_way.insert(id, round);
        self.send_pages(shared, sends, now);
    }

    /// Whether a round waits to send its next page.
    pub(super) fn pages_to_send(&self) -> bool {
        self.under_way.values().any(|r| !r.asked)
    }

    /// Sends the next page of every round that waits for one, as far as the bounds allow.
    pub(super) fn send_pages(&mut self, shared: &Shared, sends: &mut Sends, now: Instant) {
        for (id, round) in &mut self.under_way {
            if round.asked {
                continue;
            }
            if !sends.open() {
                return;
            }
            round.asked = true;
            // `answered` ends a round before its offset outgrows the API's.
            let offset = u32::try_from(round.offset).unwrap_or(u32::MAX);
            let (id, filter) = (*id, round.filter.clone());
            let appliance = shared.appliance.clone();
            sends.send(
                now,
                Box::pin(async move {
                    let page = appliance
                        .job_sessions_page(offset, PAGE_LIMIT)
                        .filter(&filter)
                        .send()
                        .await;
                    Answer::Page(id, page)
                }),
            );
        }
    }

    /// What a page of round `round_id` showed: the due sessions on it are settled as their
    /// own polls would be, and the round reads on or ends. When it ends, the due sessions it
    /// did not show are read by their own `GET`s.
    pub(super) fn answered(
        &mut self,
        options: &FollowOptions,
        followed: &mut Followed,
        round_id: u64,
        result: Result<SessionPage, Error>,
    ) {
        let Some(mut round) = self.under_way.remove(&round_id) else {
            return;
        };
        round.asked = false;
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                tracing::warn!(
                    sessions = round.unseen.len(),
                    "the session list failed ({error}); polling its sessions one by one"
                );
                round.fall_back(followed);
                return;
            }
        };
        round.pages += 1;
        let count = page.sessions.len() as u64;
        let mut fresh = 0;
        let mut shown = HashSet::new();
        for item in page.sessions {
            let id = match &item {
                Ok(session) => (!session.id.is_empty()).then(|| session.id.to_ascii_lowercase()),
                Err(bad) => bad.id().map(|id| id.to_ascii_lowercase()),
            };
            // An item without an id cannot be recognised again: it counts as new.
            let Some(id) = id else {
                fresh += 1;
                continue;
            };
            if round.previous.contains(&id) || !shown.insert(id.clone()) {
                continue;
            }
            fresh += 1;
            let session = match item {
                Ok(session) => session,
                Err(bad) => {
                    // A due session that does not decode is read by its own `GET` at once.
                    tracing::debug!(id, "a session of the list does not decode ({})", bad.reason);
                    for key in round.unseen.remove(&id).unwrap_or_default() {
                        if let Some(entry) = followed.entries.get_mut(&key) {
                            own_poll(entry);
                        }
                    }
                    continue;
                }
            };
            if let Some(keys) = round.unseen.remove(&id) {
                for key in keys {
                    if let Some(entry) = followed.entries.get_mut(&key) {
                        found(entry, session.clone(), options, Via::List);
                    }
                }
            } else if session.is_finished() {
                // A followed session that is not due (or in another poll) but has ended: its
                // end is known now, whoever asked.
                for key in followed.by_id.get(&id).cloned().unwrap_or_default() {
                    if let Some(entry) = followed.entries.get_mut(&key).filter(|e| e.idle()) {
                        found(entry, session.clone(), options, Via::List);
                    }
                }
            }
        }
        let next = round.offset + count;
        let end = if round.unseen.len() < 2 {
            // Every due session seen, or one left: its own `GET` costs no more than a page and
            // is sure to show it.
            true
        } else if count == 0 || next >= page.total_count.unwrap_or(u64::MAX) {
            true
        } else if fresh == 0 {
            // The page held only the last page's sessions: the appliance ignores `Offset`.
            tracing::debug!(
                offset = round.offset,
                "the session list gave a page already read"
            );
            true
        } else if page.total_count.is_none() && page.limit > 0 && count < page.limit {
            // A short page without a total: the last one.
            true
        } else {
            round.pages >= round.max_pages || u32::try_from(next).is_err()
        };
        if end {
            round.fall_back(followed);
        } else {
            round.previous = shown;
            round.offset = next;
            self.under_way.insert(round_id, round);
        }
    }
}

impl Round {
    /// The due sessions no page showed: their own `GET`s, now.
    fn fall_back(self, followed: &mut Followed) {
        let mut left = 0;
        for key in self.unseen.into_values().flatten() {
            if let Some(entry) = followed.entries.get_mut(&key) {
                own_poll(entry);
                left += 1;
            }
        }
        if left > 0 {
            tracing::debug!(
                sessions = left,
                pages = self.pages,
                "the session list did not show these sessions; polling them one by one"
            );
        }
    }
}

/// Makes `entry`'s next poll, due now, its own `GET`.
fn own_poll(entry: &mut Entry) {
    entry.polling = false;
    entry.own_poll = true;
}
