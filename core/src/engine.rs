//! The engine: the loaded models and state that every call shares. Open one per process (or per face
//! library) and share it between threads; every method takes `&self`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::align::{self, FaceChip, DLIB_CHIP_SIZE, DLIB_TEMPLATE};
use crate::compare;
use crate::decode::{self, DecodedImage, Limits};
use crate::detect::{DetectOptions, Detector, FaceBox};
use crate::embed::{Embedder, Embedding, EMBEDDING_DIM};
use crate::error::{Error, ErrorCode, Result};
use crate::faceset::{Faceset, SqliteFaceset};
use crate::models::{self, ModelFile};
use crate::pixels::PixelBuffer;
use crate::runtime::{self, OrtModel};
use crate::token::{self, TokenCache, TokenFace, TOKEN_TTL};

/// How to open an engine. Every field has a working default; the JSON form (`EngineConfig::from_json`) is
/// what the C ABI and the bindings pass.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    /// Directory holding the ONNX files (default: see `models::model_dir_candidates`).
    pub model_dir: Option<PathBuf>,
    /// The ONNX Runtime shared library (default: see `runtime::ort_library_candidates`).
    pub ort_library: Option<PathBuf>,
    /// The face library's SQLite file; without one, a library in memory that ends with the engine.
    pub faceset_db: Option<PathBuf>,
    /// Threads each model run may use (default: the number of cores, at most 4).
    pub threads: Option<usize>,
    /// Embed each face and its mirror image and average (test-time flip). Default on: see README.
    pub flip_embedding: Option<bool>,
}

impl EngineConfig {
    pub fn from_json(json: &str) -> Result<Self> {
        if json.trim().is_empty() {
            return Ok(EngineConfig::default());
        }
        serde_json::from_str(json).map_err(|e| {
            Error::with_detail(ErrorCode::RequestNotJson, format!("engine config: {e}"))
        })
    }
}

pub struct Engine {
    pub(crate) model_dir: PathBuf,
    pub(crate) threads: usize,
    pub(crate) limits: Limits,
    flip_embedding: bool,
    detector: Detector,
    embedder: Embedder,
    pub(crate) tokens: TokenCache,
    faceset: Box<dyn Faceset>,
}

