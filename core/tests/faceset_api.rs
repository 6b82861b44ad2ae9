//! The V3 face-library methods, search and multi-search through `Engine::call`, on real photos and real
//! embeddings: results in the cloud's shape, scores on the `match` scale, every error code. Each test works
//! in groups of its own, since the tests share one engine (and its in-memory library).

mod common;

use common::{base64_file, default_engine, testdata};
use facekit_core::{Engine, EngineConfig};
use serde_json::{json, Value};

fn call(engine: &Engine, method: &str, request: Value) -> Value {
    engine.call_value(method, &request)
}

/// The `result` of a successful call.
fn ok(engine: &Engine, method: &str, request: Value) -> Value {
    let r = call(engine, method, request.clone());
    assert_eq!(r["error_code"], 0, "{method} {r}");
    assert_eq!(r["error_msg"], "SUCCESS");
    r["result"].clone()
}

/// The error code of a call that must fail (its result is null, as the cloud's).
fn err(engine: &Engine, method: &str, request: Value) -> u64 {
    let r = call(engine, method, request);
    assert!(r["result"].is_null(), "{r}");
    r["error_code"].as_u64().unwrap()
}

fn photo(name: &str) -> Value {
    json!({"image": base64_file(name), "image_type": "BASE64"})
}

fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn add(engine: &Engine, group: &str, user: &str, image: &str) -> Value {
    ok(
        engine,
        "faceset/user/add",
        with(photo(image), json!({"group_id": group, "user_id": user})),
    )
}

fn score(v: &Value) -> f64 {
    v["score"].as_f64().unwrap()
}

#[test]
fn register_then_search_and_verify() {
    let e = default_engine();
    let added = ok(
        e,
        "faceset/user/add",
        with(
            photo("obama.jpg"),
            json!({"group_id": "api_people", "user_id": "obama", "user_info": "44th"}),
        ),
    );
    let token = added["face_token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 32);
    assert!(added["location"]["width"].as_f64().unwrap() > 50.0);
    assert!(added["location"]["rotation"].is_i64());
    add(e, "api_people", "obama", "obama2.jpg");
    add(e, "api_people", "biden", "biden.jpg");
    add(e, "api_people", "astronaut", "astronaut.png");
    // The same photo twice for one user.
    let again = with(
        photo("obama.jpg"),
        json!({"group_id": "api_people", "user_id": "obama"}),
    );
    assert_eq!(err(e, "faceset/user/add", again), 223105);

    let probe = with(photo("obama3.jpg"), json!({"group_id_list": "api_people"}));
    let found = ok(e, "search", probe.clone());
    assert_eq!(found["face_token"].as_str().unwrap().len(), 32);
    let users = found["user_list"].as_array().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["user_id"], "obama");
    assert_eq!(users[0]["group_id"], "api_people");
    assert_eq!(users[0]["user_info"], "44th");
    // The score is `match`'s score against the user's nearer photo.
    let m = |other: &str| score(&ok(e, "match", json!([photo("obama3.jpg"), photo(other)])));
    let best = m("obama.jpg").max(m("obama2.jpg"));
    assert!(best >= 80.0, "{best}");
    assert!(
        (score(&users[0]) - best).abs() < 1e-3,
        "{} vs {best}",
        users[0]
    );

    let top3 = ok(e, "search", with(probe.clone(), json!({"max_user_num": 3})));
    let list = top3["user_list"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["user_id"], "obama");
    assert!(list.windows(2).all(|w| score(&w[0]) >= score(&w[1])));
    assert!(score(&list[1]) < 80.0);

    // 1:1 against a stored user, with and without a threshold.
    let verify = with(probe.clone(), json!({"user_id": "biden"}));
    let one = ok(e, "search", verify.clone());
    assert_eq!(one["user_list"][0]["user_id"], "biden");
    assert!(score(&one["user_list"][0]) < 80.0);
    let strict = with(verify, json!({"match_threshold": 80}));
    assert_eq!(err(e, "search", strict), 222207);
    let nobody = with(probe.clone(), json!({"user_id": "nobody"}));
    assert_eq!(err(e, "search", nobody), 223103);

    // A registered face's token is an input like any image; it finds its own user at 100.
    let by_token =
        json!({"image": token, "image_type": "FACE_TOKEN", "group_id_list": "api_people"});
    let same = ok(e, "search", by_token);
    assert_eq!(same["face_token"], token.as_str());
    assert_eq!(same["user_list"][0]["user_id"], "obama");
    assert!(score(&same["user_list"][0]) > 99.99);

    let faces = ok(
        e,
        "faceset/face/getlist",
        json!({"user_id": "obama", "group_id": "api_people"}),
    );
    let faces = faces["face_list"].as_array().unwrap();
    assert_eq!(faces.len(), 2);
    assert_eq!(faces[0]["face_token"], token.as_str());
    let ctime = faces[0]["ctime"].as_str().unwrap();
    assert!(
        ctime.len() == 19 && &ctime[4..5] == "-" && &ctime[13..14] == ":",
        "{ctime}"
    );
    let user = ok(
        e,
        "faceset/user/get",
        json!({"user_id": "obama", "group_id": "api_people"}),
    );
    assert_eq!(
        user["user_list"],
        json!([{"user_info": "44th", "group_id": "api_people"}])
    );
}

