//! Face fusion (`v1/merge`): the target face's texture carried onto the template face's geometry and
//! blended in. FaceMesh's 468 points on both faces are triangulated (Delaunay, on the template's points),
//! each template triangle is filled from the matching target triangle by its affine map, the warped face is
//! colour-matched to the template's skin (per-channel mean and spread over the face), and blended through
//! a feathered mask from the eyebrows to the chin, so the template's hair, ears and background stay.

use image::{GrayImage, Luma, RgbImage};

use crate::landmarks::{self, mesh, FaceMesh};

/// How much of the target face the result shows, 0 (the template unchanged) … 1 (the target's face).
pub fn merge(
    template: &RgbImage,
    template_mesh: &FaceMesh,
    target: &RgbImage,
    target_mesh: &FaceMesh,
    target_weight: f32,
) -> RgbImage {
    let dst: Vec<[f32; 2]> = (0..template_mesh.points.len())
        .map(|i| template_mesh.xy(i))
        .collect();
    let src: Vec<[f32; 2]> = (0..target_mesh.points.len())
        .map(|i| target_mesh.xy(i))
        .collect();
    let (w, h) = template.dimensions();
    let outline = face_outline(template_mesh);
    let Some(area) = Bounds::of(&outline, w, h) else {
        return template.clone();
    };
    let hard = polygon_mask(&outline, &area);
    let warped = warp_triangles(target, &src, &dst, &delaunay(&dst), &area);
    let matched = match_colours(&warped, template, &hard, &area);
    let face_width = area.x1 as f32 - area.x0 as f32;
    let alpha = feather(&hard, 0.05 * face_width);
    let mut out = template.clone();
    for y in area.y0..area.y1 {
        for x in area.x0..area.x1 {
            let a = alpha.get_pixel(x - area.x0, y - area.y0)[0] as f32 / 255.0 * target_weight;
            if a <= 0.0 {
                continue;
            }
            let Some(src_px) = matched.get(&(x, y), &area) else {
                continue;
            };
            let p = out.get_pixel_mut(x, y);
            for c in 0..3 {
                p[c] = (p[c] as f32 * (1.0 - a) + src_px[c] * a)
                    .round()
                    .clamp(0.0, 255.0) as u8;
            }
        }
    }
    out
}

/// The blended region: the face contour from temple to temple under the chin, closed over the eyebrows.
fn face_outline(m: &FaceMesh) -> Vec<[f32; 2]> {
    let mut ring: Vec<usize> = mesh::RIGHT_CONTOUR.to_vec();
    ring.extend(mesh::LEFT_CONTOUR.iter().rev().skip(1));
    ring.extend(mesh::LEFT_BROW_UPPER.iter().rev());
    ring.extend(mesh::RIGHT_BROW_UPPER.iter().rev());
    ring.into_iter().map(|i| m.xy(i)).collect()
}

/// A pixel rectangle of the template, right and bottom exclusive.
struct Bounds {
    x0: u32,
    y0: u32,
    x1: u32,
    y1: u32,
}

