//! The Rust pipeline against the model kit's reference outputs (testdata/golden, made by
//! `reference_pipeline.py`): boxes and points within 0.5 px, chips within a few grey levels, embeddings of the
//! golden chip within 1e-4, end-to-end embeddings within 0.02 L2.

mod common;

use common::{golden, reference_engine, testdata};
use facekit_core::detect::{iou, DetectOptions, FaceBox};
use facekit_core::Embedding;

const IMAGES: [&str; 6] = [
    "obama.jpg",
    "obama2.jpg",
    "obama3.jpg",
    "biden.jpg",
    "astronaut.png",
    "solvay1927.png",
];

fn stem(name: &str) -> &str {
    name.rsplit_once('.').unwrap().0
}

fn golden_box(face: &serde_json::Value) -> FaceBox {
    let b: Vec<f32> = face["box"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    let mut landmarks = [[0f32; 2]; 5];
    for (k, p) in face["landmarks5"].as_array().unwrap().iter().enumerate() {
        landmarks[k] = [p[0].as_f64().unwrap() as f32, p[1].as_f64().unwrap() as f32];
    }
    FaceBox {
        left: b[0],
        top: b[1],
        width: b[2],
        height: b[3],
        score: face["score"].as_f64().unwrap() as f32,
        landmarks,
    }
}

fn floats(v: &serde_json::Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

#[test]
fn detections_match_the_reference_within_half_a_pixel() {
    let engine = reference_engine();
    for name in IMAGES {
        let g = golden(&format!("{}.json", stem(name)));
        let img = engine.decode_file(&testdata(name)).unwrap();
        assert_eq!(
            (img.width() as u64, img.height() as u64),
            (g["width"].as_u64().unwrap(), g["height"].as_u64().unwrap())
        );
        let found = engine.detect(&img, &DetectOptions::default()).unwrap();
        let want: Vec<FaceBox> = g["faces"]
            .as_array()
            .unwrap()
            .iter()
            .map(golden_box)
            .collect();
        assert_eq!(found.len(), want.len(), "{name}: face count");
        for w in &want {
            let f = found
                .iter()
                .max_by(|a, b| iou(a, w).total_cmp(&iou(b, w)))
                .unwrap();
            for (a, b) in [
                (f.left, w.left),
                (f.top, w.top),
                (f.width, w.width),
                (f.height, w.height),
            ] {
                assert!((a - b).abs() < 0.5, "{name}: box {f:?} vs {w:?}");
            }
            for (p, q) in f.landmarks.iter().zip(&w.landmarks) {
                assert!(
                    (p[0] - q[0]).abs() < 0.5 && (p[1] - q[1]).abs() < 0.5,
                    "{name}: points {p:?} vs {q:?}"
                );
            }
            assert!(
                (f.score - w.score).abs() < 1e-3,
                "{name}: score {} vs {}",
                f.score,
                w.score
            );
        }
    }
}

#[test]
fn solvay_group_photo_has_29_faces() {
    let engine = reference_engine();
    let img = engine.decode_file(&testdata("solvay1927.png")).unwrap();
    assert_eq!(
        engine
            .detect(&img, &DetectOptions::default())
            .unwrap()
            .len(),
        29
    );
}

#[test]
fn chips_and_embeddings_match_the_reference() {
    let engine = reference_engine();
    for name in IMAGES {
        let g = golden(&format!("{}.json", stem(name)));
        let first = &g["faces"][0];
        let img = engine.decode_file(&testdata(name)).unwrap();
        // The chip from the golden points must equal the golden PNG to within rounding.
        let chip = engine.align(&img, &golden_box(first));
        let png = image::open(testdata("golden").join(format!("{}_chip150.png", stem(name))))
            .unwrap()
            .to_rgb8();
        let ours = chip.to_rgb8();
        let max_diff = ours
            .as_raw()
            .iter()
            .zip(png.as_raw())
            .map(|(a, b)| (*a as i32 - *b as i32).abs())
            .max()
            .unwrap();
        assert!(
            max_diff <= 2,
            "{name}: chip differs by {max_diff} grey levels"
        );
        // The embedding of exactly the golden PNG.
        let png_chip = facekit_core::align::FaceChip {
            size: 150,
            pixels: png.as_raw().iter().map(|v| *v as f32).collect(),
            image_to_chip: chip.image_to_chip,
        };
        let e = engine.embed(&[&png_chip]).unwrap().remove(0);
        let want = Embedding(floats(&first["chip_png_embedding"]));
        let max_abs =
            e.0.iter()
                .zip(&want.0)
                .map(|(a, b)| (a - b).abs())
                .fold(0f32, f32::max);
        assert!(
            max_abs < 1e-4,
            "{name}: PNG-chip embedding differs by {max_abs}"
        );
        // End to end: our detection, our alignment, our embedding.
        let faces = engine.extract(&img, &DetectOptions::default()).unwrap();
        let target = golden_box(first);
        let (_, emb) = faces
            .iter()
            .max_by(|a, b| iou(&a.0, &target).total_cmp(&iou(&b.0, &target)))
            .unwrap();
        let d = emb.l2_distance(&Embedding(floats(&first["embedding"])));
        assert!(
            d < 0.02,
            "{name}: end-to-end embedding is {d} from the reference"
        );
    }
}

#[test]
fn pair_distances_match_the_reference() {
    let engine = reference_engine();
    let mut emb = std::collections::HashMap::new();
    for name in [
        "obama.jpg",
        "obama2.jpg",
        "obama3.jpg",
        "biden.jpg",
        "astronaut.png",
    ] {
        let img = engine.decode_file(&testdata(name)).unwrap();
        let opts = DetectOptions {
            max_faces: 1,
            ..DetectOptions::default()
        };
        emb.insert(
            name.to_string(),
            engine.extract(&img, &opts).unwrap().remove(0).1,
        );
    }
    for row in golden("pairs.json").as_array().unwrap() {
        let (a, b) = (row["a"].as_str().unwrap(), row["b"].as_str().unwrap());
        if !emb.contains_key(a) || !emb.contains_key(b) {
            continue;
        }
        let d = emb[a].l2_distance(&emb[b]);
        let want = row["l2"].as_f64().unwrap() as f32;
        assert!((d - want).abs() < 0.02, "{a} vs {b}: {d} vs {want}");
    }
}
