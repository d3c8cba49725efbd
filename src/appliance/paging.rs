//! Every item of a paged list, page after page: the sessions, and (v8.1) the protected VMs.

use std::collections::{HashSet, VecDeque};
use std::future::Future;

use futures_util::Stream;

use crate::{Error, ErrorKind, UndecodableItem};

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
