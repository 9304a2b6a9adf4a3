#!/usr/bin/env bash
# Re-resolves the digest of every third-party image that hawatch's build and
# deploy files pin as name:tag@sha256:digest, and rewrites the pins in place.
# Run it on purpose (to take a new base image) and review the diff; the
# tests in deploy/compose fail when an image is referenced without a digest.
#
#   scripts/pin-images.sh            # rewrite the pins
#   scripts/pin-images.sh --check    # only print pins whose tag moved on
#
# Needs access to the registries; crane (go-containerregistry) is run from
# the Go module proxy at a pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."

CRANE_VERSION=${CRANE_VERSION:-v0.22.1}
crane() { go run "github.com/google/go-containerregistry/cmd/crane@${CRANE_VERSION}" "$@"; }

check=false
[ "${1:-}" = "--check" ] && check=true

files=(Dockerfile deploy/compose/compose.yaml)
moved=0
for ref in $(grep -ohE '[a-z0-9./_-]+(:[A-Za-z0-9._-]+)@sha256:[0-9a-f]{64}' "${files[@]}" | sort -u); do
	image=${ref%@*}
	old=${ref#*@}
	new=$(crane digest "$image")
	if [ "$old" = "$new" ]; then
		continue
	fi
	moved=$((moved + 1))
	echo "$image: $old -> $new"
	if ! $check; then
		sed -i "s|${image}@${old}|${image}@${new}|g" "${files[@]}"
	fi
done
if $check && [ "$moved" -gt 0 ]; then
	exit 1
fi
