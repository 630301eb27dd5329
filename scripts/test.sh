#!/usr/bin/env bash
# One command to run every suite: installs what the tests need (pnpm; Debian's chromium and
# redis-server when missing and root), then typecheck, lint and format (side by side), build, the Node example, unit/integration,
# soak slice, end-to-end, Lighthouse gate.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
set -e
# Debian's packages install while pnpm installs the node modules: on a fresh machine each takes
# a minute or more, mostly waiting on the network (and pnpm on compiling better-sqlite3), and
# neither needs the other. apt's output is printed once both are done.
apt_log="$(mktemp)"
(apt_ensure chromium chromium && apt_ensure redis-server redis-server) >"$apt_log" 2>&1 &
apt_pid=$!
ensure_pnpm
install_deps
apt_rc=0
wait "$apt_pid" || apt_rc=$?
cat "$apt_log"
rm -f "$apt_log"
[ "$apt_rc" -eq 0 ] || { echo "error: installing Debian's chromium / redis-server failed (above)" >&2; exit 1; }
install_secs=$SECONDS
set +e

ART=.artifacts
mkdir -p "$ART"
rm -f "$ART"/*.json "$ART"/*.log "$ART"/*.log.done
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
steps_failed=0

# Each step runs under a time limit, so a step that hangs fails by itself instead of holding
# the whole run (STEP_MINUTES, default 40; the longest, the E2E, took over 25 minutes on 2 busy
# cores on 2026-12-06, and a step stopped at its limit fails the run). `timeout` signals the
# step's whole process group.
STEP_MINUTES="${STEP_MINUTES:-40}"
# What each step took, printed before the summary: the whole run should stay under 30 minutes
# on a fresh 2-core machine, and this says which step to look at when it does not.
TIMINGS=("$(printf '%5ds  %s' "$install_secs" "installs (pnpm, node modules, Debian's packages side by side)")")
limited() {
  local rc=0 start=$SECONDS
  timeout --kill-after=30s "${STEP_MINUTES}m" "$@" || rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "✗ stopped after ${STEP_MINUTES} minutes (STEP_MINUTES): $*"
  fi
  TIMINGS+=("$(printf '%5ds  %s' $((SECONDS - start)) "$CURRENT_STEP")")
  return "$rc"
}

run_step() {
  local name="$1"; shift
  CURRENT_STEP="$name"
  log "$name"
  if ! limited "$@"; then
    echo "✗ $name failed"
    steps_failed=$((steps_failed + 1))
  fi
}

# The checks that only read the sources run side by side: one after another they took 130 s
# of a 33-minute run (typecheck 42, lint 67, format 21), and one alone leaves a core idle.
# Each one's output is printed whole, in order, once it is done; each still counts as its own step.
started_step() {
  local name="$1" out="$2"; shift 2
  (
    start=$SECONDS rc=0
    timeout --kill-after=30s "${STEP_MINUTES}m" "$@" >"$out" 2>&1 || rc=$?
    echo "$((SECONDS - start)) $rc" >"$out.done"
  ) &
}
finished_step() {
  local name="$1" out="$2" secs rc
  wait "$3"
  log "$name"
  cat "$out"
  read -r secs rc <"$out.done" || { secs=0 rc=1; }
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "✗ stopped after ${STEP_MINUTES} minutes (STEP_MINUTES): $name"
  fi
  TIMINGS+=("$(printf '%5ds  %s (side by side)' "$secs" "$name")")
  if [ "$rc" -ne 0 ]; then
    echo "✗ $name failed"
    steps_failed=$((steps_failed + 1))
  fi
}
started_step "typecheck" "$ART/typecheck.log" "${PNPM[@]}" typecheck; typecheck_pid=$!
started_step "lint" "$ART/lint.log" "${PNPM[@]}" exec eslint . --max-warnings=0; lint_pid=$!
started_step "format" "$ART/format.log" "${PNPM[@]}" exec prettier --check .; format_pid=$!
finished_step "typecheck" "$ART/typecheck.log" "$typecheck_pid"
finished_step "lint" "$ART/lint.log" "$lint_pid"
finished_step "format (prettier --check)" "$ART/format.log" "$format_pid"
run_step "build the server" "${PNPM[@]}" --filter @outpost/server build
# The sync engine used from Node (examples/node-sync) against the compiled server; its output is the log.
run_step "Node example: two @outpost/sync clients against the compiled server" env PNPM_CMD="${PNPM[*]}" bash scripts/node-example.sh
run_step "API documents: redocly lint, recommended rules (served /openapi.json and /asyncapi.json)" "${PNPM[@]}" lint:api
# The client's `build` script is `tsc -p tsconfig.json && vite build`; the typecheck step above has
# already checked that same tsconfig (and fails the run on an error), so only Vite runs here.
run_step "build the PWA (vite build; typechecked above)" "${PNPM[@]}" --filter @outpost/client exec vite build

if [ -z "${MONGODB_TEST_URI:-}" ]; then
  echo "MongoDB legs (store contract, external-data repository): did not run (MONGODB_TEST_URI is not set; point it at a MongoDB replica set or Atlas to run them)."
fi

# A test runner's failures are counted from its JSON report; the step itself only counts when
# the runner died without writing one.
run_tests() {
  local name="$1" report="$2"; shift 2
  CURRENT_STEP="$name"
  log "$name"
  if ! limited "$@"; then
    echo "✗ $name failed"
    [ -f "$report" ] || steps_failed=$((steps_failed + 1))
  fi
}
run_tests "unit and integration tests (vitest)" "$ART/vitest.json" "${PNPM[@]}" exec vitest run --reporter=default --reporter=json --outputFile="$ART/vitest.json"
# A bounded slice of the soak (the full run, >= 10,000 schedules and >= 100 kills, is in README).
run_step "soak slice (300 schedules, 10 SIGKILLs, 30 purges)" env SCHEDULES=300 KILLS=10 PURGES=30 "${PNPM[@]}" soak
run_tests "end-to-end tests (playwright, Debian chromium)" "$ART/playwright.json" "${PNPM[@]}" exec playwright test
# Performance is a benchmark (pnpm bench:lighthouse), not a gate: it follows the machine's load.
run_step "lighthouse (installable; accessibility, best practices >= 90)" node scripts/lighthouse.mjs

log "time taken"
printf '%s\n' "${TIMINGS[@]}"
printf '%5ds  the whole run (installs included)\n' "$SECONDS"
node scripts/summarize.mjs "$steps_failed"
