//! The camera-frame fast path: detection and features straight from a pixel buffer into caller-owned structs
//! and float arrays, with no JPEG encoding, BASE64 or JSON in between.

use std::ffi::c_char;

use facekit_core::compare;
use facekit_core::pixels::{PixelBuffer, PixelFormat};
use facekit_core::{DecodedImage, DetectOptions, Embedding, Engine, Error, ErrorCode, FaceBox};

use crate::boundary::{guard, handle, in_slice, out_slice, status_code};
use crate::engine::FkEngine;
use crate::error::FkError;

/// The memory layout of a pixel buffer: one of the `FK_PIXEL_*` values.
pub type FkPixelFormat = u32;
/// 3 bytes per pixel: red, green, blue.
pub const FK_PIXEL_RGB8: FkPixelFormat = 0;
/// 3 bytes per pixel: blue, green, red (OpenCV's `cv::Mat` default).
pub const FK_PIXEL_BGR8: FkPixelFormat = 1;
/// 4 bytes per pixel: red, green, blue, alpha (alpha ignored).
pub const FK_PIXEL_RGBA8: FkPixelFormat = 2;
/// 4 bytes per pixel: blue, green, red, alpha (iOS `kCVPixelFormatType_32BGRA`, Android `ARGB_8888` read as
/// little-endian words).
pub const FK_PIXEL_BGRA8: FkPixelFormat = 3;
/// 1 byte per pixel: grey level.
pub const FK_PIXEL_GRAY8: FkPixelFormat = 4;
/// YUV 4:2:0 (Android camera `NV21`): `height` rows of Y, then `height / 2` rows of interleaved V,U pairs,
/// both with the same stride, the V,U rows starting right after the last Y row. Full-range BT.601, even sides.
pub const FK_PIXEL_NV21: FkPixelFormat = 5;

/// Floats in one face feature vector.
pub const FK_FEATURE_DIM: usize = 128;
/// Bytes of a face token: 32 hex characters and the terminating NUL.
pub const FK_FACE_TOKEN_SIZE: usize = 33;

/// One detected face, in pixels of the image given.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct FkFace {
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    /// Detector confidence in [0, 1].
    pub score: f32,
    /// x, y of the left eye, right eye (as seen in the image), nose tip, left and right mouth corners.
    pub landmarks: [f32; 10],
    /// From `fk_extract_feature_pixels`: the face's `face_token` (NUL-terminated), usable for 60 minutes as
    /// `"image_type": "FACE_TOKEN"` in `fk_call` where a method needs only the face's vector (match, search,
    /// multi-search, faceset/user/add). Empty from `fk_detect_pixels`, which keeps nothing of a frame.
    pub face_token: [c_char; FK_FACE_TOKEN_SIZE],
}

/// Detects faces in a pixel buffer, largest first, writing at most `faces_capacity` of them to `faces`.
///
/// `data` holds `data_len` bytes: `height` rows `stride` bytes apart (`stride` 0 means packed rows), laid out
/// as `format` says. A buffer too small for its size, a stride below one row, a zero side or an odd-sized
/// NV21 frame is error 222203; a side above 6000 px 222304; an unknown format 222015.
///
/// Returns 0 with `*face_count` set (0 when the frame has no face: not an error, a frame often has none), or
/// the Baidu error code with `*err` set (when `err` is not NULL). Nothing of the frame is kept, so it may run
/// on every camera frame; `face_token` is left empty.
///
/// Thread-safety: safe to call concurrently on one engine; the buffers must not be written meanwhile.
///
/// # Safety
/// `engine` is NULL or a live engine; `data` is NULL or readable for `data_len` bytes; `faces` is NULL or
/// writable for `faces_capacity` structs; `face_count` is NULL or writable; `err` as in `fk_engine_open`.
#[no_mangle]
// The flat argument list is the ABI: every binding passes plain values, no struct to mirror.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn fk_detect_pixels(
    engine: *const FkEngine,
    data: *const u8,
    data_len: usize,
    width: u32,
    height: u32,
    stride: usize,
    format: FkPixelFormat,
    faces: *mut FkFace,
    faces_capacity: usize,
    face_count: *mut usize,
    err: *mut *mut FkError,
) -> i32 {
    let frame = FrameArgs {
        data,
        data_len,
        width,
        height,
        stride,
        format,
    };
    faces_of_frame(engine, frame, faces, faces_capacity, None, face_count, err)
}

