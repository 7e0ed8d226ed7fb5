#!/usr/bin/env bash
# Installs what wifi-desk's build and tests need, skipping each tool already present at the right
# version, so a second run takes seconds. Sourced by run.sh and test.sh; safe to run on its own.
#
# Installs: the wasm32 Rust target; trunk, wasm-bindgen-cli, wasm-pack and geckodriver (cargo install);
# Debian's chromium, chromium-driver, firefox-esr, curl, and nodejs and npm where npm is missing
# (apt-get, as root or with sudo); npm's binaryen (wasm-opt) and axe-core into node_modules.
# Versions are pinned: see the table in README.md.
set -euo pipefail

TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc than this machine's 1.95
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate pinned in Cargo.toml
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# Prints the version a tool reports, or nothing when it is missing.
version_of() { "$@" 2>/dev/null | head -n1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true; }

cargo_tool() { # binary, crate, version, extra cargo-install flags...
    local bin=$1 crate=$2 want=$3
    shift 3
    if [ "$(version_of "$bin" --version)" = "$want" ]; then
        return
    fi
    say "installing $crate $want (cargo install, a few minutes)"
    cargo install "$crate" --version "$want" "$@"
}

apt_packages() {
    local missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    command -v chromedriver >/dev/null || missing+=(chromium-driver)
    command -v firefox >/dev/null || command -v firefox-esr >/dev/null || missing+=(firefox-esr)
    # The scripts ask the sandbox whether it is up.
    command -v curl >/dev/null || missing+=(curl)
    # npm installs wasm-opt and axe-core (below).
    command -v npm >/dev/null || missing+=(nodejs npm)
    [ ${#missing[@]} -eq 0 ] && return
    say "installing ${missing[*]} (apt-get)"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

wasm_target() {
    rustup target list --installed | grep -qx wasm32-unknown-unknown && return
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
}

# The test command checks formatting and lints: a toolchain installed with rustup's minimal
# profile has neither.
lint_components() {
    cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1 && return
    say "adding the rustfmt and clippy components"
    rustup component add rustfmt clippy
}

# One `npm ci` installs both npm tools: binaryen 132 (wasm-opt) and axe-core at the version
# package.json pins (the end-to-end accessibility scan reads node_modules/axe-core/axe.min.js,
# whose first line names its version).
npm_tools() {
    local axe_want axe_have
    axe_want=$(version_of grep -m1 '"axe-core"' "$root/package.json")
    axe_have=$(version_of head -n1 "$root/node_modules/axe-core/axe.min.js")
    if "$root/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q 'version 132' &&
        [ -n "$axe_have" ] && [ "$axe_have" = "$axe_want" ]; then
        return
    fi
    say "installing npm tools (binaryen 132 for wasm-opt, axe-core $axe_want)"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
}

# What set-up starts from and does not install (README.md, "The two commands").
for tool in rustup cargo cc; do
    if ! command -v "$tool" >/dev/null; then
        say "$tool is missing: set-up starts from Rust 1.95 installed with rustup, and gcc; install those first"
        exit 1
    fi
done
wasm_target
lint_components
# apt works on the network while cargo compiles; the two do not compete for the cores. Should a
# step below fail, the exit waits for apt rather than leave it holding dpkg's lock (or kill it
# half-way through installing).
apt_packages &
apt_pid=$!
trap 'wait "$apt_pid" 2>/dev/null || true' EXIT
cargo_tool trunk trunk "$TRUNK_VERSION" --locked
# Not --locked: the published lock names a webpki-roots release the registry no longer serves.
cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
# --locked: the versions its release was built with, so a dependency published since cannot break
# the install on a new machine (this one installs so, checked 2026-11-29).
cargo_tool wasm-pack wasm-pack "$WASM_PACK_VERSION" --locked
cargo_tool geckodriver geckodriver "$GECKODRIVER_VERSION"
wait "$apt_pid"
trap - EXIT
# After apt: on a machine without Node.js, apt brings npm.
npm_tools
say "tools ready"
