//! Dense face landmarks: MediaPipe FaceMesh (468 points, `face_landmark_468.onnx`) and the mapping of its
//! canonical mesh onto the cloud's named points (`landmark72`, `landmark150`; api-v3.md §3).
//!
//! The mapping (also in docs/attributes.md): every named contour of the cloud is a polyline through
//! FaceMesh vertices, resampled at equal arc length into as many points as the cloud names on it (FaceMesh
//! has 9–11 points where the cloud has 11–13, and no point exactly where, say, `cheek_right_3` sits). Eye
//! contours match FaceMesh's 16 eye points one to one. FaceMesh has no iris points (that needs MediaPipe's
//! separate iris model), so the eyeball centre is measured in the pixels: the centroid of the darker-than-
//! average pixels inside the eye contour; the iris edges lie 2σ of that blob either side (a uniform disc of
//! radius r has σₓ = r/2). The 201-point set needs 40 iris-contour points and is not offered.
//! "Right" and "left" are the subject's, so `cheek_right_*` is on the image's left, as in the cloud.

use image::RgbImage;
use ndarray::Array4;
use ort::value::TensorRef;

use crate::align::{self, Affine};
use crate::crop::{self, Region};
use crate::detect::FaceBox;
use crate::error::{Error, Result};
use crate::pose;
use crate::runtime::OrtModel;

pub const MESH_POINTS: usize = 468;
const INPUT_SIZE: u32 = 192;
/// The crop is a square of 1.5 × the box's longer side (the kit's `extras_golden.py`).
const CROP_SCALE: f32 = 1.5;
/// FaceMesh was trained on crops MediaPipe levels by the eye line. The kit's goldens use upright crops,
/// which are as good for small tilts; beyond this roll the crop is levelled first.
const LEVEL_ABOVE_ROLL_DEG: f32 = 15.0;

/// FaceMesh's 468 points in image pixels (x, y, and a relative depth z on the same scale as x), and its
/// face-presence probability.
#[derive(Debug, Clone)]
pub struct FaceMesh {
    pub points: Vec<[f32; 3]>,
    pub presence: f32,
}

impl FaceMesh {
    pub fn xy(&self, i: usize) -> [f32; 2] {
        [self.points[i][0], self.points[i][1]]
    }

    fn xys(&self, idx: &[usize]) -> Vec<[f32; 2]> {
        idx.iter().map(|&i| self.xy(i)).collect()
    }
}

/// Runs FaceMesh on one detected face.
pub fn face_mesh(model: &OrtModel, rgb: &RgbImage, face: &FaceBox) -> Result<FaceMesh> {
    let region = Region::square_around(face, CROP_SCALE);
    let roll = pose::angle_from_landmarks(&face.landmarks).roll_deg;
    let (input, to_crop): (RgbImage, Affine) = if roll.abs() <= LEVEL_ABOVE_ROLL_DEG {
        let r = region.rounded();
        let (kx, ky) = (
            INPUT_SIZE as f64 / r.width(),
            INPUT_SIZE as f64 / r.height(),
        );
        (
            crop::crop_resize(rgb, &region, INPUT_SIZE, INPUT_SIZE),
            [[kx, 0.0, -r.x0 * kx], [0.0, ky, -r.y0 * ky]],
        )
    } else {
        crop::rotated_square(rgb, &region, roll, INPUT_SIZE)
    };
    let back = align::invert(&to_crop);
    let to_image = |u: f32, v: f32| {
        let (u, v) = (u as f64, v as f64);
        [
            (back[0][0] * u + back[0][1] * v + back[0][2]) as f32,
            (back[1][0] * u + back[1][1] * v + back[1][2]) as f32,
        ]
    };
    let scale = region.width() as f32 / INPUT_SIZE as f32;
    let mut x = Array4::<f32>::zeros((1, INPUT_SIZE as usize, INPUT_SIZE as usize, 3));
    for (d, s) in x
        .as_slice_mut()
        .expect("fresh array is contiguous")
        .iter_mut()
        .zip(input.as_raw())
    {
        *d = *s as f32 / 255.0;
    }
    let (raw, logit) = model.with_session(|s| {
        let out = s.run(ort::inputs!["input_1" => TensorRef::from_array_view(&x)?])?;
        let (_, pts) = out["conv2d_21"].try_extract_tensor::<f32>()?;
        let (_, score) = out["conv2d_31"].try_extract_tensor::<f32>()?;
        Ok((
            pts.to_vec(),
            score.first().copied().unwrap_or(f32::NEG_INFINITY),
        ))
    })?;
    if raw.len() != MESH_POINTS * 3 {
        return Err(Error::system(format!(
            "FaceMesh returned {} values",
            raw.len()
        )));
    }
    let points = raw
        .chunks_exact(3)
        .map(|p| {
            let [x, y] = to_image(p[0], p[1]);
            [x, y, p[2] * scale]
        })
        .collect();
    Ok(FaceMesh {
        points,
        presence: 1.0 / (1.0 + (-logit).exp()),
    })
}

