//! Attribute models against the model kit's reference outputs (testdata/golden/attributes.json, copied from
//! the kit's extras.json, human_attrs.json and faceplugin_*.json), and every attribute present, typed and
//! in range on real photos.

mod common;

use common::{golden, reference_engine, testdata};
use facekit_core::detect::{iou, DetectOptions, FaceBox};

/// The detected face that is the golden's first face.
fn golden_face(
    engine: &facekit_core::Engine,
    g: &serde_json::Value,
) -> (facekit_core::DecodedImage, FaceBox) {
    let img = engine
        .decode_file(&testdata(g["image"].as_str().unwrap()))
        .unwrap();
    let b: Vec<f32> = g["box"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    let want = FaceBox {
        left: b[0],
        top: b[1],
        width: b[2],
        height: b[3],
        score: 1.0,
        landmarks: [[0.0; 2]; 5],
    };
    let face = engine
        .detect(&img, &DetectOptions::default())
        .unwrap()
        .into_iter()
        .max_by(|a, b| iou(a, &want).total_cmp(&iou(b, &want)))
        .unwrap();
    (img, face)
}

fn f(v: &serde_json::Value) -> f32 {
    v.as_f64().unwrap() as f32
}

#[test]
fn face_mesh_matches_the_reference() {
    let engine = reference_engine();
    for g in golden("attributes.json")["faces"].as_array().unwrap() {
        let (img, face) = golden_face(engine, g);
        let a = engine.analyse(&img.rgb, &face);
        let mesh = a.mesh().unwrap();
        let crop = g["facemesh_crop_x_y_side"].as_array().unwrap();
        let (x0, y0, side) = (f(&crop[0]), f(&crop[1]), f(&crop[2]));
        let k = side / 192.0;
        let mut worst = 0f32;
        for (p, q) in mesh
            .points
            .iter()
            .zip(g["facemesh_468_xyz"].as_array().unwrap())
        {
            let want = [x0 + f(&q[0]) * k, y0 + f(&q[1]) * k];
            worst = worst
                .max((p[0] - want[0]).abs())
                .max((p[1] - want[1]).abs());
        }
        println!(
            "{}: worst point error {worst:.2} px (crop side {side:.0})",
            g["image"]
        );
        // Pillow and `image` resample the crop slightly differently; the points agree to well under a pixel.
        assert!(
            worst < 1.0,
            "{}: FaceMesh points {worst} px off",
            g["image"]
        );
        assert!((mesh.presence - f(&g["facemesh_presence"])).abs() < 1e-3);
    }
}

#[test]
fn age_gender_emotion_and_mask_match_the_reference() {
    let engine = reference_engine();
    for g in golden("attributes.json")["faces"].as_array().unwrap() {
        let (img, face) = golden_face(engine, g);
        let a = engine.analyse(&img.rgb, &face);
        let ag = a.age_gender().unwrap();
        let em = a.emotion().unwrap();
        let mask = a.mask().unwrap();
        println!(
            "{}: p_male {:.4} vs {:.4}, human age {} vs {}, mask {:.4} vs {:.4}, emotion {:?}",
            g["image"],
            ag.p_male,
            g["gender_p_male"],
            ag.human_decode_age_years,
            g["age"],
            mask,
            g["mask_softmax_mask_nomask"][0],
            em
        );
        assert!(
            (ag.p_male - f(&g["gender_p_male"])).abs() < 0.005,
            "{}",
            g["image"]
        );
        assert!(
            (ag.human_decode_age_years - f(&g["age"])).abs() <= 0.15,
            "{}",
            g["image"]
        );
        assert!(
            (mask - f(&g["mask_softmax_mask_nomask"][0])).abs() < 0.005,
            "{}",
            g["image"]
        );
        for (k, name) in facekit_core::attributes::EMOTIONS.iter().enumerate() {
            assert!(
                (em[k] - f(&g["emotion"][name])).abs() < 0.01,
                "{} {name}",
                g["image"]
            );
        }
    }
}
