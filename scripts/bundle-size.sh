#!/usr/bin/env bash
# Prints the size of the release bundle in dist/ (run `trunk build --release --offline` first):
# each wasm, JS and CSS file, raw and gzip -9, and the total.
set -euo pipefail
cd "$(dirname "$0")/../dist"
total_raw=0
total_gz=0
printf '%-40s %10s %10s\n' file bytes gzip-9
for f in *.wasm *.js *.css; do
    [ -e "$f" ] || continue
    raw=$(wc -c < "$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gz))
    printf '%-40s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-40s %10d %10d\n' total "$total_raw" "$total_gz"
