//! `quality_control`, `liveness_control` and `spoofing_control`: the cloud's gates on a face, with its
//! threshold tables (api-v3.md §1.6, variant A for quality). Methods that register or compare faces (match,
//! search, faceset/user/add|update) fail with the failing check's code; detect and multi-search leave
//! failing faces out instead (gotcha 13).
//!
//! A gate whose model is absent never passes silently: liveness needs the optional model pack and no
//! model in the kit detects composite images (spoofing), so such a request answers 222302 "system error"
//! naming the missing model.

use serde_json::{json, Value};

use super::faces::RequestFace;
use super::params::{Control, FaceControls};
use crate::analysis::FaceAnalysis;
use crate::engine::Engine;
use crate::error::{Error, ErrorCode, Result};
use crate::quality::Quality;

/// Whether a request asked for any gate.
pub fn requested(c: &FaceControls) -> bool {
    *c != FaceControls::default()
}

/// Fails the request unless `face` passes the gates (match, search, faceset/user/add|update).
pub fn enforce(engine: &Engine, face: &RequestFace, c: &FaceControls) -> Result<()> {
    if !requested(c) {
        return Ok(());
    }
    let image = face.pixels()?;
    check(&engine.analyse(&image.rgb, &face.face_box), c)
}

/// Whether `face` passes the gates, for methods that leave failing faces out (multi-search).
pub fn admits(engine: &Engine, face: &RequestFace, c: &FaceControls) -> Result<bool> {
    if !requested(c) {
        return Ok(true);
    }
    let image = face.pixels()?;
    passes(&engine.analyse(&image.rgb, &face.face_box), c)
}

/// Quality limits of one level: occlusion and blur at most, illumination and completeness at least.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QualityLimits {
    pub occlusion_max: f32,
    pub blur_max: f32,
    pub illumination_min: f32,
    pub completeness_min: u8,
}

/// Variant A of §1.6 (match, search, multi-search, user/add, user/update).
pub fn quality_limits(level: Control) -> Option<QualityLimits> {
    let (occlusion_max, illumination_min, blur_max, completeness_min) = match level {
        Control::None => return None,
        Control::Low => (0.8, 20.0, 0.8, 0),
        Control::Normal => (0.6, 40.0, 0.6, 0),
        Control::High => (0.2, 100.0, 0.2, 1),
    };
    Some(QualityLimits {
        occlusion_max,
        blur_max,
        illumination_min,
        completeness_min,
    })
}

/// The lowest live score each level accepts (§1.6: score ≥ threshold passes).
pub fn liveness_threshold(level: Control) -> Option<f32> {
    match level {
        Control::None => None,
        Control::Low => Some(0.05),
        Control::Normal => Some(0.3),
        Control::High => Some(0.9),
    }
}

/// The highest spoofing score each level accepts (§1.6: score > threshold fails). Inverted against the
/// other two controls: LOW is the strictest.
pub fn spoofing_threshold(level: Control) -> Option<f32> {
    match level {
        Control::None => None,
        Control::Low => Some(0.00023),
        Control::Normal => Some(0.00048),
        Control::High => Some(0.00109),
    }
}

/// The first quality check `q` fails at `limits`, as the cloud's error code. Checked in this order: the
/// face inside the image, light, blur, then occlusion region by region.
pub fn quality_failure(q: &Quality, limits: &QualityLimits) -> Option<ErrorCode> {
    if (q.completeness as u8) < limits.completeness_min {
        return Some(ErrorCode::IncompleteFace);
    }
    if q.illumination < limits.illumination_min {
        return Some(ErrorCode::FaceLightNotGood);
    }
    if q.blur > limits.blur_max {
        return Some(ErrorCode::FaceFuzzy);
    }
    let o = &q.occlusion;
    [
        (o.left_eye, ErrorCode::LeftEyeOcclusion),
        (o.right_eye, ErrorCode::RightEyeOcclusion),
        (o.nose, ErrorCode::NoseOcclusion),
        (o.mouth, ErrorCode::MouthOcclusion),
        (o.left_cheek, ErrorCode::LeftCheekOcclusion),
        (o.right_cheek, ErrorCode::RightCheekOcclusion),
        (o.chin_contour, ErrorCode::ChinContourOcclusion),
    ]
    .into_iter()
    .find(|(v, _)| *v > limits.occlusion_max)
    .map(|(_, code)| code)
}

