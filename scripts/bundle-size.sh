#!/usr/bin/env bash
# Prints the size of the release bundle in dist/ (run `trunk build --release --offline` first):
# each wasm, JS and CSS file a page loads (the loader, core/ and its snippets), raw and gzip -9, and
# the total. The demo host page's own files (embed.html, host.css) are not the widget's and are left out.
set -euo pipefail
cd "$(dirname "$0")/../dist"
total_raw=0
total_gz=0
printf '%-60s %10s %10s\n' file bytes gzip-9
while IFS= read -r f; do
    raw=$(wc -c < "$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gz))
    printf '%-60s %10d %10d\n' "$f" "$raw" "$gz"
done < <(find . -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) ! -name host.css | sort)
printf '%-60s %10d %10d\n' total "$total_raw" "$total_gz"
