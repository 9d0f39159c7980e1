#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine and launch Quire on the default library
# ($QUIRE_LIBRARY, else ~/.local/share/Quire/library.sqlite3).
# Installs missing apt packages, the UI's npm packages and the Rust crates (cargo build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
quire_install_system_packages
quire_build_ui
echo "== cargo build (the quire CLI and the desktop app)"
cargo build --locked -p quire-cli -p quire-desktop
echo "== the CLI is target/debug/quire; launching the desktop app"
exec target/debug/quire-desktop "$@"
