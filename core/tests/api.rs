//! The V3 JSON layer on real photos: response shapes, scores, and the error code of every bad-input class.

mod common;

use std::io::Cursor;

use base64::Engine as _;
use common::{base64_file, default_engine, testdata};
use image::{DynamicImage, ImageFormat};
use serde_json::{json, Value};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn call(method: &str, req: Value) -> Value {
    let text = default_engine().call(method, &req.to_string());
    serde_json::from_str(&text).expect("responses are JSON")
}

fn error_code(resp: &Value) -> u64 {
    resp["error_code"].as_u64().expect("error_code is a number")
}

fn detect_b64(image: String) -> Value {
    call(
        "detect",
        json!({"image": image, "image_type": "BASE64", "max_face_num": 120}),
    )
}

#[test]
fn detect_response_has_the_v3_shape() {
    let r = call(
        "detect",
        json!({"image": base64_file("obama.jpg"), "image_type": "BASE64", "face_field": "landmark"}),
    );
    assert_eq!(error_code(&r), 0, "{r}");
    for key in ["error_msg", "log_id", "timestamp", "cached", "result"] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    let res = &r["result"];
    assert_eq!(res["face_num"], 1);
    let face = &res["face_list"][0];
    assert_eq!(face["face_token"].as_str().unwrap().len(), 32);
    for k in ["left", "top", "width", "height", "rotation"] {
        assert!(face["location"][k].is_number(), "location.{k}");
    }
    assert!(face["location"]["rotation"].is_i64());
    assert!((face["location"]["left"].as_f64().unwrap() - 372.5).abs() < 1.0);
    let p = face["face_probability"].as_f64().unwrap();
    assert!(p > 0.99 && p <= 1.0);
    for k in ["yaw", "pitch", "roll"] {
        assert!(
            face["angle"][k].as_f64().unwrap().abs() < 20.0,
            "obama.jpg is frontal: {k}"
        );
    }
    assert_eq!(face["landmark"].as_array().unwrap().len(), 4);
}

#[test]
fn face_tokens_are_deterministic_and_reusable() {
    let a = call(
        "detect",
        json!({"image": base64_file("obama2.jpg"), "image_type": "BASE64"}),
    );
    let b = call(
        "detect",
        json!({"image": base64_file("obama2.jpg"), "image_type": "BASE64"}),
    );
    let token = a["result"]["face_list"][0]["face_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        token,
        b["result"]["face_list"][0]["face_token"].as_str().unwrap()
    );
    // The token stands for the face in later calls.
    let m = call(
        "match",
        json!([
            {"image": token, "image_type": "FACE_TOKEN"},
            {"image": base64_file("obama.jpg"), "image_type": "BASE64"},
        ]),
    );
    assert_eq!(error_code(&m), 0, "{m}");
    assert_eq!(m["result"]["face_list"][0]["face_token"], json!(token));
    assert!(m["result"]["score"].as_f64().unwrap() >= 80.0);
}

