//! Everything measured about one detected face, computed when first asked for and kept for the rest of
//! the request: the API asks for fields in any order (quality needs FaceMesh and the mask model,
//! expression needs emotion and FaceMesh), and each model runs at most once per face.

use std::cell::OnceCell;
use std::path::PathBuf;

use image::RgbImage;

use crate::attributes::{self, AgeGender};
use crate::detect::FaceBox;
use crate::error::Result;
use crate::landmarks::{self, FaceMesh};
use crate::liveness;
use crate::models;
use crate::quality::{self, FacePatch};
use crate::runtime::LazyModel;

/// The models behind the attributes, each loaded on first use. The liveness model comes from the
/// optional model pack (its licence is unclear, so it is never shipped); without a pack it is absent.
pub struct AttributeModels {
    pub face_mesh: LazyModel,
    pub age_gender: LazyModel,
    pub emotion: LazyModel,
    pub mask: LazyModel,
    pub liveness: LazyModel,
    /// Test-time flip for age, gender and emotion (see docs/attributes.md for what it gains).
    pub flip: bool,
}

impl AttributeModels {
    pub fn new(model_dir: PathBuf, pack_dir: Option<PathBuf>, threads: usize, flip: bool) -> Self {
        let shipped = |m| LazyModel::new(m, Some(model_dir.clone()), threads);
        AttributeModels {
            face_mesh: shipped(models::FACE_MESH),
            age_gender: shipped(models::AGE_GENDER),
            emotion: shipped(models::EMOTION),
            mask: shipped(models::MASK),
            liveness: LazyModel::new(models::PACK_LIVENESS, pack_dir, threads),
            flip,
        }
    }
}

/// One face of one image, with what has been measured so far.
pub struct FaceAnalysis<'a> {
    models: &'a AttributeModels,
    pub rgb: &'a RgbImage,
    pub face: &'a FaceBox,
    mesh: OnceCell<FaceMesh>,
    age_gender: OnceCell<AgeGender>,
    emotion: OnceCell<[f32; 7]>,
    mask: OnceCell<f32>,
    live: OnceCell<f32>,
    patch: OnceCell<FacePatch>,
}

/// `cell`'s value, computing it with `f` the first time.
fn cached<T>(cell: &OnceCell<T>, f: impl FnOnce() -> Result<T>) -> Result<&T> {
    if let Some(v) = cell.get() {
        return Ok(v);
    }
    let v = f()?;
    Ok(cell.get_or_init(|| v))
}

impl<'a> FaceAnalysis<'a> {
    pub fn new(models: &'a AttributeModels, rgb: &'a RgbImage, face: &'a FaceBox) -> Self {
        FaceAnalysis {
            models,
            rgb,
            face,
            mesh: OnceCell::new(),
            age_gender: OnceCell::new(),
            emotion: OnceCell::new(),
            mask: OnceCell::new(),
            live: OnceCell::new(),
            patch: OnceCell::new(),
        }
    }

    pub fn mesh(&self) -> Result<&FaceMesh> {
        cached(&self.mesh, || {
            landmarks::face_mesh(self.models.face_mesh.get()?, self.rgb, self.face)
        })
    }

    pub fn age_gender(&self) -> Result<&AgeGender> {
        cached(&self.age_gender, || {
            attributes::age_gender(
                self.models.age_gender.get()?,
                self.rgb,
                self.face,
                self.models.flip,
            )
        })
    }

    /// The 7 emotion probabilities, order [`attributes::EMOTIONS`].
    pub fn emotion(&self) -> Result<&[f32; 7]> {
        cached(&self.emotion, || {
            attributes::emotion(
                self.models.emotion.get()?,
                self.rgb,
                self.face,
                self.models.flip,
            )
        })
    }

    /// Probability of a mask.
    pub fn mask(&self) -> Result<f32> {
        cached(&self.mask, || {
            attributes::mask(self.models.mask.get()?, self.rgb, self.face)
        })
        .copied()
    }

    /// Whether the liveness model (optional pack) is configured.
    pub fn has_liveness_model(&self) -> bool {
        self.models.liveness.is_configured()
    }

    /// Probability of a live face (needs the model pack).
    pub fn live_score(&self) -> Result<f32> {
        cached(&self.live, || {
            liveness::live_score(self.models.liveness.get()?, self.rgb, self.face)
        })
        .copied()
    }

    pub fn patch(&self) -> &FacePatch {
        self.patch
            .get_or_init(|| FacePatch::new(self.rgb, self.face))
    }

    pub fn expression(&self) -> Result<(attributes::Expression, f32)> {
        Ok(attributes::expression(self.emotion()?, self.mesh()?))
    }

    /// Openness of the subject's left and right eye, 0 (closed) … 1.
    pub fn eye_status(&self) -> Result<(f32, f32)> {
        let mesh = self.mesh()?;
        Ok((
            attributes::eye_openness(mesh, false),
            attributes::eye_openness(mesh, true),
        ))
    }

    pub fn quality(&self) -> Result<quality::Quality> {
        let mesh = self.mesh()?;
        Ok(quality::Quality {
            occlusion: quality::Occlusion::estimate(mesh.presence, self.mask()?),
            blur: quality::blur_from_sharpness(self.patch().sharpness()),
            illumination: self.patch().illumination(),
            completeness: quality::is_complete(
                self.face,
                mesh,
                self.rgb.width(),
                self.rgb.height(),
            ),
        })
    }
}
