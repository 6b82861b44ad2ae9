//! Face quality, measured rather than predicted: blur (Laplacian energy of the aligned face), illumination
//! (mean luma of the face), completeness (the face inside the image) and occlusion per region (FaceMesh's
//! face-presence score and the mask model). The cloud's scales: blur 0 (sharp) … 1, illumination 0…255,
//! completeness 0/1, occlusion 0 (visible) … 1 (covered) per region (api-v3.md §1.9).

use image::RgbImage;

use crate::align::{self, DLIB_CHIP_SIZE, DLIB_TEMPLATE};
use crate::detect::FaceBox;

/// The face's features area in the aligned 150×150 chip (eyes at y ≈ 47, mouth at y ≈ 103): brows to
/// chin, cheek to cheek, little hair or background. Blur is measured here.
const FEATURES: Rect = Rect {
    x: 30..120,
    y: 30..125,
};
/// Bare skin in the chip: both cheeks and the nose. Illumination is measured here, so dark eyes, brows
/// and beards do not count as poor light.
const SKIN: [Rect; 3] = [
    Rect {
        x: 35..60,
        y: 65..95,
    },
    Rect {
        x: 90..115,
        y: 65..95,
    },
    Rect {
        x: 62..88,
        y: 55..85,
    },
];
/// Faces smaller than this fraction of the chip are still measured at this size (a 45-px chip), below
/// which a Laplacian says little.
const MIN_PATCH_SCALE: f64 = 0.3;

/// A rectangle of chip pixels.
struct Rect {
    x: std::ops::Range<usize>,
    y: std::ops::Range<usize>,
}

/// The face's grey levels aligned onto the embedder's chip layout, so blur and light read the same
/// for a face of any size and tilt.
pub struct FacePatch {
    grey: Vec<f32>,
    size: usize,
    /// Chip pixels per 150-chip pixel.
    scale: f64,
}

impl FacePatch {
    /// The chip is sampled at the face's own resolution (never enlarged, so a small sharp face is not
    /// blurred by upsampling; large faces are reduced to the 150-px chip).
    pub fn new(rgb: &RgbImage, face: &FaceBox) -> FacePatch {
        let src: Vec<[f64; 2]> = face
            .landmarks
            .iter()
            .map(|p| [p[0] as f64, p[1] as f64])
            .collect();
        let full = align::similarity(&src, &DLIB_TEMPLATE);
        let native_scale = (full[0][0].hypot(full[1][0])).max(1e-6);
        let scale = (1.0 / native_scale).clamp(MIN_PATCH_SCALE, 1.0);
        let size = (DLIB_CHIP_SIZE as f64 * scale).round() as u32;
        let template = DLIB_TEMPLATE.map(|p| [p[0] * scale, p[1] * scale]);
        let chip = align::warp(rgb, &align::similarity(&src, &template), size);
        FacePatch {
            grey: chip
                .pixels
                .chunks_exact(3)
                .map(|p| 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2])
                .collect(),
            size: size as usize,
            scale,
        }
    }

    /// The grey levels of `r` (in 150-chip coordinates), row by row, and its width.
    fn region(&self, r: &Rect) -> (Vec<f32>, usize) {
        let s = |v: usize| ((v as f64 * self.scale).round() as usize).min(self.size);
        let (xs, ys) = (s(r.x.start)..s(r.x.end), s(r.y.start)..s(r.y.end));
        let mut out = Vec::with_capacity(xs.len() * ys.len());
        for y in ys {
            out.extend_from_slice(&self.grey[y * self.size + xs.start..y * self.size + xs.end]);
        }
        (out, xs.len())
    }

    /// Mean luma (0..255) of the cheeks and nose: the cloud's `illumination` ("the face region's grey
    /// level, the Y of YUV").
    pub fn illumination(&self) -> f32 {
        let skin: Vec<f32> = SKIN.iter().flat_map(|r| self.region(r).0).collect();
        skin.iter().sum::<f32>() / skin.len().max(1) as f32
    }

    /// Variance of the 4-neighbour Laplacian over the variance of the grey levels, in the features area:
    /// fine detail relative to the face's contrast, so a dim face is not called blurred.
    pub fn sharpness(&self) -> f32 {
        let (g, w) = self.region(&FEATURES);
        let h = g.len() / w.max(1);
        if w < 3 || h < 3 {
            return 0.0;
        }
        let at = |x: usize, y: usize| g[y * w + x];
        let mut lap = Vec::with_capacity((w - 2) * (h - 2));
        for y in 1..h - 1 {
            for x in 1..w - 1 {
                lap.push(
                    at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y),
                );
            }
        }
        variance(&lap) / variance(&g).max(1.0)
    }
}

