//! `facekit._native`: the Rust side of the Python package. Every call runs with the GIL released, so
//! Python threads can use one engine at once. The Python side (`python/facekit/`) turns these plain
//! values into `AipFace` dicts, dataclasses and numpy arrays.

use std::path::PathBuf;
use std::sync::Arc;

use facekit_core::embed::EMBEDDING_DIM;
use facekit_core::pose::angle_from_landmarks;
use facekit_core::{DecodedImage, DetectOptions, Embedding, FaceBox};
use facekit_sdk::{engines, table, Dialect};
use image::RgbImage;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

/// An image as the Python side hands it over: RGB pixels `(bytes, width, height)`, an encoded file's
/// bytes, or a file path.
#[derive(FromPyObject)]
enum ImageArg {
    Pixels(PyBackedBytes, u32, u32),
    Encoded(PyBackedBytes),
    Path(PathBuf),
}

/// One detected face: `(left, top, width, height, score, landmarks 5×[x, y], (yaw, pitch, roll) in
/// degrees, face_token)`.
type FaceTuple = (
    f32,
    f32,
    f32,
    f32,
    f32,
    [[f32; 2]; 5],
    (f32, f32, f32),
    String,
);

/// A face and its feature vector as little-endian f32 bytes.
type FaceWithFeature<'py> = (FaceTuple, Bound<'py, PyBytes>);

/// A core error as `facekit.FacekitError(code, message)`.
fn facekit_error(py: Python<'_>, e: facekit_core::Error) -> PyErr {
    let raised = py
        .import("facekit._errors")
        .and_then(|m| m.getattr("FacekitError"))
        .and_then(|cls| cls.call1((e.code(), e.message, e.detail)));
    match raised {
        Ok(err) => PyErr::from_value(err),
        Err(import_failed) => import_failed,
    }
}

#[pyclass(frozen, module = "facekit._native")]
struct Engine {
    inner: Arc<facekit_core::Engine>,
}

impl Engine {
    fn decode(&self, image: &ImageArg) -> facekit_core::Result<DecodedImage> {
        match image {
            ImageArg::Pixels(bytes, width, height) => {
                let rgb = RgbImage::from_raw(*width, *height, bytes.to_vec()).ok_or_else(|| {
                    facekit_core::Error::with_detail(
                        facekit_core::ErrorCode::ImageCheckFail,
                        format!("{} bytes are not {width}×{height} RGB pixels", bytes.len()),
                    )
                })?;
                Ok(facekit_core::decode::from_rgb(rgb))
            }
            ImageArg::Encoded(bytes) => self.inner.decode_bytes(bytes),
            ImageArg::Path(path) => self.inner.decode_file(path),
        }
    }

    /// Runs `per_image` on each image with the GIL released; the first failure names its image.
    fn each_image<T: Send>(
        &self,
        py: Python<'_>,
        images: Vec<ImageArg>,
        per_image: impl Fn(&DecodedImage) -> facekit_core::Result<T> + Send + Sync,
    ) -> PyResult<Vec<T>> {
        py.detach(|| {
            images
                .iter()
                .enumerate()
                .map(|(i, image)| {
                    self.decode(image)
                        .and_then(|d| per_image(&d))
                        .map_err(|mut e| {
                            e.detail = Some(format!("image {i}: {}", e.detail.unwrap_or_default()));
                            e
                        })
                })
                .collect::<facekit_core::Result<Vec<T>>>()
        })
        .map_err(|e| facekit_error(py, e))
    }

    /// The face as Python receives it. Faces with a feature vector are remembered by the vector alone (what
    /// match, search and the face library need); detected faces keep their chip, to be embedded on demand.
    fn face_tuple(
        &self,
        image: &DecodedImage,
        face: &FaceBox,
        embedding: Option<Embedding>,
    ) -> FaceTuple {
        let angle = angle_from_landmarks(&face.landmarks);
        let token = match embedding {
            Some(e) => self.inner.remember_embedding(image, face, e),
            None => self.inner.remember_face(image, face, None),
        };
        (
            face.left,
            face.top,
            face.width,
            face.height,
            face.score,
            face.landmarks,
            (angle.yaw_deg, angle.pitch_deg, angle.roll_deg),
            token,
        )
    }
}

/// Largest faces first, at most `max_faces` (all when `None`).
fn detect_options(max_faces: Option<usize>) -> DetectOptions {
    let defaults = DetectOptions::default();
    DetectOptions {
        max_faces: max_faces.unwrap_or(defaults.max_faces),
        ..defaults
    }
}

