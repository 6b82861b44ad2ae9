//! Face detection: where pixels become face boxes. RetinaFace MobileNet-0.25 (biubug6), with the anchor
//! decode, score threshold and NMS of the model kit's `MODELS.md`, run at the image's own resolution so small
//! faces survive (photos above 4K UHD are scaled down to [`MAX_DETECT_PIXELS`] first).

use image::imageops::FilterType;
use image::RgbImage;
use ndarray::Array4;
use ort::value::TensorRef;

use crate::error::{Error, Result};
use crate::runtime::OrtModel;

/// Detection runs on at most this many pixels (4K UHD, 3840×2160). Larger photos are detected on a scaled
/// copy; boxes and points are mapped back to the full image, where alignment then samples. The budget is above
/// the cloud's 1920×1080 so that phone photos keep the reference pipeline's exact points (RetinaFace's
/// points move by a few pixels with scale, enough to move an embedding by 0.1), while bounding time and memory.
pub const MAX_DETECT_PIXELS: u64 = 3840 * 2160;

const STRIDES: [usize; 3] = [8, 16, 32];
const MIN_SIZES: [[f32; 2]; 3] = [[16.0, 32.0], [64.0, 128.0], [256.0, 512.0]];
const VARIANCE: [f32; 2] = [0.1, 0.2];
/// Per-channel means subtracted from B, G, R (biubug6's values; the kit's goldens use them).
const MEAN_BGR: [f32; 3] = [104.0, 117.0, 123.0];
/// Faces below this size (px, longest side) are taken from the small-face pass.
const SMALL_FACE_PX: f32 = 16.0;

/// A detected face in image pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceBox {
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    /// Detector confidence in [0, 1].
    pub score: f32,
    /// Left eye, right eye (as seen in the image), nose tip, left and right mouth corners.
    pub landmarks: [[f32; 2]; 5],
}

impl FaceBox {
    pub fn area(&self) -> f32 {
        self.width * self.height
    }
    pub fn center(&self) -> [f32; 2] {
        [self.left + self.width / 2.0, self.top + self.height / 2.0]
    }
}

/// Which face comes first when a method uses one face (`face_sort_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaceOrder {
    /// Largest box first (the cloud's default, 0).
    #[default]
    LargestFirst,
    /// Nearest to the image centre first (1).
    NearestCenterFirst,
}

#[derive(Debug, Clone, Copy)]
pub struct DetectOptions {
    /// Boxes scoring at or below this are dropped (0.8 as in the kit; WIDER evaluation uses 0.02).
    pub score_threshold: f32,
    pub nms_iou: f32,
    pub max_faces: usize,
    pub order: FaceOrder,
    /// Also look for faces under 20 px in a second pass at twice the size (4× the work; for crowd photos).
    pub small_face_pass: bool,
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            score_threshold: 0.8,
            nms_iou: 0.4,
            max_faces: usize::MAX,
            order: FaceOrder::LargestFirst,
            small_face_pass: false,
        }
    }
}

pub struct Detector {
    model: OrtModel,
}

impl Detector {
    pub fn new(model: OrtModel) -> Self {
        Detector { model }
    }

    /// Finds the faces in `rgb`, sorted by `opts.order` and cut to `opts.max_faces`.
    pub fn detect(&self, rgb: &RgbImage, opts: &DetectOptions) -> Result<Vec<FaceBox>> {
        let (w, h) = rgb.dimensions();
        let pixels = w as u64 * h as u64;
        let base_scale = if pixels > MAX_DETECT_PIXELS {
            (MAX_DETECT_PIXELS as f64 / pixels as f64).sqrt()
        } else {
            1.0
        };
        let mut candidates = self.candidates_at_scale(rgb, base_scale, opts)?;
        if opts.small_face_pass && pixels * 4 <= MAX_DETECT_PIXELS {
            // RetinaFace's smallest anchor is 16 px; at twice the size, faces of 8–20 px reach it. Only the
            // small faces of that pass are kept: large faces are better seen at the image's own scale.
            let small = self.candidates_at_scale(rgb, 2.0, opts)?;
            candidates.extend(
                small
                    .into_iter()
                    .filter(|f| f.width.max(f.height) < SMALL_FACE_PX),
            );
        }
        let mut faces = nms(candidates, opts.nms_iou);
        sort_faces(&mut faces, opts.order, w, h);
        faces.truncate(opts.max_faces);
        Ok(faces)
    }

    /// [`Self::candidates`] on `rgb` resized by `scale`, mapped back to `rgb`'s pixels.
    fn candidates_at_scale(
        &self,
        rgb: &RgbImage,
        scale: f64,
        opts: &DetectOptions,
    ) -> Result<Vec<FaceBox>> {
        if scale == 1.0 {
            return self.candidates(rgb, opts);
        }
        let (w, h) = rgb.dimensions();
        let (sw, sh) = (
            ((w as f64 * scale).round() as u32).max(1),
            ((h as f64 * scale).round() as u32).max(1),
        );
        let resized = image::imageops::resize(rgb, sw, sh, FilterType::Triangle);
        let (fx, fy) = (w as f32 / sw as f32, h as f32 / sh as f32);
        let mut faces = self.candidates(&resized, opts)?;
        for f in &mut faces {
            f.left *= fx;
            f.top *= fy;
            f.width *= fx;
            f.height *= fy;
            for p in &mut f.landmarks {
                p[0] *= fx;
                p[1] *= fy;
            }
        }
        Ok(faces)
    }

