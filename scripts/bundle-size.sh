#!/usr/bin/env bash
# Prints the size of the release bundles in dist/ (run scripts/build.sh first): for the full widget
# (dist/) and the booking portal's build (dist/portal/, no console), each wasm, JS and CSS file a page
# loads (the loader, core/ and its snippets), raw and gzip -9, and the total. The demo host pages'
# own files (embed.html, host.css) are not the widget's and are left out.
#
# `bundle-size.sh --check` also fails when a build's gzip total is over its budget below, so a change
# that makes what a page downloads larger says so in the same commit that raises the budget.
set -euo pipefail
cd "$(dirname "$0")/../dist"

# Budgets in bytes of gzip -9, a little above what the builds measured (README "Bundle size" has the
# figures and how each change moved them); gzip's output and the wasm are the same for the same
# toolchain.
budget_full=472700
budget_portal=299000
check=false
[ "${1:-}" = --check ] && check=true
over=0

report() { # title, directory, budget
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
    if [ "$total_gz" -gt "$3" ]; then
        printf 'over budget: %d B gzip, %d B more than the %d B allowed\n' \
            "$total_gz" $((total_gz - $3)) "$3"
        over=1
    else
        printf 'within budget: %d B gzip of %d B allowed\n' "$total_gz" "$3"
    fi
}

report "the full widget: console, booking and visitor modes (dist/)" . "$budget_full"
if [ -d portal ]; then
    report "the booking portal's build: booking and visitor modes (dist/portal/)" ./portal "$budget_portal"
elif $check; then
    echo "no dist/portal/: run scripts/build.sh" >&2
    exit 1
fi
if $check && [ "$over" -ne 0 ]; then
    echo "a bundle is over its budget: make it smaller, or raise the budget above and say why" >&2
    exit 1
fi
