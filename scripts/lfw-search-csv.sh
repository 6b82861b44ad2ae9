#!/usr/bin/env bash
# Gallery and probe lists for `facekit eval search` from an LFW-layout folder (Name/Name_0001.jpg):
# of every person with two or more photos, the first (by name) goes to the gallery and the others are mated
# probes; every photo of a person with one photo is a non-mated probe.
# Usage: scripts/lfw-search-csv.sh LFW_DIR OUT_DIR   (writes OUT_DIR/gallery.csv and OUT_DIR/probes.csv,
# with absolute paths). User ids are the names with characters outside [0-9A-Za-z_] made `_`, cut to 48 bytes.
set -euo pipefail
root=$(cd "$1" && pwd)
out=$2
mkdir -p "$out"
echo "path,user_id" > "$out/gallery.csv"
echo "path,user_id" > "$out/probes.csv"
for dir in "$root"/*/; do
  person=$(basename "$dir" | tr -c 'A-Za-z0-9_\n' '_' | cut -c1-48)
  mapfile -t photos < <(find "$dir" -maxdepth 1 -type f -name '*.jpg' | sort)
  [ "${#photos[@]}" -gt 0 ] || continue
  if [ "${#photos[@]}" -ge 2 ]; then
    echo "${photos[0]},$person" >> "$out/gallery.csv"
    for p in "${photos[@]:1}"; do echo "$p,$person" >> "$out/probes.csv"; done
  else
    echo "${photos[0]},$person" >> "$out/probes.csv"
  fi
done
echo "$(($(wc -l < "$out/gallery.csv") - 1)) gallery photos, $(($(wc -l < "$out/probes.csv") - 1)) probes in $out"