#[pymethods]
impl Engine {
    /// Opens (or joins) the process's engine for this configuration (`EngineConfig` as JSON).
    #[new]
    fn new(py: Python<'_>, config_json: &str) -> PyResult<Self> {
        let inner = py
            .detach(|| engines::shared_from_json(config_json))
            .map_err(|e| facekit_error(py, e))?;
        Ok(Engine { inner })
    }

    /// Any API method on a JSON request; the response JSON, envelope included.
    fn call(&self, py: Python<'_>, method: &str, request_json: &str) -> String {
        py.detach(|| self.inner.call(method, request_json))
    }

    /// An `aip.AipFace` method by name with its positional arguments (a JSON array) and options.
    #[pyo3(signature = (name, args_json, options_json=None))]
    fn sdk_call(
        &self,
        py: Python<'_>,
        name: &str,
        args_json: &str,
        options_json: Option<&str>,
    ) -> PyResult<String> {
        py.detach(|| {
            facekit_sdk::sdk_call(&self.inner, Dialect::Python, name, args_json, options_json)
        })
        .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Faces of each image, largest first, at most `max_faces` each.
    #[pyo3(signature = (images, max_faces=None))]
    fn detect(
        &self,
        py: Python<'_>,
        images: Vec<ImageArg>,
        max_faces: Option<usize>,
    ) -> PyResult<Vec<Vec<FaceTuple>>> {
        let opts = detect_options(max_faces);
        self.each_image(py, images, |image| {
            let faces = self.inner.detect(image, &opts)?;
            Ok(faces
                .iter()
                .map(|f| self.face_tuple(image, f, None))
                .collect())
        })
    }

    /// Faces of each image with their feature vectors (little-endian f32 bytes).
    #[pyo3(signature = (images, max_faces=None))]
    fn extract<'py>(
        &self,
        py: Python<'py>,
        images: Vec<ImageArg>,
        max_faces: Option<usize>,
    ) -> PyResult<Vec<Vec<FaceWithFeature<'py>>>> {
        let opts = detect_options(max_faces);
        let per_image = self.each_image(py, images, |image| {
            let faces = self.inner.extract(image, &opts)?;
            Ok(faces
                .into_iter()
                .map(|(face, embedding)| {
                    let bytes = embedding.to_le_bytes();
                    (self.face_tuple(image, &face, Some(embedding)), bytes)
                })
                .collect::<Vec<_>>())
        })?;
        Ok(per_image
            .into_iter()
            .map(|faces| {
                faces
                    .into_iter()
                    .map(|(face, bytes)| (face, PyBytes::new(py, &bytes)))
                    .collect()
            })
            .collect())
    }

    /// The `face_token` of each image's largest face, its feature vector computed (222202 when an image has
    /// no face): what the typed face-library calls send as `image_type=FACE_TOKEN`.
    fn largest_face_tokens(&self, py: Python<'_>, images: Vec<ImageArg>) -> PyResult<Vec<String>> {
        let opts = detect_options(Some(1));
        self.each_image(py, images, |image| {
            let (face, embedding) = self
                .inner
                .extract(image, &opts)?
                .into_iter()
                .next()
                .ok_or_else(|| facekit_core::Error::new(facekit_core::ErrorCode::NoFace))?;
            Ok(self.inner.remember_embedding(image, &face, embedding))
        })
    }

    #[getter]
    fn model_dir(&self) -> PathBuf {
        self.inner.model_dir().to_path_buf()
    }

    #[getter]
    fn threads(&self) -> usize {
        self.inner.threads()
    }
}

/// The 0–100 similarity of two feature vectors given as little-endian f32 bytes (80 ≈ FAR 1e-4).
#[pyfunction]
fn compare(a: &[u8], b: &[u8]) -> PyResult<f32> {
    let parse = |bytes: &[u8]| {
        Embedding::from_le_bytes(bytes)
            .filter(|e| e.0.len() == EMBEDDING_DIM)
            .ok_or_else(|| {
                PyValueError::new_err(format!(
                    "a feature vector has {EMBEDDING_DIM} float32 values, not {} bytes",
                    bytes.len()
                ))
            })
    };
    Ok(facekit_core::compare::score(&parse(a)?, &parse(b)?))
}

/// The methods of `aip.AipFace` as JSON: `[{name, params, options}]` (from `bindings/sdk/methods.json`).
#[pyfunction]
fn sdk_methods() -> String {
    table::class_methods_json(Dialect::Python)
}

/// The ONNX Runtime library this process loaded, once an engine is open.
#[pyfunction]
fn loaded_ort_library() -> Option<PathBuf> {
    facekit_core::runtime::loaded_library().map(|p| p.to_path_buf())
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(sdk_methods, m)?)?;
    m.add_function(wrap_pyfunction!(loaded_ort_library, m)?)?;
    m.add("__version__", facekit_core::VERSION)?;
    Ok(())
}
