//! Opening the engine with a missing or altered model file fails with an error naming the file.

use std::path::PathBuf;

use facekit_core::{Engine, EngineConfig, ErrorCode};

fn models_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models")
}

fn open_with(dir: &std::path::Path) -> facekit_core::Error {
    match Engine::open(EngineConfig {
        model_dir: Some(dir.to_path_buf()),
        ..Default::default()
    }) {
        Ok(_) => panic!("engine opened with a broken model directory"),
        Err(e) => e,
    }
}

#[test]
fn missing_and_corrupt_models_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    // Only the detector: the embedder is missing.
    std::fs::copy(
        models_dir().join("retinaface_mnet025.onnx"),
        tmp.path().join("retinaface_mnet025.onnx"),
    )
    .unwrap();
    let e = open_with(tmp.path());
    assert_eq!(e.code, ErrorCode::SystemError);
    let detail = e.detail.unwrap();
    assert!(
        detail.contains("dlib_resnet128.onnx") && detail.contains("missing"),
        "{detail}"
    );

    // A truncated embedder: present but not the shipped bytes.
    let bytes = std::fs::read(models_dir().join("dlib_resnet128.onnx")).unwrap();
    std::fs::write(
        tmp.path().join("dlib_resnet128.onnx"),
        &bytes[..bytes.len() / 2],
    )
    .unwrap();
    let detail = open_with(tmp.path()).detail.unwrap();
    assert!(
        detail.contains("dlib_resnet128.onnx") && detail.contains("sha256"),
        "{detail}"
    );
}
