#!/usr/bin/env bash
# Rendering benchmark: the code table's 1000 rows as the widget renders them against a plain-JavaScript
# page building the same rows with DOM calls, in one headless Chrome run of a release build. Prints
# the median times (to a forced layout) of alternating runs, their spread, the part spent before
# layout, and the ratio wifi-desk / plain JS; the target is at most 1.5. `bench-render.sh 31` times
# 31 runs of each side instead of 15. Nothing talks to the network, so no sandbox is started.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=setup.sh
source scripts/setup.sh
# shellcheck source=browsers.sh
source scripts/browsers.sh

export WIFI_DESK_BENCH_RUNS="${1:-15}"
# --release: the figure is about the shipped code (opt-level "z", LTO, panic="abort"), though without
# trunk's wasm-opt pass. --nocapture shows the figures.
WASM_BINDGEN_TEST_TIMEOUT=600 in_browsers wasm-pack test --release --headless \
    --chrome --chromedriver "$(command -v chromedriver)" \
    --test render_bench -- --nocapture
