//! The shared SDK cases (`bindings/cases/*.json`, format in `bindings/cases/README.md`) through the Rust
//! surface the bindings use: `facekit_sdk::sdk_call` with Python's method names. The Python and Node suites
//! run the same files through their `AipFace` classes.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use base64::Engine as _;
use facekit_core::EngineConfig;
use facekit_sdk::{engines, sdk_call, Dialect};
use serde_json::{json, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Error 3: the method is not in this build yet; the case is skipped (and says so), never passed.
const UNSUPPORTED: i64 = 3;

enum Outcome {
    Passed,
    Skipped(String),
}

/// Replaces `{"$base64": file}`, `{"$file_url": file}`, `{"$var": name}` and `${run}` inside strings.
fn resolve(v: &Value, vars: &HashMap<String, Value>, run: &str) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace("${run}", run)),
        Value::Array(items) => Value::Array(items.iter().map(|i| resolve(i, vars, run)).collect()),
        Value::Object(m) => {
            if let Some(file) = m.get("$base64").and_then(Value::as_str) {
                let bytes = std::fs::read(repo().join("testdata").join(file)).expect("test image");
                return json!(base64::engine::general_purpose::STANDARD.encode(bytes));
            }
            if let Some(file) = m.get("$file_url").and_then(Value::as_str) {
                let path = repo()
                    .join("testdata")
                    .join(file)
                    .canonicalize()
                    .expect("test image");
                return json!(format!("file://{}", path.display()));
            }
            if let Some(name) = m.get("$var").and_then(Value::as_str) {
                return vars
                    .get(name)
                    .unwrap_or_else(|| panic!("no saved value {name}"))
                    .clone();
            }
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), resolve(v, vars, run)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// The value at a dotted path (`result.face_list.0.face_token`); null when absent.
fn lookup<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(v, |at, key| match key.parse::<usize>() {
            Ok(i) if at.is_array() => &at[i],
            _ => &at[key],
        })
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Checks one expectation; `Err` says what differs.
fn check(actual: &Value, expected: &Value) -> Result<(), String> {
    let Value::Object(ops) = expected else {
        let same = match (actual.as_f64(), expected.as_f64()) {
            (Some(a), Some(e)) => a == e,
            _ => actual == expected,
        };
        return if same {
            Ok(())
        } else {
            Err(format!("is {actual}, expected {expected}"))
        };
    };
    for (op, arg) in ops {
        let ok = match op.as_str() {
            "equals" => actual == arg,
            "min" => actual.as_f64().is_some_and(|a| a >= arg.as_f64().unwrap()),
            "max" => actual.as_f64().is_some_and(|a| a <= arg.as_f64().unwrap()),
            "len" => {
                let len = actual
                    .as_array()
                    .map(Vec::len)
                    .or(actual.as_str().map(|s| s.chars().count()));
                len.map(|l| l as u64) == arg.as_u64()
            }
            "type" => {
                let t = type_name(actual);
                t == arg || (arg == "number" && t == "integer")
            }
            "contains" => actual.as_array().is_some_and(|a| a.contains(arg)),
            "absent" => actual.is_null() == arg.as_bool().unwrap(),
            other => return Err(format!("unknown matcher {other:?}")),
        };
        if !ok {
            return Err(format!("is {actual}, expected {op} {arg}"));
        }
    }
    Ok(())
}

fn run_case(engine: &facekit_core::Engine, case: &Value, run: &str) -> Result<Outcome, String> {
    let mut vars = HashMap::new();
    for (i, step) in case["steps"].as_array().expect("steps").iter().enumerate() {
        let method = step["call"].as_str().expect("call");
        let args = resolve(&step["args"], &vars, run);
        let args = if args.is_null() { json!([]) } else { args };
        let options = resolve(&step["options"], &vars, run);
        let options_json = (!options.is_null()).then(|| options.to_string());
        let text = sdk_call(
            engine,
            Dialect::Python,
            method,
            &args.to_string(),
            options_json.as_deref(),
        )
        .map_err(|e| format!("step {i} {method}: {e}"))?;
        let response: Value = serde_json::from_str(&text).expect("response is JSON");
        let expect = resolve(&step["expect"], &vars, run);
        if response["error_code"] == UNSUPPORTED && expect["error_code"] != UNSUPPORTED {
            return Ok(Outcome::Skipped(format!(
                "{method} answers 3 Unsupported openapi method"
            )));
        }
        for (path, expected) in expect.as_object().into_iter().flatten() {
            check(lookup(&response, path), expected).map_err(|why| {
                format!("step {i} {method}: {path} {why}\n  response: {response}")
            })?;
        }
        for (name, path) in step["save"].as_object().into_iter().flatten() {
            vars.insert(
                name.clone(),
                lookup(&response, path.as_str().expect("save path")).clone(),
            );
        }
    }
    Ok(Outcome::Passed)
}

/// Straight to stderr, past libtest's capture, so skips show in every run and never pass for passes.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[test]
fn shared_cases_pass_through_the_sdk_surface() {
    let engine = engines::shared(EngineConfig {
        threads: Some(2),
        ..Default::default()
    })
    .expect("engine opens");
    static RUN: AtomicU32 = AtomicU32::new(0);
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("bindings/cases"))
        .expect("bindings/cases")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for file in &files {
        let suite: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .expect("case file is JSON");
        for case in suite["cases"].as_array().expect("cases") {
            let name = format!(
                "{}::{}",
                file.file_stem().unwrap().to_string_lossy(),
                case["name"].as_str().unwrap()
            );
            let run = format!(
                "rs{}_{}",
                std::process::id(),
                RUN.fetch_add(1, Ordering::Relaxed)
            );
            match run_case(&engine, case, &run) {
                Ok(Outcome::Passed) => passed += 1,
                Ok(Outcome::Skipped(why)) => {
                    skipped += 1;
                    report(&format!("SKIPPED {name}: {why}"));
                }
                Err(why) => failures.push(format!("FAILED {name}: {why}")),
            }
        }
    }
    report(&format!(
        "shared cases: {passed} passed, {skipped} skipped, {} failed",
        failures.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(passed > 0, "no case ran");
}
