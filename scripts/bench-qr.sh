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

export WIFI_DESK_BENCH_RUNS="${1:-15}"
port="${WIFI_DESK_BENCH_PORT:-18790}"
# The browser code reads the sandbox's address when it is built.
export WIFI_DESK_SANDBOX_URL="http://127.0.0.1:$port"
cargo build -p wifi-desk-sandbox
# No limits on the server's side: the widget's own pacer still keeps Nexudus's, as it ships.
# --faults: the second round asks for late answers.
target/debug/wifi-desk-sandbox --addr "127.0.0.1:$port" --limits off --faults \
    > target/bench-sandbox.log 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -fsS "$WIFI_DESK_SANDBOX_URL/sandbox/health" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "$WIFI_DESK_SANDBOX_URL/sandbox/health" >/dev/null
# --release: the figure is about the shipped code, though without trunk's wasm-opt pass.
# --nocapture shows the figures.
WASM_BINDGEN_TEST_TIMEOUT=600 wasm-pack test --release --headless \
    --chrome --chromedriver "$(command -v chromedriver)" \
    --test click_to_qr_bench -- --nocapture
