//! Face crops for the attribute models: a region of the image around a face box, black where it leaves
//! the image, resized to a model's input. The model kit's reference scripts cut with Pillow
//! (`Image.crop` with rounded bounds, then `resize(BILINEAR)`, an antialiased triangle filter); `image`'s
//! `Triangle` filter is the same filter, so the crops agree with the goldens to a grey level or so.

use image::imageops::{self, FilterType};
use image::RgbImage;

use crate::align::{self, Affine};
use crate::detect::FaceBox;

/// A crop region in image pixels: left, top, right, bottom (right and bottom exclusive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Region {
    /// The square of side `scale · max(w, h)` centred on the box.
    pub fn square_around(face: &FaceBox, scale: f32) -> Region {
        let side = (scale * face.width.max(face.height)) as f64;
        let [cx, cy] = face.center().map(|v| v as f64);
        Region {
            x0: cx - side / 2.0,
            y0: cy - side / 2.0,
            x1: cx + side / 2.0,
            y1: cy + side / 2.0,
        }
    }

    /// The region with its bounds rounded as Pillow's `crop` rounds them (Python `round`: ties to even).
    pub fn rounded(&self) -> Region {
        Region {
            x0: self.x0.round_ties_even(),
            y0: self.y0.round_ties_even(),
            x1: self.x1.round_ties_even(),
            y1: self.y1.round_ties_even(),
        }
    }

    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
}

/// The pixels of `region` (bounds rounded), black outside the image.
pub fn crop(rgb: &RgbImage, region: &Region) -> RgbImage {
    let r = region.rounded();
    let (x0, y0) = (r.x0 as i64, r.y0 as i64);
    let (w, h) = ((r.width() as i64).max(1), (r.height() as i64).max(1));
    let mut out = RgbImage::new(w as u32, h as u32);
    let (iw, ih) = (rgb.width() as i64, rgb.height() as i64);
    // Copy the overlap row by row.
    let (sx0, sx1) = (x0.max(0), (x0 + w).min(iw));
    if sx0 >= sx1 {
        return out;
    }
    let row_bytes = ((sx1 - sx0) * 3) as usize;
    for sy in y0.max(0)..(y0 + h).min(ih) {
        let src = ((sy * iw + sx0) * 3) as usize;
        let dst = (((sy - y0) * w + (sx0 - x0)) * 3) as usize;
        out.as_mut()[dst..dst + row_bytes].copy_from_slice(&rgb.as_raw()[src..src + row_bytes]);
    }
    out
}

/// `crop` resized to `width`×`height` with the triangle (bilinear, antialiased) filter.
pub fn crop_resize(rgb: &RgbImage, region: &Region, width: u32, height: u32) -> RgbImage {
    resize(&crop(rgb, region), width, height)
}

pub fn resize(rgb: &RgbImage, width: u32, height: u32) -> RgbImage {
    if rgb.dimensions() == (width, height) {
        return rgb.clone();
    }
    imageops::resize(rgb, width, height, FilterType::Triangle)
}

/// A square `region` rotated by `angle_deg` (clockwise in the image) about its centre, sampled at the
/// image's own scale (so the later resize can antialias) and resized to `size`. Returns the crop and the
/// affine map from image pixels to crop pixels.
pub fn rotated_square(
    rgb: &RgbImage,
    region: &Region,
    angle_deg: f32,
    size: u32,
) -> (RgbImage, Affine) {
    let side = region.width().round().max(1.0);
    let (cx, cy) = ((region.x0 + region.x1) / 2.0, (region.y0 + region.y1) / 2.0);
    let (c, s) = {
        let a = -(angle_deg as f64).to_radians();
        (a.cos(), a.sin())
    };
    // Image → native crop: rotate about the centre by −angle (levels the face), then move the centre to
    // the middle of the crop.
    let native: Affine = [
        [c, -s, side / 2.0 - (c * cx - s * cy)],
        [s, c, side / 2.0 - (s * cx + c * cy)],
    ];
    let upright = align::warp(rgb, &native, side as u32).to_rgb8();
    let k = size as f64 / side;
    let to_crop: Affine = [
        [native[0][0] * k, native[0][1] * k, native[0][2] * k],
        [native[1][0] * k, native[1][1] * k, native[1][2] * k],
    ];
    (resize(&upright, size, size), to_crop)
}

/// Grey level as ITU-R BT.601 luma (the Y of YUV), 0..255.
pub fn luma(p: &[u8]) -> f32 {
    0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crop_pads_outside_the_image_with_black() {
        let mut img = RgbImage::new(4, 4);
        for (x, y, p) in img.enumerate_pixels_mut() {
            *p = image::Rgb([(x * 10) as u8, (y * 10) as u8, 255]);
        }
        let c = crop(
            &img,
            &Region {
                x0: -1.0,
                y0: 2.0,
                x1: 2.0,
                y1: 6.0,
            },
        );
        assert_eq!(c.dimensions(), (3, 4));
        assert_eq!(c.get_pixel(0, 0).0, [0, 0, 0]);
        assert_eq!(c.get_pixel(1, 0).0, [0, 20, 255]);
        assert_eq!(c.get_pixel(2, 1).0, [10, 30, 255]);
        assert_eq!(c.get_pixel(1, 2).0, [0, 0, 0]);
    }

    #[test]
    fn unrotated_square_is_a_plain_crop() {
        let mut img = RgbImage::new(20, 20);
        for (x, y, p) in img.enumerate_pixels_mut() {
            *p = image::Rgb([(x * 7) as u8, (y * 5) as u8, (x + y) as u8]);
        }
        let r = Region {
            x0: 3.0,
            y0: 4.0,
            x1: 13.0,
            y1: 14.0,
        };
        let (rot, m) = rotated_square(&img, &r, 0.0, 10);
        assert_eq!(rot, crop(&img, &r));
        assert!((m[0][2] + 3.0).abs() < 1e-9 && (m[1][2] + 4.0).abs() < 1e-9);
    }
}
