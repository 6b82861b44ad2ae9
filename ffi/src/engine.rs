//! The engine handle and the JSON API: open, call any V3 method, close.

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::Arc;

use facekit_core::api::envelope;
use facekit_core::{Engine, EngineConfig, Error, ErrorCode};
use facekit_sdk::Dialect;
use serde_json::Value;

use crate::boundary::{c_str, catch, guard, handle};
use crate::error::FkError;

/// An open engine: the loaded models, the token cache and the face library. Open one per process (or per
/// face library) and share it: every function taking a `const FkEngine*` may be called from any number of
/// threads at once.
pub struct FkEngine(pub(crate) Arc<Engine>);

/// Opens an engine.
///
/// `config_json` is NULL, `""` or a JSON object with any of:
/// `"model_dir"` (directory of the ONNX models; default: the `FACEKIT_MODELS` environment variable, then
/// `models/` or `share/facekit/models/` next to or above the executable), `"ort_library"` (path of the ONNX
/// Runtime shared library; default: `ORT_DYLIB_PATH`, then `FACEKIT_ORT_DIR`, then `lib/` next to the
/// executable), `"faceset_db"` (SQLite file of the face library; default: a library in memory that ends with
/// the engine), `"threads"` (threads per model run; default: cores, at most 4), `"flip_embedding"` (default
/// true), `"model_pack_dir"` (the optional models of unclear licence, never shipped: liveness). Unknown keys
/// are an error.
///
/// Returns the engine, or NULL with `*err` set (when `err` is not NULL): 222200 for a bad config, 222302 for a
/// missing or corrupt model or runtime library (the message says which file).
///
/// Thread-safety: safe to call from any thread; engines are independent of each other, though they share the
/// process's one ONNX Runtime (the first engine's `ort_library` is the one loaded).
///
/// # Safety
/// `config_json` is NULL or a NUL-terminated string; `err` is NULL or points to a writable `FkError*`, which
/// should be NULL on entry (an error there would be overwritten, not freed).
#[no_mangle]
pub unsafe extern "C" fn fk_engine_open(
    config_json: *const c_char,
    err: *mut *mut FkError,
) -> *mut FkEngine {
    guard(
        err,
        |_| ptr::null_mut(),
        || {
            let engine = Engine::open(EngineConfig::from_json(config_text(config_json)?)?)?;
            Ok(Box::into_raw(Box::new(FkEngine(Arc::new(engine)))))
        },
    )
}

/// Opens a handle on the process's shared engine for `config_json`: the first call with a configuration opens
/// an engine as `fk_engine_open` does, later calls with the same configuration (the same JSON keys and values)
/// return new handles on that one engine, so every client of a configuration sees one face library and the
/// models load once, as the cloud SDKs' clients share one account. Each handle is closed with
/// `fk_engine_close`; the engine closes with its last handle.
///
/// Returns the handle, or NULL with `*err` set, as `fk_engine_open`.
///
/// Thread-safety: safe to call from any thread; concurrent first calls with one configuration open it once.
///
/// # Safety
/// As `fk_engine_open`.
#[no_mangle]
pub unsafe extern "C" fn fk_engine_open_shared(
    config_json: *const c_char,
    err: *mut *mut FkError,
) -> *mut FkEngine {
    guard(
        err,
        |_| ptr::null_mut(),
        || {
            let engine = facekit_sdk::engines::shared_from_json(config_text(config_json)?)?;
            Ok(Box::into_raw(Box::new(FkEngine(engine))))
        },
    )
}

/// An engine configuration argument: NULL is the default configuration (`""`).
///
/// # Safety
/// `config_json` is NULL or a NUL-terminated string.
unsafe fn config_text<'a>(config_json: *const c_char) -> Result<&'a str, Error> {
    if config_json.is_null() {
        return Ok("");
    }
    c_str(config_json, "config_json", ErrorCode::RequestNotJson)
}

/// Closes an engine handle; the engine releases its models when no handle is left (`fk_engine_open_shared`
/// handles share one engine). NULL is allowed and does nothing.
///
/// Thread-safety: call it once, after every other call on this engine has returned, from any thread.
///
/// # Safety
/// `engine` is NULL or an engine from `fk_engine_open` that has not been closed.
#[no_mangle]
pub unsafe extern "C" fn fk_engine_close(engine: *mut FkEngine) {
    let _ = catch(|| {
        if !engine.is_null() {
            drop(Box::from_raw(engine));
        }
        Ok(())
    });
}