impl Bounds {
    /// The bounding box of `pts` with a margin for the feathering, inside a `w`×`h` image.
    fn of(pts: &[[f32; 2]], w: u32, h: u32) -> Option<Bounds> {
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for p in pts {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let margin = 0.1 * (hi[0] - lo[0]);
        let clip = |v: f32, max: u32| v.clamp(0.0, max as f32) as u32;
        let b = Bounds {
            x0: clip(lo[0] - margin, w),
            y0: clip(lo[1] - margin, h),
            x1: clip(hi[0] + margin + 1.0, w),
            y1: clip(hi[1] + margin + 1.0, h),
        };
        (b.x1 > b.x0 && b.y1 > b.y0).then_some(b)
    }

    fn width(&self) -> u32 {
        self.x1 - self.x0
    }

    fn height(&self) -> u32 {
        self.y1 - self.y0
    }
}

/// 255 inside `poly`, 0 outside, over `area`.
fn polygon_mask(poly: &[[f32; 2]], area: &Bounds) -> GrayImage {
    let mut m = GrayImage::new(area.width(), area.height());
    for (x, y, p) in m.enumerate_pixels_mut() {
        let (px, py) = ((area.x0 + x) as f32 + 0.5, (area.y0 + y) as f32 + 0.5);
        if landmarks::polygon_contains(poly, px, py) {
            *p = Luma([255]);
        }
    }
    m
}

/// The mask blurred inward: shrunk by `sigma` and blurred by `sigma`, so the seam fades inside the face
/// contour rather than spilling onto hair or background.
fn feather(hard: &GrayImage, sigma: f32) -> GrayImage {
    let soft = image::imageops::blur(hard, sigma.max(0.5));
    // Values ≥ 0.5 after the blur are the inner part; stretch [0.5, 1] to [0, 1].
    let mut out = soft.clone();
    for p in out.pixels_mut() {
        p[0] = (((p[0] as f32 / 255.0 - 0.5) * 2.0).clamp(0.0, 1.0) * 255.0) as u8;
    }
    out
}

/// The target's pixels warped into the template's face, over `area` (None where no triangle covers).
struct Warped {
    pixels: Vec<Option<[f32; 3]>>,
    width: u32,
}

impl Warped {
    fn get(&self, &(x, y): &(u32, u32), area: &Bounds) -> Option<[f32; 3]> {
        self.pixels[((y - area.y0) * self.width + (x - area.x0)) as usize]
    }
}

fn warp_triangles(
    target: &RgbImage,
    src: &[[f32; 2]],
    dst: &[[f32; 2]],
    triangles: &[[usize; 3]],
    area: &Bounds,
) -> Warped {
    let mut pixels = vec![None; (area.width() * area.height()) as usize];
    for t in triangles {
        let [a, b, c] = t.map(|i| dst[i]);
        let [sa, sb, sc] = t.map(|i| src[i]);
        let det = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]);
        if det.abs() < 1e-6 {
            continue;
        }
        let x_lo = a[0].min(b[0]).min(c[0]).floor().max(area.x0 as f32) as u32;
        let x_hi = (a[0].max(b[0]).max(c[0]).ceil() as u32).min(area.x1);
        let y_lo = a[1].min(b[1]).min(c[1]).floor().max(area.y0 as f32) as u32;
        let y_hi = (a[1].max(b[1]).max(c[1]).ceil() as u32).min(area.y1);
        for y in y_lo..y_hi {
            for x in x_lo..x_hi {
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                // Barycentric coordinates of the pixel centre in the template triangle.
                let u = ((px - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (py - a[1])) / det;
                let v = ((b[0] - a[0]) * (py - a[1]) - (px - a[0]) * (b[1] - a[1])) / det;
                if u < -1e-4 || v < -1e-4 || u + v > 1.0 + 1e-4 {
                    continue;
                }
                let sx = sa[0] + u * (sb[0] - sa[0]) + v * (sc[0] - sa[0]);
                let sy = sa[1] + u * (sb[1] - sa[1]) + v * (sc[1] - sa[1]);
                pixels[((y - area.y0) * area.width() + (x - area.x0)) as usize] =
                    Some(bilinear(target, sx - 0.5, sy - 0.5));
            }
        }
    }
    Warped {
        pixels,
        width: area.width(),
    }
}

fn bilinear(img: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let tap = |xi: i64, yi: i64| {
        img.get_pixel(xi.clamp(0, w - 1) as u32, yi.clamp(0, h - 1) as u32)
            .0
    };
    let (x0, y0) = (x.floor() as i64, y.floor() as i64);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let (p00, p10, p01, p11) = (
        tap(x0, y0),
        tap(x0 + 1, y0),
        tap(x0, y0 + 1),
        tap(x0 + 1, y0 + 1),
    );
    std::array::from_fn(|c| {
        let top = p00[c] as f32 * (1.0 - fx) + p10[c] as f32 * fx;
        let bot = p01[c] as f32 * (1.0 - fx) + p11[c] as f32 * fx;
        top * (1.0 - fy) + bot * fy
    })
}

/// Shifts and scales each channel of the warped face so its mean and spread inside the face match the
/// template's (the spread ratio is kept within ½–2, so a flat-lit face is not blown up).
fn match_colours(warped: &Warped, template: &RgbImage, hard: &GrayImage, area: &Bounds) -> Warped {
    let mut stats = [[0f64; 4]; 3]; // per channel: Σs, Σs², Σt, Σt²
    let mut n = 0f64;
    for (x, y, m) in hard.enumerate_pixels() {
        let (ix, iy) = (area.x0 + x, area.y0 + y);
        if m[0] == 0 {
            continue;
        }
        let Some(s) = warped.get(&(ix, iy), area) else {
            continue;
        };
        let t = template.get_pixel(ix, iy);
        n += 1.0;
        for c in 0..3 {
            let (sv, tv) = (s[c] as f64, t[c] as f64);
            stats[c][0] += sv;
            stats[c][1] += sv * sv;
            stats[c][2] += tv;
            stats[c][3] += tv * tv;
        }
    }
    if n < 1.0 {
        return Warped {
            pixels: warped.pixels.clone(),
            width: warped.width,
        };
    }
    let gain_offset: [(f32, f32); 3] = std::array::from_fn(|c| {
        let (ms, mt) = (stats[c][0] / n, stats[c][2] / n);
        let sd = |sum_sq: f64, mean: f64| (sum_sq / n - mean * mean).max(1.0).sqrt();
        let gain = (sd(stats[c][3], mt) / sd(stats[c][1], ms)).clamp(0.5, 2.0);
        (gain as f32, (mt - gain * ms) as f32)
    });
    Warped {
        pixels: warped
            .pixels
            .iter()
            .map(|p| p.map(|v| std::array::from_fn(|c| v[c] * gain_offset[c].0 + gain_offset[c].1)))
            .collect(),
        width: warped.width,
    }
}

