//! One engine per configuration per process, shared by every client opened with that configuration. A
//! cloud app's clients all see one face library; facekit's clients of one configuration do too, and the
//! models load once. An engine lives while some client holds it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use facekit_core::{Engine, EngineConfig, Result};

/// The engine of `config`: the one already open in this process, or a newly opened one.
pub fn shared(config: EngineConfig) -> Result<Arc<Engine>> {
    static OPEN: Mutex<Option<HashMap<String, Weak<Engine>>>> = Mutex::new(None);
    let key = format!("{config:?}");
    // Opening under the lock makes concurrent first calls wait for one open instead of loading twice.
    let mut guard = OPEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let open = guard.get_or_insert_with(HashMap::new);
    open.retain(|_, engine| engine.strong_count() > 0);
    if let Some(engine) = open.get(&key).and_then(Weak::upgrade) {
        return Ok(engine);
    }
    let engine = Arc::new(Engine::open(config)?);
    open.insert(key, Arc::downgrade(&engine));
    Ok(engine)
}

/// [`shared`] for a configuration in its JSON form (`EngineConfig::from_json`).
pub fn shared_from_json(config_json: &str) -> Result<Arc<Engine>> {
    shared(EngineConfig::from_json(config_json)?)
}
