//! Comparison: where two feature vectors become the cloud's 0–100 similarity score.
//!
//! The cloud promises that score 80 means a false-accept rate of about 1e-4 (spec §6) and 100 means identical.
//! facekit maps the embedder's Euclidean distance to that scale piecewise-linearly through anchor points
//! measured on LFW (`facekit eval lfw`, all cross-identity pairs of the dev set as impostors): the distance at
//! FAR 1e-5 scores 90, at FAR 1e-4 scores 80, at 1e-3 scores 70, at 1e-2 scores 60, like the cloud's own table
//! (60 → 0.78 %, 70 → 0.097 %, 80 → 0.0093 %). README "Score calibration" has the measured table.

use crate::embed::Embedding;

/// (distance, score) anchors: distance ascending, score descending. Between anchors the score is linear in
/// the distance; beyond the last it is 0. Distances measured with the default engine (test-time flip) by
/// `facekit eval lfw --calibration` on lfw-dev: 1,549 images, 983 genuine and 1,197,943 impostor pairs.
const ANCHORS: [(f32, f32); 6] = [
    (0.0, 100.0),
    (0.4192, 90.0), // FAR 1e-5
    (0.4633, 80.0), // FAR 1e-4
    (0.5181, 70.0), // FAR 1e-3
    (0.5809, 60.0), // FAR 1e-2
    (1.20, 0.0),    // beyond any same-person pair seen
];

/// Similarity score in [0, 100] for an L2 distance between two embeddings.
pub fn score_from_distance(distance: f32) -> f32 {
    if !distance.is_finite() {
        return 0.0;
    }
    let d = distance.max(0.0);
    for w in ANCHORS.windows(2) {
        let ((d0, s0), (d1, s1)) = (w[0], w[1]);
        if d <= d1 {
            return s0 + (s1 - s0) * (d - d0) / (d1 - d0);
        }
    }
    0.0
}

/// The largest distance that still scores at least `score` (the inverse of [`score_from_distance`]).
pub fn distance_for_score(score: f32) -> f32 {
    let s = score.clamp(0.0, 100.0);
    for w in ANCHORS.windows(2) {
        let ((d0, s0), (d1, s1)) = (w[0], w[1]);
        if s >= s1 {
            return d0 + (d1 - d0) * (s0 - s) / (s0 - s1);
        }
    }
    ANCHORS[ANCHORS.len() - 1].0
}

/// The 0–100 score of two embeddings.
pub fn score(a: &Embedding, b: &Embedding) -> f32 {
    score_from_distance(a.l2_distance(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_is_monotone_and_invertible() {
        assert_eq!(score_from_distance(0.0), 100.0);
        assert_eq!(score_from_distance(5.0), 0.0);
        let mut last = 101.0;
        for i in 0..=150 {
            let d = i as f32 * 0.01;
            let s = score_from_distance(d);
            assert!(s <= last, "not monotone at {d}");
            last = s;
            if s > 0.0 {
                assert!((distance_for_score(s) - d).abs() < 1e-4, "inverse at {d}");
            }
        }
        assert!((score_from_distance(ANCHORS[2].0) - 80.0).abs() < 1e-4);
    }
}
