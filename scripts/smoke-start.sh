#!/usr/bin/env bash
# Smoke test of `npm start` on the embedded defaults, as a new user runs it:
# start → /readyz 200 → keys, annual plan, a project and one command → Temporal UI answers 200 →
# SIGTERM → everything exits and no server process is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."

export PORT="${SMOKE_PORT:-3310}" TEMPORAL_PORT="${SMOKE_TEMPORAL_PORT:-7310}" TEMPORAL_UI_PORT="${SMOKE_UI_PORT:-8310}"
export DATA_DIR
DATA_DIR=$(mktemp -d /tmp/bdp-smoke-XXXXXX)
unset DATABASE_URL TEMPORAL_ADDRESS ADMIN_API_KEY
log="$DATA_DIR/start.log"
api="http://127.0.0.1:$PORT"

fail() { echo "smoke: FAIL: $*" >&2; echo "--- npm start output ---" >&2; tail -40 "$log" >&2 || true; exit 1; }

# Its own process group, so a failed run can be cleaned up whole; the test itself signals only npm.
setsid npm start >"$log" 2>&1 &
pid=$!
trap 'kill -9 -- -$pid 2>/dev/null || true; pkill -9 -f "$DATA_DIR" 2>/dev/null || true' EXIT

# shellcheck source=scripts/wait-ready.sh
. "$(dirname "$0")/wait-ready.sh"
wait_ready smoke

# The banner shows only the key's first characters (issue 28); the whole key is in DATA_DIR.
grep -q '管理员密钥 *admin_' "$log" || fail "no admin key line printed"
admin=$(cat "$DATA_DIR/admin-api-key" 2>/dev/null)
[ -n "$admin" ] || fail "no admin key in $DATA_DIR/admin-api-key"
grep -q "接口地址 *$api" "$log" || fail "API URL not printed"
grep -q "Temporal 界面 *http://127.0.0.1:$TEMPORAL_UI_PORT" "$log" || fail "Temporal UI URL not printed"

# call METHOD PATH KEY [BODY] → prints the body; fails unless the status is 2xx.
call() {
  local out="$DATA_DIR/response.json" code
  code=$(curl -sS -o "$out" -w '%{http_code}' -X "$1" "$api$2" -H "authorization: Bearer $3" -H 'content-type: application/json' ${4:+-d "$4"})
  [[ "$code" == 2* ]] || fail "$1 $2 answered $code: $(cat "$out")"
  cat "$out"
}
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }

key=$(call POST /v1/admin/api-keys "$admin" '{"role":"department","name":"Smoke test department","department":"smoke"}' | field key)
bdb=$(call POST /v1/admin/api-keys "$admin" '{"role":"bdb","name":"Smoke test BDB"}' | field key)
# Art. 6, 8: only items of the BDB's annual plan may be applied for.
call PUT /v1/annual-plans/2026 "$bdb" '{"items":[{"code":"2026-SMOKE","title":"Smoke","department":"smoke","ceilingFen":100000}]}' >/dev/null
call POST /v1/annual-plans/2026/approval "$bdb" '{"approvedOn":"2026-01-10","documentNo":"晋市政函〔2026〕1号"}' >/dev/null # Art. 6
id=$(call POST /v1/projects "$key" '{"title":"Smoke test project","summary":"","kind":"new","jurisdiction":"city","year":2026,
  "annualPlanItem":"2026-SMOKE","estimate":{"totalFen":100000,"cityShareFen":100000,"countyShareFen":0},
  "plannedCompletionDate":"2027-06-30","documents":{"proposal":"sha256:a","feasibilityStudy":"sha256:b",
  "preliminaryDesign":"sha256:c","investmentEstimate":"sha256:d"},"classified":false,
  "leader":{"name":"Smoke","post":"Tester","contact":"0356-0000000"}}' | field id)
# Art. 23 (issue 15): the ProjectView carries the department's prior evaluations (none yet).
prior=$(call GET "/v1/projects/$id" "$key" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(JSON.parse(s).priorEvaluations)))')
[ "$prior" = "[]" ] || fail "the ProjectView has no priorEvaluations list: $prior"
call GET /v1/cloud-platform/evaluations "$key" >/dev/null
# A command round trip: a Temporal Update through the API (Art. 7 technical review).
stage=$(call POST "/v1/projects/$id/technical-review" "$bdb" '{"decision":"pass","opinion":"smoke","checklist":{"resourceCatalog":true,
  "dataSharing":true,"intensiveConstruction":true,"cloudDeployment":true,"securityControllable":true}}' | field stage)
[ "$stage" = establishment_review ] || fail "technical review left the project in $stage"
echo "smoke: created project $id"

ui=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$TEMPORAL_UI_PORT/")
[ "$ui" = 200 ] || fail "Temporal UI answered $ui"
echo "smoke: Temporal UI answers 200"
# Art. 28: the UI is pointed at the API's codec endpoint, which lets the UI's origin in.
curl -sS "http://127.0.0.1:$TEMPORAL_UI_PORT/api/v1/settings" | grep -q "\"Endpoint\":\"http://127.0.0.1:$PORT/codec\"" \
  || fail "the Temporal UI is not configured with the codec endpoint"
allowed=$(curl -sS -o /dev/null -D - -X OPTIONS -H "Origin: http://127.0.0.1:$TEMPORAL_UI_PORT" -H 'Access-Control-Request-Method: POST' \
  "http://127.0.0.1:$PORT/codec/decode" | tr -d '\r' | sed -n 's/^access-control-allow-origin: //Ip')
[ "$allowed" = "http://127.0.0.1:$TEMPORAL_UI_PORT" ] || fail "codec CORS allows '$allowed', not the UI origin"
echo "smoke: Temporal UI uses the API codec endpoint (CORS allows its origin)"

kill -TERM $pid
for _ in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; sleep 1; done
kill -0 $pid 2>/dev/null && fail "npm start still running 60 s after SIGTERM"
# Live processes of the group or of this DATA_DIR (zombies waiting for init to reap them are not
# processes left running); give them a few seconds to exit.
leftovers() { { ps -o pid=,stat=,args= -g $pid 2>/dev/null; ps -eo pid=,stat=,args= | grep -F "$DATA_DIR" | grep -v grep; } | awk '$2 !~ /^Z/'; }
for _ in $(seq 1 10); do [ -z "$(leftovers)" ] && break; sleep 1; done
if [ -n "$(leftovers)" ]; then
  leftovers >&2
  fail "processes left behind after SIGTERM"
fi
grep -Eq "已停止 Temporal 开发服务器|stopped Temporal dev server" "$log" || fail "the dev server was not stopped"
echo "smoke: SIGTERM stopped everything, no process left behind"
rm -rf "$DATA_DIR"
trap - EXIT
echo "smoke: 1 passed, 0 failed"
