#!/usr/bin/env bash
# The Java binding: build libfacekit_jni (release, reusing what `cargo test --release` built), compile the
# classes for Java 8 (so they build for Android too) against Debian's org.json (Android's own), and run the
# JUnit 5 suite on the real models and photos: the shared cases, the Java-only methods, bad input, threads,
# the generated signatures. Ends with the counts line `N passed, N failed, N skipped`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Tools from Debian: a JDK, Android's org.json, JUnit 5 with its console launcher.
json_jar=/usr/share/java/com.android.json.jar
launcher=/usr/share/java/junit-platform-console-standalone.jar
missing=()
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
[ -f "$json_jar" ] || missing+=(libandroid-json-java)
[ -f "$launcher" ] || missing+=(junit5)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

cargo build --release --locked -p facekit-java
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
jni_lib=$target_dir/release/libfacekit_jni.so
ort_lib=$("$root/scripts/fetch-onnxruntime.sh")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java_dir=$root/bindings/java/src
javac --release 8 -Xlint:all -Werror -encoding UTF-8 -cp "$json_jar" -d "$work/main" \
  $(find "$java_dir/main/java" -name '*.java')
javac --release 8 -Xlint:all,-options -encoding UTF-8 -cp "$work/main:$json_jar:$launcher" -d "$work/test" \
  $(find "$java_dir/test/java" -name '*.java')

# The cloud SDK's constructor takes no config: the tests' default engine finds the models and ONNX Runtime
# through the engine's environment variables.
set +e
FACEKIT_MODELS=$root/models ORT_DYLIB_PATH=$ort_lib FACEKIT_JNI_LIB=$jni_lib \
  java -Dfacekit.repo="$root" -jar "$launcher" \
  --class-path "$work/main:$work/test:$json_jar" --scan-class-path "$work/test" \
  --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests 2>&1 | tee "$work/junit.out"
status=${PIPESTATUS[0]}
set -e

count() { sed -n "s/.*\[ *\([0-9]*\) tests $1 *\].*/\1/p" "$work/junit.out" | tail -1; }
passed=$(count successful)
failed=$(count failed)
skipped=$(( $(count skipped) + $(count aborted) ))
if [ -z "$passed" ] || [ -z "$failed" ]; then
  echo "test-java: no JUnit summary (launcher exit $status)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
