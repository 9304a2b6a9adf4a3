#!/bin/sh
# Runs before the package is removed (and, for rpm, before an upgrade's old
# package goes away): stops hawatch only on a real removal.
set -e

# deb passes "remove"/"upgrade"; rpm passes the number of versions left (0
# on removal).
case "$1" in
	remove|0)
		if [ -d /run/systemd/system ]; then
			systemctl disable --now hawatch >/dev/null 2>&1 || true
		fi
		;;
esac
