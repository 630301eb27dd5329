#!/usr/bin/env bash
# CI step: starts the compiled server (server/dist, dev auth) on a free loopback port with a
# temporary DATA_DIR, runs the Node example (examples/node-sync) against it, stops the server.
# Exits with the example's status; the example's output goes to the log.
set -uo pipefail
cd "$(dirname "$0")/.."
PNPM=(${PNPM_CMD:-pnpm})

data_dir="$(mktemp -d "${TMPDIR:-/tmp}/outpost-node-example-XXXXXX")"
server_log="$data_dir/server.log"
HOST=127.0.0.1 PORT=0 DATA_DIR="$data_dir" CLIENT_DIST_DIR=/nonexistent LOG_LEVEL=warn \
  AUTH_MODE=dev RATE_LIMIT_MAX=1000000 node server/dist/main.js >"$server_log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$data_dir"
}
trap cleanup EXIT

# PORT=0: the server picks a free port and prints the URL it listens on.
url=""
for _ in $(seq 1 900); do
  url="$(grep -oE 'Outpost is running at http://[^ ]+' "$server_log" | head -1 | awk '{print $NF}')"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "the server did not start:" >&2
  cat "$server_log" >&2
  exit 1
fi
echo "server (compiled, dev auth) at $url"
"${PNPM[@]}" --filter @outpost/example-node-sync --silent start --url "$url"
status=$?
[ "$status" -eq 0 ] || { echo "server log:"; cat "$server_log"; }
exit "$status"
