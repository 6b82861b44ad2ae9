//! The method table of `Engine::call`: online-only methods answer error 6, unknown ones 3, malformed JSON
//! 222200; and `v1/feature` on the test photos.

mod common;

use base64::Engine as _;
use common::{base64_file, default_engine, golden, testdata};
use facekit_core::api::ONLINE_ONLY_METHODS;
use facekit_core::{DetectOptions, Embedding};
use serde_json::{json, Value};

fn call(method: &str, request: &Value) -> Value {
    let text = default_engine().call(method, &request.to_string());
    serde_json::from_str(&text).expect("responses are JSON")
}

fn assert_envelope(resp: &Value, code: u64) {
    assert_eq!(resp["error_code"], code, "{resp}");
    for key in ["error_msg", "log_id", "timestamp", "cached", "result"] {
        assert!(resp.get(key).is_some(), "{key} missing in {resp}");
    }
}

#[test]
fn online_only_methods_answer_no_permission_under_every_spelling() {
    assert!(ONLINE_ONLY_METHODS.len() >= 20);
    for m in ONLINE_ONLY_METHODS {
        for spelling in [
            m.to_string(),
            format!("/rest/2.0/face/v3/{m}"),
            format!("/rest/2.0/face/v4/{m}"),
            format!("/rpc/2.0/brain/solution/{m}"),
        ] {
            let resp = call(&spelling, &json!({"image": "x", "image_type": "BASE64"}));
            assert_envelope(&resp, 6);
            assert_eq!(resp["error_msg"], "no permission to access data");
            assert!(resp["result"].is_null(), "{spelling}: no fake result");
        }
    }
}

#[test]
fn unknown_methods_answer_3_and_malformed_json_222200() {
    for m in ["", "detectt", "v3/faceset/nope", "/rest/2.0/face/v3/"] {
        let resp = call(m, &json!({}));
        assert_envelope(&resp, 3);
        assert_eq!(resp["error_msg"], "Unsupported openapi method");
    }
    let engine = default_engine();
    for body in ["", "{", "{\"image\": }", "[1,", "nul"] {
        let resp: Value = serde_json::from_str(&engine.call("detect", body)).unwrap();
        assert_envelope(&resp, 222200);
        assert_eq!(resp["error_msg"], "request body should be json format");
    }
    // Valid JSON of the wrong shape is 222200 too (detect wants an object).
    assert_envelope(&call("detect", &json!([1, 2])), 222200);
}

fn feature_vectors(resp: &Value) -> Vec<Embedding> {
    resp["result"]["face_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(f["feature"].as_str().unwrap())
                .unwrap();
            assert_eq!(bytes.len(), 512, "128 little-endian f32");
            Embedding::from_le_bytes(&bytes).unwrap()
        })
        .collect()
}

fn file_url(name: &str) -> String {
    format!(
        "file://{}",
        testdata(name).canonicalize().unwrap().display()
    )
}

fn feature_of(name: &str) -> Value {
    call(
        "/rest/2.0/face/v1/feature",
        &json!({"image": base64_file(name), "image_type": "BASE64", "version": "Android_8001"}),
    )
}

#[test]
fn feature_returns_the_engines_vector_and_location_of_the_face() {
    let resp = feature_of("obama.jpg");
    assert_envelope(&resp, 0);
    let result = &resp["result"];
    assert_eq!(result["face_num"], 1);
    let face = &result["face_list"][0];
    assert!(
        face.get("landmark72").is_none(),
        "no 72 points until a model gives them"
    );
    assert!(face["face_probability"].as_f64().unwrap() > 0.99);
    let g = &golden("obama.json")["faces"][0]["box"];
    let (left, top, w, h) = (
        g[0].as_f64().unwrap(),
        g[1].as_f64().unwrap(),
        g[2].as_f64().unwrap(),
        g[3].as_f64().unwrap(),
    );
    let loc = &face["location"];
    assert!(
        (loc["center_x"].as_f64().unwrap() - (left + w / 2.0)).abs() < 1.0,
        "{loc}"
    );
    assert!(
        (loc["center_y"].as_f64().unwrap() - (top + h / 2.0)).abs() < 1.0,
        "{loc}"
    );
    assert!((loc["width"].as_f64().unwrap() - w).abs() < 1.0, "{loc}");
    assert!(loc["rotation"].as_i64().unwrap().abs() < 10);

    let engine = default_engine();
    let img = engine.decode_file(&testdata("obama.jpg")).unwrap();
    let (_, expected) = engine
        .extract(&img, &DetectOptions::default())
        .unwrap()
        .remove(0);
    let got = &feature_vectors(&resp)[0];
    assert!(
        got.l2_distance(&expected) < 1e-6,
        "the bytes are the engine's vector"
    );
}

