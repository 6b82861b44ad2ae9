//! The engine: the loaded models and state that every call shares. Open one per process (or per face
//! library) and share it between threads; every method takes `&self`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::RgbImage;
use serde::Deserialize;

use crate::align::{self, Affine, FaceChip, DLIB_CHIP_SIZE, DLIB_TEMPLATE};
use crate::analysis::{AttributeModels, FaceAnalysis};
use crate::compare;
use crate::decode::{self, DecodedImage, Limits};
use crate::detect::{DetectOptions, Detector, FaceBox};
use crate::embed::{Embedder, Embedding, EMBEDDING_DIM};
use crate::error::{Error, ErrorCode, Result};
use crate::faceset::{Faceset, SqliteFaceset};
use crate::models::{self, ModelFile};
use crate::pixels::PixelBuffer;
use crate::recent_images::{self, RecentImages};
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
    /// Threads of the process-wide inference pool (default: the number of cores, at most 4). The first engine
    /// a process opens sets it; all engines share the pool.
    pub threads: Option<usize>,
    /// Test-time flip: embed each face and its mirror image and average, and likewise for age, gender and
    /// emotion. Default on: see README and docs/attributes.md.
    pub flip_embedding: Option<bool>,
    /// Directory of the optional model pack (`fr_liveness.onnx`): models whose licence is unclear, so
    /// never shipped. Without it, liveness is absent (docs/attributes.md).
    pub model_pack_dir: Option<PathBuf>,
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
    attribute_models: AttributeModels,
    recent_images: RecentImages,
    pub(crate) tokens: TokenCache,
    faceset: Box<dyn Faceset>,
}

impl Engine {
    /// Loads ONNX Runtime and the detector and embedder. Other models load on first use.
    pub fn open(config: EngineConfig) -> Result<Engine> {
        let model_dir = models::resolve_model_dir(config.model_dir.as_deref())?;
        let threads = config.threads.filter(|t| *t > 0).unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get().min(4))
                .unwrap_or(2)
        });
        let env = runtime::environment(config.ort_library.as_deref(), threads)?;
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
            attribute_models: AttributeModels::new(
                model_dir.clone(),
                config.model_pack_dir,
                threads,
                config.flip_embedding.unwrap_or(true),
            ),
            model_dir,
            threads,
            limits: Limits::default(),
            flip_embedding: config.flip_embedding.unwrap_or(true),
            tokens: TokenCache::new(4096, token::DEFAULT_BUDGET_BYTES, TOKEN_TTL),
            recent_images: RecentImages::new(recent_images::DEFAULT_BUDGET_BYTES),
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

    /// Attributes, landmarks, quality and liveness of one detected face, measured on demand.
    pub fn analyse<'a>(&'a self, rgb: &'a RgbImage, face: &'a FaceBox) -> FaceAnalysis<'a> {
        FaceAnalysis::new(&self.attribute_models, rgb, face)
    }

    /// Keeps a request image for later token calls (see `recent_images`).
    pub fn keep_image(&self, image: &Arc<DecodedImage>) {
        self.recent_images.keep(image);
    }

    /// The image a remembered face was found in, if it is still kept.
    pub fn token_image(&self, face: &TokenFace) -> Option<Arc<DecodedImage>> {
        self.recent_images.get(face.source_sha256.as_ref()?)
    }

    /// Whether the optional liveness model is configured (`model_pack_dir`).
    pub fn has_liveness_model(&self) -> bool {
        self.attribute_models.liveness.is_configured()
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
        let chip = self.align(image, face);
        self.remember(
            image,
            face,
            Some((chip.to_rgb8(), chip.image_to_chip)),
            embedding,
        )
    }

    /// Registers an embedded face by its vector alone: half a kilobyte instead of the 67 KB of an aligned chip,
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
        chip: Option<(RgbImage, Affine)>,
        embedding: Option<Embedding>,
    ) -> String {
        let token = token::face_token(&image.source_sha256, face);
        let entry = TokenFace {
            face: face.clone(),
            source_sha256: Some(image.source_sha256),
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
            source_sha256: None,
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
        let (rgb, image_to_chip) = face
            .chip
            .as_ref()
            .ok_or_else(|| Error::new(ErrorCode::FaceTokenNotExist))?;
        let chip = FaceChip::from_rgb8(rgb, *image_to_chip);
        let e = self.embed(&[&chip])?.remove(0);
        Ok(face.embedding.get_or_init(|| e).clone())
    }
}
