//! The shared library's soname on Linux: `libfacekit.so.0`, so programs linked against it keep loading newer
//! builds of the same ABI major version (scripts/install-ffi.sh installs the file under that name). Android
//! gets none: an APK can only ship `libfacekit.so`, and JNI loads it by path.

/// Bumped on every change of the C ABI that breaks existing binaries.
const SONAME_MAJOR: u32 = 0;

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libfacekit.so.{SONAME_MAJOR}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
