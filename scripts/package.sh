#!/usr/bin/env bash
# Builds the desktop app's installers with the Tauri CLI: a .deb and an AppImage on Linux
# (a .dmg on macOS, .msi and NSIS on Windows with --bundles). Output: target/release/bundle/.
#
# The Tauri CLI wants the app's Cargo.toml and its config in one folder, while Quire keeps
# tauri.conf.json at the repository root; this script writes src-tauri/tauri.conf.json from
# the root config (paths made relative to src-tauri) for the duration of the build, and
# removes it afterwards. The root file stays the only one to edit.
set -euo pipefail
cd "$(dirname "$0")/.."
bundles="${1:-deb,appimage}"

[ -d ui/node_modules ] || (cd ui && npm ci)
(cd ui && npm run build)

generated="$PWD/src-tauri/tauri.conf.json"
trap 'rm -f "$generated"' EXIT
node -e '
  const fs = require("fs");
  const conf = JSON.parse(fs.readFileSync("tauri.conf.json", "utf8"));
  conf.build.frontendDist = "../" + conf.build.frontendDist;
  conf.bundle.icon = conf.bundle.icon.map((p) => "../" + p);
  delete conf["$schema"];
  fs.writeFileSync(process.argv[1], JSON.stringify(conf, null, 2));
' "$generated"
cd src-tauri
../ui/node_modules/.bin/tauri build --bundles "$bundles"
