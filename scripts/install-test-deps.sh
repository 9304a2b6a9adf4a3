#!/usr/bin/env bash
# Installs what the test suite needs beyond Go, from Debian's packages and the
# Go module proxy: promtool/prometheus, alertmanager, chromium, golangci-lint,
# govulncheck, helm.
# Idempotent: does nothing for what is already there.
set -euo pipefail

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v chromium >/dev/null 2>&1 || need+=(chromium)

if [ "${#need[@]}" -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "installing Debian packages: ${need[*]}"
	$sudo apt-get update -qq
	# The packages' services are never started here (no systemd on CI); the
	# tests start their own instances on loopback.
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

GOLANGCI_LINT_VERSION=${GOLANGCI_LINT_VERSION:-v2.15.0}
gobin=$(go env GOPATH)/bin
if ! "$gobin/golangci-lint" version 2>/dev/null | grep -q "${GOLANGCI_LINT_VERSION#v}"; then
	echo "installing golangci-lint ${GOLANGCI_LINT_VERSION}"
	go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@${GOLANGCI_LINT_VERSION}"
fi

GOVULNCHECK_VERSION=${GOVULNCHECK_VERSION:-v1.9.0}
if ! "$gobin/govulncheck" -version 2>/dev/null | grep -q "${GOVULNCHECK_VERSION}"; then
	echo "installing govulncheck ${GOVULNCHECK_VERSION}"
	go install "golang.org/x/vuln/cmd/govulncheck@${GOVULNCHECK_VERSION}"
fi

# helm lints and renders the chart in deploy/helm. Built from the Go module
# proxy: about 2 minutes of downloading and compiling on a 2-core machine the
# first time, nothing once it is there.
HELM_VERSION=${HELM_VERSION:-v3.22.0}
if ! "$gobin/helm" version --template '{{.Version}}' 2>/dev/null | grep -q "${HELM_VERSION%.*}"; then
	echo "installing helm ${HELM_VERSION}"
	go install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
fi