/// FaceMesh vertex indices of the features the cloud names (subject's right = image left).
pub mod mesh {
    /// Eye contours, each from the corner on the image's left to the one on its right, 7 points between.
    pub const RIGHT_EYE_CORNERS: [usize; 2] = [33, 133];
    pub const RIGHT_EYE_UPPER: [usize; 7] = [246, 161, 160, 159, 158, 157, 173];
    pub const RIGHT_EYE_LOWER: [usize; 7] = [7, 163, 144, 145, 153, 154, 155];
    pub const LEFT_EYE_CORNERS: [usize; 2] = [362, 263];
    pub const LEFT_EYE_UPPER: [usize; 7] = [398, 384, 385, 386, 387, 388, 466];
    pub const LEFT_EYE_LOWER: [usize; 7] = [382, 381, 380, 374, 373, 390, 249];
    /// Eyebrows: upper and lower edge, image-left end first.
    pub const RIGHT_BROW_UPPER: [usize; 5] = [70, 63, 105, 66, 107];
    pub const RIGHT_BROW_LOWER: [usize; 5] = [46, 53, 52, 65, 55];
    pub const LEFT_BROW_UPPER: [usize; 5] = [336, 296, 334, 293, 300];
    pub const LEFT_BROW_LOWER: [usize; 5] = [285, 295, 282, 283, 276];
    /// Face contour from the temple at eye height down to the chin (152).
    pub const RIGHT_CONTOUR: [usize; 12] =
        [127, 234, 93, 132, 58, 172, 136, 150, 149, 176, 148, 152];
    pub const LEFT_CONTOUR: [usize; 12] =
        [356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152];
    /// Side of the nose from beside the bridge, round the wing, to the nostril's inner end.
    pub const NOSE_RIGHT: [usize; 8] = [122, 196, 236, 198, 49, 64, 98, 97];
    pub const NOSE_LEFT: [usize; 8] = [351, 419, 456, 420, 279, 294, 327, 326];
    /// Ridge from between the eyes to the tip.
    pub const NOSE_BRIDGE: [usize; 6] = [168, 6, 197, 195, 5, 1];
    pub const NOSE_TIP: usize = 1;
    pub const NOSE_BOTTOM: usize = 2;
    /// Lips, corner to corner (image-left corner first).
    pub const LIP_UPPER_OUTER: [usize; 11] = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291];
    pub const LIP_LOWER_OUTER: [usize; 11] = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291];
    pub const LIP_UPPER_INNER: [usize; 11] = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
    pub const LIP_LOWER_INNER: [usize; 11] = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308];
}

