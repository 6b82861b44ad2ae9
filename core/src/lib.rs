//! facekit: offline face detection, 1:1 comparison, 1:N search and a face library, answering the
//! Baidu AI Cloud face API (V3) request for request, on the user's own device.
//!
//! Where each step lives: `decode` (bytes → pixels), `detect` (pixels → boxes and 5 points), `align`
//! (box → face chip), `embed` (chip → vector), `compare` (vectors → 0–100 score), `api` (JSON in, JSON out).

pub mod align;
pub mod api;
pub mod compare;
pub mod decode;
pub mod detect;
pub mod embed;
pub mod engine;
pub mod error;
pub mod faceset;
pub mod models;
pub mod pixels;
pub mod pose;
pub mod runtime;
pub mod token;

pub use decode::{DecodedImage, Limits};
pub use detect::{DetectOptions, FaceBox, FaceOrder};
pub use embed::Embedding;
pub use engine::{Engine, EngineConfig};
pub use error::{Error, ErrorCode, Result};

/// The facekit version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
