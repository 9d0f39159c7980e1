#!/usr/bin/env bash
# The extraction benchmark, Quire side by side with Mozilla Readability.js (jsdom, Node):
# installs the npm packages of benches/readability-js when missing, builds quire-bench in
# release mode and runs it on a directory of Readability-style test pages.
#
# usage: benches/run-extract.sh [DIR] [more quire-bench options, e.g. --runs 5]
# DIR defaults to /work/shared/fixtures/readability (QUIRE_BENCH_DIR overrides it too).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
dir="${1:-${QUIRE_BENCH_DIR:-/work/shared/fixtures/readability}}"
[ $# -gt 0 ] && shift
js="$here/readability-js"
if [ ! -d "$js/node_modules/@mozilla/readability" ] || [ ! -d "$js/node_modules/jsdom" ]; then
  echo "== installing Readability.js and jsdom (npm ci) in $js" >&2
  (cd "$js" && npm ci --no-audit --no-fund)
fi
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" >&2
echo "== $(rustc --version), node $(node --version)" >&2
cd "$root"
cargo build --release -p quire-bench
exec "$root/target/release/quire-bench" extract "$dir" --compare-js --js-dir "$js" "$@"
