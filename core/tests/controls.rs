//! quality_control, liveness_control and spoofing_control: real photos pass, degraded copies made here
//! (blurred, darkened, cut by the border) fail with the cloud's codes, and a gate whose model is missing
//! refuses instead of passing.

mod common;

use std::io::Cursor;

use base64::Engine as _;
use common::{base64_file, default_engine, testdata};
use image::RgbImage;
use serde_json::{json, Value};

fn png_base64(img: &RgbImage) -> String {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(out)
}

fn obama() -> RgbImage {
    image::open(testdata("obama.jpg")).unwrap().to_rgb8()
}

/// `match` of `image` (with the controls in `extra`) against obama2.jpg: the error code.
fn match_code(image_b64: &str, extra: Value) -> i64 {
    let mut first = json!({"image": image_b64, "image_type": "BASE64"});
    for (k, v) in extra.as_object().unwrap() {
        first[k] = v.clone();
    }
    let r = default_engine().call_value(
        "match",
        &json!([first, {"image": base64_file("obama2.jpg"), "image_type": "BASE64"}]),
    );
    r["error_code"].as_i64().unwrap()
}

fn quality(b64: &str) -> Value {
    let r = default_engine().call_value(
        "detect",
        &json!({"image": b64, "image_type": "BASE64", "face_field": "quality"}),
    );
    assert_eq!(r["error_code"], 0, "{r}");
    r["result"]["face_list"][0]["quality"].clone()
}

#[test]
fn good_photos_pass_every_quality_level() {
    for name in ["obama.jpg", "biden.jpg", "astronaut.png"] {
        for level in ["NONE", "LOW", "NORMAL", "HIGH"] {
            assert_eq!(
                match_code(&base64_file(name), json!({"quality_control": level})),
                0,
                "{name} {level}"
            );
        }
    }
}

#[test]
fn a_blurred_face_fails_as_fuzzy() {
    let blurred = png_base64(&image::imageops::blur(&obama(), 6.0));
    let q = quality(&blurred);
    assert!(q["blur"].as_f64().unwrap() > 0.8, "{q}");
    assert_eq!(
        match_code(&blurred, json!({"quality_control": "HIGH"})),
        223114
    );
    assert_eq!(
        match_code(&blurred, json!({"quality_control": "LOW"})),
        223114
    );
    assert_eq!(match_code(&blurred, json!({"quality_control": "NONE"})), 0);
}

#[test]
fn a_dark_face_fails_for_light() {
    let mut dark = obama();
    for p in dark.pixels_mut() {
        p.0 = p.0.map(|v| (v as f32 * 0.22) as u8);
    }
    let dark = png_base64(&dark);
    let q = quality(&dark);
    let light = q["illumination"].as_i64().unwrap();
    assert!((20..40).contains(&light), "{q}");
    assert_eq!(
        match_code(&dark, json!({"quality_control": "HIGH"})),
        223115
    );
    assert_eq!(
        match_code(&dark, json!({"quality_control": "NORMAL"})),
        223115
    );
    assert_eq!(match_code(&dark, json!({"quality_control": "LOW"})), 0);
}

#[test]
fn a_face_cut_by_the_border_is_incomplete() {
    // obama.jpg's face spans x 372–614; keep the image left of x = 540 (the right third of the face is cut).
    let img = obama();
    let cut = image::imageops::crop_imm(&img, 0, 0, 540, img.height()).to_image();
    let cut = png_base64(&cut);
    assert_eq!(quality(&cut)["completeness"], 0);
    assert_eq!(match_code(&cut, json!({"quality_control": "HIGH"})), 223116);
    // LOW and NORMAL do not require completeness (spec §1.6).
    assert_eq!(match_code(&cut, json!({"quality_control": "LOW"})), 0);
}

#[test]
fn gates_without_a_model_refuse_rather_than_pass() {
    let b64 = base64_file("obama.jpg");
    // The default engine has no model pack: no liveness model, and no spoofing model exists at all.
    assert_eq!(match_code(&b64, json!({"liveness_control": "LOW"})), 222302);
    assert_eq!(
        match_code(&b64, json!({"spoofing_control": "HIGH"})),
        222302
    );
    let r = default_engine().call_value(
        "detect",
        &json!({"image": b64, "image_type": "BASE64", "liveness_control": "NORMAL"}),
    );
    assert_eq!(r["error_code"], 222302);
    assert!(
        r["error_msg"].as_str().unwrap().contains("model pack"),
        "{r}"
    );
}

#[test]
fn control_values_are_validated() {
    let b64 = base64_file("obama.jpg");
    assert_eq!(match_code(&b64, json!({"quality_control": "BEST"})), 223118);
    assert_eq!(match_code(&b64, json!({"liveness_control": "yes"})), 223119);
    assert_eq!(match_code(&b64, json!({"spoofing_control": 1})), 223130);
}