/// The cloud's 150 point names in its index order (api-v3.md §3); `landmark72` is the first 72.
pub const NAMES_150: [&str; 150] = [
    "cheek_right_1",
    "cheek_right_3",
    "cheek_right_5",
    "cheek_right_7",
    "cheek_right_9",
    "cheek_right_11",
    "chin_2",
    "cheek_left_11",
    "cheek_left_9",
    "cheek_left_7",
    "cheek_left_5",
    "cheek_left_3",
    "cheek_left_1",
    "eye_right_corner_right",
    "eye_right_eyelid_upper_2",
    "eye_right_eyelid_upper_4",
    "eye_right_eyelid_upper_6",
    "eye_right_corner_left",
    "eye_right_eyelid_lower_6",
    "eye_right_eyelid_lower_4",
    "eye_right_eyelid_lower_2",
    "eye_right_eyeball_center",
    "eyebrow_right_corner_right",
    "eyebrow_right_upper_2",
    "eyebrow_right_upper_3",
    "eyebrow_right_upper_4",
    "eyebrow_right_corner_left",
    "eyebrow_right_lower_3",
    "eyebrow_right_lower_2",
    "eyebrow_right_lower_1",
    "eye_left_corner_right",
    "eye_left_eyelid_upper_2",
    "eye_left_eyelid_upper_4",
    "eye_left_eyelid_upper_6",
    "eye_left_corner_left",
    "eye_left_eyelid_lower_6",
    "eye_left_eyelid_lower_4",
    "eye_left_eyelid_lower_2",
    "eye_left_eyeball_center",
    "eyebrow_left_corner_right",
    "eyebrow_left_upper_2",
    "eyebrow_left_upper_3",
    "eyebrow_left_upper_4",
    "eyebrow_left_corner_left",
    "eyebrow_left_lower_3",
    "eyebrow_left_lower_2",
    "eyebrow_left_lower_1",
    "nose_right_contour_1",
    "nose_right_contour_2",
    "nose_right_contour_3",
    "nose_right_contour_4",
    "nose_right_contour_6",
    "nose_left_contour_6",
    "nose_left_contour_4",
    "nose_left_contour_3",
    "nose_left_contour_2",
    "nose_left_contour_1",
    "nose_tip",
    "mouth_corner_right_outer",
    "mouth_lip_upper_outer_3",
    "mouth_lip_upper_outer_6",
    "mouth_lip_upper_outer_9",
    "mouth_corner_left_outer",
    "mouth_lip_lower_outer_9",
    "mouth_lip_lower_outer_6",
    "mouth_lip_lower_outer_3",
    "mouth_lip_upper_inner_3",
    "mouth_lip_upper_inner_6",
    "mouth_lip_upper_inner_9",
    "mouth_lip_lower_inner_9",
    "mouth_lip_lower_inner_6",
    "mouth_lip_lower_inner_3",
    "cheek_right_2",
    "cheek_right_4",
    "cheek_right_6",
    "cheek_right_8",
    "cheek_right_10",
    "chin_1",
    "chin_3",
    "cheek_left_10",
    "cheek_left_8",
    "cheek_left_6",
    "cheek_left_4",
    "cheek_left_2",
    "eyebrow_right_upper_1",
    "eyebrow_right_upper_5",
    "eyebrow_left_upper_1",
    "eyebrow_left_upper_5",
    "eye_right_eyelid_upper_1",
    "eye_right_eyelid_upper_3",
    "eye_right_eyelid_upper_5",
    "eye_right_eyelid_upper_7",
    "eye_right_eyelid_lower_7",
    "eye_right_eyelid_lower_5",
    "eye_right_eyelid_lower_3",
    "eye_right_eyelid_lower_1",
    "eye_right_eyeball_right",
    "eye_right_eyeball_left",
    "eye_left_eyelid_upper_1",
    "eye_left_eyelid_upper_3",
    "eye_left_eyelid_upper_5",
    "eye_left_eyelid_upper_7",
    "eye_left_eyelid_lower_7",
    "eye_left_eyelid_lower_5",
    "eye_left_eyelid_lower_3",
    "eye_left_eyelid_lower_1",
    "eye_left_eyeball_right",
    "eye_left_eyeball_left",
    "nose_bridge_1",
    "nose_bridge_2",
    "nose_bridge_3",
    "nose_right_contour_5",
    "nose_right_contour_7",
    "nose_left_contour_7",
    "nose_left_contour_5",
    "nose_middle_contour",
    "mouth_corner_right_inner",
    "mouth_corner_left_inner",
    "mouth_lip_upper_outer_1",
    "mouth_lip_upper_outer_2",
    "mouth_lip_upper_outer_4",
    "mouth_lip_upper_outer_5",
    "mouth_lip_upper_outer_7",
    "mouth_lip_upper_outer_8",
    "mouth_lip_upper_outer_10",
    "mouth_lip_upper_outer_11",
    "mouth_lip_lower_outer_11",
    "mouth_lip_lower_outer_10",
    "mouth_lip_lower_outer_8",
    "mouth_lip_lower_outer_7",
    "mouth_lip_lower_outer_5",
    "mouth_lip_lower_outer_4",
    "mouth_lip_lower_outer_2",
    "mouth_lip_lower_outer_1",
    "mouth_lip_upper_inner_1",
    "mouth_lip_upper_inner_2",
    "mouth_lip_upper_inner_4",
    "mouth_lip_upper_inner_5",
    "mouth_lip_upper_inner_7",
    "mouth_lip_upper_inner_8",
    "mouth_lip_upper_inner_10",
    "mouth_lip_upper_inner_11",
    "mouth_lip_lower_inner_11",
    "mouth_lip_lower_inner_10",
    "mouth_lip_lower_inner_8",
    "mouth_lip_lower_inner_7",
    "mouth_lip_lower_inner_5",
    "mouth_lip_lower_inner_4",
    "mouth_lip_lower_inner_2",
    "mouth_lip_lower_inner_1",
];

