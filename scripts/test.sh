#!/usr/bin/env bash
# Runs Quire's whole test suite: installs what is missing, builds everything, then runs the
# UI unit tests (Vitest), every Rust unit and integration test, and the desktop app's
# end-to-end test (real window under Xvfb, driven through tauri-driver + WebKitWebDriver).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
quire_install_system_packages
quire_install_tauri_driver
quire_build_ui
echo "== ui: unit tests"
(cd ui && npm test)
quire_build_extension
echo "== extension: unit tests, Firefox lint"
(cd extension && npm test && npm run lint:firefox)
echo "== cargo build --workspace"
cargo build --locked --workspace --all-targets
echo "== rust tests (unit, integration, end-to-end)"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --locked --workspace --no-fail-fast
else
  cargo test --locked --workspace --lib --bins --tests --no-fail-fast
fi
