#!/usr/bin/env bash
# Property-based contract test of the HTTP API with Schemathesis (issue 14, "an exact contract"):
# starts `npm start` on free ports with an empty DATA_DIR, creates one key per role (三员分立: the
# sysadmin, secadmin and auditadmin keys too, issued by the start-up key) and an annual plan, then
# runs Schemathesis against the served /openapi.json once per key (every check, a bounded number of
# examples per operation and a time limit per run). Exits non-zero when a check fails, when a key no
# longer holds after its run, or when the run was hollow: an operation only ever answered 401/403 by
# every key (scripts/schemathesis-coverage.ts reads the runs' HAR reports).
# Schemathesis comes from PyPI, pinned, in a virtualenv in the tool cache.
#
#   bash scripts/schemathesis.sh            # every role's key
#   ST_KEYS=admin bash scripts/schemathesis.sh   # the start-up key itself (every administrator duty)
#   ST_KEYS=bdb bash scripts/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.32.5
MAX_EXAMPLES="${ST_MAX_EXAMPLES:-20}"
# Seconds per key; the run ends earlier when every operation has had its examples.
MAX_TIME="${ST_MAX_TIME:-70}"
venv="${SCHEMATHESIS_VENV:-${TEMPORAL_CACHE_DIR:-$HOME/.cache/jincheng-bdp}/schemathesis-$VERSION}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "schemathesis: installing schemathesis==$VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION"
fi
"$venv/bin/schemathesis" --version

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=$(free_port); TEMPORAL_PORT=$(free_port); TEMPORAL_UI_PORT=$(free_port)
DATA_DIR=$(mktemp -d /tmp/bdp-schemathesis-XXXXXX)
ADMIN_API_KEY="schemathesis-admin-$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
# Writes are not rate limited here: a 429 would only hide what the generated requests reach.
RATE_LIMIT_WRITES_PER_MINUTE=0
export PORT TEMPORAL_PORT TEMPORAL_UI_PORT DATA_DIR ADMIN_API_KEY RATE_LIMIT_WRITES_PER_MINUTE
unset DATABASE_URL TEMPORAL_ADDRESS TEMPORAL_UI_URL
export LOG_LEVEL=warn
api="http://127.0.0.1:$PORT"
log="$DATA_DIR/start.log"

fail() { echo "schemathesis: FAIL: $*" >&2; tail -40 "$log" >&2 || true; exit 1; }

# As scripts/smoke-start.sh: its own process group, so everything it started can be stopped.
setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM $pid 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 $pid 2>/dev/null || break; sleep 1; done
  kill -9 -- -$pid 2>/dev/null || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

# shellcheck source=scripts/wait-ready.sh
. "$(dirname "$0")/wait-ready.sh"
wait_ready "schemathesis: API at $api"

call() {
  local out="$DATA_DIR/response.json" code
  code=$(curl -sS -o "$out" -w '%{http_code}' -X "$1" "$api$2" -H "authorization: Bearer $3" -H 'content-type: application/json' ${4:+-d "$4"})
  [[ "$code" == 2* ]] || fail "$1 $2 answered $code: $(cat "$out")"
  cat "$out"
}
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }

# Every role's key, so each operation is called by a credential that may call it; the security
# administrator runs last (its generated requests may revoke keys and change accounts).
ROLES="${ST_KEYS:-department bdb approval finance sysadmin auditadmin secadmin}"
declare -A keys
for role in $ROLES; do
  if [ "$role" = admin ]; then keys[admin]=$ADMIN_API_KEY; continue; fi
  extra=""; [ "$role" = department ] && extra=',"department":"health"'
  body="{\"role\":\"$role\",\"name\":\"Schemathesis $role\"$extra}"
  keys[$role]=$(call POST /v1/admin/api-keys "$ADMIN_API_KEY" "$body" | field key)