#[test]
fn max_face_num_and_the_group_photo() {
    // The PNG is 2.7 MB as BASE64, over the cloud's 2 MB limit: send it as a file:// URL (a facekit extension).
    let solvay = format!("file://{}", testdata("solvay1927.png").display());
    let all = call(
        "detect",
        json!({"image": solvay, "image_type": "URL", "max_face_num": 120}),
    );
    assert_eq!(all["result"]["face_num"], 29, "{all}");
    let one = call("detect", json!({"image": solvay, "image_type": "URL"}));
    assert_eq!(one["result"]["face_num"], 1, "default max_face_num is 1");
    // Largest first by default: the single face is the largest of the 29.
    let area = |f: &Value| {
        f["location"]["width"].as_f64().unwrap() * f["location"]["height"].as_f64().unwrap()
    };
    let largest = all["result"]["face_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(area)
        .fold(0.0, f64::max);
    assert!((area(&one["result"]["face_list"][0]) - largest).abs() < 1e-6);
}

#[test]
fn genuine_pairs_score_at_least_80_and_impostors_below() {
    let score = |a: &str, b: &str| {
        let r = call(
            "match",
            json!([
                {"image": base64_file(a), "image_type": "BASE64"},
                {"image": base64_file(b), "image_type": "BASE64"},
            ]),
        );
        assert_eq!(error_code(&r), 0, "{r}");
        assert_eq!(r["result"]["face_list"].as_array().unwrap().len(), 2);
        r["result"]["score"].as_f64().unwrap()
    };
    for (a, b) in [
        ("obama.jpg", "obama2.jpg"),
        ("obama.jpg", "obama3.jpg"),
        ("obama2.jpg", "obama3.jpg"),
    ] {
        let s = score(a, b);
        assert!(s >= 80.0, "{a} vs {b}: {s}");
    }
    for (a, b) in [
        ("obama.jpg", "biden.jpg"),
        ("obama.jpg", "astronaut.png"),
        ("biden.jpg", "astronaut.png"),
    ] {
        let s = score(a, b);
        assert!(s < 80.0, "{a} vs {b}: {s}");
    }
    assert!(
        (score("biden.jpg", "biden.jpg") - 100.0).abs() < 1e-3,
        "identical images score 100"
    );
}

#[test]
fn exif_orientation_is_applied() {
    // Store obama.jpg turned 90° anticlockwise with EXIF orientation 6 ("rotate 90° clockwise to view").
    let upright = image::open(testdata("obama.jpg")).unwrap();
    let stored = encode(&upright.rotate270(), ImageFormat::Jpeg);
    let tagged = with_exif_orientation(&stored, 6);
    let r = detect_b64(b64(&tagged));
    let face = &r["result"]["face_list"][0];
    assert_eq!(r["result"]["face_num"], 1, "{r}");
    // Same place as in the upright original (re-encoding moves it by a pixel or two).
    assert!(
        (face["location"]["left"].as_f64().unwrap() - 372.5).abs() < 6.0,
        "{face}"
    );
    assert!(
        (face["location"]["top"].as_f64().unwrap() - 79.5).abs() < 6.0,
        "{face}"
    );
    assert!(face["angle"]["roll"].as_f64().unwrap().abs() < 10.0);
}

/// Inserts an EXIF APP1 segment holding only the orientation tag right after the JPEG's SOI marker.
fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes()); // first IFD right after the header
    tiff.extend_from_slice(&1u16.to_le_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn grey_rgba_16_bit_and_bmp_images_work() {
    // Half size keeps the uncompressed variants under the 2 MB BASE64 limit.
    let img = image::open(testdata("obama2.jpg")).unwrap().resize(
        313,
        600,
        image::imageops::FilterType::Triangle,
    );
    let variants = [
        encode(&DynamicImage::ImageLuma8(img.to_luma8()), ImageFormat::Png),
        encode(&DynamicImage::ImageRgba8(img.to_rgba8()), ImageFormat::Png),
        encode(&DynamicImage::ImageRgb16(img.to_rgb16()), ImageFormat::Png),
        encode(&DynamicImage::ImageRgb8(img.to_rgb8()), ImageFormat::Bmp),
    ];
    for (i, bytes) in variants.iter().enumerate() {
        let r = detect_b64(b64(bytes));
        assert_eq!(r["result"]["face_num"], 1, "variant {i}: {r}");
    }
}

#[test]
fn every_bad_input_gets_its_error_code() {
    let png = encode(
        &image::open(testdata("astronaut.png")).unwrap(),
        ImageFormat::Png,
    );
    let gif = encode(
        &DynamicImage::ImageRgb8(image::RgbImage::new(8, 8)),
        ImageFormat::Gif,
    );
    let cases: Vec<(&str, Value, u64)> = vec![
        ("missing image", json!({"image_type": "BASE64"}), 222001),
        ("missing image_type", json!({"image": "abcd"}), 222001),
        (
            "wrong image_type",
            json!({"image": "abcd", "image_type": "JPEG"}),
            222015,
        ),
        (
            "not base64",
            json!({"image": "%%%not base64%%%", "image_type": "BASE64"}),
            222013,
        ),
        (
            "garbage bytes",
            json!({"image": b64(b"definitely not an image"), "image_type": "BASE64"}),
            222203,
        ),
        (
            "truncated png",
            json!({"image": b64(&png[..png.len() / 3]), "image_type": "BASE64"}),
            222203,
        ),
        (
            "gif",
            json!({"image": b64(&gif), "image_type": "BASE64"}),
            222203,
        ),
        (
            "base64 over 2 MB",
            json!({"image": "A".repeat(2 * 1024 * 1024 + 4), "image_type": "BASE64"}),
            222304,
        ),
        (
            "unknown token",
            json!({"image": "0123456789abcdef0123456789abcdef", "image_type": "FACE_TOKEN"}),
            222209,
        ),
        (
            "bad token",
            json!({"image": "../../etc/passwd", "image_type": "FACE_TOKEN"}),
            222025,
        ),
        (
            "remote url",
            json!({"image": "http://example.com/a.jpg", "image_type": "URL"}),
            222204,
        ),
        (
            "max_face_num 0",
            json!({"image": b64(&png), "image_type": "BASE64", "max_face_num": 0}),
            222016,
        ),
        (
            "max_face_num 121",
            json!({"image": b64(&png), "image_type": "BASE64", "max_face_num": 121}),
            222016,
        ),
        (
            "max_face_num text",
            json!({"image": b64(&png), "image_type": "BASE64", "max_face_num": "many"}),
            222016,
        ),
        (
            "face_sort_type 2",
            json!({"image": b64(&png), "image_type": "BASE64", "face_sort_type": 2}),
            222039,
        ),
        (
            "face_type",
            json!({"image": b64(&png), "image_type": "BASE64", "face_type": "ALIEN"}),
            222024,
        ),
        ("request not an object", json!([1, 2]), 222200),
    ];
    for (what, req, code) in cases {
        let r = call("detect", req);
        assert_eq!(error_code(&r), code, "{what}: {r}");
        assert!(r["result"].is_null(), "{what}");
        assert!(!r["error_msg"].as_str().unwrap().is_empty());
    }
    // A decompression bomb: a tiny PNG whose header claims 20000×20000 pixels.
    let mut bomb = encode(
        &DynamicImage::ImageRgb8(image::RgbImage::new(1, 1)),
        ImageFormat::Png,
    );
    bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
    let crc = crc32(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    assert_eq!(error_code(&detect_b64(b64(&bomb))), 222304);

    let no_face = encode(
        &DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            64,
            64,
            image::Rgb([200, 180, 160]),
        )),
        ImageFormat::Png,
    );
    let r = detect_b64(b64(&no_face));
    assert_eq!(
        (error_code(&r), r["result"]["face_num"].as_u64()),
        (0, Some(0)),
        "detect: no face is an empty list"
    );
    let r = call(
        "match",
        json!([{"image": b64(&no_face), "image_type": "BASE64"}, {"image": b64(&png), "image_type": "BASE64"}]),
    );
    assert_eq!(error_code(&r), 222202, "match: no face is 222202");
    let r = call(
        "match",
        json!([{"image": b64(&png), "image_type": "BASE64"}]),
    );
    assert_eq!(error_code(&r), 222208, "match needs two images");
    let r = call("match", json!({"image": b64(&png), "image_type": "BASE64"}));
    assert_eq!(error_code(&r), 222208, "match takes an array");

    let text = default_engine().call("detect", "{not json");
    assert_eq!(error_code(&serde_json::from_str(&text).unwrap()), 222200);
    assert_eq!(error_code(&call("no/such/method", json!({}))), 3);
    assert_eq!(error_code(&call("person/verify", json!({}))), 6);
}

/// CRC-32 (IEEE) for the PNG chunk the bomb test edits.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn one_engine_serves_eight_threads_with_identical_results() {
    let engine = default_engine();
    let images = ["obama.jpg", "biden.jpg", "astronaut.png", "obama3.jpg"];
    let expected: Vec<Value> = images
        .iter()
        .map(|n| {
            let r = call(
                "detect",
                json!({"image": base64_file(n), "image_type": "BASE64", "face_field": "landmark"}),
            );
            r["result"].clone()
        })
        .collect();
    std::thread::scope(|s| {
        for t in 0..8 {
            let expected = &expected;
            s.spawn(move || {
                for round in 0..3 {
                    let k = (t + round) % images.len();
                    let req =
                        json!({"image": base64_file(images[k]), "image_type": "BASE64", "face_field": "landmark"});
                    let r: Value = serde_json::from_str(&engine.call("detect", &req.to_string())).unwrap();
                    assert_eq!(r["result"], expected[k], "thread {t}, {}", images[k]);
                }
            });
        }
    });
}