/// Calls one method of the Baidu V3 API, offline: `method` as the cloud names it (`"detect"`, `"match"`,
/// `"search"`, `"faceset/user/add"`, `"v1/feature"`, or the full path `"/rest/2.0/face/v3/detect"`),
/// `request_json` the request body the cloud takes (pass `"{}"` for a method without parameters).
///
/// `*response` receives the cloud's JSON response — `error_code`, `error_msg`, `log_id`, `timestamp`,
/// `cached`, `result` — on success and on failure alike; release it with `fk_string_free`.
///
/// Returns the response's `error_code`: 0 on success, otherwise the Baidu code (3 unknown method, 6 a method
/// only the cloud can run, 222200 malformed JSON, 222001 a NULL argument, 222302 an internal fault, ...).
/// Only when `response` itself is NULL is nothing written (and 222001 returned).
///
/// Thread-safety: safe to call concurrently on one engine from any number of threads.
///
/// # Safety
/// `engine` is NULL or a live engine; `method` and `request_json` are NULL or NUL-terminated strings;
/// `response` is NULL or points to a writable `char*`.
#[no_mangle]
pub unsafe extern "C" fn fk_call(
    engine: *const FkEngine,
    method: *const c_char,
    request_json: *const c_char,
    response: *mut *mut c_char,
) -> i32 {
    respond(response, || {
        let engine = handle(engine, "engine")?;
        let method = c_str(method, "method", ErrorCode::UnsupportedMethod)?;
        let request = c_str(request_json, "request_json", ErrorCode::RequestNotJson)?;
        Ok(engine.0.call_json(method, request))
    })
}

/// Calls a method as one of Baidu's SDKs names it, with that SDK's positional arguments: what the Java and
/// C# `AipFace` classes (and any other binding) send, so that every binding builds its requests in one place
/// (`bindings/sdk/methods.json`).
///
/// `sdk` is `"python"`, `"node"`, `"java"` or `"csharp"`; `method` the SDK's method name (`"addUser"`,
/// `"UserAdd"`, ...); `args_json` a JSON array of the positional arguments, in the SDK's order;
/// `options_json` NULL or a JSON object of the options (as that SDK merges them with the arguments).
///
/// `*response` and the return value are as for `fk_call`. A method the SDK does not have answers 3; arguments
/// that are not a JSON array, or too many of them, or options that are not an object, answer 222200.
///
/// Thread-safety: safe to call concurrently on one engine from any number of threads.
///
/// # Safety
/// `engine` is NULL or a live engine; `sdk`, `method`, `args_json` and `options_json` are NULL or
/// NUL-terminated strings; `response` is NULL or points to a writable `char*`.
#[no_mangle]
pub unsafe extern "C" fn fk_sdk_call(
    engine: *const FkEngine,
    sdk: *const c_char,
    method: *const c_char,
    args_json: *const c_char,
    options_json: *const c_char,
    response: *mut *mut c_char,
) -> i32 {
    respond(response, || {
        let engine = handle(engine, "engine")?;
        let sdk = c_str(sdk, "sdk", ErrorCode::UnsupportedMethod)?;
        let dialect = Dialect::parse(sdk).ok_or_else(|| {
            Error::with_detail(
                ErrorCode::UnsupportedMethod,
                format!("no SDK named {sdk:?}"),
            )
        })?;
        let method = c_str(method, "method", ErrorCode::UnsupportedMethod)?;
        let args = c_str(args_json, "args_json", ErrorCode::RequestNotJson)?;
        let options = if options_json.is_null() {
            None
        } else {
            Some(c_str(
                options_json,
                "options_json",
                ErrorCode::RequestNotJson,
            )?)
        };
        Ok(facekit_sdk::sdk_call_value(
            &engine.0, dialect, method, args, options,
        )?)
    })
}

/// Writes the response `body` makes (or the envelope of its error) to `*response` and returns its
/// `error_code`; nothing is written when `response` is NULL (222001).
unsafe fn respond(response: *mut *mut c_char, body: impl FnOnce() -> Result<Value, Error>) -> i32 {
    if response.is_null() {
        return Error::param_null("response").code() as i32;
    }
    response.write(ptr::null_mut());
    let answer = catch(body).unwrap_or_else(|e| envelope(Err(e)));
    let code = answer["error_code"].as_i64().unwrap_or(0) as i32;
    // serde_json escapes NUL as \u0000, so the text never holds one.
    if let Ok(text) = CString::new(answer.to_string()) {
        response.write(text.into_raw());
    }
    code
}

/// Releases a string from `fk_call` or `fk_sdk_call`. NULL is allowed and does nothing.
///
/// Thread-safety: any thread, once per string.
///
/// # Safety
/// `s` is NULL or a string from `fk_call` or `fk_sdk_call` that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn fk_string_free(s: *mut c_char) {
    let _ = catch(|| {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
        Ok(())
    });
}

/// The library's version, e.g. `"0.1.0"`: a static string, never to be freed.
///
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn fk_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}
