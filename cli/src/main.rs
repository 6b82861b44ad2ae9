//! `facekit`: the engine from a shell. Every command prints JSON (one envelope per line) or a table.

mod bench;
mod eval;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use facekit_core::{Engine, EngineConfig};
use serde_json::{json, Value};

#[derive(Parser)]
#[command(
    name = "facekit",
    version,
    about = "Offline face recognition with the Baidu V3 face API"
)]
struct Cli {
    #[command(flatten)]
    engine: EngineArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command that opens an engine shares.
#[derive(Args, Clone)]
pub struct EngineArgs {
    /// Directory of the ONNX models (default: FACEKIT_MODELS, else the shipped models/).
    #[arg(long, global = true)]
    models: Option<PathBuf>,
    /// The ONNX Runtime shared library (default: scripts/fetch-onnxruntime.sh's, or ORT_DYLIB_PATH).
    #[arg(long, global = true)]
    ort_lib: Option<PathBuf>,
    /// The face library database (SQLite file).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// Threads per model run.
    #[arg(long, global = true)]
    threads: Option<usize>,
    /// Embed without test-time flip (the reference pipeline's way).
    #[arg(long, global = true)]
    no_flip: bool,
}

impl EngineArgs {
    pub fn open(&self) -> Result<Engine, String> {
        Engine::open(EngineConfig {
            model_dir: self.models.clone(),
            ort_library: self.ort_lib.clone(),
            faceset_db: self.db.clone(),
            threads: self.threads,
            flip_embedding: Some(!self.no_flip),
        })
        .map_err(|e| format!("cannot open the engine: {e}"))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Detect faces (the V3 `detect` method), one JSON envelope per image.
    Detect {
        #[arg(required = true)]
        images: Vec<PathBuf>,
        /// Comma-separated face_field list (age,gender,landmark,quality,…).
        #[arg(long)]
        face_field: Option<String>,
        #[arg(long, default_value_t = 10)]
        max_face_num: u32,
    },
    /// Compare the largest faces of two images (the V3 `match` method).
    Match { image_a: PathBuf, image_b: PathBuf },
    /// Run any V3 method on a request JSON file (`-` for stdin): the cloud's exact request and response.
    Call {
        /// Method name as in the URL: detect, match, search, faceset/user/add, …
        method: String,
        request: PathBuf,
    },
    /// Accuracy on labelled data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Speed and memory.
    Bench(bench::BenchArgs),
    /// Serve the cloud's REST API on a local port (for the unmodified official SDKs and any HTTP client).
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("facekit: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The request JSON for one image file. A `file://` URL rather than BASE64: the cloud's 2 MB BASE64 limit
/// would refuse many camera photos, while files are held to the 10 MB request limit.
pub fn image_request(path: &std::path::Path) -> Result<Value, String> {
    let abs = std::fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(json!({"image": format!("file://{}", abs.display()), "image_type": "URL"}))
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Detect {
            images,
            face_field,
            max_face_num,
        } => {
            let engine = cli.engine.open()?;
            for path in images {
                let mut req = image_request(&path)?;
                req["max_face_num"] = json!(max_face_num);
                if let Some(f) = &face_field {
                    req["face_field"] = json!(f);
                }
                println!("{}", engine.call_value("detect", &req));
            }
            Ok(())
        }
        Command::Match { image_a, image_b } => {
            let engine = cli.engine.open()?;
            let req = json!([image_request(&image_a)?, image_request(&image_b)?]);
            println!("{}", engine.call_value("match", &req));
            Ok(())
        }
        Command::Call { method, request } => {
            let text = if request.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(|e| format!("stdin: {e}"))?
            } else {
                std::fs::read_to_string(&request)
                    .map_err(|e| format!("{}: {e}", request.display()))?
            };
            let engine = cli.engine.open()?;
            println!("{}", engine.call(&method, &text));
            Ok(())
        }
        Command::Eval(cmd) => eval::run(cmd, &cli.engine),
        Command::Bench(args) => bench::run(args, &cli.engine),
        Command::Serve(args) => serve::run(args, &cli.engine),
    }
}
