//! From an SDK call's positional arguments and options to the API request, as each SDK builds it.

use std::fmt;

use serde_json::{Map, Value};

use crate::table::{Body, Dialect, SdkMethod};

/// A call the SDK itself would have refused before sending anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    UnknownMethod(String),
    BadArguments(String),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::UnknownMethod(m) => write!(f, "AipFace has no method {m:?}"),
            RequestError::BadArguments(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for RequestError {}

/// The API's answer to a misused SDK call, for bindings that answer in JSON rather than raise: an unknown
/// method is 3, as the cloud answers a method it lacks; bad arguments are 222200, a malformed request.
impl From<RequestError> for facekit_core::Error {
    fn from(e: RequestError) -> Self {
        use facekit_core::ErrorCode;
        let code = match e {
            RequestError::UnknownMethod(_) => ErrorCode::UnsupportedMethod,
            RequestError::BadArguments(_) => ErrorCode::RequestNotJson,
        };
        facekit_core::Error::with_detail(code, e.to_string())
    }
}

/// The request `method` sends for `args` (one value per positional argument; missing ones are null, as an
/// omitted JavaScript argument is) and `options` (null or an object).
pub fn build_request(
    method: &SdkMethod,
    dialect: Dialect,
    mut args: Vec<Value>,
    options: Value,
) -> Result<Value, RequestError> {
    if args.len() > method.args.len() {
        return Err(RequestError::BadArguments(format!(
            "{} takes {} positional arguments, got {}",
            method.api,
            method.args.len(),
            args.len()
        )));
    }
    args.resize(method.args.len(), Value::Null);
    if method.body == Body::Array {
        return Ok(args.remove(0));
    }
    let options = match options {
        Value::Null => Map::new(),
        Value::Object(m) => m,
        other => {
            return Err(RequestError::BadArguments(format!(
                "options must be an object (a dict), not {other}"
            )))
        }
    };
    let mut request: Map<String, Value> = method.args.iter().cloned().zip(args).collect();
    for (key, value) in options {
        // Python's `data.update(options)` (and Java's and C#'s body maps) let an option replace an
        // argument; Node's `objectTools.merge(param, options)` keeps the argument.
        if dialect.options_override_arguments() || !request.contains_key(&key) {
            request.insert(key, value);
        }
    }
    Ok(Value::Object(request))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::table::find;

    #[test]
    fn arguments_fill_their_keys_and_options_join() {
        let m = find(Dialect::Python, "addUser").unwrap();
        let req = build_request(
            m,
            Dialect::Python,
            vec![json!("aGk="), json!("BASE64"), json!("g1"), json!("u1")],
            json!({"user_info": "张三"}),
        )
        .unwrap();
        assert_eq!(
            req,
            json!({"image": "aGk=", "image_type": "BASE64", "group_id": "g1", "user_id": "u1", "user_info": "张三"})
        );
    }

    #[test]
    fn python_options_override_arguments_node_arguments_win() {
        let m = find(Dialect::Python, "detect").unwrap();
        let args = || vec![json!("aGk="), json!("BASE64")];
        let opts = json!({"image_type": "FACE_TOKEN"});
        let py = build_request(m, Dialect::Python, args(), opts.clone()).unwrap();
        assert_eq!(py["image_type"], "FACE_TOKEN");
        let node = build_request(m, Dialect::Node, args(), opts).unwrap();
        assert_eq!(node["image_type"], "BASE64");
    }

    #[test]
    fn renamed_python_parameters_fill_the_wire_keys() {
        let m = find(Dialect::Python, "faceMingJingMatch").unwrap();
        let req = build_request(
            m,
            Dialect::Python,
            vec![json!("a"), json!("BASE64"), json!("b"), json!("URL")],
            Value::Null,
        )
        .unwrap();
        assert_eq!(req["register_image_type"], "URL");
        assert_eq!(m.python_params()[1], "imageType");
    }

    #[test]
    fn array_bodies_pass_through_and_missing_arguments_are_null() {
        let m = find(Dialect::Node, "match").unwrap();
        let images = json!([{"image": "a", "image_type": "BASE64"}]);
        assert_eq!(
            build_request(m, Dialect::Node, vec![images.clone()], Value::Null).unwrap(),
            images
        );
        let d = find(Dialect::Node, "detect").unwrap();
        let req = build_request(d, Dialect::Node, vec![json!("a")], Value::Null).unwrap();
        assert_eq!(req, json!({"image": "a", "image_type": null}));
    }

    #[test]
    fn misuse_is_refused() {
        let d = find(Dialect::Python, "detect").unwrap();
        let too_many = vec![json!(1), json!(2), json!(3)];
        assert!(matches!(
            build_request(d, Dialect::Python, too_many, Value::Null),
            Err(RequestError::BadArguments(_))
        ));
        assert!(build_request(d, Dialect::Python, vec![], json!("max_face_num=2")).is_err());
    }
}
