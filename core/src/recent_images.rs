//! The last images the engine decoded, kept within a memory budget, so a face_token from a recent call
//! can still give its attributes, quality and liveness (which need the pixels, not just the embedder's
//! chip): the cloud's flow `detect` → token → `search` with `quality_control` works offline too. A token
//! whose image has been dropped answers 222301 "get face fail" for those fields.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::decode::DecodedImage;

/// What the images may take: about twenty 1080p photos.
pub const DEFAULT_BUDGET_BYTES: usize = 128 << 20;

pub struct RecentImages {
    inner: Mutex<VecDeque<Arc<DecodedImage>>>,
    budget_bytes: usize,
}

impl RecentImages {
    pub fn new(budget_bytes: usize) -> Self {
        RecentImages {
            inner: Mutex::new(VecDeque::new()),
            budget_bytes,
        }
    }

    /// Keeps `image` as the most recent, dropping the oldest beyond the budget.
    pub fn keep(&self, image: &Arc<DecodedImage>) {
        let mut q = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        q.retain(|i| i.source_sha256 != image.source_sha256);
        q.push_back(image.clone());
        let mut total: usize = q.iter().map(|i| i.rgb.as_raw().len()).sum();
        while total > self.budget_bytes && q.len() > 1 {
            if let Some(old) = q.pop_front() {
                total -= old.rgb.as_raw().len();
            }
        }
    }

    /// The kept image whose source bytes hash to `sha256`.
    pub fn get(&self, sha256: &[u8; 32]) -> Option<Arc<DecodedImage>> {
        let q = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        q.iter().rev().find(|i| &i.source_sha256 == sha256).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(tag: u8, side: u32) -> Arc<DecodedImage> {
        Arc::new(DecodedImage {
            rgb: image::RgbImage::new(side, side),
            source_sha256: [tag; 32],
        })
    }

    #[test]
    fn oldest_images_leave_first_when_over_budget() {
        let r = RecentImages::new(2 * 10 * 10 * 3);
        r.keep(&img(1, 10));
        r.keep(&img(2, 10));
        assert!(r.get(&[1; 32]).is_some());
        r.keep(&img(3, 10));
        assert!(r.get(&[1; 32]).is_none());
        assert!(r.get(&[2; 32]).is_some() && r.get(&[3; 32]).is_some());
        // One image larger than the budget is still kept (the request using it is running).
        r.keep(&img(4, 100));
        assert!(r.get(&[4; 32]).is_some() && r.get(&[3; 32]).is_none());
    }
}
