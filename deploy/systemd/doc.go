// Package systemd holds hawatch's systemd unit, the settings file the
// packages install, the nfpm configuration of the deb and rpm packages and
// their install scripts, with the tests that check them: the unit's
// hardening (and systemd-analyze where present), and packages built by
// scripts/release.sh, inspected for their files, modes, scripts and the
// version stamped into the binary.
package systemd
