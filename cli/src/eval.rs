//! `facekit eval`: accuracy on labelled sets, printed as tables (the README's figures come from here).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use facekit_core::compare::score_from_distance;
use facekit_core::detect::{DetectOptions, FaceBox, FaceOrder};
use facekit_core::{Embedding, Engine};
use indicatif::{ProgressBar, ProgressStyle};

use crate::EngineArgs;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// LFW-style verification: 10-fold accuracy, failures, and the FAR/FRR of the 0–100 score.
    Lfw {
        /// Directory with Name/Name_0001.jpg images.
        #[arg(long)]
        root: PathBuf,
        /// Pairs file: `name n1 n2` (same) or `name1 n1 name2 n2` (different), tab or space separated.
        #[arg(long)]
        pairs: PathBuf,
        /// Write one line per pair: `score same(0/1)` (score −1 where a face was not found).
        #[arg(long)]
        scores_out: Option<PathBuf>,
        /// Also score every pair of the images the pairs file uses (all same-person pairs as genuine, all
        /// cross-person pairs as impostors) and print the false-accept / false-reject table of the score.
        #[arg(long)]
        calibration: bool,
    },
    /// WIDER FACE detection: official per-image prediction files and AP easy/medium/hard.
    Wider {
        /// Directory holding the `<event>/<image>.jpg` files.
        #[arg(long)]
        images: PathBuf,
        /// Ground truth: `wider_face_val_bbx_gt.txt` (with `gt.json`, holding the official easy/medium/hard
        /// keep lists, beside it) or that `gt.json` itself.
        #[arg(long)]
        gt: PathBuf,
        /// Where to write the predictions in the official layout (`<event>/<image>.txt`).
        #[arg(long)]
        pred_out: Option<PathBuf>,
        /// Detection score threshold (the protocol's 0.02 by default).
        #[arg(long, default_value_t = 0.02)]
        threshold: f32,
        /// Add the small-face pass at twice the size (`DetectOptions::small_face_pass`).
        #[arg(long)]
        small_faces: bool,
    },
}

pub fn run(cmd: EvalCommand, engine_args: &EngineArgs) -> Result<(), String> {
    match cmd {
        EvalCommand::Lfw {
            root,
            pairs,
            scores_out,
            calibration,
        } => lfw(
            &engine_args.open()?,
            &root,
            &pairs,
            scores_out.as_deref(),
            calibration,
        ),
        EvalCommand::Wider {
            images,
            gt,
            pred_out,
            threshold,
            small_faces,
        } => {
            let opts = DetectOptions {
                score_threshold: threshold,
                small_face_pass: small_faces,
                ..DetectOptions::default()
            };
            wider(
                &engine_args.open()?,
                &images,
                &gt,
                pred_out.as_deref(),
                &opts,
            )
        }
    }
}

pub fn progress(len: usize, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len as u64);
    pb.set_style(
        ProgressStyle::with_template(
            "{msg} {bar:40} {pos}/{len} [{elapsed_precise} < {eta_precise}]",
        )
        .expect("valid template"),
    );
    pb.set_message(what.to_string());
    pb
}

struct Pair {
    a: String,
    b: String,
    same: bool,
}

fn lfw_path(name: &str, n: &str) -> Result<String, String> {
    let n: u32 = n.parse().map_err(|_| format!("bad image number {n:?}"))?;
    Ok(format!("{name}/{name}_{n:04}.jpg"))
}

fn read_pairs(path: &Path) -> Result<Vec<Pair>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.len() {
            3 => out.push(Pair {
                a: lfw_path(f[0], f[1])?,
                b: lfw_path(f[0], f[2])?,
                same: true,
            }),
            4 => out.push(Pair {
                a: lfw_path(f[0], f[1])?,
                b: lfw_path(f[2], f[3])?,
                same: false,
            }),
            _ => {} // the "10 300" header of the official files
        }
    }
    Ok(out)
}

