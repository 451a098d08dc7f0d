#!/bin/sh
# Forms the cluster once: waits for the six pods, does nothing if the cluster already exists, else
# joins them with one replica per primary. REDISCLI_AUTH carries the password.
set -eu
svc="parley-redis-cluster"
nodes=""
for i in 0 1 2 3 4 5; do
  host="$svc-$i.$svc"
  until redis-cli -h "$host" ping 2>/dev/null | grep -q PONG; do sleep 2; done
  # redis-cli --cluster create takes addresses, not names.
  nodes="$nodes $(getent hosts "$host" | awk '{print $1}'):6379"
done
if redis-cli -h "$svc-0.$svc" cluster info | grep -q '^cluster_state:ok'; then
  echo "the cluster is already formed"
  exit 0
fi
# shellcheck disable=SC2086
redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes
