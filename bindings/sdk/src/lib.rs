//! The AipFace surface of Baidu's published SDKs, shared by facekit's Python, Node, Java and C# bindings (C#
//! through the C ABI's `fk_sdk_call`) so they cannot drift: which SDK method calls which API method with which
//! positional arguments ([`table`]), how arguments and options become the request ([`request`]), and one
//! engine per configuration per process ([`engines`]).
//!
//! The bindings stay thin: they build their `AipFace` classes from [`table::methods`] and send every call
//! through [`sdk_call`].

pub mod engines;
pub mod request;
pub mod table;

use facekit_core::Engine;
use serde_json::Value;

pub use request::{build_request, RequestError};
pub use table::{Dialect, SdkMethod};

/// Runs SDK method `name` (as `dialect` spells it) with its positional arguments and options, both given as
/// JSON text, and returns the cloud's JSON response, envelope included, as the SDKs hand it to the caller.
///
/// `Err` is a misuse the SDK itself would have raised on (an unknown method, options that are not an
/// object); everything the service would answer, errors included, is in the returned JSON.
pub fn sdk_call(
    engine: &Engine,
    dialect: Dialect,
    name: &str,
    args_json: &str,
    options_json: Option<&str>,
) -> Result<String, RequestError> {
    sdk_call_value(engine, dialect, name, args_json, options_json).map(|v| v.to_string())
}

/// [`sdk_call`] with the response as a JSON value.
pub fn sdk_call_value(
    engine: &Engine,
    dialect: Dialect,
    name: &str,
    args_json: &str,
    options_json: Option<&str>,
) -> Result<Value, RequestError> {
    let method =
        table::find(dialect, name).ok_or_else(|| RequestError::UnknownMethod(name.into()))?;
    let args: Vec<Value> = parse(args_json, "arguments")?;
    let options: Value = match options_json {
        Some(text) => parse(text, "options")?,
        None => Value::Null,
    };
    let request = build_request(method, dialect, args, options)?;
    Ok(engine.call_value(&method.api, &request))
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, RequestError> {
    serde_json::from_str(text).map_err(|e| RequestError::BadArguments(format!("{what}: {e}")))
}