/// The 150 named points, in `NAMES_150` order. `rgb` is the image the mesh was found in (for the
/// eyeball centres).
pub fn landmark150(mesh: &FaceMesh, rgb: &RgbImage) -> Vec<[f32; 2]> {
    let mut named = Named(Vec::with_capacity(160));
    // Contour: 13 points per side from the temple to the chin; the chin point is shared.
    let right = resample(&mesh.xys(&mesh::RIGHT_CONTOUR), 13);
    let left = resample(&mesh.xys(&mesh::LEFT_CONTOUR), 13);
    named.series("cheek_right", &right[..11], 1);
    named.series("cheek_left", &left[..11], 1);
    named.series("chin", &[right[11], right[12], left[11]], 1);
    // Eyes.
    for (side, corners, upper, lower) in [
        (
            "right",
            mesh::RIGHT_EYE_CORNERS,
            mesh::RIGHT_EYE_UPPER,
            mesh::RIGHT_EYE_LOWER,
        ),
        (
            "left",
            mesh::LEFT_EYE_CORNERS,
            mesh::LEFT_EYE_UPPER,
            mesh::LEFT_EYE_LOWER,
        ),
    ] {
        let eye = format!("eye_{side}");
        named.series(&format!("{eye}_eyelid_upper"), &mesh.xys(&upper), 1);
        named.series(&format!("{eye}_eyelid_lower"), &mesh.xys(&lower), 1);
        let [cr, cl] = [mesh.xy(corners[0]), mesh.xy(corners[1])];
        let mut contour = vec![cr];
        contour.extend(mesh.xys(&upper));
        contour.push(cl);
        contour.extend(mesh.xys(&lower).into_iter().rev());
        let ball = eyeball(rgb, &contour, distance(cr, cl));
        named.put(format!("{eye}_corner_right"), cr);
        named.put(format!("{eye}_corner_left"), cl);
        named.put(format!("{eye}_eyeball_center"), ball.center);
        named.put(format!("{eye}_eyeball_right"), ball.image_left_edge);
        named.put(format!("{eye}_eyeball_left"), ball.image_right_edge);
    }
    // Eyebrows: the corners are where the upper and lower edges meet.
    for (side, upper, lower) in [
        ("right", mesh::RIGHT_BROW_UPPER, mesh::RIGHT_BROW_LOWER),
        ("left", mesh::LEFT_BROW_UPPER, mesh::LEFT_BROW_LOWER),
    ] {
        let brow = format!("eyebrow_{side}");
        let cr = midpoint(mesh.xy(upper[0]), mesh.xy(lower[0]));
        let cl = midpoint(mesh.xy(upper[4]), mesh.xy(lower[4]));
        let edge = |idx: &[usize; 5], n: usize| {
            let mut line = vec![cr];
            line.extend(mesh.xys(idx));
            line.push(cl);
            resample(&line, n)
        };
        named.series(&format!("{brow}_upper"), &edge(&upper, 7)[1..6], 1);
        named.series(&format!("{brow}_lower"), &edge(&lower, 5)[1..4], 1);
        named.put(format!("{brow}_corner_right"), cr);
        named.put(format!("{brow}_corner_left"), cl);
    }
    // Nose.
    named.series(
        "nose_right_contour",
        &resample(&mesh.xys(&mesh::NOSE_RIGHT), 7),
        1,
    );
    named.series(
        "nose_left_contour",
        &resample(&mesh.xys(&mesh::NOSE_LEFT), 7),
        1,
    );
    named.series(
        "nose_bridge",
        &resample(&mesh.xys(&mesh::NOSE_BRIDGE), 5)[1..4],
        1,
    );
    named.put("nose_tip", mesh.xy(mesh::NOSE_TIP));
    named.put("nose_middle_contour", mesh.xy(mesh::NOSE_BOTTOM));
    // Mouth: 11 points between the corners on each of the four lip edges.
    for (edge, idx) in [
        ("upper_outer", mesh::LIP_UPPER_OUTER),
        ("lower_outer", mesh::LIP_LOWER_OUTER),
        ("upper_inner", mesh::LIP_UPPER_INNER),
        ("lower_inner", mesh::LIP_LOWER_INNER),
    ] {
        named.series(
            &format!("mouth_lip_{edge}"),
            &resample(&mesh.xys(&idx), 13)[1..12],
            1,
        );
    }
    named.put(
        "mouth_corner_right_outer",
        mesh.xy(mesh::LIP_UPPER_OUTER[0]),
    );
    named.put(
        "mouth_corner_left_outer",
        mesh.xy(mesh::LIP_UPPER_OUTER[10]),
    );
    named.put(
        "mouth_corner_right_inner",
        mesh.xy(mesh::LIP_UPPER_INNER[0]),
    );
    named.put(
        "mouth_corner_left_inner",
        mesh.xy(mesh::LIP_UPPER_INNER[10]),
    );

    NAMES_150
        .iter()
        .map(|name| {
            named
                .0
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, p)| *p)
                .unwrap_or_else(|| panic!("landmark {name} has no mapping"))
        })
        .collect()
}

