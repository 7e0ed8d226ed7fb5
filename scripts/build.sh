#!/usr/bin/env bash
# Builds the release bundles into dist/: the full widget (the console, booking and visitor modes) at
# the top, and the booking portal's build (booking and visitor modes only, a smaller download) in
# dist/portal/, laid out alike: wifi-desk.js and core/. Run by run.sh and test.sh after setup.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"
# In this order: trunk replaces all of dist/ when it builds the full widget.
trunk build --release --offline
trunk build --release --offline --dist dist/portal portal/index.html