/// Delaunay triangulation (Bowyer–Watson) of `pts`: triangles as index triples.
pub fn delaunay(pts: &[[f32; 2]]) -> Vec<[usize; 3]> {
    let n = pts.len();
    if n < 3 {
        return Vec::new();
    }
    let mut p: Vec<[f64; 2]> = pts.iter().map(|q| [q[0] as f64, q[1] as f64]).collect();
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for q in &p {
        for k in 0..2 {
            lo[k] = lo[k].min(q[k]);
            hi[k] = hi[k].max(q[k]);
        }
    }
    let span = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1.0);
    let mid = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    // A triangle far larger than the points holds them all; its corners are removed at the end.
    p.push([mid[0] - 20.0 * span, mid[1] - span]);
    p.push([mid[0], mid[1] + 20.0 * span]);
    p.push([mid[0] + 20.0 * span, mid[1] - span]);
    let mut tris: Vec<[usize; 3]> = vec![[n, n + 1, n + 2]];
    for i in 0..n {
        let q = p[i];
        let (bad, keep): (Vec<[usize; 3]>, Vec<[usize; 3]>) =
            tris.into_iter().partition(|t| in_circumcircle(&p, t, q));
        // The hole's boundary: edges of exactly one bad triangle.
        let mut edges: Vec<[usize; 2]> = Vec::new();
        for t in &bad {
            for e in [[t[0], t[1]], [t[1], t[2]], [t[2], t[0]]] {
                let shared = bad
                    .iter()
                    .any(|o| o != t && o.contains(&e[0]) && o.contains(&e[1]));
                if !shared {
                    edges.push(e);
                }
            }
        }
        tris = keep;
        tris.extend(edges.into_iter().map(|e| [e[0], e[1], i]));
    }
    tris.retain(|t| t.iter().all(|&v| v < n));
    tris
}

fn in_circumcircle(p: &[[f64; 2]], t: &[usize; 3], q: [f64; 2]) -> bool {
    let [a, b, c] = t.map(|i| p[i]);
    let d = 2.0 * (a[0] * (b[1] - c[1]) + b[0] * (c[1] - a[1]) + c[0] * (a[1] - b[1]));
    if d.abs() < 1e-12 {
        return false;
    }
    let sq = |v: [f64; 2]| v[0] * v[0] + v[1] * v[1];
    let ux = (sq(a) * (b[1] - c[1]) + sq(b) * (c[1] - a[1]) + sq(c) * (a[1] - b[1])) / d;
    let uy = (sq(a) * (c[0] - b[0]) + sq(b) * (a[0] - c[0]) + sq(c) * (b[0] - a[0])) / d;
    let r2 = (a[0] - ux).powi(2) + (a[1] - uy).powi(2);
    (q[0] - ux).powi(2) + (q[1] - uy).powi(2) < r2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delaunay_of_a_square_with_a_centre_has_four_triangles() {
        let pts = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [1.0, 1.0]];
        let t = delaunay(&pts);
        assert_eq!(t.len(), 4, "{t:?}");
        assert!(t.iter().all(|tri| tri.contains(&4)));
    }

    #[test]
    fn delaunay_covers_the_convex_hull() {
        // A 5×5 grid: the triangles' areas add up to the hull's.
        let pts: Vec<[f32; 2]> = (0..25).map(|i| [(i % 5) as f32, (i / 5) as f32]).collect();
        let area: f32 = delaunay(&pts)
            .iter()
            .map(|t| {
                let [a, b, c] = t.map(|i| pts[i]);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        assert!((area - 16.0).abs() < 1e-3, "{area}");
    }
}