/// 222302 naming what is missing, for a gate that cannot be measured.
fn missing_model(what: &str) -> Error {
    Error {
        code: ErrorCode::SystemError,
        message: format!("system error: {what}"),
        detail: Some(what.to_string()),
    }
}

/// Runs the requested gates on one face: `Ok(())` if it passes all, else the failing check's error.
pub fn check(analysis: &FaceAnalysis, controls: &FaceControls) -> Result<()> {
    if let Some(limits) = quality_limits(controls.quality) {
        if let Some(code) = quality_failure(&analysis.quality()?, &limits) {
            return Err(Error::new(code));
        }
    }
    if let Some(t) = liveness_threshold(controls.liveness) {
        if live_score(analysis)? < t {
            return Err(Error::new(ErrorCode::LivenessCheckFail));
        }
    }
    if spoofing_threshold(controls.spoofing).is_some() {
        return Err(missing_model(
            "spoofing_control needs a composite-image (spoofing) model; facekit has none, send NONE",
        ));
    }
    Ok(())
}

/// Like [`check`], for methods that leave failing faces out: `Ok(false)` when the face fails a gate.
/// Errors that are not a gate's verdict (a missing model) still fail the request.
fn passes(analysis: &FaceAnalysis, controls: &FaceControls) -> Result<bool> {
    match check(analysis, controls) {
        Ok(()) => Ok(true),
        Err(e) if is_gate_verdict(e.code) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether `code` is a gate's verdict on the face (as opposed to a fault such as a missing model).
pub fn is_gate_verdict(code: ErrorCode) -> bool {
    use ErrorCode::*;
    matches!(
        code,
        IncompleteFace
            | FaceLightNotGood
            | FaceFuzzy
            | LeftEyeOcclusion
            | RightEyeOcclusion
            | NoseOcclusion
            | MouthOcclusion
            | LeftCheekOcclusion
            | RightCheekOcclusion
            | ChinContourOcclusion
            | LivenessCheckFail
            | SpoofingCheckFail
    )
}

/// The live score, or 222302 naming the model pack when it is not configured.
pub fn live_score(analysis: &FaceAnalysis) -> Result<f32> {
    if !analysis.has_liveness_model() {
        return Err(missing_model(
            "liveness needs fr_liveness.onnx from the optional model pack (engine config model_pack_dir)",
        ));
    }
    analysis.live_score()
}

/// `liveness{livemapscore}` of a face.
pub fn liveness_json(analysis: &FaceAnalysis) -> Result<Value> {
    Ok(json!({"livemapscore": super::faces::probability(live_score(analysis)?)}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::Occlusion;

    fn good() -> Quality {
        Quality {
            occlusion: Occlusion::estimate(1.0, 0.0),
            blur: 0.05,
            illumination: 150.0,
            completeness: true,
        }
    }

    #[test]
    fn quality_levels_follow_the_spec_table() {
        let high = quality_limits(Control::High).unwrap();
        let low = quality_limits(Control::Low).unwrap();
        assert_eq!(quality_failure(&good(), &high), None);
        let dim = Quality {
            illumination: 60.0,
            ..good()
        };
        assert_eq!(
            quality_failure(&dim, &high),
            Some(ErrorCode::FaceLightNotGood)
        );
        assert_eq!(quality_failure(&dim, &low), None);
        let cut = Quality {
            completeness: false,
            ..good()
        };
        assert_eq!(
            quality_failure(&cut, &high),
            Some(ErrorCode::IncompleteFace)
        );
        assert_eq!(quality_failure(&cut, &low), None);
        let masked = Quality {
            occlusion: Occlusion::estimate(1.0, 0.97),
            ..good()
        };
        assert_eq!(
            quality_failure(&masked, &low),
            Some(ErrorCode::NoseOcclusion)
        );
        let soft = Quality {
            blur: 0.7,
            ..good()
        };
        assert_eq!(quality_failure(&soft, &low), None);
        assert_eq!(
            quality_failure(&soft, &quality_limits(Control::Normal).unwrap()),
            Some(ErrorCode::FaceFuzzy)
        );
        assert!(quality_limits(Control::None).is_none());
    }

    #[test]
    fn spoofing_levels_are_inverted() {
        let t = |c| spoofing_threshold(c).unwrap();
        assert!(t(Control::Low) < t(Control::Normal) && t(Control::Normal) < t(Control::High));
        let l = |c| liveness_threshold(c).unwrap();
        assert!(l(Control::Low) < l(Control::Normal) && l(Control::Normal) < l(Control::High));
    }
}
