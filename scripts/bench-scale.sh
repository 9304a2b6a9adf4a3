#!/usr/bin/env bash
# Measures the daemon's cost over many simulated pairs and prints one table
# (docs/scale.md explains it): for each number of pairs, hawatch-sim and the
# built hawatch binary run as separate processes; the daemon polls them at
# the default 10 s for a 60 s window while /metrics is scraped every 10 s,
# and one pair is broken at a random moment to time the alert's arrival at
# a stand-in Alertmanager after its hold.
#
#   scripts/bench-scale.sh                     # 10, 100 and 1000 pairs
#   scripts/bench-scale.sh --pairs 10,3000     # any list
#   scripts/bench-scale.sh --aws               # with one simulated EC2 account and region
#   scripts/bench-scale.sh --smoke             # 3 pairs, 1 s polls: a quick check for CI
#   scripts/bench-scale.sh --profile-pairs 1000 --profile-out cpu.pb.gz
#
# Other flags: go run ./scripts/benchscale -h.
#
# Comparison with panos_exporter (github.com/jenningsloy318/panos_exporter,
# scrape-driven: it generates a key and polls a firewall on every scrape).
# It is not part of this repository and this script does not build it.
# Build it yourself (go build in its checkout) and pass the binary:
#   scripts/bench-scale.sh --pairs 10,100 --panos-exporter /path/to/panos_exporter
# After hawatch's window the daemon is stopped and the exporter, configured
# with the simulator's admin login, is scraped for every peer once per poll
# interval (64 scrapes in flight) for the same window; its CPU (utime+stime
# from /proc), peak RSS, the simulator's request count per peer per scrape
# and the simulator's own CPU (the firewalls' side) make a second table.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/hawatch" ./cmd/hawatch
go build -o "$bin/hawatch-sim" ./cmd/hawatch-sim
go build -o "$bin/benchscale" ./scripts/benchscale
"$bin/benchscale" --hawatch "$bin/hawatch" --sim "$bin/hawatch-sim" "$@"
