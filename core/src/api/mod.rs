//! The Baidu V3 request/response layer: `Engine::call(method, request_json)` answers with the JSON the cloud
//! returns, envelope included (`error_code`, `error_msg`, `log_id`, `timestamp`, `cached`, `result`).
//!
//! Methods are named as in the cloud's URL after `/rest/2.0/face/`, with or without the version:
//! `detect`, `v3/match`, `faceset/user/add`, `/rest/2.0/face/v3/search`, `v1/landmark`, …

pub mod controls;
mod detect;
mod face_fields;
mod faces;
mod faceset;
mod faceverify;
mod feature;
mod landmark;
mod matching;
mod merge;
pub mod params;
mod search;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};

pub use params::Control;

/// Every method `Engine::call` answers, by its canonical name.
pub const METHODS: &[&str] = &[
    "detect",
    "match",
    "faceverify",
    "landmark",
    "merge",
    "search",
    "multi-search",
    "faceset/user/add",
    "faceset/user/update",
    "faceset/user/get",
    "faceset/user/copy",
    "faceset/user/delete",
    "faceset/face/getlist",
    "faceset/face/delete",
    "faceset/group/add",
    "faceset/group/delete",
    "faceset/group/getlist",
    "faceset/group/getusers",
    "feature",
];

/// Methods of the cloud that need its identity databases, its servers or models facekit does not ship; offline
/// they answer error 6 ("no permission to access data"), the cloud's answer to an app without access to an API,
/// with the reason in the error's detail. Reviewed against the endpoint checklist of the API reference:
pub const ONLINE_ONLY_METHODS: &[&str] = &[
    // Identity checks against the public-security photo and ID database (V3 and V4 "MingJing").
    "person/verify",
    "person/idmatch",
    "verify_date",
    "idmatch_date",
    "idmatch_status",
    "mingjing/verify",
    // Encrypted-image variants: the images are encrypted with Baidu's keys and come with device-risk scoring.
    "person/verifySec",
    "person/verify_fin",
    "matchsec",
    "match_fin",
    "mingjing/match",
    // H5 video liveness: server-issued session codes and speech recognition of the recorded video.
    "faceliveness/sessioncode",
    "faceliveness/verify",
    // Generative attribute editing (to kid, to old, gender swap): no such model ships with facekit.
    "editattr",
    // V4 online picture liveness: an encrypted capture of Baidu's app SDK, checked on its servers.
    "v4/faceverify",
    // The hosted real-name solution (`/rpc/2.0/brain/solution/faceprint/...`): console plans, tokens, results.
    "faceprint/verifyToken/generate",
    "faceprint/idcard/submit",
    "faceprint/uploadMatchImage",
    "faceprint/result/simple",
    "faceprint/result/detail",
    "faceprint/result/getall",
    "faceprint/result/stat",
    "faceprint/result/media/query",
    // The access-token exchange: offline there is no account and nothing to authenticate.
    "oauth/2.0/token",
];

/// Methods whose name keeps its version: V4 online picture liveness (`v4/faceverify`, an encrypted capture
/// of Baidu's app SDK) is not V3 `faceverify`.
const VERSIONED_METHODS: &[&str] = &["v4/faceverify"];

/// Strips the URL prefix and version from a method name: `/rest/2.0/face/v3/faceset/user/add` →
/// `faceset/user/add`, `/rpc/2.0/brain/solution/faceprint/result/detail` → `faceprint/result/detail`.
pub fn canonical_method(method: &str) -> &str {
    let m = method.trim().trim_matches('/');
    let m = ["rest/2.0/face/", "rpc/2.0/brain/solution/"]
        .iter()
        .find_map(|prefix| m.strip_prefix(prefix))
        .unwrap_or(m);
    if VERSIONED_METHODS.contains(&m) {
        return m;
    }
    for v in ["v1/", "v2/", "v3/", "v4/"] {
        if let Some(rest) = m.strip_prefix(v) {
            return rest;
        }
    }
    m
}

impl Engine {
    /// Runs one API method on a JSON request and returns the JSON response, as the cloud would.
    pub fn call(&self, method: &str, request_json: &str) -> String {
        self.call_json(method, request_json).to_string()
    }

    /// [`Engine::call`] with the response not yet serialised (the C ABI reads its `error_code`).
    pub fn call_json(&self, method: &str, request_json: &str) -> Value {
        match serde_json::from_str::<Value>(request_json) {
            Ok(request) => self.call_value(method, &request),
            Err(e) => envelope(Err(Error::with_detail(
                ErrorCode::RequestNotJson,
                e.to_string(),
            ))),
        }
    }

