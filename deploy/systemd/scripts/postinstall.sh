#!/bin/sh
# Runs after the deb or rpm package is installed or upgraded: creates the
# hawatch system user, tightens the settings file and reloads systemd. It
# never starts or enables the service: the settings need editing first.
set -e

if ! getent group hawatch >/dev/null 2>&1; then
	groupadd --system hawatch
fi
if ! getent passwd hawatch >/dev/null 2>&1; then
	useradd --system --gid hawatch --home-dir /var/lib/hawatch --no-create-home \
		--shell /usr/sbin/nologin --comment "hawatch daemon" hawatch
fi

# The settings file may hold the PAN-OS API key: root only (systemd reads it
# as root). The directory is readable by the hawatch group for config files.
chown root:root /etc/hawatch/hawatch.env
chmod 0600 /etc/hawatch/hawatch.env
chown root:hawatch /etc/hawatch
chmod 0750 /etc/hawatch

if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	# An upgrade restarts a running hawatch on the new binary.
	if systemctl is-active --quiet hawatch; then
		systemctl try-restart hawatch >/dev/null 2>&1 || true
	fi
fi
