//! Face tokens: the 32-hex handles the API returns for each detected face. Like the cloud's, a token is
//! deterministic (same image bytes and same face give the same token) and a token from detect, match or
//! search lives 60 minutes (spec §1.7); tokens of faces stored in the face library live as long as the face.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use image::RgbImage;

use crate::align::Affine;
use crate::detect::FaceBox;
use crate::embed::Embedding;

pub const TOKEN_TTL: Duration = Duration::from_secs(60 * 60);

/// The token of `face` in the image whose bytes hash to `source_sha256`.
pub fn face_token(source_sha256: &[u8; 32], face: &FaceBox) -> String {
    let mut h = Sha256::new();
    h.update(source_sha256);
    // Whole pixels: the same image always yields the same box, and rounding keeps the token stable across
    // platforms whose float maths differ in the last bits.
    for v in [face.left, face.top, face.width, face.height] {
        h.update((v.round() as i64).to_le_bytes());
    }
    hex::encode(&h.finalize()[..16])
}

/// What a token stands for: the face as detected, and its aligned chip so that any later method (match,
/// search, register, attributes) can use the token without the original image.
pub struct TokenFace {
    pub face: FaceBox,
    /// sha256 of the image bytes the face was found in (absent for faces of the face library).
    pub source_sha256: Option<[u8; 32]>,
    pub image_width: u32,
    pub image_height: u32,
    /// The embedder's aligned chip, rounded to 8 bits (67 KB instead of 270 KB as floats; the embedding moves by
    /// less than 1e-3), with its image-to-chip transform. Absent for faces kept only by their vector.
    pub chip: Option<(RgbImage, Affine)>,
    pub embedding: OnceLock<Embedding>,
}

/// Tokens of the last hour, at most `capacity` of them (oldest dropped first).
pub struct TokenCache {
    inner: Mutex<Inner>,
    capacity: usize,
    ttl: Duration,
}

struct Inner {
    map: HashMap<String, (Instant, Arc<TokenFace>)>,
    order: VecDeque<String>,
}

impl TokenCache {
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        TokenCache {
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                order: VecDeque::new(),
            }),
            capacity,
            ttl,
        }
    }

    pub fn insert(&self, token: String, face: Arc<TokenFace>) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if g.map.insert(token.clone(), (now, face)).is_none() {
            g.order.push_back(token);
        } else if let Some(pos) = g.order.iter().position(|t| *t == token) {
            // Seen again: it lives another hour from now.
            g.order.remove(pos);
            g.order.push_back(token);
        }
        while g.order.len() > self.capacity {
            if let Some(old) = g.order.pop_front() {
                g.map.remove(&old);
            }
        }
    }

    pub fn get(&self, token: &str) -> Option<Arc<TokenFace>> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        while let Some(front) = g.order.front() {
            match g.map.get(front) {
                Some((t, _)) if now.duration_since(*t) < self.ttl => break,
                _ => {
                    let old = g.order.pop_front().expect("front exists");
                    g.map.remove(&old);
                }
            }
        }
        g.map.get(token).map(|(_, f)| f.clone())
    }
}
