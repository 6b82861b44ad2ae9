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

/// Tokens of the last hour: at most `capacity` of them, holding at most `budget_bytes` (chips and bookkeeping),
/// the oldest dropped first. The byte budget is what bounds memory: a token with a chip weighs ~67 KB, one kept
/// by its vector alone well under 1 KB, so 4,096 tokens of group photos alone would take 270 MB.
pub struct TokenCache {
    inner: Mutex<Inner>,
    capacity: usize,
    budget_bytes: usize,
    ttl: Duration,
}

/// What the cache may hold by default: about a thousand faces with their chips.
pub const DEFAULT_BUDGET_BYTES: usize = 64 << 20;

struct Inner {
    map: HashMap<String, (Instant, Arc<TokenFace>)>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Inner {
    fn drop_oldest(&mut self) {
        if let Some(old) = self.order.pop_front() {
            if let Some((_, face)) = self.map.remove(&old) {
                self.bytes -= weight(&face);
            }
        }
    }
}

/// The bytes a cached face holds: its chip, and a fixed share for the token, box and vector.
fn weight(face: &TokenFace) -> usize {
    const BOOKKEEPING: usize = 1024;
    BOOKKEEPING
        + face
            .chip
            .as_ref()
            .map_or(0, |(chip, _)| chip.as_raw().len())
}

impl TokenCache {
    pub fn new(capacity: usize, budget_bytes: usize, ttl: Duration) -> Self {
        TokenCache {
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                order: VecDeque::new(),
                bytes: 0,
            }),
            capacity,
            budget_bytes,
            ttl,
        }
    }

    pub fn insert(&self, token: String, face: Arc<TokenFace>) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        g.bytes += weight(&face);
        match g.map.insert(token.clone(), (now, face)) {
            None => g.order.push_back(token),
            Some((_, replaced)) => {
                g.bytes -= weight(&replaced);
                // Seen again: it lives another hour from now.
                if let Some(pos) = g.order.iter().position(|t| *t == token) {
                    g.order.remove(pos);
                }
                g.order.push_back(token);
            }
        }
        // The newest token stays, whatever it weighs: the call that made it is about to return it.
        while g.order.len() > 1 && (g.order.len() > self.capacity || g.bytes > self.budget_bytes) {
            g.drop_oldest();
        }
    }

    pub fn get(&self, token: &str) -> Option<Arc<TokenFace>> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        while let Some(front) = g.order.front() {
            match g.map.get(front) {
                Some((t, _)) if now.duration_since(*t) < self.ttl => break,
                _ => g.drop_oldest(),
            }
        }
        g.map.get(token).map(|(_, f)| f.clone())
    }

    /// Tokens held, and the bytes they weigh.
    pub fn usage(&self) -> (usize, usize) {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        (g.order.len(), g.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(chip_side: Option<u32>) -> Arc<TokenFace> {
        Arc::new(TokenFace {
            face: crate::faceset::synthetic::face("t", vec![0.0; 4]).face_box,
            source_sha256: None,
            image_width: 640,
            image_height: 480,
            chip: chip_side.map(|side| (RgbImage::new(side, side), [[0.0; 3]; 2])),
            embedding: OnceLock::new(),
        })
    }

    #[test]
    fn the_byte_budget_drops_the_oldest_tokens() {
        // Room for two 100×100 chips (30 KB each, plus bookkeeping), not three.
        let cache = TokenCache::new(100, 2 * (30_000 + 1024) + 500, TOKEN_TTL);
        for t in ["a", "b", "c"] {
            cache.insert(t.into(), face(Some(100)));
        }
        assert!(cache.get("a").is_none());
        assert!(cache.get("b").is_some() && cache.get("c").is_some());
        assert_eq!(cache.usage(), (2, 2 * (30_000 + 1024)));
        // Vector-only tokens weigh little: many fit beside the chips.
        cache.insert("c".into(), face(None));
        for i in 0..20 {
            cache.insert(format!("v{i}"), face(None));
        }
        assert_eq!(cache.usage(), (22, 30_000 + 22 * 1024));
        assert!(cache.get("b").is_some());
    }

    #[test]
    fn the_count_cap_and_the_ttl_hold_too() {
        let cache = TokenCache::new(3, usize::MAX, TOKEN_TTL);
        for t in ["a", "b", "c", "d"] {
            cache.insert(t.into(), face(None));
        }
        assert!(cache.get("a").is_none() && cache.get("d").is_some());
        let expired = TokenCache::new(3, usize::MAX, Duration::ZERO);
        expired.insert("a".into(), face(None));
        assert!(expired.get("a").is_none());
        assert_eq!(expired.usage(), (0, 0));
    }
}
