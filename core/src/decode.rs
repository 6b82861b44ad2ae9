//! Image input: where request bytes become an RGB pixel buffer, with the cloud's limits enforced
//! *before* any pixel is allocated (a decompression bomb is refused from its header).
//!
//! Limits (spec §1.4). The docs give two pixel limits for 222304: "below 1920×1080" in the general table and
//! "at most 6000×6000" in the detect table (DOC BUG). The cloud accepts photos larger than 1920×1080, so facekit
//! refuses only images with a side above 6000 px ([`Limits::max_side_px`]); the detector bounds its own work
//! (`detect::MAX_DETECT_PIXELS`). The 2 MB limit applies to BASE64 strings, as in the
//! cloud; raw bytes and files are held to the 10 MB request limit.

use std::io::Cursor;
use std::path::Path;

use base64::Engine as _;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};

/// What the engine accepts; the defaults are the cloud's.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest BASE64 string accepted (the cloud: 2 MB encoded).
    pub max_base64_bytes: usize,
    /// Largest encoded image accepted from bytes or a file (the cloud: 10 MB per request).
    pub max_encoded_bytes: usize,
    /// Largest width or height, checked from the header before decoding.
    pub max_side_px: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_base64_bytes: 2 * 1024 * 1024,
            max_encoded_bytes: 10 * 1024 * 1024,
            max_side_px: 6000,
        }
    }
}

/// A decoded image and the digest of the bytes it came from (the seed of deterministic face tokens).
#[derive(Clone)]
pub struct DecodedImage {
    pub rgb: RgbImage,
    pub source_sha256: [u8; 32],
}

impl std::fmt::Debug for DecodedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "DecodedImage({}x{}, sha256 {})",
            self.width(),
            self.height(),
            hex::encode(&self.source_sha256[..8])
        )
    }
}

impl DecodedImage {
    pub fn width(&self) -> u32 {
        self.rgb.width()
    }
    pub fn height(&self) -> u32 {
        self.rgb.height()
    }
}

/// Decodes a BASE64 string (without a `data:` prefix, as the cloud requires).
pub fn decode_base64(b64: &str, limits: &Limits) -> Result<DecodedImage> {
    if b64.is_empty() {
        return Err(Error::param_null("image"));
    }
    if b64.len() > limits.max_base64_bytes {
        return Err(Error::with_detail(
            ErrorCode::ImageTooLarge,
            format!(
                "BASE64 image is {} bytes; the limit is {}",
                b64.len(),
                limits.max_base64_bytes
            ),
        ));
    }
    // The cloud's examples carry no whitespace, but line-wrapped base64 (MIME style) is common; accept it.
    let cleaned: String;
    let text = if b64.bytes().any(|b| b.is_ascii_whitespace()) {
        cleaned = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        cleaned.as_str()
    } else {
        b64
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| {
            Error::with_detail(ErrorCode::ImageFormat, format!("not valid BASE64: {e}"))
        })?;
    decode_bytes(&bytes, limits)
}

/// Reads and decodes an image file.
pub fn decode_file(path: &Path, limits: &Limits) -> Result<DecodedImage> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::with_detail(ErrorCode::ImageFormat, format!("{}: {e}", path.display()))
    })?;
    if meta.len() > limits.max_encoded_bytes as u64 {
        return Err(Error::with_detail(
            ErrorCode::ImageTooLarge,
            format!(
                "{} is {} bytes; the limit is {}",
                path.display(),
                meta.len(),
                limits.max_encoded_bytes
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Error::with_detail(ErrorCode::ImageFormat, format!("{}: {e}", path.display()))
    })?;
    decode_bytes(&bytes, limits)
}

/// Decodes encoded image bytes (JPEG, PNG or BMP): EXIF orientation applied, any bit depth or channel
/// layout converted to 8-bit RGB (alpha dropped, as the cloud and Pillow's `convert("RGB")` do).
pub fn decode_bytes(bytes: &[u8], limits: &Limits) -> Result<DecodedImage> {
    if bytes.is_empty() {
        return Err(Error::param_null("image"));
    }
    if bytes.len() > limits.max_encoded_bytes {
        return Err(Error::with_detail(
            ErrorCode::ImageTooLarge,
            format!(
                "image is {} bytes; the limit is {}",
                bytes.len(),
                limits.max_encoded_bytes
            ),
        ));
    }
    let format = image::guess_format(bytes).map_err(|_| {
        Error::with_detail(ErrorCode::ImageCheckFail, "not a JPEG, PNG or BMP image")
    })?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Bmp
    ) {
        // The cloud supports PNG, JPG, JPEG and BMP only; GIF is refused explicitly (spec §1.4).
        return Err(Error::with_detail(
            ErrorCode::ImageCheckFail,
            format!("{format:?} images are not supported (JPEG, PNG, BMP only)"),
        ));
    }
    let bad = |e: image::ImageError| {
        Error::with_detail(
            ErrorCode::ImageCheckFail,
            format!("cannot decode image: {e}"),
        )
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // Second line of defence behind the header check below: the decoder itself refuses to allocate more.
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_side_px);
    decoder_limits.max_image_height = Some(limits.max_side_px);
    decoder_limits.max_alloc = Some(limits.max_side_px as u64 * limits.max_side_px as u64 * 8);
    reader.limits(decoder_limits);
    let mut decoder = reader.into_decoder().map_err(|e| size_or(e, bad))?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(Error::with_detail(
            ErrorCode::ImageCheckFail,
            "image has no pixels",
        ));
    }
    if w > limits.max_side_px || h > limits.max_side_px {
        return Err(Error::with_detail(
            ErrorCode::ImageTooLarge,
            format!(
                "image is {w}x{h} px; the limit is {0}x{0}",
                limits.max_side_px
            ),
        ));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| size_or(e, bad))?;
    img.apply_orientation(orientation);
    let rgb = match img {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => other.to_rgb8(),
    };
    Ok(DecodedImage {
        rgb,
        source_sha256: Sha256::digest(bytes).into(),
    })
}

