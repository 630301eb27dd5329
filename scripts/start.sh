#!/usr/bin/env bash
# One command to run Outpost: installs, builds the server and the PWA, starts the server with embedded
# SQLite storage and dev auth on http://127.0.0.1:3000 (override with PORT / HOST).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_pnpm
install_deps
log "building the server"
"${PNPM[@]}" --filter @outpost/server build
log "building the PWA"
"${PNPM[@]}" --filter @outpost/client build
log "starting the server"
# node on the compiled output (server/dist): no TypeScript compiler at start.
exec "${PNPM[@]}" --filter @outpost/server start
