#!/usr/bin/env bash
# Measures how long a fault takes to become an alert in Alertmanager through
# hawatch's own push and through the shipped Prometheus rules, with the real
# prometheus and prometheus-alertmanager binaries (scripts/install-test-deps.sh
# installs them). Takes about two minutes; prints the figures and settings.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! HAWATCH_LATENCY=1 go test -count=1 -timeout 10m -run '^TestDetectionLatency$' -v ./e2e/ >"$log" 2>&1; then
	cat "$log"
	exit 1
fi
if grep -q -- '--- SKIP' "$log"; then
	cat "$log"
	exit 1
fi
sed -n '/^settings:/,/^--- /p' "$log" | grep -v '^--- '