done
# Art. 6, 8: an annual plan item, so a generated application can get past the plan check.
plan_key=$(call POST /v1/admin/api-keys "$ADMIN_API_KEY" '{"role":"bdb","name":"Schemathesis plan"}' | field key)
call PUT /v1/annual-plans/2026 "$plan_key" '{"items":[{"code":"2026-HEALTH-01","title":"Health","department":"health","ceilingFen":100000000000}]}' >/dev/null
# Art. 6: the city government's approval makes the draft the version in force.
call POST /v1/annual-plans/2026/approval "$plan_key" '{"approvedOn":"2026-01-10","documentNo":"晋市政函〔2026〕1号"}' >/dev/null

failed=()
curl -sS -o "$DATA_DIR/openapi.json" "$api/openapi.json"
reports="${ST_REPORT_DIR:-$DATA_DIR/report}"
hars=()
for role in $ROLES; do
  echo
  echo "== schemathesis as $role (max $MAX_EXAMPLES examples per operation, at most $MAX_TIME s)"
  log="$DATA_DIR/schemathesis-$role.log"
  run_as() {
    "$venv/bin/schemathesis" --no-color --config-file scripts/schemathesis.toml run "$api/openapi.json" \
      --url "$api" \
      --header "Authorization: Bearer ${keys[$role]}" \
      --max-examples "$MAX_EXAMPLES" \
      --max-time "$MAX_TIME" \
      --workers 2 \
      --request-timeout 15 \
      --report junit,har --report-dir "$reports/$role" --output-sanitize false "$@" 2>&1 | tee "$log"
    return "${PIPESTATUS[0]}"
  }
  status=0
  run_as || status=$?
  # A crash inside Schemathesis or Hypothesis themselves ("Errors: Runtime Error", e.g. Hypothesis'
  # KeyError while describing a strategy) says nothing about the API: that run is repeated, up to
  # three times, each time without every operation the tool has crashed on so far (named in its
  # ERRORS section, printed here), so a crash on one operation does not hide the answers of all the
  # others. The coverage check below still fails if no key's run reached an operation. A check that
  # failed ("Failures:") is never repeated.
  excluded=()
  for _ in 1 2 3; do
    if [ "$status" -eq 0 ] || ! grep -q '^Errors:' "$log" || grep -q '^Failures:' "$log"; then break; fi
    mapfile -t crashed < <(sed -n '/^=* ERRORS =*$/,/^=* [A-Z]* =*$/p' "$log" | grep -E '^_+ [A-Z]+ /' | sed -E 's/^_+ (.*[^_ ]) _+$/\1/' | sort -u)
    echo "schemathesis: the run as $role crashed inside the tool (no check failed) on: ${crashed[*]:-?}; running it again without them"
    for op in "${crashed[@]}"; do excluded+=(--exclude-name "$op"); done
    status=0
    run_as "${excluded[@]}" || status=$?
  done
  [ "$status" -eq 0 ] || failed+=("$role")
  # The key must still hold after its own run (a run whose key died midway checked 401s only): it
  # authenticates — 200, or 403 for a role that may not list projects — never 401.
  alive=$(curl -sS -o /dev/null -w '%{http_code}' "$api/v1/projects?limit=1" -H "authorization: Bearer ${keys[$role]}")
  if [ "$alive" = 401 ] || [ "$alive" -ge 500 ]; then echo "schemathesis: the $role key answers $alive after its run"; failed+=("$role (key)"); fi
  for har in "$reports/$role"/har-*.json; do [ -e "$har" ] && hars+=("$role=$har"); done
done

echo
if [ ${#hars[@]} -eq 0 ]; then
  echo "schemathesis: no HAR report was written"; failed+=("coverage")
elif ! SCHEMATHESIS_KEYS=$(for r in $ROLES; do printf '%s\n' "$r" "${keys[$r]}"; done | node -e 'const l=require("fs").readFileSync(0,"utf8").trim().split("\n");const o={};for(let i=0;i<l.length;i+=2)o[l[i]]=l[i+1];console.log(JSON.stringify(o))') \
  SCHEMATHESIS_PARTIAL=$([ -n "${ST_KEYS:-}" ] && echo 1 || echo 0) npx tsx scripts/schemathesis-coverage.ts "$DATA_DIR/openapi.json" "${hars[@]}"; then
  failed+=("coverage")
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "schemathesis: failures as ${failed[*]}"
  exit 1
fi
echo "schemathesis: all checks passed as $ROLES, and every operation was reached"
