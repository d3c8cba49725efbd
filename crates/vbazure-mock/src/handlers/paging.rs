//! The query parameters the v8.1 lists share (the document has checked their types), and
//! how a page and its links are cut.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::call::Call;
use crate::reply::{query_value, Reply};

/// The page size of the lists when `Limit` is not given.
const DEFAULT_LIMIT: i64 = 100;

pub(super) fn text<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    call.query.get(name).and_then(Value::as_str)
}

pub(super) fn flag(call: &Call<'_>, name: &str) -> Option<bool> {
    call.query.get(name).and_then(Value::as_bool)
}

pub(super) fn texts<'a>(call: &'a Call<'_>, name: &str) -> Vec<&'a str> {
    call.query
        .get(name)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// `Offset` and `Limit`: validated by the document (`Offset` ≥ 0, `Limit` ≥ -1, int32).
pub(super) fn window(call: &Call<'_>) -> (i64, i64) {
    let number = |name: &str| call.query.get(name).and_then(Value::as_i64);
    (
        number("Offset").unwrap_or(0).max(0),
        number("Limit").unwrap_or(DEFAULT_LIMIT),
    )
}

/// The items of `all` in the window `offset`, `limit` (-1: every item from `offset` on).
pub(super) fn page<T>(all: Vec<T>, offset: i64, limit: i64) -> Vec<T> {
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    all.into_iter().skip(skip).take(take).collect()
}

/// A page's `_links`: `self`, `first`, and `prev` / `next` where there are such pages; the
/// hrefs carry `Offset`, `Limit` and the other parameters as given.
pub(super) fn page_links(base: &str, offset: i64, limit: i64, total: i64, extra: &str) -> Value {
    let link = |o: i64| json!({"href": format!("{base}?Offset={o}&Limit={limit}{extra}")});
    let mut links = json!({"self": link(offset), "first": link(0)});
    if limit > 0 {
        if offset > 0 {
            links["prev"] = link((offset - limit).max(0));
        }
        if offset + limit < total {
            links["next"] = link(offset + limit);
        }
    }
    links
}

/// The `&Name=value` of each of `names` the call gave (arrays repeat their key), for the
/// links of a page.
pub(super) fn echoed(call: &Call<'_>, names: &[&str]) -> String {
    let mut extra = String::new();
    for name in names {
        let values: Vec<String> = match call.query.get(*name) {
            Some(Value::Array(items)) => items.iter().map(plain).collect(),
            Some(value) => vec![plain(value)],
            None => Vec::new(),
        };
        for value in values {
            extra.push_str(&format!("&{name}={}", query_value(&value)));
        }
    }
    extra
}

/// A query value as it was sent: a text without its quotes.
fn plain(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}

/// A page of `results` (`total` in all) at `path` (below `/api/v8.1`), as every v8.1 page
/// is written.
pub(super) fn page_json(
    base_url: &str,
    path: &str,
    (offset, limit): (i64, i64),
    total: usize,
    results: Vec<Value>,
    extra: &str,
) -> Value {
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    json!({
        "offset": offset,
        "limit": limit,
        "totalCount": total,
        "results": results,
        "_links": page_links(&format!("{base_url}/api/v8.1{path}"), offset, limit, total, extra),
    })
}

/// A time the document has already checked as a `date-time`; 400 if it is not one chrono
/// reads (an offset beyond ±23:59, say).
pub(super) fn time(call: &Call<'_>, name: &str) -> Result<Option<DateTime<Utc>>, Reply> {
    let Some(text) = text(call, name) else {
        return Ok(None);
    };
    DateTime::parse_from_rfc3339(text)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|e| {
            Reply::validation(BTreeMap::from([(
                name.to_string(),
                vec![format!("{text:?} is not a valid date-time: {e}.")],
            )]))
        })
}
