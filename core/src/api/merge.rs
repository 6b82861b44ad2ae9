//! `v1/merge` (face fusion): the target face blended onto the template face (`crate::merge`), answered
//! as a base64 PNG like the cloud's example. Each image may name its face with `face_location` (else
//! the largest) and set `quality_control`; a template failing it is 222211, a target the quality code;
//! a face turned more than 30° is 223129. The cloud's "AI generated" watermark (`position`, `language`)
//! is not drawn: facekit has no font to draw it with; mark the output in your app.

use std::io::Cursor;

use base64::Engine as _;
use serde_json::{json, Value};

use super::controls;
use super::faces::{self, RequestFace};
use super::params::{Control, FaceControls, Params};
use crate::detect::{iou, FaceBox, FaceOrder};
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};
use crate::pose;

/// A face turned further than this (yaw or pitch) cannot be merged (223129).
const MAX_TURN_DEG: f32 = 30.0;

pub fn merge(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let template = p
        .get("image_template")
        .ok_or_else(|| Error::param_null("image_template"))?;
    let target = p
        .get("image_target")
        .ok_or_else(|| Error::param_null("image_target"))?;
    let version = p
        .str_opt("version", ErrorCode::RequestNotJson)?
        .unwrap_or("1.0");
    let degree = match p.str_opt("merge_degree", ErrorCode::MergeDegreeFormat)? {
        None | Some("COMPLETE") => 1.0,
        Some("HIGH") => 0.8,
        Some("NORMAL") => 0.6,
        Some("LOW") => 0.4,
        Some(_) => return Err(Error::new(ErrorCode::MergeDegreeFormat)),
    };
    let alpha = match p.get("alpha") {
        None => 0.0,
        Some(v) => v
            .as_f64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .filter(|a| (0.0..=1.0).contains(a))
            .ok_or_else(|| Error::with_detail(ErrorCode::RequestNotJson, "alpha must be 0–1"))?
            as f32,
    };
    // merge_degree applies to version 1.0 only; version 4.0 blends by alpha (0 = the target's face).
    let target_weight = match version {
        "4.0" => 1.0 - alpha,
        "2.0" | "3.0" => 1.0,
        _ => degree,
    };
    let template = merge_face(engine, template, true)?;
    let target = merge_face(engine, target, false)?;
    let (t_img, s_img) = (template.pixels()?, target.pixels()?);
    let t_analysis = engine.analyse(&t_img.rgb, &template.face_box);
    let s_analysis = engine.analyse(&s_img.rgb, &target.face_box);
    let out = crate::merge::merge(
        &t_img.rgb,
        t_analysis.mesh()?,
        &s_img.rgb,
        s_analysis.mesh()?,
        target_weight,
    );
    let mut png = Vec::new();
    out.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| Error::with_detail(ErrorCode::MergeFaceFail, e.to_string()))?;
    Ok(json!({"merge_image": base64::engine::general_purpose::STANDARD.encode(png)}))
}

/// One side of a merge: its image, the face `face_location` names (or the largest), checked for pose and
/// `quality_control`. A template failing quality answers 222211; a target the failing check's code.
fn merge_face(engine: &Engine, side: &Value, is_template: bool) -> Result<RequestFace> {
    let p = Params::new(side)?;
    let input = p.image(engine)?;
    let quality = p.quality_control()?;
    let location = p
        .str_opt("face_location", ErrorCode::FaceLocationFormat)?
        .map(parse_location)
        .transpose()?;
    let found = faces::request_faces(engine, input, usize::MAX, FaceOrder::LargestFirst)?;
    let face = match location {
        Some(want) => found
            .into_iter()
            .max_by(|a, b| iou(&a.face_box, &want).total_cmp(&iou(&b.face_box, &want)))
            .filter(|f| iou(&f.face_box, &want) > 0.3)
            .ok_or_else(|| Error::new(ErrorCode::NoFace))?,
        None => found
            .into_iter()
            .next()
            .ok_or_else(|| Error::new(ErrorCode::NoFace))?,
    };
    let angle = pose::angle_from_landmarks(&face.face_box.landmarks);
    if angle.yaw_deg.abs() > MAX_TURN_DEG || angle.pitch_deg.abs() > MAX_TURN_DEG {
        return Err(Error::new(ErrorCode::FaceNotForward));
    }
    let gates = FaceControls {
        quality,
        liveness: Control::None,
        spoofing: Control::None,
    };
    controls::enforce(engine, &face, &gates).map_err(|e| {
        if is_template && controls::is_gate_verdict(e.code) {
            Error::with_detail(ErrorCode::TemplateQualityReject, e.message)
        } else {
            e
        }
    })?;
    Ok(face)
}

/// `face_location`: a JSON string `{"left":…,"top":…,"width":…,"height":…,"rotation":…}`.
fn parse_location(s: &str) -> Result<FaceBox> {
    let bad = || Error::new(ErrorCode::FaceLocationFormat);
    let v: Value = serde_json::from_str(s).map_err(|_| bad())?;
    let num = |k: &str| {
        v.get(k)
            .and_then(Value::as_f64)
            .map(|x| x as f32)
            .ok_or_else(bad)
    };
    let b = FaceBox {
        left: num("left")?,
        top: num("top")?,
        width: num("width")?,
        height: num("height")?,
        score: 1.0,
        landmarks: [[0.0; 2]; 5],
    };
    if b.width <= 0.0 || b.height <= 0.0 {
        return Err(bad());
    }
    Ok(b)
}