    /// [`Engine::call`] on parsed JSON.
    pub fn call_value(&self, method: &str, request: &Value) -> Value {
        envelope(self.dispatch(method, request))
    }

    /// The `result` of a method, or its error.
    pub fn dispatch(&self, method: &str, request: &Value) -> Result<Value> {
        let m = canonical_method(method);
        match m {
            "detect" => detect::detect(self, request),
            "match" => matching::match_faces(self, request),
            "faceverify" => faceverify::faceverify(self, request),
            "landmark" => landmark::landmark(self, request),
            "merge" => merge::merge(self, request),
            "search" => search::search(self, request),
            "multi-search" => search::multi_search(self, request),
            "faceset/user/add" => faceset::user_add(self, request),
            "faceset/user/update" => faceset::user_update(self, request),
            "faceset/user/get" => faceset::user_get(self, request),
            "faceset/user/copy" => faceset::user_copy(self, request),
            "faceset/user/delete" => faceset::user_delete(self, request),
            "faceset/face/getlist" => faceset::face_getlist(self, request),
            "faceset/face/delete" => faceset::face_delete(self, request),
            "faceset/group/add" => faceset::group_add(self, request),
            "faceset/group/delete" => faceset::group_delete(self, request),
            "faceset/group/getlist" => faceset::group_getlist(self, request),
            "faceset/group/getusers" => faceset::group_getusers(self, request),
            "feature" => feature::feature(self, request),
            _ if ONLINE_ONLY_METHODS.contains(&m) => Err(Error::with_detail(
                ErrorCode::NoPermission,
                format!(
                    "{m} runs only on Baidu's servers (identity database, encryption keys, hosted \
                     sessions or a model facekit does not ship); facekit works offline"
                ),
            )),
            _ => Err(Error::with_detail(
                ErrorCode::UnsupportedMethod,
                format!("unknown method {method:?}"),
            )),
        }
    }
}

static LOG_SEQ: AtomicU64 = AtomicU64::new(0);

/// A request id, unique within the process and unlikely to repeat across processes (time, pid, counter).
fn log_id() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let seq = LOG_SEQ.fetch_add(1, Ordering::Relaxed);
    // SplitMix64 of the mix: ids look random, like the cloud's, and stay below 2^53 so JavaScript reads them exactly.
    let mut z = nanos
        ^ (std::process::id() as u64).rotate_left(32)
        ^ seq.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) & ((1 << 53) - 1)
}

/// Wraps a method's outcome in the cloud's envelope. Errors carry `"result": null`, as the cloud's do.
pub fn envelope(outcome: Result<Value>) -> Value {
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (code, msg, result) = match outcome {
        Ok(result) => (0, "SUCCESS".to_string(), result),
        Err(e) => (e.code(), e.message, Value::Null),
    };
    json!({
        "error_code": code,
        "error_msg": msg,
        "log_id": log_id(),
        "timestamp": timestamp,
        "cached": 0,
        "result": result,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_lose_prefix_and_version() {
        assert_eq!(
            canonical_method("/rest/2.0/face/v3/faceset/user/add"),
            "faceset/user/add"
        );
        assert_eq!(canonical_method("v3/detect"), "detect");
        assert_eq!(canonical_method("multi-search"), "multi-search");
        assert_eq!(
            canonical_method("/rpc/2.0/brain/solution/faceprint/verifyToken/generate"),
            "faceprint/verifyToken/generate"
        );
        assert_eq!(canonical_method("/oauth/2.0/token"), "oauth/2.0/token");
        assert_eq!(
            canonical_method("/rest/2.0/face/v4/faceverify"),
            "v4/faceverify"
        );
    }

    #[test]
    fn envelope_has_the_cloud_fields() {
        let ok = envelope(Ok(json!({"a": 1})));
        assert_eq!(ok["error_code"], 0);
        assert_eq!(ok["error_msg"], "SUCCESS");
        assert_eq!(ok["cached"], 0);
        assert!(ok["log_id"].as_u64().unwrap() > 0);
        let err = envelope(Err(Error::new(ErrorCode::NoFace)));
        assert_eq!(err["error_code"], 222202);
        assert_eq!(err["error_msg"], "pic not has face");
        assert!(err["result"].is_null());
        assert_ne!(log_id(), log_id());
    }
}
