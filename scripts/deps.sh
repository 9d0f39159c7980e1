#!/usr/bin/env bash
# Installs what Quire needs to build, run and test, only what is missing:
# Debian/Ubuntu packages (apt), tauri-driver (pinned), and the UI's npm packages.
# Sourced by scripts/setup.sh and scripts/test.sh; safe to run again.
set -euo pipefail

QUIRE_APT_PACKAGES=(
  build-essential pkg-config file curl libssl-dev
  libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  xvfb xauth xclip dbus webkit2gtk-driver
  qpdf poppler-utils
  pandoc unzip
  chromium
)
TAURI_DRIVER_VERSION=2.1.0

quire_install_system_packages() {
  local missing=()
  for p in "${QUIRE_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "== system packages: all present"
    return
  fi
  echo "== apt-get install ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

quire_install_tauri_driver() {
  if command -v tauri-driver >/dev/null || [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
    echo "== tauri-driver: present"
    return
  fi
  echo "== cargo install tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
}

quire_build_extension() {
  echo "== extension: npm ci && npm run build"
  (cd extension && npm ci --no-audit --no-fund && npm run build)
}

quire_build_ui() {
  echo "== ui: npm ci && npm run build"
  (cd ui && npm ci --no-audit --no-fund && npm run build)
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  cd "$(dirname "$0")/.."
  quire_install_system_packages
  quire_install_tauri_driver
  quire_build_ui
  quire_build_extension
fi
