//! v1/merge: the target face on the template's head, the rest of the template untouched, and the
//! cloud's error codes for bad requests.

mod common;

use base64::Engine as _;
use common::{base64_file, default_engine};
use facekit_core::detect::DetectOptions;
use facekit_core::Engine;
use serde_json::{json, Value};

fn side(name: &str) -> Value {
    json!({"image": base64_file(name), "image_type": "BASE64"})
}

fn merged(engine: &Engine, request: Value) -> image::RgbImage {
    let r = engine.call_value("v1/merge", &request);
    assert_eq!(r["error_code"], 0, "{}", r["error_msg"]);
    let png = base64::engine::general_purpose::STANDARD
        .decode(r["result"]["merge_image"].as_str().unwrap())
        .unwrap();
    assert_eq!(&png[..4], b"\x89PNG");
    image::load_from_memory(&png).unwrap().to_rgb8()
}

/// The 0–100 similarity of the largest faces of two images.
fn similarity(engine: &Engine, a: &image::RgbImage, b: &image::RgbImage) -> f32 {
    let emb = |img: &image::RgbImage| {
        let d = facekit_core::DecodedImage {
            rgb: img.clone(),
            source_sha256: [0; 32],
        };
        let opts = DetectOptions {
            max_faces: 1,
            ..DetectOptions::default()
        };
        engine.extract(&d, &opts).unwrap().remove(0).1
    };
    engine.compare(&emb(a), &emb(b))
}

#[test]
fn the_target_face_lands_on_the_template_and_nothing_else_changes() {
    let engine = default_engine();
    let template = image::open(common::testdata("astronaut.png"))
        .unwrap()
        .to_rgb8();
    let target = image::open(common::testdata("obama.jpg"))
        .unwrap()
        .to_rgb8();
    let full = merged(
        engine,
        json!({"image_template": side("astronaut.png"), "image_target": side("obama.jpg")}),
    );
    assert_eq!(full.dimensions(), template.dimensions());
    // Away from the face (the corners, the rocket) the template is untouched.
    for (x, y) in [(5, 5), (500, 10), (420, 200), (10, 500)] {
        assert_eq!(full.get_pixel(x, y), template.get_pixel(x, y), "({x}, {y})");
    }
    // The face is now much more Obama than Collins; half-way merges sit in between.
    let before = similarity(engine, &template, &target);
    let after = similarity(engine, &full, &target);
    let half = merged(
        engine,
        json!({"image_template": side("astronaut.png"), "image_target": side("obama.jpg"),
               "version": "4.0", "alpha": 0.5}),
    );
    let middle = similarity(engine, &half, &target);
    println!(
        "similarity to the target: template {before:.1}, alpha 0.5 {middle:.1}, full {after:.1}"
    );
    assert!(after > before + 20.0, "{before} → {after}");
    assert!(
        middle > before && middle < after,
        "{before} < {middle} < {after}"
    );
}

#[test]
fn bad_merge_requests_get_the_cloud_codes() {
    let engine = default_engine();
    let code = |r: Value| {
        engine.call_value("v1/merge", &r)["error_code"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(code(json!({"image_target": side("obama.jpg")})), 222001);
    assert_eq!(
        code(
            json!({"image_template": side("astronaut.png"), "image_target": side("obama.jpg"), "merge_degree": "MAX"})
        ),
        222101
    );
    let mut located = side("obama.jpg");
    located["face_location"] = json!("{\"left\": \"x\"}");
    assert_eq!(
        code(json!({"image_template": side("astronaut.png"), "image_target": located})),
        222102
    );
    // A blank image has no face.
    let blank = {
        let mut png = Vec::new();
        image::RgbImage::from_pixel(200, 200, image::Rgb([200, 200, 200]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        json!({"image": base64::engine::general_purpose::STANDARD.encode(png), "image_type": "BASE64"})
    };
    assert_eq!(
        code(json!({"image_template": blank, "image_target": side("obama.jpg")})),
        222202
    );
    // A blurred template fails its quality_control as 222211.
    let blurred = {
        let img = image::imageops::blur(
            &image::open(common::testdata("astronaut.png"))
                .unwrap()
                .to_rgb8(),
            5.0,
        );
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        json!({"image": base64::engine::general_purpose::STANDARD.encode(png), "image_type": "BASE64", "quality_control": "NORMAL"})
    };
    assert_eq!(
        code(json!({"image_template": blurred, "image_target": side("obama.jpg")})),
        222211
    );
}
