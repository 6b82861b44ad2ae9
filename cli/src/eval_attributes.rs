//! `facekit eval attributes --data DIR`: how good each attribute is, on the labelled sets of DIR
//! (`utk-dev` age and gender, `fer-dev` emotion, `antispoof-dev` liveness, `mask-dev` mask), printed as
//! the markdown tables docs/attributes.md carries.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use facekit_core::align::DLIB_TEMPLATE;
use facekit_core::api::controls::{liveness_threshold, quality_failure, quality_limits};
use facekit_core::api::Control;
use facekit_core::attributes::{self, EMOTIONS, HAPPY};
use facekit_core::detect::{DetectOptions, FaceBox};
use facekit_core::{DecodedImage, Engine};

use crate::eval::progress;

/// One row of a `labels.csv` (plain comma-separated, a header line, no quoting).
type Row = BTreeMap<String, String>;

fn read_labels(dir: &Path) -> Result<Vec<Row>, String> {
    let path = dir.join("labels.csv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    Ok(lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .zip(l.split(','))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect())
}

/// The face to measure: the largest detected face, or (`None` detected) the whole image, for sets whose
/// images are already face crops too small or tight for the detector.
fn face_of(engine: &Engine, img: &DecodedImage) -> (FaceBox, bool) {
    let opts = DetectOptions {
        max_faces: 1,
        ..DetectOptions::default()
    };
    if let Some(f) = engine.detect(img, &opts).ok().and_then(|mut v| v.pop()) {
        return (f, true);
    }
    let (w, h) = (img.width() as f32, img.height() as f32);
    // The whole image as the box, with the aligner's template points scaled into it.
    let landmarks = DLIB_TEMPLATE.map(|p| [p[0] as f32 / 150.0 * w, p[1] as f32 / 150.0 * h]);
    let whole = FaceBox {
        left: 0.0,
        top: 0.0,
        width: w,
        height: h,
        score: 0.0,
        landmarks,
    };
    (whole, false)
}

pub fn run(engine: &Engine, data: &Path, dump: Option<&Path>) -> Result<(), String> {
    let mut dump = match dump {
        Some(p) => Some(std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?),
        None => None,
    };
    let mut any = false;
    for (set, f) in [
        ("utk-dev", utk as SetEval),
        ("fer-dev", fer),
        ("mask-dev", mask),
        ("antispoof-dev", antispoof),
    ] {
        let dir = data.join(set);
        if !dir.join("labels.csv").is_file() {
            println!("({set}: not found under {}, skipped)\n", data.display());
            continue;
        }
        any = true;
        f(engine, &dir, &mut dump)?;
        println!();
    }
    if !any {
        return Err(format!("no labelled set under {}", data.display()));
    }
    Ok(())
}

type SetEval = fn(&Engine, &Path, &mut Option<std::fs::File>) -> Result<(), String>;

fn write_dump(dump: &mut Option<std::fs::File>, line: String) -> Result<(), String> {
    if let Some(f) = dump {
        writeln!(f, "{line}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Decodes each labelled image and finds its face; rows that do not decode are reported and skipped.
fn labelled_faces(
    engine: &Engine,
    dir: &Path,
    what: &str,
) -> Result<Vec<(Row, DecodedImage, FaceBox, bool)>, String> {
    let rows = read_labels(dir)?;
    let pb = progress(rows.len(), what);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        pb.inc(1);
        let path: PathBuf = dir.join(&row["file"]);
        match engine.decode_file(&path) {
            Ok(img) => {
                let (face, detected) = face_of(engine, &img);
                out.push((row, img, face, detected));
            }
            Err(e) => eprintln!("{}: {e}", path.display()),
        }
    }
    pb.finish_and_clear();
    Ok(out)
}

const LEVELS: [Control; 3] = [Control::Low, Control::Normal, Control::High];

#[derive(Default)]
struct AgeStats {
    n: usize,
    human_abs_err: f64,
    facekit_abs_err: f64,
    gender_ok: usize,
    illumination: f64,
    blur: f64,
    /// Faces passing quality_control LOW, NORMAL, HIGH.
    quality_pass: [usize; 3],
}

impl AgeStats {
    fn row(&self, name: &str) -> String {
        let n = self.n.max(1) as f64;
        format!(
            "| {name} | {} | {:.2} | {:.2} | {:.3} |",
            self.n,
            self.human_abs_err / n,
            self.facekit_abs_err / n,
            self.gender_ok as f64 / n
        )
    }

    fn quality_row(&self, name: &str) -> String {
        let n = self.n.max(1) as f64;
        let pass = self.quality_pass.map(|p| format!("{:.2}", p as f64 / n));
        format!(
            "| {name} | {} | {:.0} | {:.2} | {} |",
            self.n,
            self.illumination / n,
            self.blur / n,
            pass.join(" | ")
        )
    }
}

fn utk(engine: &Engine, dir: &Path, dump: &mut Option<std::fs::File>) -> Result<(), String> {
    let faces = labelled_faces(engine, dir, "utk-dev")?;
    let mut by_race: BTreeMap<String, AgeStats> = BTreeMap::new();
    let mut all = AgeStats::default();
    let mut fit_points = Vec::new();
    let mut undetected = 0;
    for (row, img, face, detected) in &faces {
        let a = engine.analyse(&img.rgb, face);
        let ag = a.age_gender().map_err(|e| e.to_string())?;
        let q = a.quality().map_err(|e| e.to_string())?;
        let passes = LEVELS.map(|l| {
            quality_limits(l).is_some_and(|lim| quality_failure(&q, &lim).is_none()) as usize
        });
        let age: f64 = row["age"].parse().map_err(|_| "bad age".to_string())?;
        let male = row["gender"] == "M";
        undetected += !detected as usize;
        fit_points.push((ag.expected_bin as f64, age));
        write_dump(
            dump,
            format!(
                "utk,{},{age},{},{},{},{},{},{}",
                row["file"],
                row["gender"],
                row["race_name"],
                detected,
                ag.expected_bin,
                ag.human_decode_age_years,
                ag.p_male
            ),
        )?;
        for s in [
            by_race.entry(row["race_name"].clone()).or_default(),
            &mut all,
        ] {
            s.n += 1;
            s.human_abs_err += (ag.human_decode_age_years as f64 - age).abs();
            s.facekit_abs_err += (ag.age_years as f64 - age).abs();
            s.gender_ok += ((ag.p_male > 0.5) == male) as usize;
            s.illumination += q.illumination as f64;
            s.blur += q.blur as f64;
            for (acc, p) in s.quality_pass.iter_mut().zip(passes) {
                *acc += p;
            }
        }
    }
    println!(
        "utk-dev: {} faces ({} not detected, measured on the whole crop)\n",
        faces.len(),
        undetected
    );
    println!("| group | n | age MAE, human's decode (years) | age MAE, facekit (years) | gender accuracy |");
    println!("|---|---|---|---|---|");
    for (race, s) in &by_race {
        println!("{}", s.row(race));
    }
    println!("{}", all.row("all"));
    let knots: Vec<f64> = attributes::AGE_CALIBRATION
        .iter()
        .map(|k| k.0 as f64)
        .collect();
    let refit = fit_piecewise_l1(&fit_points, &knots);
    println!(
        "\nage calibration (years at expected bins {knots:?}): shipped {:?}; refitted on this set {:?}; \
         5-fold cross-validated MAE of such a fit: {:.2} years",
        attributes::AGE_CALIBRATION.iter().map(|k| k.1).collect::<Vec<_>>(),
        refit.iter().map(|v| (v * 100.0).round() / 100.0).collect::<Vec<_>>(),
        cross_validated_mae(&fit_points, &knots, 5)
    );
    println!("\nquality on the same faces (UTKFace crops are tight, often soft JPEGs):\n");
    println!("| group | n | mean illumination | mean blur | pass LOW | pass NORMAL | pass HIGH |");
    println!("|---|---|---|---|---|---|---|");
    for (race, s) in &by_race {
        println!("{}", s.quality_row(race));
    }
    println!("{}", all.quality_row("all"));
    Ok(())
}

/// Hat functions of a piecewise-linear curve through `knots`, at x.
fn hat_basis(knots: &[f64], x: f64) -> Vec<f64> {
    let mut b = vec![0.0; knots.len()];
    let i = knots.partition_point(|k| *k < x);
    if i == 0 {
        b[0] = 1.0;
    } else if i == knots.len() {
        b[i - 1] = 1.0;
    } else {
        let t = (x - knots[i - 1]) / (knots[i] - knots[i - 1]);
        b[i - 1] = 1.0 - t;
        b[i] = t;
    }
    b
}

/// The curve's values at `knots` minimising the absolute error over (x, y), by iteratively reweighted
/// least squares.
fn fit_piecewise_l1(points: &[(f64, f64)], knots: &[f64]) -> Vec<f64> {
    let k = knots.len();
    let rows: Vec<Vec<f64>> = points.iter().map(|(x, _)| hat_basis(knots, *x)).collect();
    let mut weights = vec![1.0; points.len()];
    let mut values = vec![0.0; k];
    for _ in 0..50 {
        // Normal equations (BᵀWB + εI) v = BᵀWy; ε keeps knots without data at a defined value.
        let mut a = vec![vec![0.0; k + 1]; k];
        for ((row, (_, y)), w) in rows.iter().zip(points).zip(&weights) {
            for i in 0..k {
                for j in 0..k {
                    a[i][j] += w * row[i] * row[j];
                }
                a[i][k] += w * row[i] * y;
            }
        }
        for (i, r) in a.iter_mut().enumerate() {
            r[i] += 1e-6;
        }
        values = solve(a);
        for ((row, (_, y)), w) in rows.iter().zip(points).zip(weights.iter_mut()) {
            let fit: f64 = row.iter().zip(&values).map(|(b, v)| b * v).sum();
            *w = 1.0 / (y - fit).abs().max(0.5);
        }
    }
    values
}

/// Gaussian elimination with partial pivoting on an augmented k×(k+1) matrix.
fn solve(mut a: Vec<Vec<f64>>) -> Vec<f64> {
    let k = a.len();
    for c in 0..k {
        let p = (c..k)
            .max_by(|x, y| a[*x][c].abs().total_cmp(&a[*y][c].abs()))
            .unwrap_or(c);
        a.swap(c, p);
        let (top, rest) = a.split_at_mut(c + 1);
        let pivot = &top[c];
        for row in rest {
            let f = row[c] / pivot[c];
            for (x, p) in row[c..].iter_mut().zip(&pivot[c..]) {
                *x -= f * p;
            }
        }
    }
    let mut v = vec![0.0; k];
    for c in (0..k).rev() {
        v[c] = (a[c][k] - (c + 1..k).map(|j| a[c][j] * v[j]).sum::<f64>()) / a[c][c];
    }
    v
}

/// MAE on each fold of a curve fitted on the other folds (folds interleaved by position).
fn cross_validated_mae(points: &[(f64, f64)], knots: &[f64], folds: usize) -> f64 {
    let mut err = 0.0;
    for k in 0..folds {
        let train: Vec<(f64, f64)> = points
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != k)
            .map(|(_, p)| *p)
            .collect();
        let values = fit_piecewise_l1(&train, knots);
        err += points
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == k)
            .map(|(_, (x, y))| {
                let fit: f64 = hat_basis(knots, *x)
                    .iter()
                    .zip(&values)
                    .map(|(b, v)| b * v)
                    .sum();
                (fit.clamp(0.0, 100.0) - y).abs()
            })
            .sum::<f64>();
    }
    err / points.len().max(1) as f64
}

fn fer(engine: &Engine, dir: &Path, dump: &mut Option<std::fs::File>) -> Result<(), String> {
    let rows = read_labels(dir)?;
    let pb = progress(rows.len(), "fer-dev");
    let mut per_class: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut smile_ok, mut n) = (0, 0);
    for row in &rows {
        pb.inc(1);
        let img = engine
            .decode_file(&dir.join(&row["file"]))
            .map_err(|e| e.to_string())?;
        // FER-2013 images are 48×48 face crops: the whole image is the face (the dataset's protocol).
        let (w, h) = (img.width() as f32, img.height() as f32);
        let face = FaceBox {
            left: 0.0,
            top: 0.0,
            width: w,
            height: h,
            score: 0.0,
            landmarks: [[0.0; 2]; 5],
        };
        let p = *engine
            .analyse(&img.rgb, &face)
            .emotion()
            .map_err(|e| e.to_string())?;
        let best = (0..7).max_by(|a, b| p[*a].total_cmp(&p[*b])).unwrap_or(0);
        let label = &row["expression"];
        let e = per_class.entry(label.clone()).or_default();
        e.0 += 1;
        e.1 += (EMOTIONS[best] == label) as usize;
        smile_ok += ((p[HAPPY] >= 0.5) == (label == "happy")) as usize;
        n += 1;
        write_dump(
            dump,
            format!(
                "fer,{},{label},{}",
                row["file"],
                p.iter()
                    .map(|v| format!("{v:.5}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        )?;
    }
    pb.finish_and_clear();
    let correct: usize = per_class.values().map(|v| v.1).sum();
    println!("fer-dev: {n} FER-2013 test images (48×48, whole image as the face)\n");
    println!("| class | n | accuracy |\n|---|---|---|");
    for (c, (k, ok)) in &per_class {
        println!("| {c} | {k} | {:.2} |", *ok as f64 / *k as f64);
    }
    println!(
        "| **all 7 (emotion)** | {n} | **{:.3}** |",
        correct as f64 / n.max(1) as f64
    );
    println!(
        "| smile vs no smile (expression: happy ≥ 0.5) | {n} | {:.3} |",
        smile_ok as f64 / n.max(1) as f64
    );
    Ok(())
}

fn mask(engine: &Engine, dir: &Path, dump: &mut Option<std::fs::File>) -> Result<(), String> {
    let faces = labelled_faces(engine, dir, "mask-dev")?;
    let mut counts = [[0usize; 2]; 2]; // [label][correct]
    let mut undetected = [0usize; 2];
    for (row, img, face, detected) in &faces {
        let p = engine
            .analyse(&img.rgb, face)
            .mask()
            .map_err(|e| e.to_string())?;
        let label = (row["mask"] == "1") as usize;
        counts[label][((p > 0.5) as usize == label) as usize] += 1;
        undetected[label] += !detected as usize;
        write_dump(
            dump,
            format!("mask,{},{label},{detected},{p:.5}", row["file"]),
        )?;
    }
    println!(
        "mask-dev: {} images (no face detected in {} masked and {} unmasked: whole image used)\n",
        faces.len(),
        undetected[1],
        undetected[0]
    );
    println!("| class | n | accuracy |\n|---|---|---|");
    for (label, name) in [(1, "mask"), (0, "no mask")] {
        let [bad, ok] = counts[label];
        println!(
            "| {name} | {} | {:.3} |",
            bad + ok,
            ok as f64 / (bad + ok).max(1) as f64
        );
    }
    let ok = counts[0][1] + counts[1][1];
    println!(
        "| **all** | {} | **{:.3}** |",
        faces.len(),
        ok as f64 / faces.len().max(1) as f64
    );
    Ok(())
}

fn antispoof(engine: &Engine, dir: &Path, dump: &mut Option<std::fs::File>) -> Result<(), String> {
    if !engine.has_liveness_model() {
        println!(
            "antispoof-dev: skipped: liveness needs the optional model pack (--model-pack DIR)"
        );
        return Ok(());
    }
    let faces = labelled_faces(engine, dir, "antispoof-dev")?;
    let mut scores = Vec::with_capacity(faces.len());
    let mut undetected = 0;
    for (row, img, face, detected) in &faces {
        let s = engine
            .analyse(&img.rgb, face)
            .live_score()
            .map_err(|e| e.to_string())?;
        let live = row["label"] == "live";
        undetected += !detected as usize;
        scores.push((s, live));
        write_dump(
            dump,
            format!("antispoof,{},{live},{detected},{s:.5}", row["file"]),
        )?;
    }
    let lives = scores.iter().filter(|s| s.1).count();
    let spoofs = scores.len() - lives;
    println!(
        "antispoof-dev: {} images ({lives} live, {spoofs} spoof; {undetected} without a detected face)\n",
        scores.len()
    );
    println!("| liveness_control | threshold | APCER (spoof accepted) | BPCER (live rejected) |");
    println!("|---|---|---|---|");
    for level in LEVELS {
        let t = liveness_threshold(level).unwrap_or(0.0);
        let apcer = scores.iter().filter(|(s, l)| !l && *s >= t).count();
        let bpcer = scores.iter().filter(|(s, l)| *l && *s < t).count();
        println!(
            "| {} | {t} | {:.3} ({apcer}/{spoofs}) | {:.3} ({bpcer}/{lives}) |",
            format!("{level:?}").to_uppercase(),
            apcer as f64 / spoofs.max(1) as f64,
            bpcer as f64 / lives.max(1) as f64
        );
    }
    Ok(())
}
