//! Every item of a paged list, page after page: the sessions, and (v8.1) the protected VMs.

use std::collections::{HashSet, VecDeque};
use std::future::Future;

use futures_util::Stream;

use super::dialect::Step;
use super::{Session, SessionFilter};
use crate::{Appliance, Error, ErrorKind, UndecodableItem};

/// One page as the pager needs it: its items, each decoded on its own, the total when the
/// appliance gives one, and the operation that read it (which errors about its items name).
pub(super) struct Fetched<T> {
    pub(super) items: Vec<Result<T, UndecodableItem>>,
    pub(super) total: Option<u64>,
    pub(super) operation: &'static str,
}

struct Pages<T, F> {
    fetch: F,
    offset: u64,
    seen: HashSet<String>,
    ready: VecDeque<Result<T, Error>>,
    /// No page is left to ask for.
    done: bool,
}

/// Every item of a list read with `fetch(offset)`, until the total is reached or a page comes
/// back empty. An offset the API cannot take is `fetch`'s error to give. Items that move between pages while it reads are given once (by `id`); an item
/// that does not decode is an [`ErrorKind::UndecodableItem`] and the stream goes on; a page of
/// items already given ends it with [`ErrorKind::RepeatedPage`], so that a server that ignores
/// the offset cannot make it loop forever; any other error ends it.
pub(super) fn pages<'a, T, F, Fut>(
    fetch: F,
    id: fn(&T) -> Option<String>,
) -> impl Stream<Item = Result<T, Error>> + Send + 'a
where
    T: Send + 'a,
    F: FnMut(u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Fetched<T>, Error>> + Send + 'a,
{
    let start = Pages {
        fetch,
        offset: 0,
        seen: HashSet::new(),
        ready: VecDeque::new(),
        done: false,
    };
    futures_util::stream::unfold(start, move |mut pages| async move {
        loop {
            if let Some(item) = pages.ready.pop_front() {
                return Some((item, pages));
            }
            if pages.done {
                return None;
            }
            // Whatever happens next, an error ends the stream.
            pages.done = true;
            let page = match (pages.fetch)(pages.offset).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), pages)),
            };
            if page.items.is_empty() {
                return None;
            }
            let count = page.items.len() as u64;
            let operation = page.operation;
            let mut fresh = 0;
            for item in page.items {
                match item {
                    Ok(item) => {
                        // An item without an id cannot be recognised again: it is given.
                        if id(&item).is_none_or(|id| pages.seen.insert(id)) {
                            fresh += 1;
                            pages.ready.push_back(Ok(item));
                        }
                    }
                    Err(bad) => {
                        fresh += 1;
                        pages
                            .ready
                            .push_back(Err(Error::undecodable_item(operation, bad)));
                    }
                }
            }
            if fresh == 0 {
                let error = Error::new(
                    operation,
                    ErrorKind::RepeatedPage {
                        offset: pages.offset,
                    },
                );
                return Some((Err(error), pages));
            }
            pages.offset += count;
            pages.done = page.total.is_some_and(|total| pages.offset >= total);
        }
    })
}

impl Appliance {
    /// Every job session (or, with [`filter`](super::request::JobSessions::filter), those a
    /// filter lets through), read `page_size` at a time (the appliance's default is 30 on v1,
    /// 100 on v8.1).
    ///
    /// The stream follows `offset` until `totalCount` is reached or a page comes back empty.
    /// Sessions that move between pages while it reads are given once. A session the client
    /// cannot decode comes as an [`ErrorKind::UndecodableItem`] error naming it, and the stream
    /// goes on with the others. A page holding only sessions already given ends the stream
    /// with [`ErrorKind::RepeatedPage`], so a server that ignores `offset` cannot make it loop
    /// forever. Any other error ends the stream.
    ///
    /// ```no_run
    /// # async fn run(appliance: vbazure::Appliance) -> Result<(), vbazure::Error> {
    /// use futures_util::StreamExt;
    /// let mut sessions = std::pin::pin!(appliance.job_sessions(100).stream());
    /// while let Some(session) = sessions.next().await {
    ///     match session {
    ///         Ok(session) => println!("{} {}", session.id, session.status),
    ///         Err(e) => eprintln!("{e}"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn job_sessions(&self, page_size: u32) -> super::request::JobSessions<'_> {
        super::request::JobSessions::new(self, page_size)
    }

    pub(crate) fn sessions_stream<'a>(
        &'a self,
        page_size: u32,
        filter: Option<&'a SessionFilter>,
    ) -> impl Stream<Item = Result<Session, Error>> + Send + 'a {
        let fetch = move |offset| async move {
            let page = self.sessions_page(offset, page_size, filter).await?;
            Ok(Fetched {
                items: page.sessions,
                total: page.total_count,
                operation: self.dialect().await?.operation(Step::ListJobSessions),
            })
        };
        pages(fetch, |s: &Session| {
            (!s.id.is_empty()).then(|| s.id.clone())
        })
    }
}