/// Points by name while the mapping is built.
struct Named(Vec<(String, [f32; 2])>);

impl Named {
    fn put(&mut self, name: impl Into<String>, p: [f32; 2]) {
        self.0.push((name.into(), p));
    }

    /// `prefix_first`, `prefix_(first+1)`, … for consecutive points.
    fn series(&mut self, prefix: &str, pts: &[[f32; 2]], first: usize) {
        for (k, p) in pts.iter().enumerate() {
            self.put(format!("{prefix}_{}", first + k), *p);
        }
    }
}

/// Eye opening: the mean height of the eye at three places over its width (the eye aspect ratio of
/// Soukupová and Čech, on FaceMesh's eyelid points): about 0.2 for an open eye, 0.1 or less when shut.
pub fn eye_aspect_ratio(mesh: &FaceMesh, right_eye: bool) -> f32 {
    let (corners, upper, lower) = if right_eye {
        (
            mesh::RIGHT_EYE_CORNERS,
            mesh::RIGHT_EYE_UPPER,
            mesh::RIGHT_EYE_LOWER,
        )
    } else {
        (
            mesh::LEFT_EYE_CORNERS,
            mesh::LEFT_EYE_UPPER,
            mesh::LEFT_EYE_LOWER,
        )
    };
    let width = distance(mesh.xy(corners[0]), mesh.xy(corners[1])).max(1e-3);
    let height: f32 = [1, 3, 5]
        .iter()
        .map(|&k| distance(mesh.xy(upper[k]), mesh.xy(lower[k])))
        .sum::<f32>()
        / 3.0;
    height / width
}

/// Mouth opening: the gap between the inner lips at the middle over the mouth width.
pub fn mouth_open_ratio(mesh: &FaceMesh) -> f32 {
    let width = distance(
        mesh.xy(mesh::LIP_UPPER_OUTER[0]),
        mesh.xy(mesh::LIP_UPPER_OUTER[10]),
    )
    .max(1e-3);
    distance(
        mesh.xy(mesh::LIP_UPPER_INNER[5]),
        mesh.xy(mesh::LIP_LOWER_INNER[5]),
    ) / width
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

fn midpoint(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]
}

