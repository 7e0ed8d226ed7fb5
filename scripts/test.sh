#!/usr/bin/env bash
# Runs every check and test of wifi-desk, installing whatever is missing first (scripts/setup.sh):
# formatting, clippy on the native and wasm targets, the native tests of every crate, the browser
# tests in headless Chrome and Firefox against a sandbox on loopback, and the end-to-end test of the
# release bundles in headless Chromium over WebDriver, whose gzip sizes must stay within their budgets
# (scripts/bundle-size.sh --check). `.ci/run` runs exactly this.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p target
log=target/test-output.log
# Everything is also written to a log, from which the closing line counts the tests that ran.
exec > >(tee "$log") 2>&1
# shellcheck source=setup.sh
source scripts/setup.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "formatting"
cargo fmt --all -- --check

step "clippy, native"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy, wasm32"
cargo clippy -p wifi-desk --target wasm32-unknown-unknown --all-targets -- -D warnings
# The booking portal's build, without the console.
cargo clippy -p wifi-desk --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings

step "native tests: wire types, client rules, sandbox over HTTP"
cargo test --workspace --exclude wifi-desk-e2e

step "browser tests: Chrome and Firefox against the sandbox"
port="${WIFI_DESK_TEST_PORT:-18787}"
export WIFI_DESK_SANDBOX_URL="http://127.0.0.1:$port"
export WIFI_DESK_THROTTLED_URL="http://127.0.0.1:$((port + 1))"
# shellcheck source=sandbox.sh
source scripts/sandbox.sh
# shellcheck source=browsers.sh
source scripts/browsers.sh
# One sandbox with faults and no throttling; one with Nexudus's limits in windows 10 times shorter.
start_sandbox "$port" target/test-sandbox.log --limits off --faults --seed 30
start_sandbox "$((port + 1))" target/test-sandbox-throttled.log --limits nexudus/10 --seed 5
in_browsers wasm-pack test --headless \
    --chrome --chromedriver "$(command -v chromedriver)" \
    --firefox --geckodriver "$(command -v geckodriver)"
stop_sandboxes

step "release bundles: build, and their sizes against the budgets"
bash scripts/build.sh
bash scripts/bundle-size.sh --check

step "end to end: the release bundles in headless Chromium over WebDriver"
in_browsers cargo test -p wifi-desk-e2e --test browser

step "all checks and tests passed"
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '/^test result:/ {
        for (i = 1; i <= NF; i++) { if ($(i + 1) ~ /^passed/) p += $i; if ($(i + 1) ~ /^failed/) f += $i }
    } END { printf "tests: %d passed, %d failed\n", p, f }'