/// The embedding of the face nearest the centre of an LFW image (the protocol's subject), if one is found.
fn centre_embedding(engine: &Engine, path: &Path) -> Option<Embedding> {
    let img = engine.decode_file(path).ok()?;
    let opts = DetectOptions {
        max_faces: 1,
        order: FaceOrder::NearestCenterFirst,
        ..DetectOptions::default()
    };
    engine.extract(&img, &opts).ok()?.pop().map(|(_, e)| e)
}

fn lfw(
    engine: &Engine,
    root: &Path,
    pairs_path: &Path,
    scores_out: Option<&Path>,
    calibration: bool,
) -> Result<(), String> {
    let pairs = read_pairs(pairs_path)?;
    let mut names: Vec<&str> = pairs
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    names.sort();
    names.dedup();
    let pb = progress(names.len(), "embedding");
    let mut emb: HashMap<&str, Embedding> = HashMap::new();
    let mut no_face = Vec::new();
    for n in &names {
        match centre_embedding(engine, &root.join(n)) {
            Some(e) => {
                emb.insert(n, e);
            }
            None => no_face.push(*n),
        }
        pb.inc(1);
    }
    pb.finish_and_clear();

    // Per pair: the L2 distance, or None where a face is missing (always counted as an error).
    let dist: Vec<Option<f32>> = pairs
        .iter()
        .map(|p| Some(emb.get(p.a.as_str())?.l2_distance(emb.get(p.b.as_str())?)))
        .collect();
    if let Some(out) = scores_out {
        let mut f = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
        for (p, d) in pairs.iter().zip(&dist) {
            let s = d.map(score_from_distance).unwrap_or(-1.0);
            writeln!(f, "{s:.4} {}", p.same as u8).map_err(|e| e.to_string())?;
        }
    }
    let (mean, sd) = ten_fold_accuracy(&pairs, &dist);
    let failed = dist.iter().filter(|d| d.is_none()).count();
    println!(
        "LFW verification: {} pairs ({} same, {} different), {} images",
        pairs.len(),
        pairs.iter().filter(|p| p.same).count(),
        pairs.iter().filter(|p| !p.same).count(),
        names.len()
    );
    println!(
        "images without a detected face: {} ({})",
        no_face.len(),
        no_face.join(", ")
    );
    println!("pairs counted as failures (no face): {failed}");
    println!(
        "10-fold accuracy: {:.2} % ± {:.2}",
        mean * 100.0,
        sd * 100.0
    );
    println!("\n| score ≥ | FAR (pairs file) | FRR (pairs file) |\n|---|---|---|");
    for t in [60.0, 70.0, 80.0, 90.0] {
        let (far, frr) = far_frr(
            pairs
                .iter()
                .map(|p| p.same)
                .zip(dist.iter().map(|d| d.map(score_from_distance))),
            t,
        );
        println!("| {t} | {:.4} % | {:.2} % |", far * 100.0, frr * 100.0);
    }
    if calibration {
        calibration_table(&names, &emb);
    }
    Ok(())
}

fn person(path: &str) -> &str {
    path.split('/').next().unwrap_or(path)
}

