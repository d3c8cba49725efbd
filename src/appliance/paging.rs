//! Every session, page after page.

use std::collections::{HashSet, VecDeque};

use futures_util::Stream;

use crate::operations::LIST_JOB_SESSIONS;
use crate::types::JobSession;
use crate::{Appliance, Error, ErrorKind};

struct Pages {
    offset: u64,
    seen: HashSet<String>,
    ready: VecDeque<JobSession>,
    last_page: bool,
}

impl Appliance {
    /// Every job session, read `page_size` at a time (the appliance's default is 30).
    ///
    /// The stream follows `offset` until `totalCount` is reached or a page comes back empty.
    /// Sessions that move between pages while it reads are given once. A page holding only
    /// sessions already given ends the stream with [`ErrorKind::RepeatedPage`], so a server that
    /// ignores `offset` cannot make it loop forever. The stream ends after its first error.
    ///
    /// ```no_run
    /// # async fn run(appliance: vbazure::Appliance) -> Result<(), vbazure::Error> {
    /// use futures_util::TryStreamExt;
    /// let sessions: Vec<_> = appliance.job_sessions(100).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn job_sessions(
        &self,
        page_size: u32,
    ) -> impl Stream<Item = Result<JobSession, Error>> + Send + '_ {
        let start = Pages {
            offset: 0,
            seen: HashSet::new(),
            ready: VecDeque::new(),
            last_page: false,
        };
        futures_util::stream::try_unfold(start, move |mut pages| async move {
            loop {
                if let Some(session) = pages.ready.pop_front() {
                    return Ok(Some((session, pages)));
                }
                if pages.last_page {
                    return Ok(None);
                }
                let offset = u32::try_from(pages.offset).map_err(|_| {
                    Error::new(
                        LIST_JOB_SESSIONS,
                        ErrorKind::InvalidRequest {
                            message: format!(
                                "offset {} is larger than the API allows",
                                pages.offset
                            ),
                        },
                    )
                })?;
                let page = self.job_sessions_page(offset, page_size).await?;
                if page.results.is_empty() {
                    return Ok(None);
                }
                let count = page.results.len() as u64;
                let fresh: Vec<JobSession> = page
                    .results
                    .into_iter()
                    .filter(|s| pages.seen.insert(s.id.clone()))
                    .collect();
                if fresh.is_empty() {
                    return Err(Error::new(
                        LIST_JOB_SESSIONS,
                        ErrorKind::RepeatedPage {
                            offset: pages.offset,
                        },
                    ));
                }
                pages.offset += count;
                pages.last_page = pages.offset >= u64::try_from(page.total_count).unwrap_or(0);
                pages.ready.extend(fresh);
            }
        })
    }
}
