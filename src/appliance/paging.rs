//! Every session, page after page.

use std::collections::{HashSet, VecDeque};

use futures_util::Stream;

use super::v8_1_only::undecodable;
use super::{Session, SessionFilter};
use crate::operations::v1::LIST_JOB_SESSIONS;
use crate::{Appliance, Error, ErrorKind};

struct Pages {
    offset: u64,
    seen: HashSet<String>,
    ready: VecDeque<Result<Session, Error>>,
    /// No page is left to ask for.
    done: bool,
}

impl Appliance {
    /// Every job session, read `page_size` at a time (the appliance's default is 30 on v1, 100
    /// on v8.1).
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
    /// let mut sessions = std::pin::pin!(appliance.job_sessions(100));
    /// while let Some(session) = sessions.next().await {
    ///     match session {
    ///         Ok(session) => println!("{} {}", session.id, session.status),
    ///         Err(e) => eprintln!("{e}"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn job_sessions(
        &self,
        page_size: u32,
    ) -> impl Stream<Item = Result<Session, Error>> + Send + '_ {
        self.sessions_stream(page_size, None)
    }

    /// [`job_sessions`](Self::job_sessions) narrowed by `filter` (v8.1; on v1 a non-empty
    /// filter gives one [`ErrorKind::NotInVersion`] error and nothing is sent).
    pub fn job_sessions_filtered<'a>(
        &'a self,
        page_size: u32,
        filter: &'a SessionFilter,
    ) -> impl Stream<Item = Result<Session, Error>> + Send + 'a {
        self.sessions_stream(page_size, Some(filter))
    }

    fn sessions_stream<'a>(
        &'a self,
        page_size: u32,
        filter: Option<&'a SessionFilter>,
    ) -> impl Stream<Item = Result<Session, Error>> + Send + 'a {
        let start = Pages {
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
                let Ok(offset) = u32::try_from(pages.offset) else {
                    let message = format!("offset {} is larger than the API allows", pages.offset);
                    let error =
                        Error::new(LIST_JOB_SESSIONS, ErrorKind::InvalidRequest { message });
                    return Some((Err(error), pages));
                };
                let page = match self.sessions_page(offset, page_size, filter).await {
                    Ok(page) => page,
                    Err(e) => return Some((Err(e), pages)),
                };
                if page.sessions.is_empty() {
                    return None;
                }
                let count = page.sessions.len() as u64;
                let mut fresh = 0;
                for item in page.sessions {
                    match item {
                        Ok(session) => {
                            if pages.seen.insert(session.id.clone()) {
                                fresh += 1;
                                pages.ready.push_back(Ok(session));
                            }
                        }
                        Err(bad) => {
                            fresh += 1;
                            pages
                                .ready
                                .push_back(Err(undecodable(LIST_JOB_SESSIONS, bad)));
                        }
                    }
                }
                if fresh == 0 {
                    let error = Error::new(
                        LIST_JOB_SESSIONS,
                        ErrorKind::RepeatedPage {
                            offset: pages.offset,
                        },
                    );
                    return Some((Err(error), pages));
                }
                pages.offset += count;
                pages.done = page.total_count.is_some_and(|total| pages.offset >= total);
            }
        })
    }
}
