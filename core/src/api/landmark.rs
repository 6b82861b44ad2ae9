//! `v1/landmark`: 4, 72 and 150 named points per face (api-v3.md §2.16), from FaceMesh mapped onto the
//! cloud's names (`landmarks`). `landmark201` needs 40 iris-contour points FaceMesh does not give, so it
//! is left out, as are fields without a model; `age` and `gender` are as in detect.

use serde_json::{json, Value};

use super::face_fields;
use super::faces;
use super::params::Params;
use crate::detect::FaceOrder;
use crate::engine::Engine;
use crate::error::{ErrorCode, Result};

/// v1/landmark's limit on `max_face_num`.
pub const MAX_FACE_NUM: i64 = 10;

pub fn landmark(engine: &Engine, request: &Value) -> Result<Value> {
    let p = Params::new(request)?;
    let input = p.image(engine)?;
    let fields = p.face_fields()?;
    let max_faces = p.int_in(
        "max_face_num",
        1..=MAX_FACE_NUM,
        1,
        ErrorCode::MaxFaceNumFormat,
    )? as usize;
    let faces = faces::request_faces(engine, input, max_faces, FaceOrder::LargestFirst)?;
    let mut list = Vec::with_capacity(faces.len());
    for face in &faces {
        let mut m = faces::base_face_json(face);
        if !fields.is_empty() {
            let image = face.pixels()?;
            let a = engine.analyse(&image.rgb, &face.face_box);
            for field in &fields {
                let v = match *field {
                    "landmark4" => Some(faces::landmark4_json(&face.face_box)),
                    "landmark72" => Some(face_fields::landmark72_json(&a)?),
                    "landmark150" => Some(face_fields::landmark150_json(&a)?),
                    "age" | "gender" => face_fields::field_json(field, &a)?,
                    _ => None,
                };
                if let Some(v) = v {
                    m.insert(field.to_string(), v);
                }
            }
        }
        list.push(Value::Object(m));
    }
    Ok(json!({"face_num": list.len(), "face_list": list}))
}
