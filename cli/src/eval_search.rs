//! `facekit eval search --gallery G.csv --probes P.csv`: 1:N identification through the face library.
//! Each CSV line is `path,user_id` (a `path,user_id` header line is skipped; relative paths are relative to
//! the CSV). The gallery photos are enrolled into one group; each probe is searched in it. Probes whose user
//! is in the gallery are "mated": the rank-1 rate counts those whose top user is right. The others are
//! "non-mated": the false-accept rate counts those whose top user scores at least the threshold.
//! `scripts/lfw-search-csv.sh` writes such files for an LFW-layout folder.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use facekit_core::compare::score_from_distance;
use facekit_core::detect::{DetectOptions, FaceOrder};
use facekit_core::faceset::{GroupId, GroupScope, SearchQuery, Strategy};
use facekit_core::Engine;

use crate::enroll::{enroll_photo, Outcome};
use crate::eval::progress;

const GROUP: &str = "eval_gallery";

fn read_csv(path: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (n == 0 && line == "path,user_id") {
            continue;
        }
        let (file, user) = line
            .rsplit_once(',')
            .ok_or_else(|| format!("{}:{}: expected path,user_id", path.display(), n + 1))?;
        rows.push((base.join(file.trim()), user.trim().to_string()));
    }
    Ok(rows)
}

/// The face the evaluation uses: nearest the centre (the subject of a portrait or an LFW crop).
const ORDER: FaceOrder = FaceOrder::NearestCenterFirst;

pub fn run(engine: &Engine, gallery: &Path, probes: &Path, threshold: f32) -> Result<(), String> {
    let gallery = read_csv(gallery)?;
    let probes = read_csv(probes)?;
    let group = GroupId::parse(GROUP).map_err(|e| e.to_string())?;

    let bar = progress(gallery.len(), "gallery");
    let mut enrolled: HashSet<String> = HashSet::new();
    let mut gallery_failed = 0;
    for (path, user) in &gallery {
        match enroll_photo(engine, &group, user, path, ORDER) {
            Outcome::Added | Outcome::AlreadyEnrolled => {
                enrolled.insert(user.clone());
            }
            Outcome::Rejected(_) => gallery_failed += 1,
        }
        bar.inc(1);
    }
    bar.finish_and_clear();

    let scope = GroupScope::Only(vec![group]);
    let opts = DetectOptions {
        max_faces: 1,
        order: ORDER,
        ..DetectOptions::default()
    };
    let bar = progress(probes.len(), "probes");
    let (mut mated, mut rank1, mut rank1_at) = (0usize, 0usize, 0usize);
    let (mut non_mated, mut false_accepts) = (0usize, 0usize);
    let mut no_face = 0;
    for (path, user) in &probes {
        bar.inc(1);
        let Some(embedding) = engine
            .decode_file(path)
            .and_then(|img| engine.extract(&img, &opts))
            .ok()
            .and_then(|mut faces| faces.pop().map(|(_, e)| e))
        else {
            no_face += 1;
            continue;
        };
        let top = engine
            .faceset()
            .search(&SearchQuery {
                embedding: &embedding.0,
                groups: &scope,
                user: None,
                max_users: 1,
                max_distance: f32::INFINITY,
                strategy: Strategy::Auto,
            })
            .map_err(|e| e.to_string())?
            .into_iter()
            .next();
        let (top_user, score) = top.map_or((String::new(), 0.0), |m| {
            (
                m.user_id.as_str().to_string(),
                score_from_distance(m.distance),
            )
        });
        if enrolled.contains(user) {
            mated += 1;
            if top_user == *user {
                rank1 += 1;
                if score >= threshold {
                    rank1_at += 1;
                }
            }
        } else {
            non_mated += 1;
            if score >= threshold {
                false_accepts += 1;
            }
        }
    }
    bar.finish_and_clear();
    let rate = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "gallery: {} photos, {} users ({} without a usable face)",
        gallery.len(),
        enrolled.len(),
        gallery_failed
    );
    println!(
        "probes: {} mated, {} non-mated ({} without a face, not counted)",
        mated, non_mated, no_face
    );
    println!("\n| rank-1 identification | rank-1 and score ≥ {threshold} | false accepts of non-mated at score ≥ {threshold} |");
    println!("|---|---|---|");
    println!(
        "| {:.2} % ({rank1}/{mated}) | {:.2} % ({rank1_at}/{mated}) | {:.2} % ({false_accepts}/{non_mated}) |",
        rate(rank1, mated),
        rate(rank1_at, mated),
        rate(false_accepts, non_mated)
    );
    Ok(())
}
