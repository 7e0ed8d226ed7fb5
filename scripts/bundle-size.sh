#!/usr/bin/env bash
# Prints the size of the release bundles in dist/ (run scripts/build.sh first): for the full widget
# (dist/) and the booking portal's build (dist/portal/, no console), each wasm, JS and CSS file a page
# loads (the loader, core/ and its snippets), raw and gzip -9, and the total. The demo host pages'
# own files (embed.html, host.css) are not the widget's and are left out.
set -euo pipefail
cd "$(dirname "$0")/../dist"

report() { # title, directory
    local total_raw=0 total_gz=0 raw gz f
    printf '\n%s\n%-60s %10s %10s\n' "$1" file bytes gzip-9
    while IFS= read -r f; do
        raw=$(wc -c < "$f")
        gz=$(gzip -9 -c "$f" | wc -c)
        total_raw=$((total_raw + raw))
        total_gz=$((total_gz + gz))
        printf '%-60s %10d %10d\n' "$f" "$raw" "$gz"
    # The portal's files are not the full widget's: each build is listed on its own.
    done < <(find "$2" -path "$2/portal" -prune -o -type f \
        \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) ! -name host.css -print | sort)
    printf '%-60s %10d %10d\n' total "$total_raw" "$total_gz"
}

report "the full widget: console, booking and visitor modes (dist/)" .
if [ -d portal ]; then
    report "the booking portal's build: booking and visitor modes (dist/portal/)" ./portal
fi
