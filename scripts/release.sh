#!/usr/bin/env bash
# Builds a release of hawatch into dist/ (or $DIST): for each architecture,
# the static binary with the version stamped into it (prometheus/common's
# version variables, shown by `hawatch version` and hawatch_build_info), a
# tarball, and deb and rpm packages built by nfpm (pinned in tools/go.mod).
#
#   scripts/release.sh                      # version from the latest v* tag
#   VERSION=1.4.0 ARCHES=amd64 scripts/release.sh
#
# VERSION is semantic (1.4.0, 1.4.0-rc.1); without a tag it is
# 0.0.0-dev.g<commit>. The container image is built by the Dockerfile with
# the same stamping.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VERSION:-}" ]; then
	if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
		VERSION=${tag#v}
	else
		VERSION=0.0.0-dev.g$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	fi
fi
VERSION=${VERSION#v}
REVISION=${REVISION:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
BRANCH=${BRANCH:-$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)}
ARCHES=${ARCHES:-amd64 arm64}
DIST=${DIST:-dist}
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)

# nfpm from the tools module, so that its dependencies stay out of the
# daemon's go.mod.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd tools && CGO_ENABLED=0 go build -o "$tmp/nfpm" github.com/goreleaser/nfpm/v2/cmd/nfpm)

pkg=github.com/prometheus/common/version
ldflags="-s -w -X $pkg.Version=$VERSION -X $pkg.Revision=$REVISION -X $pkg.Branch=$BRANCH -X $pkg.BuildUser=release -X $pkg.BuildDate=$(date -u +%Y%m%d-%H:%M:%S)"

for arch in $ARCHES; do
	name=hawatch-$VERSION.linux-$arch
	echo "--- $name"
	mkdir -p "$DIST/$name"
	CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath -ldflags "$ldflags" -o "$DIST/$name/hawatch" ./cmd/hawatch
	cp README.md deploy/systemd/hawatch.service deploy/systemd/hawatch.env "$DIST/$name/"
	tar -C "$DIST" -czf "$DIST/$name.tar.gz" "$name"
	for packager in deb rpm; do
		VERSION=$VERSION GOARCH=$arch HAWATCH_BINARY=$DIST/$name/hawatch \
			"$tmp/nfpm" package --config deploy/systemd/nfpm.yaml --packager "$packager" --target "$DIST/"
	done
done
(cd "$DIST" && sha256sum ./*.tar.gz ./*.deb ./*.rpm > SHA256SUMS)
echo "release $VERSION in $DIST:"
ls -l "$DIST"
