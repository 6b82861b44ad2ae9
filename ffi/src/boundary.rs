//! What every exported function does at the boundary: no panic unwinds into C, no pointer is used before it is
//! checked, and every failure becomes an `FkError` with the API's code.

use std::ffi::{c_char, CStr};

use facekit_core::{Error, ErrorCode};

use crate::error::{store_error, FkError};

pub(crate) use facekit_core::error::catch_panic as catch;

/// The body of an entry point with an `FkError**` out-parameter: its value on success; on an error or a
/// panic, the error stored in `*err` (when `err` is not NULL) and `failed(&error)` returned.
///
/// # Safety
/// `err` is NULL or points to writable storage for one pointer.
pub(crate) unsafe fn guard<T>(
    err: *mut *mut FkError,
    failed: impl FnOnce(&Error) -> T,
    body: impl FnOnce() -> Result<T, Error>,
) -> T {
    match catch(body) {
        Ok(v) => v,
        Err(e) => {
            let value = failed(&e);
            store_error(err, e);
            value
        }
    }
}

/// The status an entry point returns: 0, or the Baidu error code of what went wrong.
pub(crate) fn status_code(e: &Error) -> i32 {
    e.code() as i32
}

/// A NUL-terminated UTF-8 argument: NULL is 222001 naming it, bytes that are not UTF-8 are `bad_utf8`.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string that stays valid for `'a`.
pub(crate) unsafe fn c_str<'a>(
    p: *const c_char,
    name: &str,
    bad_utf8: ErrorCode,
) -> Result<&'a str, Error> {
    if p.is_null() {
        return Err(Error::param_null(name));
    }
    CStr::from_ptr(p)
        .to_str()
        .map_err(|e| Error::with_detail(bad_utf8, format!("{name} is not UTF-8: {e}")))
}

/// A caller-owned array of `len` values of `T`, checked for NULL, alignment and a size Rust can address.
///
/// # Safety
/// When `p` passes the checks it must point to `len` writable values of `T`, used by nothing else meanwhile.
pub(crate) unsafe fn out_slice<'a, T>(
    p: *mut T,
    len: usize,
    name: &str,
) -> Result<&'a mut [T], Error> {
    if p.is_null() {
        return Err(Error::param_null(name));
    }
    check_extent(p.cast_const(), len, name)?;
    Ok(std::slice::from_raw_parts_mut(p, len))
}

/// A caller-owned read-only array, with the same checks as [`out_slice`].
///
/// # Safety
/// When `p` passes the checks it must point to `len` readable values of `T` that nothing writes meanwhile.
pub(crate) unsafe fn in_slice<'a, T>(
    p: *const T,
    len: usize,
    name: &str,
) -> Result<&'a [T], Error> {
    if p.is_null() {
        return Err(Error::param_null(name));
    }
    check_extent(p, len, name)?;
    Ok(std::slice::from_raw_parts(p, len))
}

fn check_extent<T>(p: *const T, len: usize, name: &str) -> Result<(), Error> {
    if !p.is_aligned() {
        return Err(Error::with_detail(
            ErrorCode::InvalidParam,
            format!("{name} is not aligned for its element type"),
        ));
    }
    match len.checked_mul(size_of::<T>()) {
        Some(bytes) if bytes <= isize::MAX as usize => Ok(()),
        _ => Err(Error::with_detail(
            ErrorCode::InvalidParam,
            format!("{name}: {len} elements is not a size that fits in memory"),
        )),
    }
}

/// A reference to what an opaque handle points to; NULL is 222001 naming the handle.
///
/// # Safety
/// `p` is NULL or a live handle from this library that outlives `'a`.
pub(crate) unsafe fn handle<'a, T>(p: *const T, name: &str) -> Result<&'a T, Error> {
    p.as_ref().ok_or_else(|| Error::param_null(name))
}
