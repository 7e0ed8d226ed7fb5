#!/usr/bin/env bash
# What costs most in the release wasm, measured after wasm-opt as the page gets it: bytes of code
# summed by this crate's module (every generic function the framework instantiates for a component's
# views, closures and tasks counts toward that component) and, for the rest, by crate.
#
# `bundle-breakdown.sh --no-default-features` does the same for the booking portal's build.
#
# It builds a copy with v0 symbol names, whose names carry the generic arguments, into target/size so
# the main build is left alone (about 3 minutes the first time). Needs twiggy, which the set-up does
# not install: `cargo install twiggy --locked`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"
command -v twiggy >/dev/null || { echo "needs twiggy: cargo install twiggy --locked" >&2; exit 1; }

out=target/size
# RUSTFLAGS replaces .cargo/config.toml's flags for wasm32, so the release build's are repeated here.
CARGO_TARGET_DIR="$out" RUSTFLAGS="--cfg=erase_components -C symbol-mangling-version=v0" \
    cargo build --release --lib --target wasm32-unknown-unknown -p wifi-desk "$@"
wasm-bindgen --target web --out-dir "$out/bindgen" "$out/wasm32-unknown-unknown/release/wifi_desk.wasm"
# The passes trunk runs (`data-wasm-opt="z"`), keeping the names (-g) so they can be read.
wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types \
    "$out/bindgen/wifi_desk_bg.wasm" -o "$out/named.wasm"
twiggy top -n 1000000 -f csv "$out/named.wasm" > "$out/top.csv"

python3 - "$out/top.csv" <<'EOF'
import collections, csv, re, sys

owner = re.compile(r"wifi_desk(?:\[[0-9a-f]+\])?::((?:ui|domain|api)::[a-z_]+|[a-z_]+)")
crate = re.compile(r"^[<&]*(?:mut |dyn )?([A-Za-z_][A-Za-z0-9_]*)")
code = collections.Counter()
data = 0
for row in csv.DictReader(open(sys.argv[1])):
    name, size = row["Name"], int(row["ShallowSize"])
    if "section" in name or name.startswith("custom section"):
        continue  # names and other custom sections: stripped from the shipped file
    if name.startswith("data segment"):
        data += size
        continue
    mine = owner.search(name)
    if mine:
        key = "wifi-desk " + mine.group(1)
    elif "wifi_desk_wire" in name:
        key = "wifi-desk-wire (API types)"
    else:
        found = crate.match(name)
        key = found.group(1) if found else "other"
    code[key] += size

total = sum(code.values())
print(f"code {total} B, data {data} B (after wasm-opt -Oz)")
print(f"{'owner':44} {'bytes':>9} {'share':>6}")
for key, size in code.most_common(25):
    print(f"{key:44} {size:9d} {100 * size / total:5.1f}%")
rest = total - sum(size for _, size in code.most_common(25))
print(f"{'everything else':44} {rest:9d} {100 * rest / total:5.1f}%")
EOF
