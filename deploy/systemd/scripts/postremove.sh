#!/bin/sh
# Runs after the package is removed. The hawatch user, /etc/hawatch and the
# journal in /var/lib/hawatch are kept: they hold the operator's settings and
# history (a deb purge removes the settings file as a conffile).
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
