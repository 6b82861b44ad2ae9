//! `FkError`: what a failed call reports — the Baidu error code and a message with the details.

use std::ffi::{c_char, CString};

use facekit_core::Error;

use crate::boundary::catch;

/// An error: the Baidu `error_code` of the failure and a message for people (the API's `error_msg` and, when
/// there is one, what exactly went wrong). Read it with `fk_error_code` and `fk_error_message`, release it
/// with `fk_error_free`. An `FkError` is owned by the caller and may be read from any thread.
pub struct FkError {
    code: i32,
    message: CString,
}

impl From<Error> for FkError {
    fn from(e: Error) -> Self {
        let text = match &e.detail {
            Some(detail) => format!("{} ({detail})", e.message),
            None => e.message.clone(),
        };
        FkError {
            code: e.code() as i32,
            // A message never holds NUL in practice; dropping one keeps the rest readable from C.
            message: CString::new(text.replace('\0', "")).unwrap_or_default(),
        }
    }
}

/// Hands `e` to the caller through `err` (when `err` is not NULL; otherwise the error is dropped).
///
/// # Safety
/// `err` is NULL or points to writable storage for one pointer.
pub(crate) unsafe fn store_error(err: *mut *mut FkError, e: Error) {
    if !err.is_null() {
        err.write(Box::into_raw(Box::new(FkError::from(e))));
    }
}

/// The error's code: a Baidu `error_code` such as 222202 (no face) or 222203 (image check fail). 0 for NULL.
///
/// Thread-safety: safe from any thread while no other thread frees `err`.
///
/// # Safety
/// `err` is NULL or an error from this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn fk_error_code(err: *const FkError) -> i32 {
    catch(|| Ok(err.as_ref().map_or(0, |e| e.code))).unwrap_or(0)
}

/// The error's message, UTF-8, NUL-terminated, owned by `err` (valid until `fk_error_free(err)`).
/// An empty string for NULL.
///
/// Thread-safety: safe from any thread while no other thread frees `err`.
///
/// # Safety
/// `err` is NULL or an error from this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn fk_error_message(err: *const FkError) -> *const c_char {
    catch(|| Ok(err.as_ref().map_or(c"".as_ptr(), |e| e.message.as_ptr()))).unwrap_or(c"".as_ptr())
}

/// Releases an error. NULL is allowed and does nothing.
///
/// Thread-safety: any thread, once; no other thread may be reading `err`.
///
/// # Safety
/// `err` is NULL or an error from this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn fk_error_free(err: *mut FkError) {
    let _ = catch(|| {
        if !err.is_null() {
            drop(Box::from_raw(err));
        }
        Ok(())
    });
}
