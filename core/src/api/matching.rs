//! `match`: the 0–100 similarity of the faces in two images.

use serde_json::{json, Value};

use super::controls;
use super::faces;
use super::params::Params;
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};

pub fn match_faces(engine: &Engine, request: &Value) -> Result<Value> {
    let items = request
        .as_array()
        .ok_or_else(|| Error::new(ErrorCode::ImageCountIncorrect))?;
    if items.len() != 2 {
        return Err(Error::new(ErrorCode::ImageCountIncorrect));
    }
    let mut tokens = Vec::with_capacity(2);
    let mut embeddings = Vec::with_capacity(2);
    for item in items {
        let p = Params::new(item)?;
        let input = p.image(engine)?;
        p.face_type(true)?;
        let order = p.face_sort_type()?;
        let gates = p.face_controls()?;
        let face = faces::request_faces(engine, input, 1, order)?.remove(0);
        controls::enforce(engine, &face, &gates)?;
        embeddings.push(face.embedding(engine)?);
        tokens.push(face.token);
    }
    let score = engine.compare(&embeddings[0], &embeddings[1]);
    Ok(json!({
        "score": faces::round(score, 5),
        "face_list": tokens.iter().map(|t| json!({"face_token": t})).collect::<Vec<_>>(),
    }))
}
