//! The native half of `io.facekit.Engine` (and so of `com.baidu.aip.face.AipFace`): open a shared engine,
//! run a method as the Java SDK names it or a raw API method, close.
//!
//! An engine handle is a `jlong` holding a leaked `Box<Arc<Engine>>`; `io.facekit.Engine` keeps it behind a
//! read-write lock, so no call runs while it closes, and passes 0 once closed. Every entry point catches
//! panics; a null string, a closed handle or a panic becomes the Baidu error JSON. Only opening throws (an
//! `IllegalArgumentException` for a config or model that cannot be opened), as a Java constructor would.

use std::sync::Arc;

use facekit_core::api::envelope;
use facekit_core::error::catch_panic as catch;
use facekit_core::{Engine, Error};
use facekit_sdk::{engines, table, Dialect};
use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JClass, JString};
use jni::strings::JNIString;
use jni::sys::jlong;
use jni::{jni_str, Env, EnvUnowned};
use serde_json::Value;

/// `static native long nativeOpen(String configJson)`: a handle to the engine of this config (shared with
/// every client of the same config); null or `""` is the default config.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_facekit_Engine_nativeOpen<'caller>(
    mut unowned_env: EnvUnowned<'caller>,
    _class: JClass<'caller>,
    config_json: JString<'caller>,
) -> jlong {
    unowned_env
        .with_env(|env| -> jni::errors::Result<jlong> {
            let config = if config_json.is_null() {
                String::new()
            } else {
                config_json.try_to_string(env)?
            };
            match catch(|| engines::shared_from_json(&config)) {
                Ok(engine) => Ok(Box::into_raw(Box::new(engine)) as jlong),
                Err(e) => {
                    let message = match &e.detail {
                        Some(detail) => format!("{} {}: {detail}", e.code(), e.message),
                        None => format!("{} {}", e.code(), e.message),
                    };
                    // throw_new answers Err(JavaException) once thrown; the exception is the answer.
                    let _ = env.throw_new(
                        jni_str!("java/lang/IllegalArgumentException"),
                        JNIString::new(message),
                    );
                    Ok(0)
                }
            }
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `static native void nativeClose(long handle)`: releases this client's hold on the engine; 0 does nothing.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_facekit_Engine_nativeClose<'caller>(
    mut unowned_env: EnvUnowned<'caller>,
    _class: JClass<'caller>,
    handle: jlong,
) {
    unowned_env
        .with_env(|_| -> jni::errors::Result<()> {
            if handle != 0 {
                // SAFETY: a non-zero handle is one nativeOpen returned, closed once (io.facekit.Engine).
                drop(unsafe { Box::from_raw(handle as *mut Arc<Engine>) });
            }
            Ok(())
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `static native String nativeCall(long handle, String method, String requestJson)`: one API method as the
/// cloud names it, on its JSON request; the response JSON.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_facekit_Engine_nativeCall<'caller>(
    mut unowned_env: EnvUnowned<'caller>,
    _class: JClass<'caller>,
    handle: jlong,
    method: JString<'caller>,
    request_json: JString<'caller>,
) -> JString<'caller> {
    unowned_env
        .with_env(|env| {
            let text = answer(|| {
                let engine = engine(handle)?;
                let method = string(env, &method, "method")?;
                let request = string(env, &request_json, "request_json")?;
                Ok(engine.call_json(&method, &request))
            });
            JString::from_str(env, text)
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `static native String nativeSdkCall(long handle, String name, String argsJson, String optionsJson)`: Java
/// SDK method `name` on its positional arguments (a JSON array) and options (a JSON object, or null).
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_facekit_Engine_nativeSdkCall<'caller>(
    mut unowned_env: EnvUnowned<'caller>,
    _class: JClass<'caller>,
    handle: jlong,
    name: JString<'caller>,
    args_json: JString<'caller>,
    options_json: JString<'caller>,
) -> JString<'caller> {
    unowned_env
        .with_env(|env| {
            let text = answer(|| {
                let engine = engine(handle)?;
                let name = string(env, &name, "name")?;
                let args = string(env, &args_json, "args_json")?;
                let options = if options_json.is_null() {
                    None
                } else {
                    Some(string(env, &options_json, "options_json")?)
                };
                Ok(facekit_sdk::sdk_call_value(
                    engine,
                    Dialect::Java,
                    &name,
                    &args,
                    options.as_deref(),
                )?)
            });
            JString::from_str(env, text)
        })
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// `static native String nativeSdkMethods()`: the Java class's methods as the table lists them
/// (`facekit_sdk::table::class_methods_json`), for checks against the class.
#[unsafe(no_mangle)]
pub extern "system" fn Java_io_facekit_Engine_nativeSdkMethods<'caller>(
    mut unowned_env: EnvUnowned<'caller>,
    _class: JClass<'caller>,
) -> JString<'caller> {
    unowned_env
        .with_env(|env| JString::from_str(env, table::class_methods_json(Dialect::Java)))
        .resolve::<ThrowRuntimeExAndDefault>()
}

/// The engine behind a live handle; 0 (a closed client) is 222001 naming the client.
fn engine<'a>(handle: jlong) -> Result<&'a Engine, Error> {
    if handle == 0 {
        return Err(Error::param_null("client"));
    }
    // SAFETY: a non-zero handle is one nativeOpen returned, and io.facekit.Engine does not close it while a
    // call runs.
    Ok(unsafe { &*(handle as *const Arc<Engine>) })
}

/// A Java string argument; null is 222001 naming it.
fn string(env: &Env<'_>, s: &JString<'_>, name: &str) -> Result<String, Error> {
    if s.is_null() {
        return Err(Error::param_null(name));
    }
    s.try_to_string(env)
        .map_err(|e| Error::system(format!("reading {name}: {e}")))
}

/// The JSON text of the response `body` makes, or of the envelope of its error or panic.
fn answer(body: impl FnOnce() -> Result<Value, Error>) -> String {
    catch(body).unwrap_or_else(|e| envelope(Err(e))).to_string()
}
