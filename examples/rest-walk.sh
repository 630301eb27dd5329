#!/usr/bin/env bash
# A walk through the REST API with curl: sign in (dev mode), create a project and a task,
# change the task with If-Match, see a stale If-Match refused (412), list tasks.
# Usage: examples/rest-walk.sh [server origin]   (default http://127.0.0.1:3000; needs curl + jq)
set -euo pipefail
ORIGIN="${1:-http://127.0.0.1:3000}"
B="$ORIGIN/api/v1"
json=(-H 'content-type: application/json')

step() { printf '\n== %s\n' "$*"; }

step "sign in (dev mode): POST /auth/dev-token"
T=$(curl -sf "${json[@]}" -d '{"email":"walker@example.com","name":"Walker"}' "$B/auth/dev-token" | jq -r .token)
auth=(-H "authorization: Bearer $T")

step "create a project: POST /primary-data/projects"
P=$(curl -sf "${auth[@]}" "${json[@]}" -d '{"name":"Curl walk"}' "$B/primary-data/projects" | jq -r .id)
echo "project $P"

step "create a task: POST /primary-data/tasks (the ETag header is its version)"
headers=$(mktemp)
TASK=$(curl -sf -D "$headers" "${auth[@]}" "${json[@]}" -d "{\"projectId\":\"$P\",\"title\":\"Try If-Match\"}" "$B/primary-data/tasks")
ID=$(jq -r .id <<<"$TASK")
ETAG=$(grep -i '^etag:' "$headers" | cut -d' ' -f2 | tr -d '\r')
echo "task $ID, ETag $ETAG"

step "change it only if nobody wrote since: PATCH with If-Match: $ETAG"
curl -sf -D "$headers" "${auth[@]}" "${json[@]}" -H "if-match: $ETAG" -X PATCH -d '{"status":"done"}' "$B/primary-data/tasks/$ID" | jq -c '{title, status, version}'

step "the same If-Match again is stale now: 412 PRECONDITION_FAILED, nothing changed"
curl -s -w '\nHTTP %{http_code}\n' "${auth[@]}" "${json[@]}" -H "if-match: $ETAG" -X PATCH -d '{"title":"Overwritten"}' "$B/primary-data/tasks/$ID"

step "list: GET /primary-data/tasks?projectId=…&status=done"
curl -sf "${auth[@]}" "$B/primary-data/tasks?projectId=$P&status=done" | jq -c '.data[] | {title, status, version}'
rm -f "$headers"
