# Sourced by scripts/smoke-start.sh and scripts/schemathesis.sh: waits until the `npm start` whose
# output goes to $log (process $pid) prints its banner's last line (BANNER_LAST, scripts/banner.ts)
# and $api/readyz answers 200; the caller's `fail` reports otherwise. Prints "<prefix>: ready after N s".
wait_ready() {
  local prefix=$1 started
  started=$(date +%s)
  until grep -q '按 Ctrl-C 停止全部服务' "$log" && curl -fsS "$api/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || fail "npm start exited early"
    [ $(( $(date +%s) - started )) -lt 600 ] || fail "not ready after 600 s"
    sleep 1
  done
  echo "$prefix: ready after $(( $(date +%s) - started )) s"
}