#[test]
fn faceverify_without_the_pack_names_it_and_checks_the_count() {
    let item = json!({"image": base64_file("obama.jpg"), "image_type": "BASE64"});
    let r = default_engine().call_value("faceverify", &json!([item]));
    assert_eq!(r["error_code"], 222302, "{r}");
    let r = default_engine().call_value("faceverify", &json!([]));
    assert_eq!(r["error_code"], 222208);
    let r = default_engine().call_value("faceverify", &Value::Array(vec![item.clone(); 9]));
    assert_eq!(r["error_code"], 222208);
}

fn call_code(method: &str, request: Value) -> (i64, Value) {
    let r = default_engine().call_value(method, &request);
    (r["error_code"].as_i64().unwrap(), r["result"].clone())
}

#[test]
fn library_methods_fail_faces_below_the_quality_asked_for() {
    let blurred = png_base64(&image::imageops::blur(&obama(), 6.0));
    let sharp = base64_file("obama.jpg");
    let register = |method: &str, img: &str, level: &str| {
        call_code(
            method,
            json!({"image": img, "image_type": "BASE64", "group_id": "ctl_people", "user_id": "obama",
                   "quality_control": level, "action_type": "REPLACE"}),
        )
        .0
    };
    assert_eq!(register("faceset/user/add", &blurred, "NORMAL"), 223114);
    assert_eq!(register("faceset/user/add", &sharp, "HIGH"), 0);
    assert_eq!(register("faceset/user/update", &blurred, "LOW"), 223114);
    assert_eq!(register("faceset/user/update", &sharp, "HIGH"), 0);
    let search = |img: &str, extra: Value| {
        let mut r = json!({"image": img, "image_type": "BASE64", "group_id_list": "ctl_people"});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        call_code("search", r).0
    };
    assert_eq!(search(&blurred, json!({"quality_control": "HIGH"})), 223114);
    assert_eq!(
        search(
            &base64_file("obama2.jpg"),
            json!({"quality_control": "HIGH"})
        ),
        0
    );
    assert_eq!(
        search(
            &base64_file("obama2.jpg"),
            json!({"liveness_control": "LOW"})
        ),
        222302
    );
}

#[test]
fn multi_search_leaves_out_faces_that_fail_the_controls() {
    // obama2.jpg sharp on the left, a blurred obama.jpg on the right, both 400 px high.
    let load = |name: &str| {
        let img = image::open(testdata(name)).unwrap().to_rgb8();
        let w = img.width() * 400 / img.height();
        image::imageops::resize(&img, w, 400, image::imageops::FilterType::Triangle)
    };
    let (a, b) = (
        load("obama2.jpg"),
        image::imageops::blur(&load("obama.jpg"), 4.0),
    );
    let mut both = RgbImage::new(a.width() + b.width(), 400);
    image::imageops::replace(&mut both, &a, 0, 0);
    image::imageops::replace(&mut both, &b, a.width() as i64, 0);
    let (code, _) = call_code(
        "faceset/user/add",
        json!({"image": base64_file("obama3.jpg"), "image_type": "BASE64", "group_id": "ctl_multi", "user_id": "obama"}),
    );
    assert_eq!(code, 0);
    let multi = |level: &str| {
        call_code(
            "multi-search",
            json!({"image": png_base64(&both), "image_type": "BASE64", "group_id_list": "ctl_multi",
                   "max_face_num": 5, "match_threshold": 0, "quality_control": level}),
        )
    };
    let (code, all) = multi("NONE");
    assert_eq!((code, all["face_num"].as_i64()), (0, Some(2)), "{all}");
    let (code, kept) = multi("HIGH");
    assert_eq!((code, kept["face_num"].as_i64()), (0, Some(1)), "{kept}");
    let left = kept["face_list"][0]["location"]["left"].as_f64().unwrap();
    assert!(
        left < a.width() as f64,
        "the sharp face on the left is the one kept"
    );
}

#[test]
fn a_token_from_detect_carries_attributes_and_controls() {
    let (code, r) = call_code(
        "detect",
        json!({"image": base64_file("astronaut.png"), "image_type": "BASE64"}),
    );
    assert_eq!(code, 0);
    let token = r["face_list"][0]["face_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, r) = call_code(
        "detect",
        json!({"image": token, "image_type": "FACE_TOKEN", "face_field": "gender,quality"}),
    );
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["face_list"][0]["gender"]["type"], "female");
    assert_eq!(r["face_list"][0]["quality"]["completeness"], 1);
    let (code, _) = call_code(
        "match",
        json!([{"image": token, "image_type": "FACE_TOKEN", "quality_control": "HIGH"},
               {"image": base64_file("obama.jpg"), "image_type": "BASE64"}]),
    );
    assert_eq!(code, 0);
}
