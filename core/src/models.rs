//! The model files facekit ships, where they are found, and the check that each is the file we tested
//! (sha256, so a truncated download or a swapped file is named instead of producing wrong faces).
//! Provenance and licence of each: `models/MODELS.md`.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// One model file the engine may load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelFile {
    pub file: &'static str,
    pub sha256: &'static str,
}

pub const DETECTOR: ModelFile = ModelFile {
    file: "retinaface_mnet025.onnx",
    sha256: "b7a7acab55e104dce6f32cdfff929bd83946da5cd869b9e2e9bdffafd1b7e4a5",
};
pub const EMBEDDER: ModelFile = ModelFile {
    file: "dlib_resnet128.onnx",
    sha256: "1e54e9bd396e8ebbfbb7969ce3c30fd724416e1bee3703c710caf71958305d2b",
};
pub const FACE_MESH: ModelFile = ModelFile {
    file: "face_landmark_468.onnx",
    sha256: "c21989d2149cc1125845ebf7d65d04864ee4d0aacb0c3ca9d3a11b451d9e8d42",
};
pub const AGE_GENDER: ModelFile = ModelFile {
    file: "faceres_age_gender.onnx",
    sha256: "443e91b4eacea47ed871a37feaa181a647ac9c235b1f32fc4d1f679212282461",
};
pub const EMOTION: ModelFile = ModelFile {
    file: "emotion7.onnx",
    sha256: "f2d8e65f84d238ce9e6360169a4eef8fe56bba6fc045582cd3bfbf5ff6a7a17f",
};
pub const MASK: ModelFile = ModelFile {
    file: "mask.onnx",
    sha256: "cee9f85bc6e5af64aed81a5e142e11df1a343d93c6807dcc62ec763088ea6fc4",
};

/// Where models are looked for when the configuration names no directory: `FACEKIT_MODELS`, then
/// `models/` beside the executable or one level up (`share/facekit/models` for system installs), then the
/// checkout this crate was built in.
pub fn model_dir_candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(d) = std::env::var_os("FACEKIT_MODELS") {
        out.push(PathBuf::from(d));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        out.push(exe_dir.join("models"));
        for a in exe_dir.ancestors().skip(1).take(3) {
            out.push(a.join("models"));
            out.push(a.join("share/facekit/models"));
        }
    }
    out.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../models"));
    out
}

/// Picks the model directory: the configured one, or the first candidate holding the detector.
pub fn resolve_model_dir(configured: Option<&Path>) -> Result<PathBuf> {
    if let Some(d) = configured {
        return Ok(d.to_path_buf());
    }
    let candidates = model_dir_candidates();
    candidates
        .iter()
        .find(|d| d.join(DETECTOR.file).is_file())
        .cloned()
        .ok_or_else(|| {
            Error::system(format!(
                "model directory not found (no {} in: {}); set model_dir or FACEKIT_MODELS",
                DETECTOR.file,
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

/// Checks that `dir/model.file` exists and has the expected sha256; returns its path.
pub fn verified_path(dir: &Path, model: &ModelFile) -> Result<PathBuf> {
    let path = dir.join(model.file);
    let mut f = std::fs::File::open(&path)
        .map_err(|e| Error::system(format!("model file {} is missing: {e}", path.display())))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| Error::system(format!("cannot read model {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let got = hex::encode(hasher.finalize());
    if got != model.sha256 {
        return Err(Error::system(format!(
            "model file {} is corrupt or not the shipped version (sha256 {got}, expected {})",
            path.display(),
            model.sha256
        )));
    }
    Ok(path)
}

/// Optional model pack (never shipped: provenance unclear, see docs/attributes.md): anti-spoofing.
pub const PACK_LIVENESS: ModelFile = ModelFile {
    file: "fr_liveness.onnx",
    sha256: "afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d",
};
