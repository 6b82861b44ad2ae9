//! One engine per configuration per process: clients of one configuration share it (and its face library);
//! it closes with its last client.

use std::sync::Arc;

use facekit_core::EngineConfig;
use facekit_sdk::engines;
use serde_json::json;

fn config() -> EngineConfig {
    EngineConfig {
        threads: Some(1),
        flip_embedding: Some(false),
        ..Default::default()
    }
}

fn group_count(engine: &facekit_core::Engine) -> usize {
    let r = engine.call_value("faceset/group/getlist", &json!({}));
    r["result"]["group_id_list"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

#[test]
fn clients_of_one_configuration_share_an_engine_until_the_last_lets_go() {
    let a = engines::shared(config()).expect("engine opens");
    let b = engines::shared_from_json(r#"{"threads": 1, "flip_embedding": false}"#)
        .expect("same engine");
    assert!(Arc::ptr_eq(&a, &b));
    let other = engines::shared(EngineConfig {
        threads: Some(2),
        ..config()
    })
    .expect("engine opens");
    assert!(!Arc::ptr_eq(&a, &other));

    let added = a.call_value("faceset/group/add", &json!({"group_id": "shared_engine"}));
    assert_eq!(added["error_code"], 0);
    assert_eq!(group_count(&b), 1);

    drop((a, b));
    let reopened = engines::shared(config()).expect("engine opens again");
    assert_eq!(
        group_count(&reopened),
        0,
        "the in-memory library closed with its last client"
    );
}

#[test]
fn a_bad_configuration_is_an_error_not_a_panic() {
    let e = engines::shared_from_json(r#"{"threds": 2}"#)
        .err()
        .expect("unknown field refused");
    assert_eq!(e.code(), 222200);
    let missing = engines::shared(EngineConfig {
        model_dir: Some("/no/such/models".into()),
        ..config()
    });
    assert_eq!(missing.err().map(|e| e.code()), Some(222302));
}
