//! `facekit serve`: the cloud's REST surface on a local port, so apps and the unmodified official SDKs
//! (`baidu-aip`, `baidu-aip-sdk`) work against facekit by pointing their URLs at it.
//!
//! What the SDKs need (spec `official-sdk-packages.md` §6): `/oauth/2.0/token` by GET query or POST form,
//! answering a token whose `scope` holds `brain_all_scope` (else the Python SDK switches to request signing);
//! API calls as POST with a JSON body whatever the Content-Type says (the Node SDK labels JSON as a form);
//! real forms on the V1 video endpoints; always a JSON object with an integer `error_code`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{any, post};
use axum::{Json, Router};
use clap::Args;
use facekit_core::api::envelope;
use facekit_core::{Engine, Error, ErrorCode};
use serde_json::{json, Map, Value};

use crate::EngineArgs;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on. The default stays on this machine; expose it deliberately.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
}

pub fn run(args: ServeArgs, engine_args: &EngineArgs) -> Result<(), String> {
    let engine = Arc::new(engine_args.open()?);
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("tokio: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        // The first line tells scripts (and tests) where the server is, also when the port was 0.
        println!("facekit serve: listening on http://{addr}");
        axum::serve(listener, router(engine))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("server: {e}"))
    })
}

pub fn router(engine: Arc<Engine>) -> Router {
    Router::new()
        .route("/oauth/2.0/token", any(token))
        .route("/rest/2.0/face/{*method}", post(api_call))
        .route("/rpc/2.0/feedback/v1/report", post(feedback))
        .fallback(unknown)
        .with_state(engine)
}

/// Any key is accepted: facekit has no accounts. The token has the cloud's shape and lifetime.
async fn token() -> Json<Value> {
    Json(json!({
        "access_token": "24.facekit0000000000000000000000000000.2592000.0.000000-0",
        "expires_in": 2_592_000,
        "scope": "public brain_all_scope vis-faceverify_faceverify_h5-face-liveness",
        "refresh_token": "25.facekit",
        "session_key": "facekit",
        "session_secret": "facekit",
    }))
}

async fn api_call(
    State(engine): State<Arc<Engine>>,
    Path(method): Path<String>,
    body: Bytes,
) -> Json<Value> {
    let request = match parse_body(&body) {
        Ok(v) => v,
        Err(e) => return Json(envelope(Err(e))),
    };
    // Inference is blocking work: keep it off the async workers so slow calls never stall the others.
    let response = tokio::task::spawn_blocking(move || engine.call_value(&method, &request))
        .await
        .unwrap_or_else(|e| envelope(Err(Error::system(format!("request task failed: {e}")))));
    Json(response)
}

async fn feedback() -> Json<Value> {
    Json(envelope(Ok(Value::Null)))
}

async fn unknown() -> Json<Value> {
    Json(envelope(Err(Error::new(ErrorCode::UnsupportedMethod))))
}

/// The body as JSON whatever the Content-Type; a body that is not JSON is read as a form (the V1 video
/// endpoints), numbers left as strings for the method to read.
fn parse_body(body: &[u8]) -> Result<Value, Error> {
    let looks_like_json = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['));
    if looks_like_json {
        return serde_json::from_slice(body)
            .map_err(|e| Error::with_detail(ErrorCode::RequestNotJson, e.to_string()));
    }
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|_| Error::new(ErrorCode::RequestNotJson))?;
    if pairs.is_empty() {
        return Err(Error::new(ErrorCode::RequestNotJson));
    }
    Ok(Value::Object(
        pairs
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect::<Map<_, _>>(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_json_whatever_the_label_or_else_forms() {
        assert_eq!(parse_body(br#"{"a":1}"#).unwrap(), json!({"a": 1}));
        assert_eq!(parse_body(br#"[{"a":1}]"#).unwrap(), json!([{"a": 1}]));
        assert_eq!(
            parse_body(b"video_base64=dmlkZW8%3D&session_id=S1").unwrap(),
            json!({"video_base64": "dmlkZW8=", "session_id": "S1"})
        );
        assert_eq!(parse_body(b"").unwrap_err().code, ErrorCode::RequestNotJson);
        assert_eq!(
            parse_body(b"{broken").unwrap_err().code,
            ErrorCode::RequestNotJson
        );
    }
}
