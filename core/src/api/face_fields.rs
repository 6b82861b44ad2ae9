//! The `face_field` attributes of detect, faceverify and v1/landmark as the cloud writes them. Fields
//! without a trustworthy model (face_shape, glasses, face_type, beauty, race, spoofing) are left out of
//! the result, never guessed: docs/attributes.md lists what is supported and how well it works.

use serde_json::{json, Map, Value};

use super::faces::{self, probability, round};
use crate::analysis::FaceAnalysis;
use crate::attributes::EMOTIONS;
use crate::error::Result;
use crate::landmarks::{self, NAMES_150};

/// The `face_field` names facekit answers (besides `landmark`, which detect expands to 4 + 72 points).
pub const SUPPORTED: &[&str] = &[
    "age",
    "gender",
    "expression",
    "emotion",
    "mask",
    "eye_status",
    "quality",
    "landmark150",
];

/// Adds the requested fields to a face's JSON. `landmark` gives the 4-point `landmark` and `landmark72`,
/// as in detect and faceverify.
pub fn insert_requested(
    m: &mut Map<String, Value>,
    fields: &[&str],
    a: &FaceAnalysis,
) -> Result<()> {
    for field in fields {
        if *field == "landmark" {
            m.insert("landmark".into(), faces::landmark4_json(a.face));
            m.insert("landmark72".into(), landmark72_json(a)?);
        } else if let Some(v) = field_json(field, a)? {
            m.insert(field.to_string(), v);
        }
    }
    Ok(())
}

/// Whether any of `fields` needs the face's pixels (all but the default fields do).
pub fn need_pixels(fields: &[&str]) -> bool {
    fields
        .iter()
        .any(|f| *f == "landmark" || SUPPORTED.contains(f))
}

/// The JSON of one supported field (`None` for a field facekit does not answer).
pub fn field_json(name: &str, a: &FaceAnalysis) -> Result<Option<Value>> {
    Ok(Some(match name {
        "age" => json!(round(a.age_gender()?.age_years, 2)),
        "gender" => {
            let p = a.age_gender()?.p_male;
            let (kind, conf) = if p >= 0.5 {
                ("male", p)
            } else {
                ("female", 1.0 - p)
            };
            json!({"type": kind, "probability": probability(conf)})
        }
        "emotion" => {
            let p = a.emotion()?;
            let best = (0..EMOTIONS.len())
                .max_by(|x, y| p[*x].total_cmp(&p[*y]))
                .unwrap_or(0);
            json!({"type": EMOTIONS[best], "probability": probability(p[best])})
        }
        "expression" => {
            let (e, p) = a.expression()?;
            json!({"type": e.name(), "probability": probability(p)})
        }
        "mask" => {
            let p = a.mask()?;
            let masked = p >= 0.5;
            json!({"type": masked as i64, "probability": probability(if masked { p } else { 1.0 - p })})
        }
        "eye_status" => {
            let (left, right) = a.eye_status()?;
            json!({"left_eye": probability(left), "right_eye": probability(right)})
        }
        "quality" => quality_json(a)?,
        "landmark150" => landmark150_json(a)?,
        _ => return Ok(None),
    }))
}

fn point(p: [f32; 2]) -> Value {
    json!({"x": round(p[0], 4), "y": round(p[1], 4)})
}

/// `landmark72`: the first 72 named points, as an array.
pub fn landmark72_json(a: &FaceAnalysis) -> Result<Value> {
    let pts = landmarks::landmark150(a.mesh()?, a.rgb);
    Ok(Value::Array(pts[..72].iter().map(|p| point(*p)).collect()))
}

/// `landmark150`: an object of the 150 named points.
pub fn landmark150_json(a: &FaceAnalysis) -> Result<Value> {
    let pts = landmarks::landmark150(a.mesh()?, a.rgb);
    Ok(Value::Object(
        NAMES_150
            .iter()
            .zip(pts)
            .map(|(n, p)| (n.to_string(), point(p)))
            .collect::<Map<String, Value>>(),
    ))
}

/// `quality{occlusion{…}, blur, illumination, completeness}`. The occlusion key for the chin is
/// `chin_contour`, as in the SDK documentation and the quality-control tables (the detect example's
/// `chin` is a doc bug, gotcha 4).
pub fn quality_json(a: &FaceAnalysis) -> Result<Value> {
    let q = a.quality()?;
    let o = &q.occlusion;
    Ok(json!({
        "occlusion": {
            "left_eye": probability(o.left_eye),
            "right_eye": probability(o.right_eye),
            "nose": probability(o.nose),
            "mouth": probability(o.mouth),
            "left_cheek": probability(o.left_cheek),
            "right_cheek": probability(o.right_cheek),
            "chin_contour": probability(o.chin_contour),
        },
        "blur": probability(q.blur),
        "illumination": q.illumination.round() as i64,
        "completeness": q.completeness as i64,
    }))
}
