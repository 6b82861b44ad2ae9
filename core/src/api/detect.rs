//! `detect`: faces with location, probability, pose and the attributes `face_field` asks for.

use base64::Engine as _;
use image::codecs::jpeg::JpegEncoder;
use serde_json::{json, Value};

use super::controls::{self, liveness_threshold};
use super::face_fields;
use super::faces::{self, RequestFace};
use super::params::{Control, Params};
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};

/// The cloud's current limit for `max_face_num` in detect.
pub const MAX_FACE_NUM: i64 = 120;
/// With `display_corp_image=1` the cloud returns at most 5 faces.
const MAX_FACES_WITH_CROPS: usize = 5;

pub fn detect(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let input = p.image(engine)?;
    let fields = p.face_fields()?;
    let mut max_faces = p.int_in(
        "max_face_num",
        1..=MAX_FACE_NUM,
        1,
        ErrorCode::MaxFaceNumFormat,
    )? as usize;
    p.face_type(false)?;
    // detect takes only liveness_control, and leaves faces that fail it out (spec §2.1).
    let liveness = p.liveness_control()?;
    let order = p.face_sort_type()?;
    let crops = p.int_in(
        "display_corp_image",
        0..=1,
        0,
        ErrorCode::DisplayCorpImageFormat,
    )? == 1;
    if crops {
        max_faces = max_faces.min(MAX_FACES_WITH_CROPS);
    }
    let faces = match faces::request_faces(engine, input, max_faces, order) {
        Ok(f) => f,
        // detect reports an image without faces as an empty list, not as an error.
        Err(e) if e.code == ErrorCode::NoFace => Vec::new(),
        Err(e) => return Err(e),
    };
    let needs_pixels = liveness != Control::None || face_fields::need_pixels(&fields);
    let mut list = Vec::with_capacity(faces.len());
    for face in &faces {
        let mut m = faces::base_face_json(face);
        if needs_pixels {
            let image = face.pixels()?;
            let a = engine.analyse(&image.rgb, &face.face_box);
            if let Some(threshold) = liveness_threshold(liveness) {
                if controls::live_score(&a)? < threshold {
                    continue;
                }
                m.insert("liveness".into(), controls::liveness_json(&a)?);
            }
            face_fields::insert_requested(&mut m, &fields, &a)?;
        }
        if crops {
            m.insert("corp_image_base64".into(), json!(crop_base64(face)?));
        }
        list.push(Value::Object(m));
    }
    Ok(json!({"face_num": list.len(), "face_list": list}))
}

/// The face box cut from the image, as base64 JPEG (`display_corp_image`).
fn crop_base64(face: &RequestFace) -> Result<String> {
    let Some(img) = &face.image else {
        return Ok(String::new());
    };
    let b = &face.face_box;
    let (w, h) = (img.width() as f32, img.height() as f32);
    let x0 = b.left.clamp(0.0, w - 1.0) as u32;
    let y0 = b.top.clamp(0.0, h - 1.0) as u32;
    let x1 = (b.left + b.width).clamp(x0 as f32 + 1.0, w) as u32;
    let y1 = (b.top + b.height).clamp(y0 as f32 + 1.0, h) as u32;
    let crop = image::imageops::crop_imm(&img.rgb, x0, y0, x1 - x0, y1 - y0).to_image();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&crop)
        .map_err(|e| Error::system(format!("crop encode: {e}")))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(out))
}
