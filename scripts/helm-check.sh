#!/usr/bin/env bash
# `npm run helm:check`: helm (v4, built once from the Go module proxy into ~/.cache/jincheng-bdp by
# scripts/go-tools.ts), then `helm lint --strict` and `helm template` of deploy/helm/jincheng-bdp with
# its defaults and with one API on a folder store; test/helm.test.ts checks what it renders.
set -euo pipefail
cd "$(dirname "$0")/.."
helm=$(npx tsx scripts/go-tools.ts helm)
"$helm" version --short
"$helm" lint --strict deploy/helm/jincheng-bdp
out=$(mktemp)
"$helm" template bdp deploy/helm/jincheng-bdp > "$out"
echo "helm template (defaults): $(grep -c '^kind:' "$out") manifests: $(grep '^kind:' "$out" | sort | uniq -c | awk '{printf "%s %s, ", $1, $3}')"
"$helm" template bdp deploy/helm/jincheng-bdp --set documents.store=folder --set api.replicas=1 > /dev/null
echo "helm template (one API, folder store): ok"
rm -f "$out"