fn size_or(e: image::ImageError, other: impl Fn(image::ImageError) -> Error) -> Error {
    match e {
        image::ImageError::Limits(l) => {
            Error::with_detail(ErrorCode::ImageTooLarge, format!("{l}"))
        }
        e => other(e),
    }
}

/// Wraps pixels the caller already has (camera frames, numpy arrays): no decoding, no size limit but memory.
/// The token seed is the digest of the pixels themselves.
pub fn from_rgb(rgb: RgbImage) -> DecodedImage {
    let source_sha256 = Sha256::digest(rgb.as_raw()).into();
    DecodedImage { rgb, source_sha256 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_pixel(w, h, image::Rgb([10, 20, 30]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn decodes_png_and_keeps_digest_stable() {
        let bytes = png(8, 6);
        let a = decode_bytes(&bytes, &Limits::default()).unwrap();
        let b = decode_bytes(&bytes, &Limits::default()).unwrap();
        assert_eq!((a.width(), a.height()), (8, 6));
        assert_eq!(a.rgb.get_pixel(3, 3).0, [10, 20, 30]);
        assert_eq!(a.source_sha256, b.source_sha256);
    }

    #[test]
    fn garbage_truncated_and_gif_are_image_check_fail() {
        let lim = Limits::default();
        assert_eq!(
            decode_bytes(b"hello world, not an image", &lim)
                .unwrap_err()
                .code,
            ErrorCode::ImageCheckFail
        );
        let bytes = png(64, 64);
        assert_eq!(
            decode_bytes(&bytes[..bytes.len() / 2], &lim)
                .unwrap_err()
                .code,
            ErrorCode::ImageCheckFail
        );
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert_eq!(
            decode_bytes(gif, &lim).unwrap_err().code,
            ErrorCode::ImageCheckFail
        );
    }

    #[test]
    fn bad_base64_is_image_format_error() {
        let e = decode_base64("not base64 at all!!!", &Limits::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::ImageFormat);
        assert_eq!(
            decode_base64("", &Limits::default()).unwrap_err().code,
            ErrorCode::ParamNull
        );
    }

    #[test]
    fn oversize_base64_and_pixels_are_refused() {
        let lim = Limits {
            max_base64_bytes: 16,
            ..Limits::default()
        };
        assert_eq!(
            decode_base64(&"A".repeat(20), &lim).unwrap_err().code,
            ErrorCode::ImageTooLarge
        );
        let lim = Limits {
            max_side_px: 32,
            ..Limits::default()
        };
        assert_eq!(
            decode_bytes(&png(33, 8), &lim).unwrap_err().code,
            ErrorCode::ImageTooLarge
        );
    }

    #[test]
    fn decompression_bomb_is_refused_from_its_header() {
        // A 70-byte BMP whose header claims 50000 x 50000 pixels (7.5 GB decoded).
        let mut bytes = Vec::new();
        bytes.extend_from_slice(b"BM");
        bytes.extend_from_slice(&70u32.to_le_bytes());
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&54u32.to_le_bytes());
        bytes.extend_from_slice(&40u32.to_le_bytes());
        bytes.extend_from_slice(&50_000i32.to_le_bytes());
        bytes.extend_from_slice(&50_000i32.to_le_bytes());
        bytes.extend_from_slice(&1u16.to_le_bytes());
        bytes.extend_from_slice(&24u16.to_le_bytes());
        bytes.extend_from_slice(&[0u8; 24]);
        bytes.extend_from_slice(&[0u8; 16]);
        let e = decode_bytes(&bytes, &Limits::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::ImageTooLarge, "{e}");
    }
}
