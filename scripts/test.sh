#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, checks formatting,
# vets, lints, then runs every Go test with the race detector, including the
# end-to-end tests against the real Prometheus and Alertmanager binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-test-deps.sh

echo "--- toolchain"
# go.mod names the toolchain the project is built and tested with; the
# Dockerfile's builder image carries the same one.
want=go$(sed -n 's/^go //p' go.mod)
echo "$(go env GOVERSION) (go.mod: $want)"
[ "$(go env GOVERSION)" = "$want" ] || echo "warning: testing with $(go env GOVERSION), not the pinned $want"

echo "--- go mod verify"
go mod verify

echo "--- govulncheck"
# Needs the vulnerability database; where it cannot be reached the check is
# a release step instead (docs/security.md).
if curl -fsS --max-time 10 -o /dev/null https://vuln.go.dev/index/db.json 2>/dev/null; then
	"$(go env GOPATH)/bin/govulncheck" ./...
else
	echo "skipped: vuln.go.dev cannot be reached; run govulncheck ./... before a release"
fi

echo "--- gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go') 2>/dev/null || true)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "--- go vet"
go vet ./...

echo "--- golangci-lint"
"$(go env GOPATH)/bin/golangci-lint" run ./...

echo "--- go test -race"
# Screenshots of the status page and other test artefacts land here.
export HAWATCH_ARTIFACTS_DIR="$PWD/.artifacts"
go test -race -count=1 -timeout 12m ./...

echo "--- bench-scale (smoke: 3 simulated pairs, one short window)"
./scripts/bench-scale.sh --smoke

echo "--- bench-shards (smoke: 3 replicas over 9 pairs, one killed and restarted)"
./scripts/bench-shards.sh --smoke

echo "--- fuzz (smoke: a few seconds per target; scripts/fuzz.sh runs longer)"
FUZZTIME=${FUZZTIME:-3s} ./scripts/fuzz.sh
