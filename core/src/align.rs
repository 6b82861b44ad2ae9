//! Alignment: where a face box becomes a fixed-size face chip. A least-squares similarity transform
//! (rotation + uniform scale + translation, no reflection) maps the detector's 5 points onto the embedder's
//! template; the chip is then sampled bilinearly from the full-resolution image.

use image::RgbImage;

/// The dlib ResNet's 150×150 chip: the 5 points' places, derived from dlib's mean face shape and
/// `get_face_chip_details` (padding 0.25): eye centres, nose tip, mouth corners (model kit `MODELS.md`).
pub const DLIB_CHIP_SIZE: u32 = 150;
pub const DLIB_TEMPLATE: [[f64; 2]; 5] = [
    [47.5492, 46.5990],
    [100.4761, 46.5990],
    [74.0127, 76.5625],
    [50.4149, 103.0233],
    [97.6104, 103.0233],
];

/// A 2×3 affine matrix mapping image coordinates to chip coordinates.
pub type Affine = [[f64; 3]; 2];

/// An aligned face: RGB values 0..255 as f32, row-major HWC, `size`×`size`.
#[derive(Debug, Clone)]
pub struct FaceChip {
    pub size: u32,
    pub pixels: Vec<f32>,
    pub image_to_chip: Affine,
}

impl FaceChip {
    /// A chip from 8-bit RGB pixels (a saved chip, or one kept compactly).
    pub fn from_rgb8(rgb: &RgbImage, image_to_chip: Affine) -> FaceChip {
        FaceChip {
            size: rgb.width(),
            pixels: rgb.as_raw().iter().map(|v| *v as f32).collect(),
            image_to_chip,
        }
    }

    /// Rounds the chip to 8-bit RGB (for saving or comparing with the golden PNGs).
    pub fn to_rgb8(&self) -> RgbImage {
        let raw = self
            .pixels
            .iter()
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
            .collect();
        RgbImage::from_raw(self.size, self.size, raw).expect("chip buffer has size*size*3 values")
    }

    /// The chip mirrored left-right (for test-time flip of the embedder).
    pub fn mirrored(&self) -> FaceChip {
        let n = self.size as usize;
        let mut pixels = vec![0f32; self.pixels.len()];
        for y in 0..n {
            for x in 0..n {
                let (src, dst) = ((y * n + x) * 3, (y * n + (n - 1 - x)) * 3);
                pixels[dst..dst + 3].copy_from_slice(&self.pixels[src..src + 3]);
            }
        }
        FaceChip {
            size: self.size,
            pixels,
            image_to_chip: self.image_to_chip,
        }
    }
}

/// Least-squares similarity transform taking `src` points onto `dst` (Umeyama's method, which in 2-D has
/// this closed form; a proper rotation, never a reflection).
pub fn similarity(src: &[[f64; 2]], dst: &[[f64; 2]]) -> Affine {
    let n = src.len().min(dst.len()) as f64;
    let mean = |p: &[[f64; 2]]| {
        let (sx, sy) = p.iter().fold((0.0, 0.0), |(a, b), q| (a + q[0], b + q[1]));
        [sx / n, sy / n]
    };
    let (ms, md) = (mean(src), mean(dst));
    let (mut num_a, mut num_b, mut den) = (0.0, 0.0, 0.0);
    for (s, d) in src.iter().zip(dst) {
        let (sx, sy) = (s[0] - ms[0], s[1] - ms[1]);
        let (dx, dy) = (d[0] - md[0], d[1] - md[1]);
        num_a += sx * dx + sy * dy;
        num_b += sx * dy - sy * dx;
        den += sx * sx + sy * sy;
    }
    if den == 0.0 {
        return [[1.0, 0.0, md[0] - ms[0]], [0.0, 1.0, md[1] - ms[1]]];
    }
    let (a, b) = (num_a / den, num_b / den);
    [
        [a, -b, md[0] - (a * ms[0] - b * ms[1])],
        [b, a, md[1] - (b * ms[0] + a * ms[1])],
    ]
}