/// Two photos side by side in one PNG, each scaled to 400 px high, as base64.
fn side_by_side(a: &str, b: &str) -> String {
    use base64::Engine as _;
    let load = |name: &str| {
        let img = image::open(testdata(name)).unwrap().to_rgb8();
        let w = img.width() * 400 / img.height();
        image::imageops::resize(&img, w, 400, image::imageops::FilterType::Triangle)
    };
    let (a, b) = (load(a), load(b));
    let h = 400;
    let mut out = image::RgbImage::new(a.width() + b.width(), h);
    image::imageops::replace(&mut out, &a, 0, 0);
    image::imageops::replace(&mut out, &b, a.width() as i64, 0);
    let mut bytes = Vec::new();
    out.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn multi_search_names_every_face() {
    let e = default_engine();
    add(e, "api_multi", "obama", "obama.jpg");
    add(e, "api_multi", "biden", "biden.jpg");
    let pair = json!({"image": side_by_side("obama2.jpg", "biden.jpg"), "image_type": "BASE64",
                      "group_id_list": "api_multi", "max_face_num": 5});
    let found = ok(e, "multi-search", pair);
    assert_eq!(found["face_num"], 2);
    let mut names: Vec<(f64, String, f64)> = found["face_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["face_token"].as_str().unwrap().len(), 32);
            let users = f["user_list"].as_array().unwrap();
            assert_eq!(users.len(), 1, "{f}");
            (
                f["location"]["left"].as_f64().unwrap(),
                users[0]["user_id"].as_str().unwrap().to_string(),
                score(&users[0]),
            )
        })
        .collect();
    names.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(names[0].1, "obama");
    assert_eq!(names[1].1, "biden");
    assert!(names.iter().all(|n| n.2 >= 80.0), "{names:?}");
    // Nobody known in the photo: the default threshold 80 leaves every face unmatched.
    let stranger = with(
        photo("astronaut.png"),
        json!({"group_id_list": "api_multi"}),
    );
    assert_eq!(err(e, "multi-search", stranger.clone()), 222207);
    // With threshold 0 the face is reported with its nearest user.
    let loose = ok(
        e,
        "multi-search",
        with(stranger, json!({"match_threshold": 0})),
    );
    assert_eq!(loose["face_num"], 1);
    assert!(score(&loose["face_list"][0]["user_list"][0]) < 80.0);
}