/// Scores every two images: same person → genuine, else impostor. Prints the distances at FAR 1e-2…1e-5
/// (the anchors of `compare.rs`) and FAR/FRR at the usual score thresholds.
fn calibration_table(names: &[&str], emb: &HashMap<&str, Embedding>) {
    let with: Vec<(&str, &Embedding)> = names
        .iter()
        .filter_map(|n| emb.get(n).map(|e| (*n, e)))
        .collect();
    let (mut genuine, mut impostor) = (Vec::new(), Vec::new());
    for i in 0..with.len() {
        for j in i + 1..with.len() {
            let d = with[i].1.l2_distance(with[j].1);
            if person(with[i].0) == person(with[j].0) {
                genuine.push(d);
            } else {
                impostor.push(d);
            }
        }
    }
    impostor.sort_by(f32::total_cmp);
    genuine.sort_by(f32::total_cmp);
    println!(
        "\nAll pairs of {} images: {} genuine, {} impostor",
        with.len(),
        genuine.len(),
        impostor.len()
    );
    println!("\n| FAR | L2 distance | FRR at that distance |\n|---|---|---|");
    for far in [1e-2, 1e-3, 1e-4, 1e-5] {
        let k =
            ((impostor.len() as f64 * far).floor() as usize).min(impostor.len().saturating_sub(1));
        let d = impostor[k];
        let frr = genuine.iter().filter(|g| **g > d).count() as f64 / genuine.len().max(1) as f64;
        println!("| {far:e} | {d:.4} | {:.2} % |", frr * 100.0);
    }
    println!("\n| score ≥ | FAR (all pairs) | FRR (all pairs) |\n|---|---|---|");
    for t in [60.0, 70.0, 80.0, 90.0] {
        let far = impostor
            .iter()
            .filter(|d| score_from_distance(**d) >= t)
            .count() as f64
            / impostor.len().max(1) as f64;
        let frr = genuine
            .iter()
            .filter(|d| score_from_distance(**d) < t)
            .count() as f64
            / genuine.len().max(1) as f64;
        println!("| {t} | {:.4} % | {:.2} % |", far * 100.0, frr * 100.0);
    }
}

fn far_frr(items: impl Iterator<Item = (bool, Option<f32>)>, threshold: f32) -> (f64, f64) {
    let (mut fa, mut imp, mut fr, mut gen) = (0, 0, 0, 0);
    for (same, s) in items {
        let accept = s.is_some_and(|s| s >= threshold);
        if same {
            gen += 1;
            fr += (!accept) as usize;
        } else {
            imp += 1;
            fa += accept as usize;
        }
    }
    (fa as f64 / imp.max(1) as f64, fr as f64 / gen.max(1) as f64)
}

/// Standard 10-fold protocol: consecutive folds; each fold is classified with the distance threshold that is
/// best on the other nine. A pair without a face is always wrong.
fn ten_fold_accuracy(pairs: &[Pair], dist: &[Option<f32>]) -> (f64, f64) {
    let n = pairs.len();
    let folds = 10.min(n.max(1));
    let accuracy = |idx: &[usize], t: f32| {
        let ok = idx
            .iter()
            .filter(|&&i| dist[i].is_some_and(|d| (d <= t) == pairs[i].same))
            .count();
        ok as f64 / idx.len().max(1) as f64
    };
    let mut candidates: Vec<f32> = dist.iter().flatten().copied().collect();
    candidates.sort_by(f32::total_cmp);
    candidates.dedup();
    let mut accs = Vec::new();
    for k in 0..folds {
        let (lo, hi) = (k * n / folds, (k + 1) * n / folds);
        let test: Vec<usize> = (lo..hi).collect();
        let train: Vec<usize> = (0..n).filter(|i| *i < lo || *i >= hi).collect();
        let best = candidates
            .iter()
            .map(|t| (accuracy(&train, *t), *t))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, t)| t)
            .unwrap_or(0.6);
        accs.push(accuracy(&test, best));
    }
    let mean = accs.iter().sum::<f64>() / accs.len() as f64;
    let sd = (accs.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / accs.len() as f64).sqrt();
    (mean, sd)
}

// ---------------------------------------------------------------------------------------------------------
// WIDER FACE, following the official evaluation (Pytorch_Retinaface widerface_evaluate/evaluation.py).

struct WiderImage {
    path: String,
    boxes: Vec<[f32; 4]>,
    /// 1-based keep lists of the easy, medium and hard settings.
    keep: [Vec<usize>; 3],
}

