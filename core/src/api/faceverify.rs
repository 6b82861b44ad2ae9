//! `faceverify` (V3 online image liveness): the live score of the face in each of 1–8 photos of one
//! person, the highest of them as `face_liveness`, and the attributes `face_field` asks for. The live
//! score needs the optional model pack (docs/attributes.md: how little it is validated); without it the
//! method answers 222302 naming the pack. `spoofing` (composite images) has no model and is left out.

use serde_json::{json, Value};

use super::controls::{self, liveness_threshold};
use super::face_fields;
use super::faces;
use super::params::{Control, Params};
use crate::detect::FaceOrder;
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};

/// The spec allows 1, 3 or 8 photos; any count from 1 to 8 is taken (the cloud's limit is the 8).
const MAX_IMAGES: usize = 8;

pub fn faceverify(engine: &Engine, request: &Value) -> Result<Value> {
    let items = request
        .as_array()
        .filter(|a| (1..=MAX_IMAGES).contains(&a.len()))
        .ok_or_else(|| Error::new(ErrorCode::ImageCountIncorrect))?;
    let mut list = Vec::with_capacity(items.len());
    let mut best = 0f32;
    for item in items {
        let p = Params::new(item)?;
        let input = p.image(engine)?;
        let fields = p.face_fields()?;
        let face = faces::request_faces(engine, input, 1, FaceOrder::LargestFirst)?.remove(0);
        let image = face.pixels()?;
        let a = engine.analyse(&image.rgb, &face.face_box);
        let live = controls::live_score(&a)?;
        best = best.max(live);
        let mut m = faces::base_face_json(&face);
        m.insert(
            "liveness".into(),
            json!({"livemapscore": faces::probability(live)}),
        );
        face_fields::insert_requested(&mut m, &fields, &a)?;
        list.push(Value::Object(m));
    }
    let threshold = |c| faces::round(liveness_threshold(c).unwrap_or_default(), 5);
    Ok(json!({
        "face_liveness": faces::probability(best),
        // The cloud's thresholds, by the false-reject rates it states for its own model; liveness_control
        // uses the same three values.
        "thresholds": {
            "frr_1e-4": threshold(Control::Low),
            "frr_1e-3": threshold(Control::Normal),
            "frr_1e-2": threshold(Control::High),
        },
        "face_list": list,
    }))
}