/// The inverse map of an affine matrix.
pub fn invert(m: &Affine) -> Affine {
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    let (a, b, c, d) = (m[1][1] / det, -m[0][1] / det, -m[1][0] / det, m[0][0] / det);
    [
        [a, b, -(a * m[0][2] + b * m[1][2])],
        [c, d, -(c * m[0][2] + d * m[1][2])],
    ]
}

/// Samples the `size`×`size` chip whose pixel (u, v) comes from `inverse(m)·(u, v, 1)` in `rgb`,
/// bilinearly; taps outside the image read as black.
pub fn warp(rgb: &RgbImage, m: &Affine, size: u32) -> FaceChip {
    let inv = invert(m);
    let (w, h) = (rgb.width() as i64, rgb.height() as i64);
    let raw = rgb.as_raw();
    let n = size as usize;
    let mut pixels = vec![0f32; n * n * 3];
    let tap = |x: i64, y: i64, c: usize| -> f64 {
        if x < 0 || y < 0 || x >= w || y >= h {
            0.0
        } else {
            raw[((y * w + x) * 3) as usize + c] as f64
        }
    };
    for v in 0..n {
        for u in 0..n {
            let (uf, vf) = (u as f64, v as f64);
            let sx = inv[0][0] * uf + inv[0][1] * vf + inv[0][2];
            let sy = inv[1][0] * uf + inv[1][1] * vf + inv[1][2];
            let (x0, y0) = (sx.floor() as i64, sy.floor() as i64);
            let (fx, fy) = (sx - x0 as f64, sy - y0 as f64);
            for c in 0..3 {
                let top = tap(x0, y0, c) * (1.0 - fx) + tap(x0 + 1, y0, c) * fx;
                let bot = tap(x0, y0 + 1, c) * (1.0 - fx) + tap(x0 + 1, y0 + 1, c) * fx;
                pixels[(v * n + u) * 3 + c] = (top * (1.0 - fy) + bot * fy) as f32;
            }
        }
    }
    FaceChip {
        size,
        pixels,
        image_to_chip: *m,
    }
}

/// Aligns a face given its 5 points onto `template` in a `size`×`size` chip.
pub fn align(
    rgb: &RgbImage,
    landmarks: &[[f32; 2]; 5],
    template: &[[f64; 2]; 5],
    size: u32,
) -> FaceChip {
    let src: Vec<[f64; 2]> = landmarks
        .iter()
        .map(|p| [p[0] as f64, p[1] as f64])
        .collect();
    warp(rgb, &similarity(&src, template), size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_recovers_a_known_transform() {
        let (s, th, tx, ty) = (1.7f64, 0.3f64, 12.0, -5.0);
        let (a, b) = (s * th.cos(), s * th.sin());
        let src = DLIB_TEMPLATE;
        let dst: Vec<[f64; 2]> = src
            .iter()
            .map(|p| [a * p[0] - b * p[1] + tx, b * p[0] + a * p[1] + ty])
            .collect();
        let m = similarity(&src, &dst);
        for (got, want) in m.iter().flatten().zip([a, -b, tx, b, a, ty]) {
            assert!((got - want).abs() < 1e-9, "{m:?}");
        }
        let back = invert(&m);
        let p = [3.0, 4.0];
        let q = [
            m[0][0] * p[0] + m[0][1] * p[1] + m[0][2],
            m[1][0] * p[0] + m[1][1] * p[1] + m[1][2],
        ];
        let r = [
            back[0][0] * q[0] + back[0][1] * q[1] + back[0][2],
            back[1][0] * q[0] + back[1][1] * q[1] + back[1][2],
        ];
        assert!((r[0] - p[0]).abs() < 1e-9 && (r[1] - p[1]).abs() < 1e-9);
    }
}