#[test]
fn library_methods_and_their_error_codes() {
    let e = default_engine();
    let obama = || photo("obama.jpg");
    // group/add, group/getusers, user/copy, user/delete, face/delete, group/delete.
    assert!(ok(e, "faceset/group/add", json!({"group_id": "api_err_a"})).is_null());
    assert_eq!(
        err(e, "faceset/group/add", json!({"group_id": "api_err_a"})),
        223101
    );
    assert_eq!(err(e, "faceset/group/add", json!({})), 222001);
    assert_eq!(
        err(e, "faceset/group/add", json!({"group_id": "a-b"})),
        222006
    );
    let added = add(e, "api_err_b", "u1", "obama.jpg");
    add(e, "api_err_b", "u2", "biden.jpg");
    add(e, "api_err_b", "u3", "astronaut.png");
    let users = ok(
        e,
        "faceset/group/getusers",
        json!({"group_id": "api_err_b", "start": 1, "length": 1}),
    );
    assert_eq!(users["user_id_list"], json!(["u2"]));
    let all = ok(
        e,
        "faceset/group/getusers",
        json!({"group_id": "api_err_b"}),
    );
    assert_eq!(all["user_id_list"], json!(["u1", "u2", "u3"]));
    let groups = ok(
        e,
        "faceset/group/getlist",
        json!({"start": 0, "length": 1000}),
    );
    let groups = groups["group_id_list"].as_array().unwrap();
    assert!(groups.contains(&json!("api_err_a")) && groups.contains(&json!("api_err_b")));
    assert_eq!(
        err(e, "faceset/group/getlist", json!({"length": 1001})),
        222003
    );
    assert_eq!(
        err(e, "faceset/group/getlist", json!({"start": -1})),
        222002
    );
    assert_eq!(
        err(e, "faceset/group/getusers", json!({"group_id": "api_none"})),
        223100
    );

    let copy = |user: &str, src: &str, dst: &str| json!({"user_id": user, "src_group_id": src, "dst_group_id": dst});
    assert!(ok(e, "faceset/user/copy", copy("u1", "api_err_b", "api_err_a")).is_null());
    assert_eq!(
        err(e, "faceset/user/copy", copy("u1", "api_err_b", "api_err_a")),
        223102
    );
    assert_eq!(
        err(e, "faceset/user/copy", copy("u1", "api_err_b", "api_none")),
        223111
    );
    assert_eq!(
        err(e, "faceset/user/copy", copy("u9", "api_err_b", "api_err_a")),
        223103
    );
    assert_eq!(
        err(e, "faceset/user/copy", copy("u1", "api_none", "api_err_a")),
        223100
    );
    let u1_groups = ok(
        e,
        "faceset/user/get",
        json!({"user_id": "u1", "group_id": "@ALL"}),
    );
    assert_eq!(u1_groups["user_list"].as_array().unwrap().len(), 2);
    assert_eq!(
        err(
            e,
            "faceset/user/get",
            json!({"user_id": "u9", "group_id": "@ALL"})
        ),
        223103
    );
    assert_eq!(
        err(
            e,
            "faceset/user/get",
            json!({"user_id": "u1", "group_id": "api_none"})
        ),
        223100
    );

    let token = added["face_token"].as_str().unwrap();
    let del = |user: &str, group: &str, token: &str| json!({"user_id": user, "group_id": group, "face_token": token});
    assert_eq!(
        err(
            e,
            "faceset/face/delete",
            del("u1", "api_err_b", "0123456789abcdef0123456789abcdef")
        ),
        223106
    );
    assert_eq!(
        err(
            e,
            "faceset/face/delete",
            del("u1", "api_err_b", "not-a-token")
        ),
        222025
    );
    assert_eq!(
        err(e, "faceset/face/delete", del("u9", "api_err_b", token)),
        223103
    );
    assert!(ok(e, "faceset/face/delete", del("u1", "api_err_b", token)).is_null());
    // Its only face gone, u1 left api_err_b; the copy in api_err_a keeps the token alive.
    assert_eq!(
        err(
            e,
            "faceset/face/getlist",
            json!({"user_id": "u1", "group_id": "api_err_b"})
        ),
        223103
    );
    let by_token =
        json!({"image": token, "image_type": "FACE_TOKEN", "group_id_list": "api_err_a"});
    assert_eq!(
        ok(e, "search", by_token.clone())["user_list"][0]["user_id"],
        "u1"
    );
    assert!(ok(
        e,
        "faceset/user/delete",
        json!({"user_id": "u1", "group_id": "@ALL"})
    )
    .is_null());
    assert_eq!(
        err(
            e,
            "faceset/user/delete",
            json!({"user_id": "u1", "group_id": "@ALL"})
        ),
        223103
    );
    // api_err_a is empty now: nobody to match.
    assert_eq!(err(e, "search", by_token), 222207);
    assert!(ok(e, "faceset/group/delete", json!({"group_id": "api_err_b"})).is_null());
    assert_eq!(
        err(e, "faceset/group/delete", json!({"group_id": "api_err_b"})),
        223100
    );

    // user/update: UPDATE needs the user, REPLACE creates it; the new face replaces the old ones.
    let update = |user: &str, action: &str| {
        with(
            obama(),
            json!({"group_id": "api_err_c", "user_id": user, "action_type": action}),
        )
    };
    assert_eq!(
        err(e, "faceset/user/update", update("v1", "UPDATE")),
        223100
    );
    ok(e, "faceset/user/update", update("v1", "REPLACE"));
    add(e, "api_err_c", "v1", "obama2.jpg");
    ok(e, "faceset/user/update", update("v1", "UPDATE"));
    let faces = ok(
        e,
        "faceset/face/getlist",
        json!({"user_id": "v1", "group_id": "api_err_c"}),
    );
    assert_eq!(faces["face_list"].as_array().unwrap().len(), 1);
    assert_eq!(
        err(e, "faceset/user/update", update("v2", "UPDATE")),
        223103
    );
    assert_eq!(
        err(e, "faceset/user/update", update("v2", "APPEND")),
        222200
    );

    // Request checks of user/add.
    let add_req = |extra: Value| {
        with(
            obama(),
            with(json!({"group_id": "api_err_c", "user_id": "w"}), extra),
        )
    };
    assert_eq!(
        err(
            e,
            "faceset/user/add",
            add_req(json!({"user_id": "x".repeat(49)}))
        ),
        222018
    );
    assert_eq!(
        err(e, "faceset/user/add", add_req(json!({"group_id": "g g"}))),
        222006
    );
    assert_eq!(
        err(
            e,
            "faceset/user/add",
            add_req(json!({"user_info": "i".repeat(257)}))
        ),
        222010
    );
    assert_eq!(
        err(
            e,
            "faceset/user/add",
            add_req(json!({"quality_control": "BEST"}))
        ),
        223118
    );
    assert_eq!(
        err(
            e,
            "faceset/user/add",
            add_req(json!({"liveness_control": "BEST"}))
        ),
        223119
    );
    assert_eq!(
        err(
            e,
            "faceset/user/add",
            add_req(json!({"spoofing_control": "BEST"}))
        ),
        223130
    );
    assert_eq!(
        err(
            e,
            "faceset/user/add",
            add_req(json!({"action_type": "MERGE"}))
        ),
        222200
    );
    assert_eq!(
        err(
            e,
            "faceset/user/add",
            add_req(json!({"image": "x", "image_type": "FACE_TOKEN"}))
        ),
        222209
    );
    assert_eq!(
        err(
            e,
            "faceset/user/add",
            with(json!({"group_id": "g", "user_id": "w"}), json!({}))
        ),
        222001
    );

    // Request checks of search and multi-search.
    let search = |extra: Value| with(obama(), with(json!({"group_id_list": "api_err_c"}), extra));
    let eleven = (0..11)
        .map(|i| format!("g{i}"))
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        err(e, "search", search(json!({"group_id_list": eleven}))),
        223104
    );
    assert_eq!(
        err(e, "search", search(json!({"group_id_list": "a,b-c"}))),
        222005
    );
    assert_eq!(
        err(
            e,
            "search",
            search(json!({"group_id_list": "api_err_c,api_none"}))
        ),
        223100
    );
    assert_eq!(
        err(e, "search", search(json!({"max_user_num": 51}))),
        222021
    );
    assert_eq!(
        err(e, "search", search(json!({"match_threshold": 101}))),
        222030
    );
    assert_eq!(err(e, "search", search(json!({"user_id": "a b"}))), 222018);
    assert_eq!(
        ok(e, "search", search(json!({"group_id_list": "@ALL"})))["user_list"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        err(e, "multi-search", search(json!({"max_face_num": 11}))),
        222016
    );
    assert_eq!(
        err(e, "multi-search", search(json!({"max_user_num": 21}))),
        222021
    );
}

#[test]
fn registered_tokens_outlive_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let open = || {
        Engine::open(EngineConfig {
            faceset_db: Some(dir.path().join("faces.db")),
            threads: Some(2),
            ..Default::default()
        })
        .unwrap()
    };
    let token = {
        let e = open();
        add(&e, "keep", "obama", "obama.jpg")["face_token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let e = open();
    let by_token = json!({"image": token, "image_type": "FACE_TOKEN", "group_id_list": "keep"});
    let found = ok(&e, "search", by_token.clone());
    assert_eq!(found["user_list"][0]["user_id"], "obama");
    let m = ok(
        &e,
        "match",
        json!([photo("obama2.jpg"), {"image": token, "image_type": "FACE_TOKEN"}]),
    );
    assert!(score(&m) >= 80.0);
    ok(
        &e,
        "faceset/face/delete",
        json!({"user_id": "obama", "group_id": "keep", "face_token": token}),
    );
    assert_eq!(err(&e, "search", by_token), 222209);
}
