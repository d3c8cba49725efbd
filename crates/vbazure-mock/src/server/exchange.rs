//! One HTTP exchange: a request read off a connection (its body up to a limit), carried out
//! to the end even if its client goes away, recorded, and answered with an HTTP response.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::{Request, Response};

use crate::reply::Reply;
use crate::shared::Shared;

use super::pipeline::answer;
use super::request_check::BODY_LIMIT;

fn to_http(reply: Reply) -> Response<Full<Bytes>> {
    let body = reply
        .body
        .as_ref()
        .map(|b| Bytes::from(b.to_string()))
        .unwrap_or_default();
    let mut builder = Response::builder().status(reply.status);
    if reply.body.is_some() {
        builder = builder.header(CONTENT_TYPE, reply.content_type);
    }
    for (name, value) in reply.headers {
        builder = builder.header(name, value);
    }
    builder.body(Full::new(body)).unwrap_or_else(|_| {
        let mut fallback = Response::new(Full::new(Bytes::new()));
        *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

pub(super) async fn serve_request(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, BODY_LIMIT).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(_) => Err(413),
    };
    // A request that has arrived is carried out and recorded even if its client goes away
    // before the answer (killed, timed out), as a server does: hyper drops this future when the
    // connection closes, and a deletion must not then be left half-done or out of the record.
    let carried_out = tokio::spawn(async move {
        let (method, path, query) = (parts.method.as_str(), parts.uri.path(), parts.uri.query());
        let reply = answer(&shared, method, path, query, &parts.headers, body).await;
        shared.record(method, path, query, reply.status);
        reply
    });
    let reply = match carried_out.await {
        Ok(reply) => reply,
        // `answer` does not panic; were it to, the client still gets an answer.
        Err(_) => Reply::problem(500, "The mock failed while answering this request."),
    };
    Ok(to_http(reply))
}
