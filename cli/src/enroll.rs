//! `facekit enroll --db PATH --group G DIR`: bulk registration of a folder of photos into the face library.
//! `DIR/<user_id>/*.jpg` (one sub-folder per user) or `DIR/<user_id>.jpg` (one photo per user). Each photo's
//! largest face is added to its user (APPEND, as user/add). Every added face is committed on its own, and a
//! photo already in the library (same bytes, same user) is skipped, so an interrupted run just runs again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;
use facekit_core::detect::{DetectOptions, FaceOrder};
use facekit_core::faceset::{AddMode, Enrolment, GroupId, NewFace, UserId};
use facekit_core::{Engine, Error, ErrorCode};

use crate::eval::progress;
use crate::EngineArgs;

#[derive(Args)]
pub struct EnrollArgs {
    /// The group the users go into (created if missing).
    #[arg(long)]
    group: String,
    /// Folder of photos: one sub-folder per user, or files named `<user_id>.jpg`.
    dir: PathBuf,
}

const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff"];

/// What happened to one photo.
pub enum Outcome {
    Added,
    AlreadyEnrolled,
    Rejected(Error),
}

/// Adds the face of one photo (`order` picks it among several) to `user` in `group`, unless that photo is
/// already the user's.
pub fn enroll_photo(
    engine: &Engine,
    group: &GroupId,
    user: &str,
    path: &Path,
    order: FaceOrder,
) -> Outcome {
    let attempt = || -> facekit_core::Result<Outcome> {
        let user = UserId::parse(user)?;
        let image = engine.decode_file(path)?;
        if engine
            .faceset()
            .has_photo(group, &user, &image.source_sha256)?
        {
            return Ok(Outcome::AlreadyEnrolled);
        }
        let opts = DetectOptions {
            max_faces: 1,
            order,
            ..DetectOptions::default()
        };
        let (face_box, embedding) = engine
            .extract(&image, &opts)?
            .pop()
            .ok_or_else(|| Error::new(ErrorCode::NoFace))?;
        engine.faceset().add_face(Enrolment {
            group: group.clone(),
            user,
            user_info: None,
            mode: AddMode::Append,
            face: NewFace::from_photo(&image, face_box, embedding),
        })?;
        Ok(Outcome::Added)
    };
    attempt().unwrap_or_else(Outcome::Rejected)
}

fn is_image(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// (user id, photo) for every photo of the folder, in name order.
fn photos(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    for entry in sorted_entries(dir)? {
        let name = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned());
        if entry.is_dir() {
            let user = name(&entry).unwrap_or_default();
            for photo in sorted_entries(&entry)?.into_iter().filter(|p| is_image(p)) {
                out.push((user.clone(), photo));
            }
        } else if is_image(&entry) {
            out.push((name(&entry).unwrap_or_default(), entry));
        }
    }
    Ok(out)
}

pub fn run(args: EnrollArgs, engine_args: &EngineArgs) -> Result<(), String> {
    let Some(db) = &engine_args.db else {
        return Err("enroll needs --db PATH: the library to fill".into());
    };
    let group = GroupId::parse(&args.group).map_err(|e| format!("--group: {e}"))?;
    let photos = photos(&args.dir)?;
    let engine = engine_args.open()?;
    let bar = progress(photos.len(), "enrolling");
    let (mut added, mut skipped) = (0usize, 0usize);
    // Rejections by error, with the first photo of each.
    let mut rejected: BTreeMap<(u32, String), (usize, PathBuf)> = BTreeMap::new();
    for (user, path) in &photos {
        match enroll_photo(&engine, &group, user, path, FaceOrder::LargestFirst) {
            Outcome::Added => added += 1,
            Outcome::AlreadyEnrolled => skipped += 1,
            Outcome::Rejected(e) => {
                rejected
                    .entry((e.code(), e.message.clone()))
                    .or_insert((0, path.clone()))
                    .0 += 1
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    engine
        .faceset()
        .checkpoint()
        .map_err(|e| format!("index snapshot: {e}"))?;
    let rejected_total: usize = rejected.values().map(|(n, _)| n).sum();
    println!(
        "{} photos of {} into group {} of {}",
        photos.len(),
        args.dir.display(),
        group.as_str(),
        db.display()
    );
    println!("  added     {added}");
    println!("  skipped   {skipped} (already in the library)");
    println!("  rejected  {rejected_total}");
    for ((code, msg), (n, first)) in &rejected {
        println!("    {n} × {code} {msg} (first: {})", first.display());
    }
    Ok(())
}
