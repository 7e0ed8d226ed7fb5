#!/usr/bin/env bash
# Builds the widget and serves it with the sandbox and its demo data on loopback, installing whatever
# is missing first (scripts/setup.sh). WIFI_DESK_ADDR changes the address (default 127.0.0.1:8080).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=setup.sh
source scripts/setup.sh

say "building the widget (release)"
bash scripts/build.sh
say "building the sandbox"
cargo build -p wifi-desk-sandbox
addr="${WIFI_DESK_ADDR:-127.0.0.1:8080}"
say "the console: http://$addr/   embedded in a host page: http://$addr/embed.html"
say "the booking portal's build (no console): http://$addr/portal/"
say "sign in as admin@example.com (or reception@, viewer@), password wifi-desk"
exec target/debug/wifi-desk-sandbox --dist dist --seed 60 --addr "$addr"