#[test]
fn features_compare_like_match_does() {
    let engine = default_engine();
    let [obama, obama2, biden] =
        ["obama.jpg", "obama2.jpg", "biden.jpg"].map(|n| feature_vectors(&feature_of(n)).remove(0));
    let same = engine.compare(&obama, &obama2);
    let other = engine.compare(&obama, &biden);
    assert!(same >= 80.0, "obama/obama2 {same}");
    assert!(other < 80.0, "obama/biden {other}");
}

#[test]
fn feature_options_select_faces_and_bad_values_get_their_codes() {
    // 2.5 MB of PNG: above the 2 MB BASE64 limit, so read as a local file.
    let solvay = file_url("solvay1927.png");
    let req = |extra: Value| {
        let mut r = json!({"image": solvay, "image_type": "URL"});
        r.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        call("feature", &r)
    };
    // 29 faces at the kit's 0.8 threshold; widths run 37.6-54.4 px, 3 of them above 51 px.
    let all = req(json!({"max_face_num": 100, "prob_threshold": 0.8, "min_face_size": 0}));
    assert_eq!(all["result"]["face_num"], 29, "{}", all["error_msg"]);
    let wide = req(json!({"max_face_num": 100, "prob_threshold": "0.8", "min_face_size": 51}));
    assert_eq!(wide["result"]["face_num"], 3);
    // Scores run 0.924-0.998 with none between 0.957 and 0.975.
    let sure = req(json!({"max_face_num": 100, "prob_threshold": 0.96, "min_face_size": 0}));
    assert_eq!(sure["result"]["face_num"], 24);
    // Below the detector's own 0.8 the threshold changes nothing.
    let low = req(json!({"max_face_num": 100, "prob_threshold": 0.1, "min_face_size": 0}));
    assert_eq!(low["result"]["face_num"], 29);
    let two = req(json!({"max_face_num": 2, "prob_threshold": 0.8, "min_face_size": 0}));
    let widths: Vec<f64> = two["result"]["face_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["width"].as_f64().unwrap())
        .collect();
    // Largest (by area) first: the reference's two largest boxes.
    let mut boxes: Vec<(f64, f64)> = golden("solvay1927.json")["faces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let (w, h) = (f["box"][2].as_f64().unwrap(), f["box"][3].as_f64().unwrap());
            (w * h, w)
        })
        .collect();
    boxes.sort_by(|a, b| b.0.total_cmp(&a.0));
    assert_eq!(widths.len(), 2);
    for (got, want) in widths.iter().zip(&boxes) {
        assert!(
            (got - want.1).abs() < 0.5,
            "largest first: {widths:?} vs {boxes:?}"
        );
    }
    // Every face here is narrower than 60 px.
    assert_envelope(&req(json!({"min_face_size": 60})), 222202);

    assert_envelope(&req(json!({"max_face_num": 101})), 222016);
    assert_envelope(&req(json!({"max_face_num": 0})), 222016);
    assert_envelope(&req(json!({"prob_threshold": 1.5})), 216100);
    assert_envelope(&req(json!({"prob_threshold": "high"})), 216100);
    assert_envelope(&req(json!({"min_face_size": -1})), 216100);
    assert_envelope(&req(json!({"version": 8001})), 216100);
    let token = call(
        "feature",
        &json!({"image": "0123456789abcdef0123456789abcdef", "image_type": "FACE_TOKEN"}),
    );
    assert_envelope(&token, 222015);
    assert_envelope(&call("feature", &json!({"image_type": "BASE64"})), 222001);
}

#[test]
fn feature_reads_file_urls() {
    let url = format!(
        "file://{}",
        testdata("biden.jpg").canonicalize().unwrap().display()
    );
    let resp = call("feature", &json!({"image": url, "image_type": "URL"}));
    assert_envelope(&resp, 0);
    assert_eq!(resp["result"]["face_num"], 1);
}
