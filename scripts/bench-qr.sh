#!/usr/bin/env bash
# Click-to-QR benchmark: from pressing "Issue code" to the new code's QR code on screen, in a release
# build in headless Chrome signed in to a sandbox, against the create request alone sent with fetch
# from the same page; on loopback, then with every answer 100 ms late. Prints the
# medians of alternating runs, their spread and the ratio wifi-desk / fetch for each. `bench-qr.sh 31`
# times 31 runs of each side instead of 15.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=setup.sh
source scripts/setup.sh
# shellcheck source=browsers.sh
source scripts/browsers.sh

export WIFI_DESK_BENCH_RUNS="${1:-15}"
port="${WIFI_DESK_BENCH_PORT:-18790}"
# The browser code reads the sandbox's address when it is built.
export WIFI_DESK_SANDBOX_URL="http://127.0.0.1:$port"
# shellcheck source=sandbox.sh
source scripts/sandbox.sh
# No limits on the server's side: the widget's own pacer still keeps Nexudus's, as it ships.
# --faults: the second round asks for late answers.
start_sandbox "$port" target/bench-sandbox.log --limits off --faults
# --release: the figure is about the shipped code, though without trunk's wasm-opt pass.
# --nocapture shows the figures.
WASM_BINDGEN_TEST_TIMEOUT=600 in_browsers wasm-pack test --release --headless \
    --chrome --chromedriver "$(command -v chromedriver)" \
    --test click_to_qr_bench -- --nocapture
