//! The native side of the `facekit` npm package. Every call is an `AsyncTask`: it runs on libuv's thread
//! pool and settles a Promise, so the event loop never waits for a model. `index.js` builds the
//! `AipFace` class of `baidu-aip-sdk` on top of this.

use std::sync::{Arc, OnceLock};

use facekit_core::{Engine, EngineConfig};
use facekit_sdk::{engines, table, Dialect};
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// The engine of one configuration, opened by the first call (off the main thread) and kept while the JS
/// object lives.
struct EngineSlot {
    config_json: String,
    engine: OnceLock<Arc<Engine>>,
}

impl EngineSlot {
    fn get(&self) -> Result<Arc<Engine>> {
        if let Some(engine) = self.engine.get() {
            return Ok(engine.clone());
        }
        let engine = engines::shared_from_json(&self.config_json)
            .map_err(|e| Error::new(Status::GenericFailure, format!("facekit engine: {e}")))?;
        Ok(self.engine.get_or_init(|| engine).clone())
    }
}

enum Work {
    /// An API method on a JSON request.
    Api {
        method: String,
        request_json: String,
    },
    /// An AipFace method with its positional arguments and options (JSON).
    Sdk {
        name: String,
        args_json: String,
        options_json: Option<String>,
    },
    /// Only open the engine (load the models now rather than on the first call).
    Open,
}

pub struct EngineTask {
    slot: Arc<EngineSlot>,
    work: Work,
}

impl Task for EngineTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> Result<String> {
        let engine = self.slot.get()?;
        match &self.work {
            Work::Api {
                method,
                request_json,
            } => Ok(engine.call(method, request_json)),
            Work::Sdk {
                name,
                args_json,
                options_json,
            } => facekit_sdk::sdk_call(
                &engine,
                Dialect::Node,
                name,
                args_json,
                options_json.as_deref(),
            )
            .map_err(|e| Error::new(Status::InvalidArg, e.to_string())),
            Work::Open => Ok(engine.model_dir().display().to_string()),
        }
    }

    fn resolve(&mut self, _env: Env, output: String) -> Result<String> {
        Ok(output)
    }
}

/// A handle on the process's engine for one configuration (`EngineConfig` as JSON).
#[napi]
pub struct NativeEngine {
    slot: Arc<EngineSlot>,
}

#[napi]
impl NativeEngine {
    /// Checks the configuration now (a typo throws here); the models load on the first call.
    #[napi(constructor)]
    pub fn new(config_json: String) -> Result<Self> {
        EngineConfig::from_json(&config_json)
            .map_err(|e| Error::new(Status::InvalidArg, e.to_string()))?;
        Ok(NativeEngine {
            slot: Arc::new(EngineSlot {
                config_json,
                engine: OnceLock::new(),
            }),
        })
    }

    fn task(&self, work: Work) -> AsyncTask<EngineTask> {
        AsyncTask::new(EngineTask {
            slot: self.slot.clone(),
            work,
        })
    }

    /// Any API method on a JSON request; resolves with the response JSON.
    #[napi]
    pub fn call(&self, method: String, request_json: String) -> AsyncTask<EngineTask> {
        self.task(Work::Api {
            method,
            request_json,
        })
    }

    /// A baidu-aip-sdk AipFace method by name; resolves with the response JSON.
    #[napi]
    pub fn sdk_call(
        &self,
        name: String,
        args_json: String,
        options_json: Option<String>,
    ) -> AsyncTask<EngineTask> {
        self.task(Work::Sdk {
            name,
            args_json,
            options_json,
        })
    }

    /// Loads the models now; resolves with the model directory.
    #[napi]
    pub fn open(&self) -> AsyncTask<EngineTask> {
        self.task(Work::Open)
    }
}

/// The methods of baidu-aip-sdk's face class as JSON: `[{name, params, options}]`.
#[napi]
pub fn sdk_methods() -> String {
    table::class_methods_json(Dialect::Node)
}

/// The facekit version.
#[napi]
pub fn version() -> String {
    facekit_core::VERSION.to_string()
}

/// The ONNX Runtime library this process loaded, once an engine is open.
#[napi]
pub fn loaded_ort_library() -> Option<String> {
    facekit_core::runtime::loaded_library().map(|p| p.display().to_string())
}
