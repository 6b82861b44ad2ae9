#!/usr/bin/env bash
# The C# binding (bindings/csharp): Baidu.Aip.Face.Face on libfacekit through P/Invoke, built with Mono's mcs
# (Debian's Mono and Newtonsoft.Json, installed here when missing) and run with mono: the shared cases, match
# scores, null arguments, disposal, threads, the class's methods against the table, UTF-8.
# (The generated Face.Methods.g.cs is checked against the table by `cargo test -p facekit-sdk --test csharp_class`.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
newtonsoft=/usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll

missing=()
command -v mcs >/dev/null || missing+=(mono-mcs)
command -v mono >/dev/null || missing+=(mono-runtime)
[ -f "$newtonsoft" ] || missing+=(libnewtonsoft-json-cil-dev)
if [ ${#missing[@]} -gt 0 ]; then
  # Other builds may hold the dpkg lock for a while: wait for it rather than fail.
  apt-get update -qq -o DPkg::Lock::Timeout=600
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

ort=$("$root/scripts/fetch-onnxruntime.sh")
(cd "$root" && cargo build --release --locked -p facekit-ffi)
native_dir=${CARGO_TARGET_DIR:-$root/target}/release
[ -f "$native_dir/libfacekit.so" ] || { echo "test-csharp: no $native_dir/libfacekit.so" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$root/bindings/csharp
mcs_flags=(-langversion:7 -warnaserror+ -nologo "-r:$newtonsoft")
mcs "${mcs_flags[@]}" -target:library -out:"$work/Facekit.dll" "$src"/src/*.cs
mcs "${mcs_flags[@]}" -target:exe -out:"$work/FaceTests.exe" "-r:$work/Facekit.dll" "$src"/tests/*.cs
cp "$newtonsoft" "$work/"

cd "$work"
env -u FACEKIT_ORT_DIR LD_LIBRARY_PATH="$native_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  FACEKIT_MODELS="$root/models" ORT_DYLIB_PATH="$ort" mono FaceTests.exe "$root"