/// `n` points at equal arc length along a polyline, both ends included.
pub fn resample(line: &[[f32; 2]], n: usize) -> Vec<[f32; 2]> {
    let seg: Vec<f32> = line.windows(2).map(|w| distance(w[0], w[1])).collect();
    let total: f32 = seg.iter().sum();
    if n < 2 || total <= 0.0 {
        return vec![line[0]; n];
    }
    let mut out = Vec::with_capacity(n);
    let (mut i, mut walked) = (0, 0.0);
    for k in 0..n {
        let target = total * k as f32 / (n - 1) as f32;
        while i + 1 < seg.len() && walked + seg[i] < target {
            walked += seg[i];
            i += 1;
        }
        let t = if seg[i] > 0.0 {
            ((target - walked) / seg[i]).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (a, b) = (line[i], line[i + 1]);
        out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
    }
    out
}

struct Eyeball {
    center: [f32; 2],
    image_left_edge: [f32; 2],
    image_right_edge: [f32; 2],
}

/// The iris as the blob of darker-than-average pixels inside the eye contour.
fn eyeball(rgb: &RgbImage, contour: &[[f32; 2]], eye_width: f32) -> Eyeball {
    let geometric = {
        let n = contour.len() as f32;
        let s = contour
            .iter()
            .fold([0.0, 0.0], |a, p| [a[0] + p[0], a[1] + p[1]]);
        [s[0] / n, s[1] / n]
    };
    let (x0, x1) = span(contour.iter().map(|p| p[0]), rgb.width());
    let (y0, y1) = span(contour.iter().map(|p| p[1]), rgb.height());
    let mut inside = Vec::new();
    for y in y0..y1 {
        for x in x0..x1 {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            if polygon_contains(contour, px, py) {
                inside.push((px, py, crop::luma(&rgb.get_pixel(x, y).0)));
            }
        }
    }
    let mean = inside.iter().map(|p| p.2).sum::<f32>() / inside.len().max(1) as f32;
    let (mut sw, mut sx, mut sy, mut sxx) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for &(x, y, g) in &inside {
        let w = (mean - g).max(0.0);
        sw += w;
        sx += w * x;
        sy += w * y;
        sxx += w * x * x;
    }
    let (center, radius) = if sw > 0.0 {
        let (cx, cy) = (sx / sw, sy / sw);
        let sd = (sxx / sw - cx * cx).max(0.0).sqrt();
        ([cx, cy], 2.0 * sd)
    } else {
        (geometric, 0.0)
    };
    // Human irises span about 0.3–0.5 of the corner-to-corner eye width; outside that the blob was
    // eyelashes or shadow.
    let radius = radius.clamp(0.15 * eye_width, 0.25 * eye_width);
    Eyeball {
        center,
        image_left_edge: [center[0] - radius, center[1]],
        image_right_edge: [center[0] + radius, center[1]],
    }
}

fn span(values: impl Iterator<Item = f32> + Clone, limit: u32) -> (u32, u32) {
    let lo = values
        .clone()
        .fold(f32::INFINITY, f32::min)
        .floor()
        .max(0.0) as u32;
    let hi = values.fold(f32::NEG_INFINITY, f32::max).ceil().max(0.0) as u32;
    (lo.min(limit), hi.min(limit))
}

/// Even-odd point-in-polygon test.
pub fn polygon_contains(poly: &[[f32; 2]], x: f32, y: f32) -> bool {
    let mut inside = false;
    let mut j = poly.len() - 1;
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[j]);
        if (a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0] {
            inside = !inside;
        }
        j = i;
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resample_spaces_points_evenly_and_keeps_the_ends() {
        let line = [[0.0, 0.0], [1.0, 0.0], [4.0, 0.0]];
        let r = resample(&line, 5);
        for (k, p) in r.iter().enumerate() {
            assert!((p[0] - k as f32).abs() < 1e-5 && p[1] == 0.0, "{r:?}");
        }
    }

    #[test]
    fn every_name_is_unique() {
        let mut names = NAMES_150.to_vec();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 150);
    }

    #[test]
    fn polygon_test_knows_inside_from_outside() {
        let square = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]];
        assert!(polygon_contains(&square, 1.0, 1.0));
        assert!(!polygon_contains(&square, 3.0, 1.0));
    }
}
