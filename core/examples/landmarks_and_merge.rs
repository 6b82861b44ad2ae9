//! Draws detect's landmark150 on a test photo and fuses two test faces with v1/merge, writing the images
//! shown in examples/landmarks_and_merge/ (all photos public domain):
//!
//!     cargo run --release -p facekit-core --example landmarks_and_merge

use std::path::{Path, PathBuf};

use base64::Engine as _;
use facekit_core::{Engine, EngineConfig};
use image::{Rgb, RgbImage};
use serde_json::json;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn image_b64(name: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(repo(name)).expect("test photo"))
}

/// Colour of a point by the feature its name says.
fn colour(name: &str) -> Rgb<u8> {
    match name {
        n if n.starts_with("eyebrow") => Rgb([40, 220, 40]),
        n if n.starts_with("eye") => Rgb([255, 40, 40]),
        n if n.starts_with("nose") => Rgb([40, 140, 255]),
        n if n.starts_with("mouth") => Rgb([255, 40, 255]),
        _ => Rgb([255, 230, 0]),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::open(EngineConfig::default())?;
    let out_dir = repo("examples/landmarks_and_merge");

    let r = engine.call_value(
        "detect",
        &json!({"image": image_b64("testdata/astronaut.png"), "image_type": "BASE64", "face_field": "landmark150"}),
    );
    // The face region, enlarged 3× so the points are visible.
    let (x0, y0, scale) = (120.0, 20.0, 3.0);
    let photo = image::open(repo("testdata/astronaut.png"))?.to_rgb8();
    let region = image::imageops::crop_imm(&photo, x0 as u32, y0 as u32, 230, 260).to_image();
    let mut img: RgbImage =
        image::imageops::resize(&region, 690, 780, image::imageops::FilterType::CatmullRom);
    let points = r["result"]["face_list"][0]["landmark150"]
        .as_object()
        .ok_or("no landmark150 in the answer")?;
    for (name, p) in points {
        let x = (p["x"].as_f64().unwrap_or(0.0) - x0) * scale;
        let y = (p["y"].as_f64().unwrap_or(0.0) - y0) * scale;
        for dy in -2..=2i64 {
            for dx in -2..=2i64 {
                let (px, py) = (x.round() as i64 + dx, y.round() as i64 + dy);
                if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                    img.put_pixel(px as u32, py as u32, colour(name));
                }
            }
        }
    }
    img.save(out_dir.join("landmark150_astronaut.jpg"))?;

    let r = engine.call_value(
        "v1/merge",
        &json!({"image_template": {"image": image_b64("testdata/astronaut.png"), "image_type": "BASE64"},
                "image_target": {"image": image_b64("testdata/obama.jpg"), "image_type": "BASE64"}}),
    );
    let png = base64::engine::general_purpose::STANDARD
        .decode(r["result"]["merge_image"].as_str().ok_or("merge failed")?)?;
    let merged = image::load_from_memory(&png)?.to_rgb8();
    image::imageops::crop_imm(&merged, 100, 0, 312, 300)
        .to_image()
        .save(out_dir.join("merge_astronaut_with_obama.jpg"))?;
    println!("wrote {}", out_dir.display());
    Ok(())
}
