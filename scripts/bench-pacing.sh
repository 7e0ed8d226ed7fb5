#!/usr/bin/env bash
# Pacing benchmark: 100 codes issued through the client in headless Chrome against a sandbox that
# enforces Nexudus's limits, with windows SCALE times shorter when given (`bench-pacing.sh 10` takes
# seconds; the default, Nexudus's own limits, about 70 s). Prints the write rate as a fraction of
# the allowed rate, the 409s met and reaching the caller, and duplicates; then the same for two
# desks signed in as one person, 50 codes each at once, sharing the account's limits.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=setup.sh
source scripts/setup.sh
# shellcheck source=browsers.sh
source scripts/browsers.sh

scale="${1:-1}"
port="${WIFI_DESK_BENCH_PORT:-18789}"
export WIFI_DESK_BENCH_URL="http://127.0.0.1:$port" WIFI_DESK_BENCH_SCALE="$scale"
# shellcheck source=sandbox.sh
source scripts/sandbox.sh
start_sandbox "$port" target/bench-sandbox.log --limits "nexudus/$scale"
# The runner is wasm-bindgen-test-runner (.cargo/config.toml); --nocapture shows the figures.
WASM_BINDGEN_TEST_TIMEOUT=600 CHROMEDRIVER="$(command -v chromedriver)" in_browsers cargo test --target wasm32-unknown-unknown \
    --test pacing_bench -- --nocapture
