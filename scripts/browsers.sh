#!/usr/bin/env bash
# Sourced by the scripts that run tests and benchmarks in browsers (test.sh and the bench-*.sh):
# `in_browsers COMMAND...` runs the command with a temporary directory of its own.
#
# ChromeDriver makes a new Chromium profile (about 90 MB) in the temporary directory for each
# session and removes it when the session is closed; the wasm test runner ends the driver without
# closing it, so every Chrome run used to leave one behind (222 of them, 20 GB, had piled up in
# /tmp). The command's own directory is removed afterwards. A profile found afterwards in the usual
# one, which the browsers no longer use, fails it: the browsers did not take up TMPDIR.

in_browsers() {
    local tmp="${TMPDIR:-/tmp}" scratch status=0 before after
    before=$(find "$tmp" -maxdepth 1 -name 'org.chromium.Chromium.*' | wc -l)
    scratch=$(mktemp -d "$tmp/wifi-desk-browsers.XXXXXX")
    TMPDIR="$scratch" "$@" || status=$?
    # A browser still closing may write as it goes; what it leaves is in the scratch directory.
    rm -rf "$scratch" || rm -rf "$scratch" || true
    after=$(find "$tmp" -maxdepth 1 -name 'org.chromium.Chromium.*' | wc -l)
    if [ "$after" -gt "$before" ]; then
        echo "the browsers left $((after - before)) Chromium profile(s) in $tmp" >&2
        [ "$status" -ne 0 ] || status=1
    fi
    return "$status"
}
