#!/usr/bin/env bash
# Builds the desktop app and runs its end-to-end test (tests/e2e) under Xvfb.
# Needs the Debian packages libwebkit2gtk-4.1-dev, xvfb, xclip, dbus, chromium and webkit2gtk-driver,
# Node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

TAURI_DRIVER_VERSION=2.1.0

echo "== ui: npm ci && npm run build"
(cd ui && npm ci --no-audit --no-fund && npm run build)

echo "== extension: npm ci && npm run build"
(cd extension && npm ci --no-audit --no-fund && npm run build)

echo "== cargo build -p quire-desktop -p quire-cli"
cargo build -p quire-desktop -p quire-cli

if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "== cargo install tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
fi

echo "== e2e test"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run -p quire-tests --test e2e --no-fail-fast
else
  cargo test -p quire-tests --test e2e
fi
