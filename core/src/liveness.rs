//! Single-image liveness (presentation-attack detection: a printed photo or a screen held up to the
//! camera) with `fr_liveness.onnx` from the optional model pack (MiniFASNet-style, 3 classes). Pre- and
//! post-processing as faceplugin's `lib/fr_liveness.js` (model kit `MODELS.md`): the box scaled 2.7×
//! around its centre and shifted inside the image, OpenCV-style bilinear resize to 128×128, raw RGB, NCHW;
//! softmax, class 0 = live. How well it separates live from spoof: docs/attributes.md.

use image::RgbImage;
use ndarray::Array4;
use ort::value::TensorRef;

use crate::detect::FaceBox;
use crate::error::{Error, Result};
use crate::runtime::OrtModel;

const INPUT_SIZE: usize = 128;
const CROP_SCALE: f32 = 2.7;

/// The probability that the face is a live person in front of the camera (the cloud's `livemapscore`).
pub fn live_score(model: &OrtModel, rgb: &RgbImage, face: &FaceBox) -> Result<f32> {
    let (x0, y0, w, h) = scaled_crop(rgb.width(), rgb.height(), face, CROP_SCALE);
    let resized = resize_linear(rgb, (x0, y0, w, h), INPUT_SIZE, INPUT_SIZE);
    let plane = INPUT_SIZE * INPUT_SIZE;
    let mut x = Array4::<f32>::zeros((1, 3, INPUT_SIZE, INPUT_SIZE));
    let data = x.as_slice_mut().expect("fresh array is contiguous");
    for (i, px) in resized.chunks_exact(3).enumerate() {
        for c in 0..3 {
            data[c * plane + i] = px[c].round().clamp(0.0, 255.0);
        }
    }
    let logits = model.with_session(|s| {
        let out = s.run(ort::inputs!["input" => TensorRef::from_array_view(&x)?])?;
        let (_, v) = out["output"].try_extract_tensor::<f32>()?;
        Ok(v.to_vec())
    })?;
    if logits.len() != 3 {
        return Err(Error::system("fr_liveness returned an unexpected shape"));
    }
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = logits.iter().map(|v| (v - max).exp()).collect();
    Ok(e[0] / e.iter().sum::<f32>())
}

/// faceplugin's crop: the box scaled by min(scale, what fits) around its centre, shifted back inside the
/// image, bounds truncated to integers. Returns (x, y, width, height).
fn scaled_crop(img_w: u32, img_h: u32, face: &FaceBox, scale: f32) -> (usize, usize, usize, usize) {
    let (iw, ih) = (img_w as f32, img_h as f32);
    let s = scale
        .min((ih - 1.0) / face.height)
        .min((iw - 1.0) / face.width);
    let (nw, nh) = (face.width * s, face.height * s);
    let [cx, cy] = face.center();
    let (mut l, mut t, mut r, mut b) = (cx - nw / 2.0, cy - nh / 2.0, cx + nw / 2.0, cy + nh / 2.0);
    if l < 0.0 {
        r -= l;
        l = 0.0;
    }
    if t < 0.0 {
        b -= t;
        t = 0.0;
    }
    if r > iw - 1.0 {
        l -= r - iw + 1.0;
        r = iw - 1.0;
    }
    if b > ih - 1.0 {
        t -= b - ih + 1.0;
        b = ih - 1.0;
    }
    let (x, y) = (l.max(0.0) as usize, t.max(0.0) as usize);
    let w = ((r - l) as usize)
        .min(img_w as usize - 1)
        .min(img_w as usize - x);
    let h = ((b - t) as usize)
        .min(img_h as usize - 1)
        .min(img_h as usize - y);
    (x, y, w.max(1), h.max(1))
}

/// OpenCV `resize(INTER_LINEAR)` of a sub-rectangle: half-pixel centres, edges clamped, no antialiasing.
/// RGB values as f32, row-major.
fn resize_linear(
    rgb: &RgbImage,
    (x0, y0, w, h): (usize, usize, usize, usize),
    out_w: usize,
    out_h: usize,
) -> Vec<f32> {
    let axis = |n_in: usize, n_out: usize| -> Vec<(usize, usize, f32)> {
        let scale = n_in as f32 / n_out as f32;
        (0..n_out)
            .map(|o| {
                let src = ((o as f32 + 0.5) * scale - 0.5).max(0.0);
                let i0 = (src.floor() as usize).min(n_in - 1);
                let i1 = (i0 + 1).min(n_in - 1);
                (i0, i1, src - i0 as f32)
            })
            .collect()
    };
    let (xs, ys) = (axis(w, out_w), axis(h, out_h));
    let px =
        |x: usize, y: usize, c: usize| rgb.get_pixel((x0 + x) as u32, (y0 + y) as u32)[c] as f32;
    let mut out = Vec::with_capacity(out_w * out_h * 3);
    for &(ya, yb, fy) in &ys {
        for &(xa, xb, fx) in &xs {
            for c in 0..3 {
                let top = px(xa, ya, c) * (1.0 - fx) + px(xb, ya, c) * fx;
                let bot = px(xa, yb, c) * (1.0 - fx) + px(xb, yb, c) * fx;
                out.push(top * (1.0 - fy) + bot * fy);
            }
        }
    }
    out
}
