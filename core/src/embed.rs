//! Embedding: where an aligned face chip becomes a feature vector. dlib's ResNet (128-d, compared by
//! Euclidean distance), in the ONNX form of the model kit.

use ndarray::Array4;
use ort::value::TensorRef;

use crate::align::FaceChip;
use crate::error::{Error, Result};
use crate::runtime::OrtModel;

pub const EMBEDDING_DIM: usize = 128;

/// A face feature vector as the embedder outputs it (dlib's vectors are not normalised; their length is
/// close to 1 and distances are Euclidean).
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding(pub Vec<f32>);

impl Embedding {
    pub fn l2_distance(&self, other: &Embedding) -> f32 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f32>()
            .sqrt()
    }

    /// Little-endian f32 bytes, the storage and wire form (512 bytes for 128-d, as Baidu's offline SDK).
    pub fn to_le_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    pub fn from_le_bytes(bytes: &[u8]) -> Option<Embedding> {
        if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
            return None;
        }
        Some(Embedding(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ))
    }
}

pub struct Embedder {
    model: OrtModel,
}

impl Embedder {
    pub fn new(model: OrtModel) -> Self {
        Embedder { model }
    }

    /// Embeds a batch of 150×150 chips in one run.
    pub fn embed(&self, chips: &[&FaceChip]) -> Result<Vec<Embedding>> {
        if chips.is_empty() {
            return Ok(Vec::new());
        }
        let n = chips[0].size as usize;
        let mut input = Array4::<f32>::zeros((chips.len(), n, n, 3));
        let data = input.as_slice_mut().expect("fresh array is contiguous");
        for (i, chip) in chips.iter().enumerate() {
            if chip.size as usize != n {
                return Err(Error::system("chips of one batch must have one size"));
            }
            data[i * n * n * 3..(i + 1) * n * n * 3].copy_from_slice(&chip.pixels);
        }
        let flat = self.model.with_session(|s| {
            let outputs = s.run(ort::inputs!["input" => TensorRef::from_array_view(&input)?])?;
            let (_, data) = outputs["embedding"].try_extract_tensor::<f32>()?;
            Ok(data.to_vec())
        })?;
        if flat.len() != chips.len() * EMBEDDING_DIM {
            return Err(Error::system(format!(
                "embedder returned {} values for {} faces",
                flat.len(),
                chips.len()
            )));
        }
        Ok(flat
            .chunks_exact(EMBEDDING_DIM)
            .map(|c| Embedding(c.to_vec()))
            .collect())
    }

    /// Test-time flip: the mean of the chip's and its mirror image's embeddings. Faces are nearly symmetric,
    /// so the mean keeps identity and averages out pose and lighting noise (measured in the README).
    pub fn embed_with_flip(&self, chips: &[&FaceChip]) -> Result<Vec<Embedding>> {
        let mirrored: Vec<FaceChip> = chips.iter().map(|c| c.mirrored()).collect();
        let mut all: Vec<&FaceChip> = chips.to_vec();
        all.extend(mirrored.iter());
        let e = self.embed(&all)?;
        let (a, b) = e.split_at(chips.len());
        Ok(a.iter()
            .zip(b)
            .map(|(x, y)| Embedding(x.0.iter().zip(&y.0).map(|(p, q)| (p + q) / 2.0).collect()))
            .collect())
    }
}