impl Engine {
    /// Loads ONNX Runtime and the detector and embedder. Other models load on first use.
    pub fn open(config: EngineConfig) -> Result<Engine> {
        let env = runtime::environment(config.ort_library.as_deref())?;
        let model_dir = models::resolve_model_dir(config.model_dir.as_deref())?;
        let threads = config.threads.filter(|t| *t > 0).unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get().min(4))
                .unwrap_or(2)
        });
        let load = |m: &ModelFile| -> Result<OrtModel> {
            let path = models::verified_path(&model_dir, m)?;
            OrtModel::load(env, &path, m.file, threads)
        };
        let faceset: Box<dyn Faceset> = match &config.faceset_db {
            Some(path) => Box::new(SqliteFaceset::open(path, EMBEDDING_DIM)?),
            None => Box::new(SqliteFaceset::in_memory(EMBEDDING_DIM)?),
        };
        Ok(Engine {
            faceset,
            detector: Detector::new(load(&models::DETECTOR)?),
            embedder: Embedder::new(load(&models::EMBEDDER)?),
            model_dir,
            threads,
            limits: Limits::default(),
            flip_embedding: config.flip_embedding.unwrap_or(true),
            tokens: TokenCache::new(4096, TOKEN_TTL),
        })
    }

    pub fn model_dir(&self) -> &Path {
        &self.model_dir
    }

    /// Threads each model run uses.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The face library (`faceset_db`, or one in memory).
    pub fn faceset(&self) -> &dyn Faceset {
        self.faceset.as_ref()
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn decode_file(&self, path: &Path) -> Result<DecodedImage> {
        decode::decode_file(path, &self.limits)
    }

    pub fn decode_bytes(&self, bytes: &[u8]) -> Result<DecodedImage> {
        decode::decode_bytes(bytes, &self.limits)
    }

    pub fn decode_base64(&self, b64: &str) -> Result<DecodedImage> {
        decode::decode_base64(b64, &self.limits)
    }

    /// Takes pixels the caller already has (camera frames): checked against the buffer size, no decoding.
    pub fn decode_pixels(&self, pixels: &PixelBuffer) -> Result<DecodedImage> {
        pixels.to_image(&self.limits)
    }

    /// Detects faces (boxes, scores, 5 points), ordered and cut as `opts` says.
    pub fn detect(&self, image: &DecodedImage, opts: &DetectOptions) -> Result<Vec<FaceBox>> {
        self.detector.detect(&image.rgb, opts)
    }

    /// The embedder's aligned chip of one face.
    pub fn align(&self, image: &DecodedImage, face: &FaceBox) -> FaceChip {
        align::align(&image.rgb, &face.landmarks, &DLIB_TEMPLATE, DLIB_CHIP_SIZE)
    }

    /// Feature vectors of aligned chips (with test-time flip when the engine is so configured).
    pub fn embed(&self, chips: &[&FaceChip]) -> Result<Vec<Embedding>> {
        if self.flip_embedding {
            self.embedder.embed_with_flip(chips)
        } else {
            self.embedder.embed(chips)
        }
    }

    /// Detect, align and embed every face (as `opts` selects) of an image.
    pub fn extract(
        &self,
        image: &DecodedImage,
        opts: &DetectOptions,
    ) -> Result<Vec<(FaceBox, Embedding)>> {
        let faces = self.detect(image, opts)?;
        let chips: Vec<FaceChip> = faces.iter().map(|f| self.align(image, f)).collect();
        let embeddings = self.embed(&chips.iter().collect::<Vec<_>>())?;
        Ok(faces.into_iter().zip(embeddings).collect())
    }

    /// The 0–100 similarity of two feature vectors (80 ≈ false-accept rate 1e-4).
    pub fn compare(&self, a: &Embedding, b: &Embedding) -> f32 {
        compare::score(a, b)
    }

    /// Registers a detected face under its deterministic token (valid 60 minutes) and returns the token.
    pub fn remember_face(
        &self,
        image: &DecodedImage,
        face: &FaceBox,
        embedding: Option<Embedding>,
    ) -> String {
        self.remember(image, face, Some(self.align(image, face)), embedding)
    }

    /// Registers an embedded face by its vector alone: half a kilobyte instead of the 270 KB of an aligned chip,
    /// so a camera app may embed every frame. The token serves what needs only the vector (match, search, the
    /// face library), not what needs the face's pixels.
    pub fn remember_embedding(
        &self,
        image: &DecodedImage,
        face: &FaceBox,
        embedding: Embedding,
    ) -> String {
        self.remember(image, face, None, Some(embedding))
    }

    fn remember(
        &self,
        image: &DecodedImage,
        face: &FaceBox,
        chip: Option<FaceChip>,
        embedding: Option<Embedding>,
    ) -> String {
        let token = token::face_token(&image.source_sha256, face);
        let entry = TokenFace {
            face: face.clone(),
            image_width: image.width(),
            image_height: image.height(),
            chip,
            embedding: Default::default(),
        };
        if let Some(e) = embedding {
            let _ = entry.embedding.set(e);
        }
        self.tokens.insert(token.clone(), Arc::new(entry));
        token
    }

    /// The face behind a token: one of the last hour, or a face of the library (whose tokens never expire);
    /// 222209 when neither knows it.
    pub fn token_face(&self, token: &str) -> Result<Arc<TokenFace>> {
        if let Some(face) = self.tokens.get(token) {
            return Ok(face);
        }
        let stored = self
            .faceset
            .face_by_token(token)?
            .ok_or_else(|| Error::new(ErrorCode::FaceTokenNotExist))?;
        Ok(Arc::new(TokenFace {
            face: stored.face_box,
            image_width: stored.image_width,
            image_height: stored.image_height,
            chip: None,
            embedding: stored.embedding.into(),
        }))
    }

    /// The feature vector of a remembered face, computed on first use.
    pub fn token_embedding(&self, face: &TokenFace) -> Result<Embedding> {
        if let Some(e) = face.embedding.get() {
            return Ok(e.clone());
        }
        let chip = face
            .chip
            .as_ref()
            .ok_or_else(|| Error::new(ErrorCode::FaceTokenNotExist))?;
        let e = self.embed(&[chip])?.remove(0);
        Ok(face.embedding.get_or_init(|| e).clone())
    }
}