    /// Every box above the score threshold (before NMS) of one network run on `rgb`.
    fn candidates(&self, rgb: &RgbImage, opts: &DetectOptions) -> Result<Vec<FaceBox>> {
        let (w, h) = (rgb.width() as usize, rgb.height() as usize);
        let input = bgr_minus_mean_nchw(rgb);
        let (loc, conf, landm) = self.model.with_session(|s| {
            let outputs = s.run(ort::inputs!["input" => TensorRef::from_array_view(&input)?])?;
            let get = |name: &str| -> Result<Vec<f32>> {
                let (_, data) = outputs[name].try_extract_tensor::<f32>()?;
                Ok(data.to_vec())
            };
            Ok((get("loc")?, get("conf")?, get("landmarks")?))
        })?;
        let anchors = anchors(h, w);
        if loc.len() != anchors.len() * 4
            || conf.len() != anchors.len() * 2
            || landm.len() != anchors.len() * 10
        {
            return Err(Error::system(format!(
                "detector output has {} boxes for {} anchors at {w}x{h}",
                loc.len() / 4,
                anchors.len()
            )));
        }
        let (wf, hf) = (w as f32, h as f32);
        let mut candidates = Vec::new();
        for (i, a) in anchors.iter().enumerate() {
            let score = conf[i * 2 + 1];
            if score <= opts.score_threshold {
                continue;
            }
            let l = &loc[i * 4..i * 4 + 4];
            let cx = a[0] + l[0] * VARIANCE[0] * a[2];
            let cy = a[1] + l[1] * VARIANCE[0] * a[3];
            let bw = a[2] * (l[2] * VARIANCE[1]).exp();
            let bh = a[3] * (l[3] * VARIANCE[1]).exp();
            let x1 = (cx - bw / 2.0) * wf;
            let y1 = (cy - bh / 2.0) * hf;
            let mut landmarks = [[0f32; 2]; 5];
            for (k, p) in landmarks.iter_mut().enumerate() {
                p[0] = (a[0] + landm[i * 10 + 2 * k] * VARIANCE[0] * a[2]) * wf;
                p[1] = (a[1] + landm[i * 10 + 2 * k + 1] * VARIANCE[0] * a[3]) * hf;
            }
            candidates.push(FaceBox {
                left: x1,
                top: y1,
                width: bw * wf,
                height: bh * hf,
                score,
                landmarks,
            });
        }
        Ok(candidates)
    }
}

/// Prior boxes (cx, cy, w, h), relative to the image, in the network's output order.
fn anchors(h: usize, w: usize) -> Vec<[f32; 4]> {
    let mut out = Vec::new();
    for (stride, sizes) in STRIDES.iter().zip(MIN_SIZES.iter()) {
        let (fh, fw) = (h.div_ceil(*stride), w.div_ceil(*stride));
        for i in 0..fh {
            for j in 0..fw {
                for m in sizes {
                    out.push([
                        (j as f32 + 0.5) * *stride as f32 / w as f32,
                        (i as f32 + 0.5) * *stride as f32 / h as f32,
                        m / w as f32,
                        m / h as f32,
                    ]);
                }
            }
        }
    }
    out
}

fn bgr_minus_mean_nchw(rgb: &RgbImage) -> Array4<f32> {
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    let mut x = Array4::<f32>::zeros((1, 3, h, w));
    let plane = h * w;
    let data = x.as_slice_mut().expect("fresh array is contiguous");
    for (i, px) in rgb.as_raw().chunks_exact(3).enumerate() {
        data[i] = px[2] as f32 - MEAN_BGR[0];
        data[plane + i] = px[1] as f32 - MEAN_BGR[1];
        data[2 * plane + i] = px[0] as f32 - MEAN_BGR[2];
    }
    x
}

/// Greedy NMS on continuous coordinates (no +1), highest score first, as the reference pipeline.
fn nms(mut boxes: Vec<FaceBox>, iou_threshold: f32) -> Vec<FaceBox> {
    boxes.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut keep: Vec<FaceBox> = Vec::new();
    'next: for b in boxes {
        for k in &keep {
            if iou(k, &b) > iou_threshold {
                continue 'next;
            }
        }
        keep.push(b);
    }
    keep
}

pub fn iou(a: &FaceBox, b: &FaceBox) -> f32 {
    let x1 = a.left.max(b.left);
    let y1 = a.top.max(b.top);
    let x2 = (a.left + a.width).min(b.left + b.width);
    let y2 = (a.top + a.height).min(b.top + b.height);
    let inter = (x2 - x1).max(0.0) * (y2 - y1).max(0.0);
    inter / (a.area() + b.area() - inter)
}

fn sort_faces(faces: &mut [FaceBox], order: FaceOrder, w: u32, h: u32) {
    match order {
        FaceOrder::LargestFirst => faces.sort_by(|a, b| b.area().total_cmp(&a.area())),
        FaceOrder::NearestCenterFirst => {
            let c = [w as f32 / 2.0, h as f32 / 2.0];
            let d = |f: &FaceBox| {
                let m = f.center();
                (m[0] - c[0]).powi(2) + (m[1] - c[1]).powi(2)
            };
            faces.sort_by(|a, b| d(a).total_cmp(&d(b)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_count_matches_the_kit() {
        assert_eq!(anchors(480, 640).len(), 12_600);
    }

    fn fb(left: f32, score: f32) -> FaceBox {
        FaceBox {
            left,
            top: 0.0,
            width: 10.0,
            height: 10.0,
            score,
            landmarks: [[0.0; 2]; 5],
        }
    }

    #[test]
    fn nms_keeps_the_best_of_overlapping_boxes() {
        let kept = nms(vec![fb(0.0, 0.9), fb(1.0, 0.95), fb(30.0, 0.85)], 0.4);
        assert_eq!(
            kept.iter().map(|f| f.score).collect::<Vec<_>>(),
            vec![0.95, 0.85]
        );
    }
}
