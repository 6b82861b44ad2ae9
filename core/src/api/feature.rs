//! `v1/feature`: the offline SDK's feature extraction ("人脸识别特征值同步接口"), the vectors of the faces in an
//! image for an app to keep in its own library.
//!
//! `feature` is the BASE64 of the vector's 128 little-endian `f32` values (512 bytes), the layout the cloud's FAQ
//! gives for the offline SDKs ("128 floats on Linux, 512 bytes on Android, the same data"). The vectors are
//! facekit's own (dlib ResNet): they compare with facekit's, not with a Baidu device model's, so `version` and
//! `platform_version` are accepted and do not change them. `landmark72` is left out until facekit has a
//! 72-point model.

use base64::Engine as _;
use serde_json::{json, Value};

use super::faces::{self, round};
use super::params::{ImageInput, Params};
use crate::detect::{DetectOptions, FaceOrder};
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};

/// The cloud's limit for `max_face_num` in v1/feature.
pub const MAX_FACE_NUM: i64 = 100;
const DEFAULT_PROB_THRESHOLD: f64 = 0.5;
/// Faces narrower than this many pixels are skipped (the offline SDK's `minFaceSize` default).
const DEFAULT_MIN_FACE_SIZE_PX: i64 = 50;

pub fn feature(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    for key in ["version", "platform_version"] {
        p.str_opt(key, ErrorCode::InvalidParam)?;
    }
    // BASE64 or URL only, as the endpoint documents: a FACE_TOKEN names one face already found, not an image.
    let image = match p.image(engine)? {
        ImageInput::Pixels(image) => image,
        ImageInput::FaceToken(_) => return Err(Error::new(ErrorCode::ImageTypeFormat)),
    };
    let max_faces = p.int_in(
        "max_face_num",
        1..=MAX_FACE_NUM,
        1,
        ErrorCode::MaxFaceNumFormat,
    )? as usize;
    let prob_threshold = prob_threshold(&p)?;
    let min_face_size_px = p.int_in(
        "min_face_size",
        0..=i64::from(u32::MAX),
        DEFAULT_MIN_FACE_SIZE_PX,
        ErrorCode::InvalidParam,
    )? as f32;

    // The cloud's 0.5 is on its own detector's scale. RetinaFace reports non-faces up to about 0.75 (the edge
    // of a cropped portrait), so facekit keeps its detector's threshold (the one of detect, match and search:
    // the same image gives the same faces everywhere) and `prob_threshold` can only raise it.
    let opts = DetectOptions {
        score_threshold: prob_threshold.max(DetectOptions::default().score_threshold),
        order: FaceOrder::LargestFirst,
        ..DetectOptions::default()
    };
    let mut boxes = engine.detect(&image, &opts)?;
    boxes.retain(|b| b.width >= min_face_size_px);
    boxes.truncate(max_faces);
    // Asked for features and none to give: the same answer as every other method that needs a face.
    if boxes.is_empty() {
        return Err(Error::new(ErrorCode::NoFace));
    }
    let chips: Vec<_> = boxes.iter().map(|b| engine.align(&image, b)).collect();
    let embeddings = engine.embed(&chips.iter().collect::<Vec<_>>())?;
    let list: Vec<Value> = boxes
        .iter()
        .zip(&embeddings)
        .map(|(b, e)| {
            let [cx, cy] = b.center();
            json!({
                "location": {
                    "center_x": round(cx, 4),
                    "center_y": round(cy, 4),
                    "width": round(b.width, 4),
                    "height": round(b.height, 4),
                    "rotation": faces::rotation_deg(b),
                },
                "face_probability": faces::probability(b.score),
                "feature": base64::engine::general_purpose::STANDARD.encode(e.to_le_bytes()),
            })
        })
        .collect();
    Ok(json!({"face_num": list.len(), "face_list": list}))
}

/// `prob_threshold`: a number (or numeric string) in [0, 1].
fn prob_threshold(p: &Params) -> Result<f32> {
    let bad = || Error::with_detail(ErrorCode::InvalidParam, "prob_threshold must be in [0, 1]");
    let v = match p.get("prob_threshold") {
        None => DEFAULT_PROB_THRESHOLD,
        Some(Value::Number(n)) => n.as_f64().ok_or_else(bad)?,
        Some(Value::String(s)) if s.trim().is_empty() => DEFAULT_PROB_THRESHOLD,
        Some(Value::String(s)) => s.trim().parse::<f64>().map_err(|_| bad())?,
        Some(_) => return Err(bad()),
    };
    if (0.0..=1.0).contains(&v) {
        Ok(v as f32)
    } else {
        Err(bad())
    }
}
