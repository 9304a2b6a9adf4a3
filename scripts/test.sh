#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, checks formatting,
# vets, lints, then runs every Go test with the race detector, including the
# end-to-end tests against the real Prometheus and Alertmanager binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-test-deps.sh

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
