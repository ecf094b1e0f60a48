#!/bin/sh
# `server -s3 -s3.port=N` as SeaweedFS takes it, served by gofakes3 on N with its objects in /data.
# SeaweedFS answers GET /healthz; gofakes3 answers it as the listing of a bucket named "healthz",
# so that bucket is made at start-up.
set -eu
port=8333
for arg in "$@"; do
  case "$arg" in -s3.port=*) port=${arg#-s3.port=} ;; esac
done
exec gofakes3 -backend fs -fs.path /data -fs.create -initialbucket healthz -host "0.0.0.0:$port" -quiet