/// Detects faces as `fk_detect_pixels` does and writes each one's feature vector: face `i`'s
/// `FK_FEATURE_DIM` floats go to `features[i * FK_FEATURE_DIM ...]`. `features_len` (in floats) must be at
/// least `faces_capacity * FK_FEATURE_DIM` (else 216100, checked before any work). Vectors compare with
/// `fk_compare_features` and are the same as `v1/feature` returns. Each face's vector is kept for 60 minutes
/// under its `face_token` (about half a kilobyte per face; the engine keeps at most 4096 tokens).
///
/// Thread-safety: safe to call concurrently on one engine; the buffers must not be touched meanwhile.
///
/// # Safety
/// As `fk_detect_pixels`; `features` is NULL or writable for `features_len` floats, apart from `faces`.
#[no_mangle]
// The flat argument list is the ABI: every binding passes plain values, no struct to mirror.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn fk_extract_feature_pixels(
    engine: *const FkEngine,
    data: *const u8,
    data_len: usize,
    width: u32,
    height: u32,
    stride: usize,
    format: FkPixelFormat,
    faces: *mut FkFace,
    faces_capacity: usize,
    features: *mut f32,
    features_len: usize,
    face_count: *mut usize,
    err: *mut *mut FkError,
) -> i32 {
    let frame = FrameArgs {
        data,
        data_len,
        width,
        height,
        stride,
        format,
    };
    let features = Some((features, features_len));
    faces_of_frame(
        engine,
        frame,
        faces,
        faces_capacity,
        features,
        face_count,
        err,
    )
}

/// The 0-100 similarity of two feature vectors of `dim` (= `FK_FEATURE_DIM`) floats, as `match` scores faces:
/// 80 and above is the same person at a false-accept rate of about 1e-4.
///
/// Thread-safety: any thread; needs no engine.
///
/// # Safety
/// `a` and `b` are NULL or readable for `dim` floats; `score` is NULL or writable; `err` as in
/// `fk_engine_open`.
#[no_mangle]
pub unsafe extern "C" fn fk_compare_features(
    a: *const f32,
    b: *const f32,
    dim: usize,
    score: *mut f32,
    err: *mut *mut FkError,
) -> i32 {
    guard(err, status_code, || {
        if dim != FK_FEATURE_DIM {
            return Err(Error::with_detail(
                ErrorCode::InvalidParam,
                format!("feature vectors have {FK_FEATURE_DIM} floats, not {dim}"),
            ));
        }
        let out = out_slice(score, 1, "score")?;
        let a = Embedding(in_slice(a, dim, "a")?.to_vec());
        let b = Embedding(in_slice(b, dim, "b")?.to_vec());
        out[0] = compare::score(&a, &b);
        Ok(0)
    })
}

/// The pixel arguments of the fast-path functions, as the caller gave them.
struct FrameArgs {
    data: *const u8,
    data_len: usize,
    width: u32,
    height: u32,
    stride: usize,
    format: FkPixelFormat,
}

