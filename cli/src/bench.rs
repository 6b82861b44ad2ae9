//! `facekit bench`: per-stage latency (median / p95 ms), engine start time and peak memory, as a table.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use facekit_core::detect::DetectOptions;
use facekit_core::{DecodedImage, Engine};
use image::ImageFormat;

use crate::EngineArgs;

#[derive(Args)]
pub struct BenchArgs {
    /// Runs per stage.
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// The one-face photo (cropped and scaled to 640×480; default: testdata/obama.jpg).
    #[arg(long)]
    single: Option<PathBuf>,
    /// The group photo (default: testdata/solvay1927.png).
    #[arg(long)]
    group: Option<PathBuf>,
}

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
}

/// Peak resident memory of this process, MB (Linux; 0 elsewhere).
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Median and 95th percentile of `runs` timings of `f`, in ms.
pub fn time_ms(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    f(); // warm-up: first runs allocate ORT's buffers
    let mut t: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    t.sort_by(f64::total_cmp);
    let pct = |p: f64| t[((t.len() - 1) as f64 * p).round() as usize];
    (pct(0.5), pct(0.95))
}

/// A 640×480 JPEG of the photo: the widest 4:3 band from its top, scaled (portraits keep the face).
fn vga_jpeg(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let img = image::open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .to_rgb8();
    let (w, h) = img.dimensions();
    let (cw, ch) = if w * 3 > h * 4 {
        (h * 4 / 3, h)
    } else {
        (w, w * 3 / 4)
    };
    let band = image::imageops::crop_imm(&img, (w - cw) / 2, 0, cw, ch).to_image();
    let vga = image::imageops::resize(&band, 640, 480, image::imageops::FilterType::Triangle);
    let mut out = Vec::new();
    vga.write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

pub fn run(args: BenchArgs, engine_args: &EngineArgs) -> Result<(), String> {
    let start = Instant::now();
    let engine = engine_args.open()?;
    let start_ms = start.elapsed().as_secs_f64() * 1000.0;
    let single = vga_jpeg(&args.single.unwrap_or_else(|| testdata("obama.jpg")))?;
    let group_path = args.group.unwrap_or_else(|| testdata("solvay1927.png"));
    let group = std::fs::read(&group_path).map_err(|e| format!("{}: {e}", group_path.display()))?;

    println!(
        "facekit bench: {} runs per stage, {} threads per model run",
        args.runs,
        engine.threads()
    );
    println!("\n| photo | faces | decode | detect | align (all faces) | embed (all faces) | end to end |");
    println!("|---|---|---|---|---|---|---|");
    bench_photo(&engine, "640×480, one face", &single, args.runs)?;
    let rss_single = peak_rss_mb();
    bench_photo(&engine, "solvay1927.png 1666×1136", &group, args.runs)?;
    println!("\nengine start (ORT + detector + embedder, sha256 checked): {start_ms:.0} ms");
    println!(
        "peak RSS: {rss_single:.0} MB after the one-face photo, {:.0} MB after the group photo",
        peak_rss_mb()
    );
    Ok(())
}

fn bench_photo(engine: &Engine, label: &str, bytes: &[u8], runs: usize) -> Result<(), String> {
    let decoded: DecodedImage = engine.decode_bytes(bytes).map_err(|e| e.to_string())?;
    let opts = DetectOptions::default();
    let faces = engine.detect(&decoded, &opts).map_err(|e| e.to_string())?;
    let chips: Vec<_> = faces.iter().map(|f| engine.align(&decoded, f)).collect();
    let chip_refs: Vec<_> = chips.iter().collect();
    let decode = time_ms(runs, || {
        engine.decode_bytes(bytes).expect("decodes");
    });
    let detect = time_ms(runs, || {
        engine.detect(&decoded, &opts).expect("detects");
    });
    let align = time_ms(runs, || {
        for f in &faces {
            std::hint::black_box(engine.align(&decoded, f));
        }
    });
    let embed = time_ms(runs, || {
        engine.embed(&chip_refs).expect("embeds");
    });
    let e2e = time_ms(runs, || {
        let img = engine.decode_bytes(bytes).expect("decodes");
        engine.extract(&img, &opts).expect("extracts");
    });
    let cell = |(m, p): (f64, f64)| format!("{m:.1} / {p:.1}");
    println!(
        "| {label} | {} | {} | {} | {} | {} | {} |",
        faces.len(),
        cell(decode),
        cell(detect),
        cell(align),
        cell(embed),
        cell(e2e)
    );
    Ok(())
}
