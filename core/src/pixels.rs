//! Pixel buffers the caller already has (camera frames, bitmaps): converted to the engine's RGB image without
//! any encoding step, after checking that the buffer really holds the image its size says.
//!
//! A buffer is `height` rows of `stride` bytes (the last row may end right after its pixels). NV21 (Android's
//! camera preview format) is the full-resolution Y plane followed by the half-resolution interleaved V/U plane,
//! both with the same `stride`, the V/U plane starting right after the Y plane's `height` rows.

use image::RgbImage;

use crate::decode::{self, DecodedImage, Limits};
use crate::error::{Error, ErrorCode, Result};

/// The memory layout of one pixel buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    Rgb8,
    Bgr8,
    Rgba8,
    Bgra8,
    Gray8,
    /// YUV 4:2:0, Y plane then interleaved V,U (Android `ImageFormat.NV21`).
    Nv21,
}

impl PixelFormat {
    /// Bytes one pixel takes in a row (of the Y plane for NV21).
    pub fn bytes_per_pixel(self) -> usize {
        match self {
            PixelFormat::Rgb8 | PixelFormat::Bgr8 => 3,
            PixelFormat::Rgba8 | PixelFormat::Bgra8 => 4,
            PixelFormat::Gray8 | PixelFormat::Nv21 => 1,
        }
    }
}

/// A borrowed pixel buffer and its geometry.
#[derive(Debug, Clone, Copy)]
pub struct PixelBuffer<'a> {
    pub data: &'a [u8],
    pub width: u32,
    pub height: u32,
    /// Bytes from the start of one row to the next; 0 means rows are packed (`width × bytes per pixel`).
    pub stride: usize,
    pub format: PixelFormat,
}

impl PixelBuffer<'_> {
    /// The row stride in bytes, with 0 resolved to packed rows.
    fn row_stride(&self) -> usize {
        if self.stride == 0 {
            self.width as usize * self.format.bytes_per_pixel()
        } else {
            self.stride
        }
    }

    /// Checks the geometry against the buffer and the engine's limits: a size the buffer cannot hold is
    /// 222203 (never a read past its end), a side above the limit 222304, as for encoded images.
    fn validate(&self, limits: &Limits) -> Result<usize> {
        let (w, h) = (self.width as usize, self.height as usize);
        if w == 0 || h == 0 {
            return Err(Error::with_detail(
                ErrorCode::ImageCheckFail,
                format!("image is {w}x{h} px"),
            ));
        }
        if self.width > limits.max_side_px || self.height > limits.max_side_px {
            return Err(Error::with_detail(
                ErrorCode::ImageTooLarge,
                format!(
                    "image is {w}x{h} px; the limit is {0}x{0}",
                    limits.max_side_px
                ),
            ));
        }
        let stride = self.row_stride();
        let row_bytes = w * self.format.bytes_per_pixel();
        if stride < row_bytes {
            return Err(Error::with_detail(
                ErrorCode::ImageCheckFail,
                format!("stride {stride} is below the {row_bytes} bytes of a {w} px row"),
            ));
        }
        // NV21 adds h/2 rows of V,U pairs, each pair covering 2×2 pixels, so a chroma row is as long as a
        // luma row; it needs even sides (as Android's camera frames always have).
        let rows = match self.format {
            PixelFormat::Nv21 if w % 2 == 1 || h % 2 == 1 => {
                return Err(Error::with_detail(
                    ErrorCode::ImageCheckFail,
                    format!("NV21 needs an even width and height, not {w}x{h}"),
                ))
            }
            PixelFormat::Nv21 => h + h / 2,
            _ => h,
        };
        // Sides are at most `max_side_px` and stride fits in memory the caller owns, so this cannot overflow
        // for a real buffer; checked_* keeps a lying caller from wrapping around.
        let needed = stride
            .checked_mul(rows - 1)
            .and_then(|n| n.checked_add(row_bytes))
            .ok_or_else(|| Error::with_detail(ErrorCode::ImageCheckFail, "stride is too large"))?;
        if self.data.len() < needed {
            return Err(Error::with_detail(
                ErrorCode::ImageCheckFail,
                format!(
                    "{:?} {w}x{h} with stride {stride} needs {needed} bytes; the buffer has {}",
                    self.format,
                    self.data.len()
                ),
            ));
        }
        Ok(stride)
    }

    /// The buffer as the engine's RGB image (alpha dropped, grey replicated, NV21 converted).
    pub fn to_image(&self, limits: &Limits) -> Result<DecodedImage> {
        let stride = self.validate(limits)?;
        let (w, h) = (self.width as usize, self.height as usize);
        let mut rgb = Vec::with_capacity(w * h * 3);
        match self.format {
            PixelFormat::Nv21 => nv21_to_rgb(self.data, w, h, stride, &mut rgb),
            format => {
                let bpp = format.bytes_per_pixel();
                for y in 0..h {
                    let row = &self.data[y * stride..y * stride + w * bpp];
                    match format {
                        PixelFormat::Rgb8 => rgb.extend_from_slice(row),
                        PixelFormat::Rgba8 => row
                            .chunks_exact(4)
                            .for_each(|p| rgb.extend_from_slice(&p[..3])),
                        PixelFormat::Bgr8 | PixelFormat::Bgra8 => row
                            .chunks_exact(bpp)
                            .for_each(|p| rgb.extend_from_slice(&[p[2], p[1], p[0]])),
                        PixelFormat::Gray8 => {
                            row.iter().for_each(|&g| rgb.extend_from_slice(&[g; 3]))
                        }
                        PixelFormat::Nv21 => unreachable!("handled above"),
                    }
                }
            }
        }
        let rgb = RgbImage::from_raw(self.width, self.height, rgb)
            .ok_or_else(|| Error::system("pixel conversion produced a wrong-sized image"))?;
        Ok(decode::from_rgb(rgb))
    }
}

