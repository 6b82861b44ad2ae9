//! libfacekit: the C ABI of facekit, for C, C++, Swift, and Kotlin/Java through JNI. `include/facekit.h` is
//! generated from this crate by cbindgen (`ffi/cbindgen.toml`) and checked in; `scripts/test-ffi.sh` fails when
//! it drifts.
//!
//! Every exported function catches panics (they become error 222302), checks every pointer and size before
//! using it (NULL → 222001, bad UTF-8 → the argument's format error, sizes a buffer cannot hold → 222203 or
//! 216100) and documents its thread-safety in the header.

mod boundary;
mod engine;
mod error;
mod pixels;

pub use engine::{
    fk_call, fk_engine_close, fk_engine_open, fk_engine_open_shared, fk_sdk_call, fk_string_free,
    fk_version, FkEngine,
};
pub use error::{fk_error_code, fk_error_free, fk_error_message, FkError};
pub use pixels::{
    fk_compare_features, fk_detect_pixels, fk_extract_feature_pixels, FkFace, FkPixelFormat,
    FK_FACE_TOKEN_SIZE, FK_FEATURE_DIM, FK_PIXEL_BGR8, FK_PIXEL_BGRA8, FK_PIXEL_GRAY8,
    FK_PIXEL_NV21, FK_PIXEL_RGB8, FK_PIXEL_RGBA8,
};

#[cfg(test)]
mod tests {
    #[test]
    fn engines_can_be_shared_between_threads() {
        // Every function takes `const FkEngine*` from any thread; this stops compiling if that is unsound.
        fn shareable<T: Send + Sync>() {}
        shareable::<super::FkEngine>();
    }
}
