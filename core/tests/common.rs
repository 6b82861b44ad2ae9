//! Shared by the integration tests: one engine per test binary, the repo's test photos and goldens.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use facekit_core::detect::{iou, DetectOptions, FaceBox};
use facekit_core::{Engine, EngineConfig};

pub fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
}

pub fn golden(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(testdata("golden").join(name)).expect("golden file");
    serde_json::from_str(&text).expect("golden json")
}

/// The engine as the reference pipeline runs: no test-time flip, so embeddings compare with the goldens.
pub fn reference_engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::open(EngineConfig {
            flip_embedding: Some(false),
            threads: Some(2),
            ..Default::default()
        })
        .expect("engine opens")
    })
}

/// The engine with its default settings.
pub fn default_engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::open(EngineConfig {
            threads: Some(2),
            ..Default::default()
        })
        .expect("engine opens")
    })
}

pub fn base64_file(name: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(testdata(name)).unwrap())
}

/// The detected face that is the golden's face `g` (`image` + `box`): the detection overlapping it most.
pub fn golden_face(
    engine: &facekit_core::Engine,
    g: &serde_json::Value,
) -> (facekit_core::DecodedImage, FaceBox) {
    let img = engine
        .decode_file(&testdata(g["image"].as_str().unwrap()))
        .unwrap();
    let b: Vec<f32> = g["box"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    let want = FaceBox {
        left: b[0],
        top: b[1],
        width: b[2],
        height: b[3],
        score: 1.0,
        landmarks: [[0.0; 2]; 5],
    };
    let face = engine
        .detect(&img, &DetectOptions::default())
        .unwrap()
        .into_iter()
        .max_by(|a, b| iou(a, &want).total_cmp(&iou(b, &want)))
        .unwrap();
    (img, face)
}
