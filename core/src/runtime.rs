//! ONNX Runtime: finding its shared library, one process-wide environment, and a session per model file.
//!
//! facekit links ONNX Runtime dynamically (`ort` with `load-dynamic`), so apps can use the library their
//! platform already has (the `onnxruntime` wheel for Python, `onnxruntime-node` for Node, an AAR on Android).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::environment::{Environment, GlobalThreadPoolOptions};
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;

use crate::error::{Error, Result};

/// Names of the ONNX Runtime library on this platform, newest first.
#[cfg(target_os = "linux")]
const LIB_NAMES: &[&str] = &["libonnxruntime.so", "libonnxruntime.so.1"];
#[cfg(target_os = "macos")]
const LIB_NAMES: &[&str] = &["libonnxruntime.dylib"];
#[cfg(target_os = "windows")]
const LIB_NAMES: &[&str] = &["onnxruntime.dll"];
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
const LIB_NAMES: &[&str] = &["libonnxruntime.so"];

/// Where the ONNX Runtime library is looked for, in order: the explicit path, `ORT_DYLIB_PATH`,
/// `FACEKIT_ORT_DIR`, beside the executable (and its `lib/`), and the repo's `.ort/` (what
/// `scripts/fetch-onnxruntime.sh` fills). The first that exists wins.
pub fn ort_library_candidates(explicit: Option<&Path>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = explicit {
        out.push(p.to_path_buf());
        return out;
    }
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH") {
        out.push(PathBuf::from(p));
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(d) = std::env::var_os("FACEKIT_ORT_DIR") {
        dirs.push(PathBuf::from(d));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("lib"));
        dirs.push(exe_dir.clone());
        // target/{debug,release}/ inside a checkout: the repo's .ort is two levels up.
        dirs.extend(exe_dir.ancestors().skip(1).take(3).map(|a| a.join(".ort")));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ort"));
    for d in dirs {
        for name in LIB_NAMES {
            out.push(d.join(name));
        }
    }
    out
}

static ENVIRONMENT: OnceLock<std::result::Result<(Environment, PathBuf), String>> = OnceLock::new();

/// Loads ONNX Runtime once per process. Later calls return the first environment whatever path and thread
/// count they name: a process can hold one ONNX Runtime only.
///
/// All sessions share one intra-op thread pool of `threads` threads. With a pool per session, the spinning
/// threads of one model's pool keep the cores busy while the next model (detector → embedder → attributes)
/// runs: 44 ms instead of 16 ms end to end on 2 cores; without spinning each model runs at half speed.
pub fn environment(explicit_lib: Option<&Path>, threads: usize) -> Result<&'static Environment> {
    let env = ENVIRONMENT.get_or_init(|| {
        let candidates = ort_library_candidates(explicit_lib);
        let lib = candidates.iter().find(|p| p.exists()).cloned().ok_or_else(|| {
            format!(
                "ONNX Runtime library not found; run scripts/fetch-onnxruntime.sh or set ORT_DYLIB_PATH (looked in: {})",
                candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            )
        })?;
        let builder = ort::init_from(&lib).map_err(|e| format!("cannot load {}: {e}", lib.display()))?;
        let pool = GlobalThreadPoolOptions::default()
            .with_intra_threads(threads.max(1))
            .and_then(|p| p.with_inter_threads(1))
            .and_then(|p| p.with_spin_control(true))
            .map_err(|e| format!("onnxruntime thread pool: {e}"))?;
        let env = builder
            .with_name("facekit")
            .with_global_thread_pool(pool)
            .build()
            .map_err(|e| format!("onnxruntime environment: {e}"))?;
        Ok((env, lib))
    });
    match env {
        Ok((env, _)) => Ok(env),
        Err(msg) => Err(Error::system(msg.clone())),
    }
}

/// The path of the ONNX Runtime library this process loaded, once it has.
pub fn loaded_library() -> Option<&'static Path> {
    ENVIRONMENT
        .get()
        .and_then(|r| r.as_ref().ok())
        .map(|(_, p)| p.as_path())
}

/// One model's inference session. `ort` runs a session through `&mut`, so calls on one model take turns;
/// each run already uses the engine's intra-op threads, so this costs little throughput on small devices.
pub struct OrtModel {
    pub name: &'static str,
    session: Mutex<Session>,
}

impl OrtModel {
    pub fn load(
        env: &Environment,
        path: &Path,
        name: &'static str,
        threads: usize,
    ) -> Result<Self> {
        let session = Session::builder(env)
            .and_then(|b| {
                b.with_optimization_level(GraphOptimizationLevel::Level3)
                    .map_err(Into::into)
            })
            .and_then(|b| b.with_intra_threads(threads.max(1)).map_err(Into::into))
            .and_then(|b| b.with_inter_threads(1).map_err(Into::into))
            .and_then(|mut b| b.commit_from_file(path))
            .map_err(|e| Error::system(format!("cannot load model {}: {e}", path.display())))?;
        Ok(OrtModel {
            name,
            session: Mutex::new(session),
        })
    }

    /// Runs `f` with exclusive use of the session.
    pub fn with_session<R>(&self, f: impl FnOnce(&mut Session) -> Result<R>) -> Result<R> {
        // A panic inside another call cannot leave the session half-updated (ORT owns its state), so a
        // poisoned lock is safe to take over.
        let mut guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard).map_err(|e| {
            let detail = e.detail.clone().unwrap_or_default();
            Error {
                detail: Some(format!("{}: {detail}", self.name)),
                ..e
            }
        })
    }
}

/// A model loaded on first use: attribute models cost memory and start-up time that detect-and-match
/// apps never need. A failed load is remembered, so every later call reports the same cause quickly.
pub struct LazyModel {
    file: crate::models::ModelFile,
    /// Where the file lives; `None` when it comes from the optional model pack and no pack was configured.
    dir: Option<PathBuf>,
    threads: usize,
    cell: OnceLock<Result<OrtModel>>,
}

impl LazyModel {
    pub fn new(file: crate::models::ModelFile, dir: Option<PathBuf>, threads: usize) -> Self {
        LazyModel {
            file,
            dir,
            threads,
            cell: OnceLock::new(),
        }
    }

    /// The file name, for messages.
    pub fn file_name(&self) -> &'static str {
        self.file.file
    }

    /// Whether the model can be loaded at all (its directory is configured).
    pub fn is_configured(&self) -> bool {
        self.dir.is_some()
    }

    /// The loaded model (loading it now if this is the first use).
    pub fn get(&self) -> Result<&OrtModel> {
        self.cell
            .get_or_init(|| {
                let dir = self.dir.as_deref().ok_or_else(|| {
                    Error::system(format!(
                        "{} belongs to the optional model pack; set model_pack_dir",
                        self.file.file
                    ))
                })?;
                let path = crate::models::verified_path(dir, &self.file)?;
                OrtModel::load(
                    environment(None, self.threads)?,
                    &path,
                    self.file.file,
                    self.threads,
                )
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}