fn variance(v: &[f32]) -> f32 {
    let n = v.len().max(1) as f32;
    let mean = v.iter().sum::<f32>() / n;
    v.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / n
}

/// The cloud's `quality` object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    pub occlusion: Occlusion,
    /// 0 (sharp) … 1 (blurred).
    pub blur: f32,
    /// Mean luma of the face, 0..255.
    pub illumination: f32,
    /// The whole face is inside the image.
    pub completeness: bool,
}

/// How much of each region is covered, 0 … 1. Left and right are the subject's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Occlusion {
    pub left_eye: f32,
    pub right_eye: f32,
    pub nose: f32,
    pub mouth: f32,
    pub left_cheek: f32,
    pub right_cheek: f32,
    pub chin_contour: f32,
}

impl Occlusion {
    /// No model in the kit segments occluders per region. What is measured: FaceMesh's face-presence
    /// score (it drops when much of the face is hidden) for every region, and the mask model's
    /// probability for the regions a face mask covers (nose, mouth, cheeks, chin).
    pub fn estimate(face_presence: f32, p_mask: f32) -> Occlusion {
        let hidden = (1.0 - face_presence).clamp(0.0, 1.0);
        let masked = hidden.max(p_mask.clamp(0.0, 1.0));
        Occlusion {
            left_eye: hidden,
            right_eye: hidden,
            nose: masked,
            mouth: masked,
            left_cheek: masked,
            right_cheek: masked,
            chin_contour: masked,
        }
    }
}

/// Sharpness (see [`FacePatch::sharpness`]) to the cloud's blur scale: 1 / (1 + (s / 0.05)³). Measured on
/// the test photos and on 30 LFW and 40 UTKFace faces, each sharp and with Gaussian blur added: crisp
/// portraits read 0.00–0.02, typical web faces 0.02–0.4, soft ones 0.5–0.8, and a blur of σ ≈ 1 % of
/// the face width 0.5–1 (docs/attributes.md).
pub fn blur_from_sharpness(sharpness: f32) -> f32 {
    1.0 / (1.0 + (sharpness.max(0.0) / BLUR_MIDPOINT_SHARPNESS).powi(3))
}

const BLUR_MIDPOINT_SHARPNESS: f32 = 0.05;

/// The face lies inside the image: every FaceMesh point on the contour (temples, cheeks, chin) and on the
/// eyebrows is within the image, give or take [`COMPLETE_TOLERANCE`] of the face width (tight crops such
/// as UTKFace's cut the cheek line by up to ~7 %; a face cut by the border misses a third or more).
pub fn is_complete(
    face: &FaceBox,
    mesh: &crate::landmarks::FaceMesh,
    width: u32,
    height: u32,
) -> bool {
    use crate::landmarks::mesh as m;
    let tol = COMPLETE_TOLERANCE * face.width;
    let (w, h) = (width as f32, height as f32);
    m::RIGHT_CONTOUR
        .iter()
        .chain(&m::LEFT_CONTOUR)
        .chain(&m::RIGHT_BROW_UPPER)
        .chain(&m::LEFT_BROW_UPPER)
        .all(|&i| {
            let [x, y] = mesh.xy(i);
            x >= -tol && y >= -tol && x <= w + tol && y <= h + tol
        })
}

pub const COMPLETE_TOLERANCE: f32 = 0.1;
