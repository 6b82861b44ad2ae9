//! From an image input to the faces a method works on, and the JSON every method shares for one face.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::params::ImageInput;
use crate::decode::DecodedImage;
use crate::detect::{DetectOptions, FaceBox, FaceOrder};
use crate::embed::Embedding;
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};
use crate::pose;
use crate::token::TokenFace;

/// One face a request refers to: found in its pixels, or remembered under a token.
pub struct RequestFace {
    pub token: String,
    pub face_box: FaceBox,
    /// The decoded request image (for a token: the image it came from, while the engine keeps it).
    pub image: Option<Arc<DecodedImage>>,
    remembered: Option<Arc<TokenFace>>,
}

impl RequestFace {
    /// The image the face was found in. For a face given by token, the image if the engine still keeps
    /// it (`recent_images`); otherwise attributes, quality and liveness answer 222301 "get face fail".
    pub fn pixels(&self) -> Result<&Arc<DecodedImage>> {
        self.image.as_ref().ok_or_else(|| {
            Error::with_detail(
                ErrorCode::GetFaceFail,
                "the image of this face_token is no longer kept; send the image for attributes, quality or liveness",
            )
        })
    }

    /// Width and height of the image the face was found in.
    pub fn image_size(&self) -> (u32, u32) {
        match (&self.image, &self.remembered) {
            (Some(img), _) => (img.width(), img.height()),
            (None, Some(t)) => (t.image_width, t.image_height),
            (None, None) => (0, 0),
        }
    }

    pub fn embedding(&self, engine: &Engine) -> Result<Embedding> {
        if let Some(e) = self.remembered.as_ref().and_then(|t| t.embedding.get()) {
            return Ok(e.clone());
        }
        match (&self.image, &self.remembered) {
            // The full image gives the exact chip; the token's 8-bit chip is for when the image is gone.
            (Some(img), remembered) => {
                let chip = engine.align(img, &self.face_box);
                let e = engine.embed(&[&chip])?.remove(0);
                Ok(match remembered {
                    Some(t) => t.embedding.get_or_init(|| e).clone(),
                    None => e,
                })
            }
            (None, Some(t)) => engine.token_embedding(t),
            (None, None) => Err(Error::system("face has neither pixels nor a token")),
        }
    }
}

/// The faces of a request image, in `order`, at most `max_faces`; each is remembered under its token.
/// A FACE_TOKEN input yields that one face. No face at all is error 222202.
pub fn request_faces(
    engine: &Engine,
    input: ImageInput,
    max_faces: usize,
    order: FaceOrder,
) -> Result<Vec<RequestFace>> {
    match input {
        ImageInput::FaceToken(token) => {
            let t = engine.token_face(&token)?;
            Ok(vec![RequestFace {
                token,
                face_box: t.face.clone(),
                image: engine.token_image(&t),
                remembered: Some(t),
            }])
        }
        ImageInput::Pixels(image) => {
            let opts = DetectOptions {
                max_faces,
                order,
                ..DetectOptions::default()
            };
            let boxes = engine.detect(&image, &opts)?;
            if boxes.is_empty() {
                return Err(Error::new(ErrorCode::NoFace));
            }
            let image = Arc::new(image);
            engine.keep_image(&image);
            Ok(boxes
                .into_iter()
                .map(|b| {
                    let token = engine.remember_face(&image, &b, None);
                    let remembered = engine.token_face(&token).ok();
                    RequestFace {
                        token,
                        face_box: b,
                        image: Some(image.clone()),
                        remembered,
                    }
                })
                .collect())
        }
    }
}

/// Rounds for JSON: the cloud prints a handful of decimals, and shorter numbers keep responses small.
pub fn round(v: f32, decimals: i32) -> f64 {
    let p = 10f64.powi(decimals);
    (v as f64 * p).round() / p
}

/// A probability as the cloud prints it: the integer literal 1 (or 0) at the ends of the range (spec §1.9).
pub fn probability(p: f32) -> Value {
    let r = round(p, 6);
    if r == 1.0 || r == 0.0 {
        json!(r as i64)
    } else {
        json!(r)
    }
}

/// `location{left, top, width, height, rotation}`; rotation is the clockwise tilt of the eye line, in degrees.
pub fn location_json(f: &FaceBox) -> Value {
    json!({
        "left": round(f.left, 4),
        "top": round(f.top, 4),
        "width": round(f.width, 4),
        "height": round(f.height, 4),
        "rotation": rotation_deg(f),
    })
}

/// The `rotation` of a location: the clockwise tilt of the eye line, in whole degrees.
pub fn rotation_deg(f: &FaceBox) -> i64 {
    pose::angle_from_landmarks(&f.landmarks).roll_deg.round() as i64
}

pub fn angle_json(f: &FaceBox) -> Value {
    let a = pose::angle_from_landmarks(&f.landmarks);
    json!({"yaw": round(a.yaw_deg, 4), "pitch": round(a.pitch_deg, 4), "roll": round(a.roll_deg, 4)})
}

/// The 4-point `landmark` of detect: eye centres, nose tip, mouth centre.
pub fn landmark4_json(f: &FaceBox) -> Value {
    let p = &f.landmarks;
    let mouth = [(p[3][0] + p[4][0]) / 2.0, (p[3][1] + p[4][1]) / 2.0];
    Value::Array(
        [p[0], p[1], p[2], mouth]
            .iter()
            .map(|q| json!({"x": round(q[0], 4), "y": round(q[1], 4)}))
            .collect(),
    )
}

/// The fields every face entry starts with: face_token, location, face_probability, angle.
pub fn base_face_json(face: &RequestFace) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("face_token".into(), json!(face.token));
    m.insert("location".into(), location_json(&face.face_box));
    m.insert("face_probability".into(), probability(face.face_box.score));
    m.insert("angle".into(), angle_json(&face.face_box));
    m
}
