#!/bin/sh
# The stand-in temporalio/server entrypoint: the frontend binds the container's own address (as the
# real image does by default), then the server starts with the rendered configuration.
set -eu
BIND_ON_IP=${BIND_ON_IP:-$(hostname -i | awk '{print $1}')}
export BIND_ON_IP
export TEMPORAL_CLI_ADDRESS=${TEMPORAL_CLI_ADDRESS:-$BIND_ON_IP:7233}
exec temporal-server --root /etc/temporal --config config --env docker start