fn read_wider_gt(gt: &Path) -> Result<Vec<WiderImage>, String> {
    let json_path = if gt.extension().is_some_and(|e| e == "json") {
        gt.to_path_buf()
    } else {
        gt.with_file_name("gt.json")
    };
    let text = std::fs::read_to_string(&json_path).map_err(|e| {
        format!(
            "{}: {e} (the easy/medium/hard keep lists are read from gt.json)",
            json_path.display()
        )
    })?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", json_path.display()))?;
    let obj = v.as_object().ok_or("gt.json: not an object")?;
    let list = |x: &serde_json::Value| -> Vec<usize> {
        x.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i.as_u64().map(|i| i as usize))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out: Vec<WiderImage> = obj
        .iter()
        .map(|(path, e)| WiderImage {
            path: path.clone(),
            boxes: e["boxes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|b| {
                            let f = |k: usize| b[k].as_f64().unwrap_or(0.0) as f32;
                            [f(0), f(1), f(2), f(3)]
                        })
                        .collect()
                })
                .unwrap_or_default(),
            keep: [list(&e["easy"]), list(&e["medium"]), list(&e["hard"])],
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn wider(
    engine: &Engine,
    images: &Path,
    gt: &Path,
    pred_out: Option<&Path>,
    opts: &DetectOptions,
) -> Result<(), String> {
    let gt = read_wider_gt(gt)?;
    let pb = progress(gt.len(), "detecting");
    let mut preds: Vec<Vec<FaceBox>> = Vec::with_capacity(gt.len());
    for item in &gt {
        let img = engine
            .decode_file(&images.join(&item.path))
            .map_err(|e| format!("{}: {e}", item.path))?;
        let mut faces = engine
            .detect(&img, opts)
            .map_err(|e| format!("{}: {e}", item.path))?;
        faces.sort_by(|a, b| b.score.total_cmp(&a.score));
        if let Some(dir) = pred_out {
            write_wider_prediction(dir, &item.path, &faces)?;
        }
        preds.push(faces);
        pb.inc(1);
    }
    pb.finish_and_clear();
    let ap = wider_ap(&gt, &preds);
    println!(
        "WIDER FACE ({} images, score threshold {}, small-face pass {}): AP easy {:.4} / medium {:.4} / hard {:.4}",
        gt.len(),
        opts.score_threshold,
        if opts.small_face_pass { "on" } else { "off" },
        ap[0],
        ap[1],
        ap[2]
    );
    Ok(())
}