/// Full-range BT.601 (JFIF) YUV → RGB, the encoding Android's camera HAL specifies for its YUV 4:2:0 output.
/// Fixed point with 16 fractional bits.
fn nv21_to_rgb(data: &[u8], w: usize, h: usize, stride: usize, out: &mut Vec<u8>) {
    const ONE: i32 = 1 << 16;
    const HALF: i32 = ONE / 2;
    let coef = |c: f64| (c * ONE as f64).round() as i32;
    let (r_v, g_u, g_v, b_u) = (coef(1.402), coef(0.344_136), coef(0.714_136), coef(1.772));
    let chroma = &data[h * stride..];
    for y in 0..h {
        let luma_row = &data[y * stride..];
        let vu_row = &chroma[(y / 2) * stride..];
        for x in 0..w {
            let l = (luma_row[x] as i32) * ONE + HALF;
            let v = vu_row[(x / 2) * 2] as i32 - 128;
            let u = vu_row[(x / 2) * 2 + 1] as i32 - 128;
            let to_u8 = |fixed: i32| (fixed >> 16).clamp(0, 255) as u8;
            out.extend_from_slice(&[
                to_u8(l + r_v * v),
                to_u8(l - g_u * u - g_v * v),
                to_u8(l + b_u * u),
            ]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buffer(
        data: &[u8],
        width: u32,
        height: u32,
        stride: usize,
        format: PixelFormat,
    ) -> Result<DecodedImage> {
        PixelBuffer {
            data,
            width,
            height,
            stride,
            format,
        }
        .to_image(&Limits::default())
    }

    /// Full-range BT.601 forward transform, the inverse of what `nv21_to_rgb` does.
    fn yuv(rgb: [u8; 3]) -> [u8; 3] {
        let [r, g, b] = rgb.map(f64::from);
        let y = 0.299 * r + 0.587 * g + 0.114 * b;
        let u = 128.0 + (b - y) / 1.772;
        let v = 128.0 + (r - y) / 1.402;
        [y, u, v].map(|c| c.round().clamp(0.0, 255.0) as u8)
    }

    /// An NV21 frame of 2×2 blocks, one colour each, with `pad` bytes of padding at the end of every row.
    fn nv21(blocks: &[Vec<[u8; 3]>], pad: usize) -> (Vec<u8>, u32, u32, usize) {
        let (bh, bw) = (blocks.len(), blocks[0].len());
        let (w, h) = (bw * 2, bh * 2);
        let stride = w + pad;
        let mut data = vec![0u8; stride * (h + h / 2)];
        for (by, row) in blocks.iter().enumerate() {
            for (bx, &c) in row.iter().enumerate() {
                let [y, u, v] = yuv(c);
                for dy in 0..2 {
                    for dx in 0..2 {
                        data[(by * 2 + dy) * stride + bx * 2 + dx] = y;
                    }
                }
                let vu = h * stride + by * stride + bx * 2;
                data[vu] = v;
                data[vu + 1] = u;
            }
        }
        (data, w as u32, h as u32, stride)
    }

    fn close(a: [u8; 3], b: [u8; 3]) -> bool {
        a.iter().zip(&b).all(|(x, y)| x.abs_diff(*y) <= 2)
    }

    #[test]
    fn nv21_of_known_colours_comes_back_as_those_colours() {
        let red = [255, 0, 0];
        let blue = [0, 0, 255];
        let skin = [224, 172, 105];
        let grey = [128, 128, 128];
        let (data, w, h, stride) = nv21(&[vec![red, blue], vec![skin, grey]], 3);
        let img = buffer(&data, w, h, stride, PixelFormat::Nv21).unwrap();
        assert_eq!((img.width(), img.height()), (4, 4));
        for (x, y, want) in [(0, 0, red), (3, 1, blue), (1, 3, skin), (2, 2, grey)] {
            let got = img.rgb.get_pixel(x, y).0;
            // V before U: swapping them turns red into blue, far outside the tolerance.
            assert!(close(got, want), "({x},{y}): {got:?} != {want:?}");
        }
    }

    #[test]
    fn odd_sized_nv21_is_refused() {
        // 4:2:0 chroma pairs cover 2×2 pixels; Android's NV21 frames always have even sides.
        let data = [0u8; 64];
        for (w, h) in [(3, 4), (4, 3)] {
            let e = buffer(&data, w, h, 0, PixelFormat::Nv21).unwrap_err();
            assert_eq!(e.code, ErrorCode::ImageCheckFail, "{w}x{h}");
        }
    }

    #[test]
    fn every_byte_layout_gives_the_same_rgb() {
        let px = [[10u8, 20, 30], [40, 50, 60], [70, 80, 90], [100, 110, 120]];
        let pad = [0xEEu8; 2];
        let rows = |f: &dyn Fn([u8; 3]) -> Vec<u8>| -> Vec<u8> {
            px.chunks(2)
                .flat_map(|row| {
                    let mut r: Vec<u8> = row.iter().flat_map(|&p| f(p)).collect();
                    r.extend_from_slice(&pad);
                    r
                })
                .collect()
        };
        let cases: [(PixelFormat, Vec<u8>); 4] = [
            (PixelFormat::Rgb8, rows(&|p| p.to_vec())),
            (PixelFormat::Bgr8, rows(&|[r, g, b]| vec![b, g, r])),
            (PixelFormat::Rgba8, rows(&|[r, g, b]| vec![r, g, b, 255])),
            (PixelFormat::Bgra8, rows(&|[r, g, b]| vec![b, g, r, 0])),
        ];
        for (format, data) in cases {
            let stride = 2 * format.bytes_per_pixel() + pad.len();
            let img = buffer(&data, 2, 2, stride, format).unwrap();
            let got: Vec<[u8; 3]> = img.rgb.pixels().map(|p| p.0).collect();
            assert_eq!(got, px, "{format:?}");
        }
        let img = buffer(&[7, 8, 0, 9, 10], 2, 2, 3, PixelFormat::Gray8).unwrap();
        assert_eq!(img.rgb.get_pixel(0, 1).0, [9, 9, 9]);
    }

    #[test]
    fn packed_rows_are_stride_zero_and_the_digest_follows_the_pixels() {
        let a = buffer(&[1, 2, 3, 4, 5, 6], 2, 1, 0, PixelFormat::Rgb8).unwrap();
        let b = buffer(&[1, 2, 3, 4, 5, 6], 2, 1, 6, PixelFormat::Rgb8).unwrap();
        let c = buffer(&[1, 2, 3, 4, 5, 7], 2, 1, 0, PixelFormat::Rgb8).unwrap();
        assert_eq!(a.source_sha256, b.source_sha256);
        assert_ne!(a.source_sha256, c.source_sha256);
    }

    #[test]
    fn sizes_the_buffer_cannot_hold_are_refused() {
        let data = [0u8; 12];
        let code = |w, h, stride, format| buffer(&data, w, h, stride, format).unwrap_err().code;
        assert_eq!(code(0, 2, 0, PixelFormat::Rgb8), ErrorCode::ImageCheckFail);
        assert_eq!(code(2, 0, 0, PixelFormat::Rgb8), ErrorCode::ImageCheckFail);
        // Stride below one row of pixels.
        assert_eq!(code(2, 2, 5, PixelFormat::Rgb8), ErrorCode::ImageCheckFail);
        // 3 rows of 6 bytes do not fit in 12.
        assert_eq!(code(2, 3, 0, PixelFormat::Rgb8), ErrorCode::ImageCheckFail);
        // 12 bytes hold 2 rows of stride 6 with a last row of 4 (RGBA 1 px wide)...
        assert!(buffer(&data, 1, 2, 8, PixelFormat::Rgba8).is_ok());
        // ...but NV21 4×2 needs 8 Y bytes plus a 4-byte chroma row.
        assert!(buffer(&data, 4, 2, 0, PixelFormat::Nv21).is_ok());
        assert_eq!(code(4, 4, 0, PixelFormat::Nv21), ErrorCode::ImageCheckFail);
        // A stride that would overflow the address computation.
        assert_eq!(
            code(2, 3, usize::MAX / 2, PixelFormat::Rgb8),
            ErrorCode::ImageCheckFail
        );
        assert_eq!(
            code(6001, 1, 0, PixelFormat::Gray8),
            ErrorCode::ImageTooLarge
        );
    }
}
