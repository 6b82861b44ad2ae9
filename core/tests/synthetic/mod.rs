//! Synthetic feature vectors and enrolments for the face library's tests (no models needed).
#![allow(dead_code)]

use facekit_core::detect::FaceBox;
use facekit_core::faceset::{AddMode, Enrolment, GroupId, NewFace, UserId};
use facekit_core::Embedding;

/// The engine's feature length.
pub const DIM: usize = 128;

/// SplitMix64: a seeded generator, so every run sees the same vectors.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    fn uniform(&mut self) -> f32 {
        ((self.next_u64() >> 40) as f32 + 1.0) / (1u64 << 24) as f32
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f32 {
        let (a, b) = (self.uniform(), self.uniform());
        (-2.0 * a.ln()).sqrt() * (std::f32::consts::TAU * b).cos()
    }

    /// A random unit vector.
    pub fn unit(&mut self, dim: usize) -> Vec<f32> {
        let v: Vec<f32> = (0..dim).map(|_| self.normal()).collect();
        normalized(v)
    }

    /// A unit vector about `distance` away from unit vector `v` (another photo of the same person).
    pub fn near(&mut self, v: &[f32], distance: f32) -> Vec<f32> {
        let noise = self.unit(v.len());
        normalized(
            v.iter()
                .zip(&noise)
                .map(|(a, b)| a + distance * b)
                .collect(),
        )
    }
}

fn normalized(v: Vec<f32>) -> Vec<f32> {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.into_iter().map(|x| x / n).collect()
}

pub fn g(s: &str) -> GroupId {
    GroupId::parse(s).unwrap()
}

pub fn u(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

pub fn enrolment(
    group: &str,
    user: &str,
    user_info: Option<&str>,
    mode: AddMode,
    token: &str,
    v: &[f32],
) -> Enrolment {
    Enrolment {
        group: g(group),
        user: u(user),
        user_info: user_info.map(str::to_string),
        mode,
        face: NewFace {
            face_token: token.to_string(),
            face_box: FaceBox {
                left: 10.0,
                top: 20.0,
                width: 100.0,
                height: 120.0,
                score: 0.99,
                landmarks: [
                    [40.0, 60.0],
                    [80.0, 60.0],
                    [60.0, 80.0],
                    [45.0, 100.0],
                    [75.0, 100.0],
                ],
            },
            image_width: 640,
            image_height: 480,
            source_sha256: None,
            embedding: Embedding(v.to_vec()),
        },
    }
}