fn write_wider_prediction(dir: &Path, rel: &str, faces: &[FaceBox]) -> Result<(), String> {
    let path = dir.join(Path::new(rel).with_extension("txt"));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let name = Path::new(rel)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(rel);
    let mut text = format!("{name}\n{}\n", faces.len());
    for f in faces {
        text.push_str(&format!(
            "{:.1} {:.1} {:.1} {:.1} {:.6}\n",
            f.left, f.top, f.width, f.height, f.score
        ));
    }
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// AP for the three settings. Scores are normalised to [0,1] over the whole set, as the official script does.
fn wider_ap(gt: &[WiderImage], preds: &[Vec<FaceBox>]) -> [f64; 3] {
    const THRESH_NUM: usize = 1000;
    let all_scores = preds.iter().flatten().map(|f| f.score);
    let (lo, hi) = all_scores.fold((f32::MAX, f32::MIN), |(lo, hi), s| (lo.min(s), hi.max(s)));
    let norm = |s: f32| if hi > lo { (s - lo) / (hi - lo) } else { 1.0 };
    let mut out = [0.0; 3];
    for (setting, ap) in out.iter_mut().enumerate() {
        let mut pr = vec![[0f64; 2]; THRESH_NUM];
        let mut count_face = 0usize;
        for (item, faces) in gt.iter().zip(preds) {
            let keep = &item.keep[setting];
            count_face += keep.len();
            if item.boxes.is_empty() || faces.is_empty() {
                continue;
            }
            let mut ignore = vec![false; item.boxes.len()];
            for k in keep {
                if let Some(slot) = ignore.get_mut(k.wrapping_sub(1)) {
                    *slot = true; // "ignore" is the official name; 1 means the face counts
                }
            }
            let (pred_recall, proposal) = image_eval(faces, &item.boxes, &ignore);
            for (t, row) in pr.iter_mut().enumerate() {
                let thresh = 1.0 - (t as f32 + 1.0) / THRESH_NUM as f32;
                if let Some(r) = faces.iter().rposition(|f| norm(f.score) >= thresh) {
                    row[0] += proposal[..=r].iter().filter(|p| **p).count() as f64;
                    row[1] += pred_recall[r] as f64;
                }
            }
        }
        let (mut prec, mut rec) = (Vec::new(), Vec::new());
        for row in &pr {
            prec.push(if row[0] > 0.0 { row[1] / row[0] } else { 0.0 });
            rec.push(row[1] / count_face.max(1) as f64);
        }
        *ap = voc_ap(&rec, &prec);
    }
    out
}

/// Per prediction (score order): how many kept faces are recalled so far, and whether it is a counted proposal.
fn image_eval(pred: &[FaceBox], gt: &[[f32; 4]], counted: &[bool]) -> (Vec<usize>, Vec<bool>) {
    let mut recall = vec![0i8; gt.len()];
    let mut pred_recall = vec![0usize; pred.len()];
    let mut proposal = vec![true; pred.len()];
    for (h, p) in pred.iter().enumerate() {
        let pb = [p.left, p.top, p.left + p.width, p.top + p.height];
        let (mut best, mut best_i) = (0f32, 0usize);
        for (i, g) in gt.iter().enumerate() {
            let o = overlap_plus_one(&pb, &[g[0], g[1], g[0] + g[2], g[1] + g[3]]);
            if o > best {
                best = o;
                best_i = i;
            }
        }
        if best >= 0.5 {
            if !counted[best_i] {
                recall[best_i] = -1;
                proposal[h] = false;
            } else if recall[best_i] == 0 {
                recall[best_i] = 1;
            }
        }
        pred_recall[h] = recall.iter().filter(|r| **r == 1).count();
    }
    (pred_recall, proposal)
}

/// IoU with the official "+1" pixel areas (bbox_overlaps in box_overlaps.pyx).
fn overlap_plus_one(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    let iw = a[2].min(b[2]) - a[0].max(b[0]) + 1.0;
    if iw <= 0.0 {
        return 0.0;
    }
    let ih = a[3].min(b[3]) - a[1].max(b[1]) + 1.0;
    if ih <= 0.0 {
        return 0.0;
    }
    let area = |x: &[f32; 4]| (x[2] - x[0] + 1.0) * (x[3] - x[1] + 1.0);
    iw * ih / (area(a) + area(b) - iw * ih)
}

fn voc_ap(rec: &[f64], prec: &[f64]) -> f64 {
    let mut mrec = vec![0.0];
    mrec.extend_from_slice(rec);
    mrec.push(1.0);
    let mut mpre = vec![0.0];
    mpre.extend_from_slice(prec);
    mpre.push(0.0);
    for i in (1..mpre.len()).rev() {
        mpre[i - 1] = mpre[i - 1].max(mpre[i]);
    }
    (0..mrec.len() - 1)
        .filter(|&i| mrec[i + 1] != mrec[i])
        .map(|i| (mrec[i + 1] - mrec[i]) * mpre[i + 1])
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voc_ap_of_a_perfect_detector_is_one() {
        assert!((voc_ap(&[0.5, 1.0], &[1.0, 1.0]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn one_good_box_recalls_its_face() {
        let f = FaceBox {
            left: 10.0,
            top: 10.0,
            width: 20.0,
            height: 20.0,
            score: 0.9,
            landmarks: [[0.0; 2]; 5],
        };
        let (r, p) = image_eval(&[f], &[[10.0, 10.0, 20.0, 20.0]], &[true]);
        assert_eq!((r, p), (vec![1], vec![true]));
    }
}