/// The body of both fast-path functions: the faces of a frame into `faces` and, when `features` is given,
/// their vectors into its rows.
unsafe fn faces_of_frame(
    engine: *const FkEngine,
    frame: FrameArgs,
    faces: *mut FkFace,
    faces_capacity: usize,
    features: Option<(*mut f32, usize)>,
    face_count: *mut usize,
    err: *mut *mut FkError,
) -> i32 {
    guard(err, status_code, || {
        let count = &mut out_slice(face_count, 1, "face_count")?[0];
        // Defined whatever happens next.
        *count = 0;
        let engine = &handle(engine, "engine")?.0;
        if faces_capacity == 0 {
            return Err(Error::with_detail(
                ErrorCode::InvalidParam,
                "faces_capacity must be at least 1",
            ));
        }
        let faces = out_slice(faces, faces_capacity, "faces")?;
        let mut rows = match features {
            Some((p, len)) => Some(feature_rows(p, len, faces_capacity)?),
            None => None,
        };
        let image = frame.to_image(engine)?;
        let opts = DetectOptions {
            max_faces: faces_capacity,
            ..DetectOptions::default()
        };
        let found: Vec<(FaceBox, Option<Embedding>)> = match rows {
            Some(_) => engine
                .extract(&image, &opts)?
                .into_iter()
                .map(|(b, e)| (b, Some(e)))
                .collect(),
            None => engine
                .detect(&image, &opts)?
                .into_iter()
                .map(|b| (b, None))
                .collect(),
        };
        for (i, (b, embedding)) in found.iter().enumerate() {
            if let (Some(rows), Some(e)) = (rows.as_mut(), embedding) {
                rows[i * FK_FEATURE_DIM..(i + 1) * FK_FEATURE_DIM].copy_from_slice(vector(e)?);
            }
            let token = match embedding {
                Some(e) => engine.remember_embedding(&image, b, e.clone()),
                None => String::new(),
            };
            faces[i] = fk_face(b, &token);
        }
        *count = found.len();
        Ok(0)
    })
}

/// The caller's feature buffer, checked to hold a row for every face slot before any work is done.
unsafe fn feature_rows<'a>(
    features: *mut f32,
    features_len: usize,
    faces_capacity: usize,
) -> Result<&'a mut [f32], Error> {
    let rows = out_slice(features, features_len, "features")?;
    let needed = faces_capacity.saturating_mul(FK_FEATURE_DIM);
    if rows.len() < needed {
        return Err(Error::with_detail(
            ErrorCode::InvalidParam,
            format!("features holds {features_len} floats; {faces_capacity} faces need {needed}"),
        ));
    }
    Ok(rows)
}

impl FrameArgs {
    /// The caller's frame as the engine's image.
    unsafe fn to_image(&self, engine: &Engine) -> Result<DecodedImage, Error> {
        let format = match self.format {
            FK_PIXEL_RGB8 => PixelFormat::Rgb8,
            FK_PIXEL_BGR8 => PixelFormat::Bgr8,
            FK_PIXEL_RGBA8 => PixelFormat::Rgba8,
            FK_PIXEL_BGRA8 => PixelFormat::Bgra8,
            FK_PIXEL_GRAY8 => PixelFormat::Gray8,
            FK_PIXEL_NV21 => PixelFormat::Nv21,
            other => {
                return Err(Error::with_detail(
                    ErrorCode::ImageTypeFormat,
                    format!("unknown pixel format {other}"),
                ))
            }
        };
        let data = in_slice(self.data, self.data_len, "image")?;
        engine.decode_pixels(&PixelBuffer {
            data,
            width: self.width,
            height: self.height,
            stride: self.stride,
            format,
        })
    }
}

fn vector(e: &Embedding) -> Result<&[f32], Error> {
    if e.0.len() == FK_FEATURE_DIM {
        Ok(&e.0)
    } else {
        Err(Error::system(format!(
            "the embedder gave {} floats, the ABI has {FK_FEATURE_DIM}",
            e.0.len()
        )))
    }
}

fn fk_face(b: &FaceBox, token: &str) -> FkFace {
    let mut face_token = [0 as c_char; FK_FACE_TOKEN_SIZE];
    for (dst, src) in face_token
        .iter_mut()
        .zip(token.bytes().take(FK_FACE_TOKEN_SIZE - 1))
    {
        *dst = src as c_char;
    }
    let mut landmarks = [0f32; 10];
    for (dst, p) in landmarks.chunks_exact_mut(2).zip(&b.landmarks) {
        dst.copy_from_slice(p);
    }
    FkFace {
        left: b.left,
        top: b.top,
        width: b.width,
        height: b.height,
        score: b.score,
        landmarks,
        face_token,
    }
}
