#!/usr/bin/env bash
# Proves that replicas sharing the pairs with HAWATCH_SHARDS watch every
# pair exactly once, and measures what a replica's death costs (docs/scale.md,
# "Sharding"): one hawatch-sim, three hawatch replicas with
# HAWATCH_SHARD_INDEX 0, 1 and 2 and, when installed, a Prometheus scraping
# them as job "hawatch" with deploy/prometheus/hawatch-rules.yml.
#
#   scripts/bench-shards.sh                       # 1,000 pairs, 10 s polls, restart after 10 s
#   scripts/bench-shards.sh --pairs 300 --restart-delay 30s
#   scripts/bench-shards.sh --smoke               # 9 pairs, 1 s polls: a quick check for CI
#
# It prints the load average first (on a busy machine use fewer pairs), then
#  1. the pairs per replica against N/3, and whether the sets of `pair` values
#     of hawatch_last_poll_timestamp_seconds on the three /metrics are
#     pairwise disjoint and together every pair;
#  2. the PAN-OS requests the simulator received and the polls the replicas
#     made per pair per interval (1 when no pair is polled twice);
#  3. replica 1 (--kill) killed with SIGKILL and started again after
#     --restart-delay at the same address with the same data directory, as
#     a StatefulSet's pod is: per pair the time from its last poll before the
#     kill to its first poll after the restart, what Prometheus's up,
#     HAWatchDown and HAMonitoringBlind said meanwhile, and whether the other
#     replicas took over any pair (they do not);
#  4. the partition check again after the restart.
#
# Other flags: go run ./scripts/benchscale shards -h.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/hawatch" ./cmd/hawatch
go build -o "$bin/hawatch-sim" ./cmd/hawatch-sim
go build -o "$bin/benchscale" ./scripts/benchscale
"$bin/benchscale" shards --hawatch "$bin/hawatch" --sim "$bin/hawatch-sim" "$@"
